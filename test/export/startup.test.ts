/**
 * The start of an export against the sandbox over 127.0.0.1: rights and the first contact pages go
 * out together, deletions are read beside the contacts, not after them, and field definitions only
 * when a record leaves out a code. Proven by the order requests arrived in, which a serial start-up
 * could not produce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { runExport } from '../../src/export/run.js';
import type { Sink } from '../../src/export/output.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import type { ApiAccount } from '../../src/amocrm/types.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

const nullSink: Sink = { write: async () => undefined, commit: async () => undefined, abort: async () => undefined };

describe('export start-up', () => {
  it('asks for rights, contacts and deletions without waiting for one another, and no field definitions the records do not need', async () => {
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
    const firstContacts = at(/^\/api\/v4\/contacts\?/);
    expect(user).toBeGreaterThanOrEqual(0);
    // Serially, the contacts would come after the users/{id} answer.
    expect(firstContacts).toBeLessThan(user);
    // The sandbox's records carry their field and enum codes.
    expect(at(/^\/api\/v4\/contacts\/custom_fields/)).toBe(-1);
    // Deletions start while contact pages are still being read.
    expect(at(/^\/api\/v4\/events\?/)).toBeLessThan(lastAt(/^\/api\/v4\/contacts\?/));
  });

  it('sends the account request beside the first contact pages, and converts contacts with what it answered', async () => {
    const sb = await startAmoSandbox({ contacts: 600, behaviour: { latencyMs: 1000 } });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    let asked: Promise<ApiAccount> | undefined;
    const account = () => (asked ??= client.account()); // sent when the export asks, as the CLI's is
    let cards = '';
    const r = await runExport({
      jobs: [{ profile: 'p', client, account, since: 0, fromWatermark: false }],
      by: 'updated',
      format: 'vcard',
      sink: { ...nullSink, write: async (s) => void (cards += s) },
      target: 't',
      nowSec: () => Math.floor(Date.now() / 1000),
    });
    const log = sb.stats.requests;
    const accountAt = log.findIndex((q) => q.path === '/api/v4/account');
    const firstContacts = log.findIndex((q) => q.path === '/api/v4/contacts');
    // With 1 s per answer, a page asked for after the account's answer would arrive ≥ 1 s later;
    // beside it, the page is the third request the limiter starts (143 ms apart at 7/s).
    expect(log[firstContacts]!.at - log[accountAt]!.at).toBeLessThan(700);
    const a = await asked!;
    expect(r.accounts[0]!.accountId).toBe(a.id);
    expect(r.accounts[0]!.exported).toBeGreaterThan(0);
    expect(cards).toContain(`UID:amocrm-${a.id}-`);
  });

  it('looks up company names in turn with the pages, so contacts never pile up waiting for them', async () => {
    // A fast server: the page readers always have a request waiting for the limiter. Look-ups at
    // background priority waited until the waiting contacts (5,000 at most, six batches of them)
    // stopped the readers: tens of thousands of contacts in memory on a big account.
    const sb = await startAmoSandbox({ contacts: 12_000 });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    await runExport({
      jobs: [{ profile: 'p', client, account: () => client.account(), since: 0, fromWatermark: false }],
      by: 'updated',
      format: 'vcard',
      sink: nullSink,
      target: 't',
      nowSec: () => Math.floor(Date.now() / 1000),
    });
    const log = sb.stats.requests.map((q) => q.path);
    const pagesBefore = (i: number) => log.slice(0, i).filter((p) => p === '/api/v4/contacts').length;
    const lookups = log.flatMap((p, i) => (p === '/api/v4/companies' ? [i] : []));
    expect(lookups.length).toBeGreaterThan(1);
    // A full batch of 250 new companies is on the first pages; its look-up follows within a few.
    expect(pagesBefore(lookups[0]!)).toBeLessThanOrEqual(15); // 8 here; 44 at background priority
  });

  it('a refused account request fails the export with the auth error, whatever answered first', async () => {
    const sb = await startAmoSandbox({ contacts: 600, behaviour: { latencyMs: 50 } });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider('not-a-token'), rps: 7 });
    open.push(client);
    let aborted = false;
    await expect(
      runExport({
        jobs: [{ profile: 'p', client, account: () => client.account(), since: 0, fromWatermark: false }],
        by: 'updated',
        format: 'vcard',
        sink: { ...nullSink, abort: async () => void (aborted = true) },
        target: 't',
        nowSec: () => Math.floor(Date.now() / 1000),
      }),
    ).rejects.toMatchObject({ kind: 'auth' });
    expect(aborted).toBe(true);
  });
});
