/**
 * Where the contact source cuts its window: by the densities its two probe pages show, so that a
 * window reaching far before the data (a first run with --full) starts no worker on empty history.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient, type AmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { contactSource, cutByDensity, newCounters, type SourceCounters } from '../../src/contacts/source.js';
import type { AmoSandbox } from '../../src/sandbox/amocrm/types.js';
import { hasPhone, recordsByIds } from './records.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

/** Every contact of [0, until] through the source: the ids it yielded and its counters. */
async function readAll(client: AmoClient, until: number) {
  const counters = newCounters();
  const ids: number[] = [];
  for await (const c of contactSource(client, { since: 0, until, by: 'updated', rights: { mode: 'A', userId: 0, groupId: null }, defaultRegion: 'RU', accountId: 1, counters })) ids.push(c.id);
  return { ids, counters };
}

/** Each contact of the oracle once; those left out are the ones without a phone. */
async function expectEachOnce(sb: AmoSandbox, oracle: number[], r: { ids: number[]; counters: SourceCounters }) {
  expect(new Set(r.ids).size).toBe(r.ids.length);
  const got = new Set(r.ids);
  const missing = oracle.filter((id) => !got.has(id));
  expect(missing.length).toBe(r.counters.skippedNoPhone);
  for (const c of await recordsByIds(sb, missing)) expect(hasPhone(c)).toBe(false);
}

describe('cutting the window', () => {
  it('shares the records out evenly: shorter parts where the data is dense', () => {
    const even = cutByDensity(0, 999, 1, 1, 4);
    expect(even.map((c) => c.to)).toEqual([249, 499, 749, 999]);
    const skewed = cutByDensity(0, 999, 0.1, 10, 4);
    expect(skewed.at(-1)!.to).toBe(999);
    const lengths = skewed.map((c, i) => c.to - (i ? skewed[i - 1]!.to : 0));
    for (let i = 1; i < lengths.length; i++) expect(lengths[i]!).toBeLessThan(lengths[i - 1]!);
    for (let i = 1; i < skewed.length; i++) expect(skewed[i]!.dEnd).toBeGreaterThan(skewed[i - 1]!.dEnd);
    expect(skewed.at(-1)!.dEnd).toBeCloseTo(10);
    // Ends never repeat, even when the range is shorter than the parts.
    const tiny = cutByDensity(10, 12, 1, 100, 6);
    expect(new Set(tiny.map((c) => c.to)).size).toBe(tiny.length);
    expect(tiny.at(-1)!.to).toBe(12);
  });

  it('a window from 1970 on recent data: no empty stretch is read, every contact once', async () => {
    const sb = await startAmoSandbox({ contacts: 20_000, seed: 9 });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    const until = Math.floor(Date.now() / 1000) - 120;
    const oracle = sb.idsInWindow(0, until, 'updated');
    await expectEachOnce(sb, oracle, await readAll(client, until));
    const contacts = sb.stats.requests.filter((r) => r.path === '/api/v4/contacts' && r.query.includes('filter[updated_at]'));
    // Cut in equal time, 5 of 6 slices of 1970–2026 would come back empty.
    expect(contacts.filter((r) => r.status === 204)).toEqual([]);
    // Pages are full but for the last one of each gap.
    expect(contacts.length).toBeLessThanOrEqual(Math.ceil(oracle.length / 250) + 12);
  });

  it('reads each gap from both ends, so readers meet instead of ending at fixed bounds with short pages', async () => {
    // 700 ms per answer: six readers or more, in gaps of two.
    const sb = await startAmoSandbox({ contacts: 15_000, seed: 4, behaviour: { latencyMs: 700 } });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    const until = Math.floor(Date.now() / 1000) - 120;
    const oracle = sb.idsInWindow(0, until, 'updated');
    let short = 0;
    const page = client.contactsPage.bind(client);
    client.contactsPage = async (q) => {
      const r = await page(q);
      if (r.items.length < r.limit) short++;
      return r;
    };
    await expectEachOnce(sb, oracle, await readAll(client, until));
    const desc = sb.stats.requests.filter((r) => r.path === '/api/v4/contacts' && r.query.includes('order[updated_at]=desc'));
    expect(desc.length).toBeGreaterThan(3);
    // Slices read from one end each ended 13 times with a short page here; meetings end with full pages.
    expect(short).toBeLessThanOrEqual(5);
  }, 60_000);
});
