/**
 * The start of an export against the sandbox over 127.0.0.1: rights, field definitions and the
 * first contact pages go out together, and deletions are read beside the contacts, not after them.
 * Proven by the order requests arrived in, which a serial start-up could not produce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { runExport } from '../../src/export/run.js';
import type { Sink } from '../../src/export/output.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const nullSink: Sink = { write: async () => undefined, commit: async () => undefined, abort: async () => undefined };

describe('export start-up', () => {
  it('asks for rights, both pages of field definitions, contacts and deletions without waiting for one another', async () => {
    const sb = await startAmoSandbox({ contacts: 6000, behaviour: { latencyMs: 150 } });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    const account = await client.account();
    sb.stats.reset();
    const r = await runExport({
      jobs: [{ profile: 'p', client, account, since: DATA_FROM, fromWatermark: true }],
      by: 'updated',
      format: 'vcard',
      sink: nullSink,
      target: 't',
      nowSec: () => Math.floor(Date.now() / 1000),
    });
    expect(r.accounts[0]!.deleted).toBeGreaterThan(0);
    const log = sb.stats.requests.map((q) => `${q.path}?${q.query}`);
    const at = (re: RegExp) => log.findIndex((l) => re.test(l));
    const lastAt = (re: RegExp) => log.length - 1 - [...log].reverse().findIndex((l) => re.test(l));
    const user = at(/^\/api\/v4\/users\/\d+/);
    const fieldsPage2 = at(/^\/api\/v4\/contacts\/custom_fields\?.*page=2/);
    const firstContacts = at(/^\/api\/v4\/contacts\?/);
    expect(user).toBeGreaterThanOrEqual(0);
    expect(fieldsPage2).toBeGreaterThanOrEqual(0);
    // Serially, the contacts would come after the users/{id} answer and the second page of fields.
    expect(firstContacts).toBeLessThan(fieldsPage2);
    // Deletions start while contact pages are still being read.
    expect(at(/^\/api\/v4\/events\?/)).toBeLessThan(lastAt(/^\/api\/v4\/contacts\?/));
  });
});
