/**
 * Deletions read from the event log several pages at a time, against the sandbox over 127.0.0.1:
 * the same list as one page after another, within the asked range only.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import type { SandboxOptions } from '../../src/sandbox/amocrm/types.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { applyDeletionEvents, deletedBetween, DELETION_EVENTS } from '../../src/contacts/deleted.js';
import type { ApiEvent } from '../../src/amocrm/types.js';
import { DATA_FROM, DATA_TO } from '../../src/sandbox/amocrm/generate.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function setup(o: SandboxOptions) {
  const sb = await startAmoSandbox(o);
  open.push(sb);
  const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7, backoffBaseMs: 5 });
  open.push(client);
  return { sb, client };
}

describe('deletions between two moments', () => {
  it('reads every page of a range, several at once, and lists the same as reading them one after another', async () => {
    const { sb, client } = await setup({ contacts: 30_000, seed: 5 });
    const since = DATA_TO - 400 * 86_400;
    const until = DATA_TO;
    const all: ApiEvent[] = [];
    for await (const page of client.events({ types: [...DELETION_EVENTS], entity: 'contact' })) all.push(...page);
    const expected = applyDeletionEvents(all.filter((e) => e.created_at >= since && e.created_at <= until));
    // More than a few pages, so that pages really are read side by side.
    expect(all.filter((e) => e.created_at >= since && e.created_at <= until).length).toBeGreaterThan(250);
    sb.stats.reset();
    const got = await deletedBetween(client, since, until, { ahead: 3 });
    expect(got).toEqual(expected);
    expect(got.some((d) => d.reason === 'merged')).toBe(true);
    const asked = sb.stats.requests.filter((r) => r.path === '/api/v4/events').map((r) => new URLSearchParams(r.query));
    for (const q of asked) {
      expect(q.get('filter[created_at][from]')).toBe(String(since));
      expect(q.get('filter[created_at][to]')).toBe(String(until));
    }
    // At most `ahead − 1` pages past the end.
    expect(asked.length).toBeLessThanOrEqual(Math.ceil(expected.length / 100) + 1 + 2);
  });

  it('after the first pages reads one at a time, so no more than one page is asked for past the end', async () => {
    const { sb, client } = await setup({ contacts: 30_000, seed: 5 });
    const since = DATA_TO - 400 * 86_400;
    const until = DATA_TO;
    const inRange: ApiEvent[] = [];
    for await (const page of client.events({ types: [...DELETION_EVENTS], entity: 'contact' })) inRange.push(...page.filter((e) => e.created_at >= since && e.created_at <= until));
    expect(inRange.length).toBeGreaterThan(300);
    sb.stats.reset();
    const got = await deletedBetween(client, since, until, { ahead: 3, steady: 1 });
    expect(got).toEqual(applyDeletionEvents(inRange));
    const asked = sb.stats.requests.filter((r) => r.path === '/api/v4/events').length;
    // Every page of the range, plus the empty one after a full last page.
    expect(asked).toBe(Math.floor(inRange.length / 100) + 1);
  });

  it('stays exact when pages fail with 504 and come back smaller', async () => {
    const { sb, client } = await setup({ contacts: 30_000, seed: 5 });
    const since = DATA_FROM;
    const until = DATA_TO;
    const expected = await deletedBetween(client, since, until);
    sb.setBehaviour({ fault504Rate: 0.3 });
    const got = await deletedBetween(client, since, until, { ahead: 4 });
    sb.setBehaviour({ fault504Rate: 0 });
    expect(got).toEqual(expected);
    expect(sb.stats.count(504)).toBeGreaterThan(0);
    expect(sb.stats.requests.some((r) => r.path === '/api/v4/events' && new URLSearchParams(r.query).get('limit') === '50' && r.status === 200)).toBe(true);
  });
});
