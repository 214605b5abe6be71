/**
 * Exactly-once export of a window against the sandbox over 127.0.0.1: the sandbox's own index
 * (`idsInWindow`) is the oracle; ids the source did not yield must be contacts without phones,
 * checked on the raw API records.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import type { AmoSandbox, SandboxOptions } from '../../src/sandbox/amocrm/types.js';
import { createAmoClient, type AmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { contactSource, fieldMaps, newCounters, type SourceOptions } from '../../src/contacts/source.js';
import type { Contact } from '../../src/contacts/contact.js';
import { BULK_EDIT_AT, DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { hasPhone, recordsByIds } from './records.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function sandbox(o: SandboxOptions = {}): Promise<{ sb: AmoSandbox; client: AmoClient }> {
  const sb = await startAmoSandbox({ contacts: 1500, bulkEditSize: 1100, ...o });
  open.push(sb);
  const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7, backoffBaseMs: 5 });
  open.push(client);
  return { sb, client };
}

async function collect(client: AmoClient, o: Partial<SourceOptions> = {}) {
  const counters = newCounters();
  const out: Contact[] = [];
  for await (const c of contactSource(client, {
    by: 'updated',
    rights: { mode: 'A', userId: 0, groupId: null },
    defaultRegion: 'RU',
    accountId: 30000001,
    counters,
    ...o,
  })) {
    out.push(c);
  }
  return { contacts: out, ids: out.map((c) => c.id), counters };
}

/** The oracle ids the export left out, fetched by id: each must be a contact without a phone. */
async function expectOnlyPhonelessMissing(sb: AmoSandbox, expected: number[], got: number[]) {
  const have = new Set(got);
  const missing = expected.filter((id) => !have.has(id));
  for (const c of await recordsByIds(sb, missing)) expect(hasPhone(c), `contact ${c.id} has a phone but was not exported`).toBe(false);
  return missing.length;
}

function expectNoDuplicates(ids: number[]) {
  expect(new Set(ids).size).toBe(ids.length);
}

describe('contact source', () => {
  it('exports every contact of the window once, 1,000+ of them sharing one second', async () => {
    const { sb, client } = await sandbox();
    const since = DATA_FROM;
    const until = Math.floor(Date.now() / 1000) - 120;
    const oracle = sb.idsInWindow(since, until, 'updated');
    expect(sb.idsInWindow(BULK_EDIT_AT, BULK_EDIT_AT, 'updated').length).toBeGreaterThanOrEqual(1000);
    const r = await collect(client, { since, until });
    expectNoDuplicates(r.ids);
    expect(r.ids.every((id) => oracle.includes(id))).toBe(true);
    const missing = await expectOnlyPhonelessMissing(sb, oracle, r.ids);
    expect(missing).toBe(r.counters.skippedNoPhone);
    expect(r.counters.filterIgnored).toBe(false);
    // Every exported contact carries a phone.
    expect(r.contacts.every((c) => c.phones.length > 0)).toBe(true);
  });

  it('stays exact when the account ignores the date filter', async () => {
    const { sb, client } = await sandbox({ contacts: 1200, bulkEditSize: 1000, behaviour: { ignoreDateFilter: true } });
    const since = BULK_EDIT_AT - 200 * 86_400;
    const until = BULK_EDIT_AT + 200 * 86_400;
    const oracle = sb.idsInWindow(since, until, 'updated');
    const r = await collect(client, { since, until });
    expect(r.counters.filterIgnored).toBe(true);
    expectNoDuplicates(r.ids);
    expect(r.ids.every((id) => oracle.includes(id))).toBe(true);
    expect(await expectOnlyPhonelessMissing(sb, oracle, r.ids)).toBe(r.counters.skippedNoPhone);
  });

  it('stays exact through 429s, 500s and 504s', async () => {
    const { sb, client } = await sandbox({ contacts: 3000, bulkEditSize: 300, behaviour: { rateLimitRps: 6, retryAfterSec: null, fault5xxRate: 0.1, fault504Rate: 0.08 } });
    const since = DATA_FROM;
    const until = Math.floor(Date.now() / 1000) - 120;
    const oracle = sb.idsInWindow(since, until, 'updated');
    const r = await collect(client, { since, until });
    expectNoDuplicates(r.ids);
    expect(r.ids.every((id) => oracle.includes(id))).toBe(true);
    sb.setBehaviour({ rateLimitRps: null, fault5xxRate: 0, fault504Rate: 0 });
    expect(await expectOnlyPhonelessMissing(sb, oracle, r.ids)).toBe(r.counters.skippedNoPhone);
    expect(sb.stats.count(500) + sb.stats.count(504) + sb.stats.count(429)).toBeGreaterThan(0);
  });

  it('loses nothing while contacts are edited and deleted during the run', async () => {
    const { sb, client } = await sandbox({ contacts: 1500, bulkEditSize: 1100 });
    const since = DATA_FROM;
    const until = Math.floor(Date.now() / 1000) - 120;
    const before = new Set(sb.idsInWindow(since, until, 'updated'));
    sb.setBehaviour({ churn: { everyNRequests: 3, edits: 1, deletes: 1 } });
    const r = await collect(client, { since, until, concurrency: 4 });
    sb.setBehaviour({ churn: null });
    const after = sb.idsInWindow(since, until, 'updated');
    expectNoDuplicates(r.ids);
    // Nothing from outside the window at the start; every contact untouched by the churn is there.
    expect(r.ids.filter((id) => !before.has(id))).toEqual([]);
    expect(after.length).toBeLessThan(before.size);
    await expectOnlyPhonelessMissing(sb, after, r.ids);
  });

  it('two incremental runs with edits in between cover every change exactly once', async () => {
    const { sb, client } = await sandbox({ contacts: 1200, bulkEditSize: 1000 });
    const t0 = Math.floor(Date.now() / 1000);
    const first = await collect(client, { since: DATA_FROM, nowSec: () => t0 });
    const firstUntil = t0 - 60;
    const edited = first.ids.slice(0, 25);
    for (const id of edited) sb.editContact(id, { name: `Edited ${id}` });
    const added = sb.addContact({ name: 'New One', phones: ['+7 916 000-00-99'] });
    // The second run's clock is a little later, so the edits (stamped "now") have settled.
    const t1 = Math.floor(Date.now() / 1000) + 61;
    const second = await collect(client, { since: firstUntil + 1, nowSec: () => t1 });
    expectNoDuplicates(first.ids);
    expectNoDuplicates(second.ids);
    expect(new Set(second.ids)).toEqual(new Set([...edited, added]));
    expect(second.contacts.filter((c) => edited.includes(c.id)).every((c) => c.name === `Edited ${c.id}`)).toBe(true);
    // Between the two runs, the whole period up to t1 − 60 is covered: the oracle at the end.
    const oracle = sb.idsInWindow(DATA_FROM, t1 - 60, 'updated');
    const union = new Set([...first.ids, ...second.ids]);
    await expectOnlyPhonelessMissing(sb, oracle, [...union]);
  });

  it('applies the export right: G keeps the group, M the contacts of the responsible user', async () => {
    const { sb, client } = await sandbox({ contacts: 600, bulkEditSize: 300 });
    const g = sb.users().find((u) => u.exportRight === 'G' && u.groupId !== 0)!;
    const m = sb.users().find((u) => u.exportRight === 'M')!;
    const all = await collect(client, { since: DATA_FROM });
    const byGroup = await collect(client, { since: DATA_FROM, rights: { mode: 'G', userId: g.id, groupId: g.groupId } });
    const mine = await collect(client, { since: DATA_FROM, rights: { mode: 'M', userId: m.id, groupId: m.groupId } });
    const want = (pred: (c: Contact) => boolean) => new Set(all.contacts.filter(pred).map((c) => c.id));
    expect(new Set(byGroup.ids)).toEqual(want((c) => c.groupId === g.groupId));
    expect(new Set(mine.ids)).toEqual(want((c) => c.responsibleUserId === m.id));
    expect(byGroup.ids.length).toBeGreaterThan(0);
    expect(mine.ids.length).toBeGreaterThan(0);
    expect(byGroup.counters.skippedByRights + byGroup.ids.length).toBe(all.ids.length);
  });

  it('windows by created_at with --by created', async () => {
    const { sb, client } = await sandbox({ contacts: 1200, bulkEditSize: 1000 });
    const since = DATA_FROM + 365 * 86_400;
    const until = since + 365 * 86_400;
    const oracle = sb.idsInWindow(since, until, 'created');
    const r = await collect(client, { since, until, by: 'created' });
    expectNoDuplicates(r.ids);
    expect(r.ids.every((id) => oracle.includes(id))).toBe(true);
    expect(r.contacts.every((c) => c.createdAt >= since && c.createdAt <= until)).toBe(true);
    expect(await expectOnlyPhonelessMissing(sb, oracle, r.ids)).toBe(r.counters.skippedNoPhone);
  });

  it('reads a bulk second in one pass, and steps back when contacts leave it between pages', async () => {
    const { sb, client } = await sandbox({ contacts: 1500, bulkEditSize: 1100 });
    const since = DATA_FROM;
    const until = Math.floor(Date.now() / 1000) - 120;
    const bulk = sb.idsInWindow(BULK_EDIT_AT, BULK_EDIT_AT, 'updated').sort((a, b) => a - b);
    // Before each of the first pages by id after the first, 20 contacts the export has already
    // read leave the second (10 edited to "now", 10 deleted): every later offset shifts down.
    const leaving = bulk.slice(0, 60);
    let byId = 0;
    const page = client.contactsPage.bind(client);
    client.contactsPage = (q) => {
      if (q.order?.field === 'id' && byId++ > 0 && leaving.length) {
        for (const id of leaving.splice(0, 10)) sb.editContact(id, {});
        for (const id of leaving.splice(0, 10)) sb.deleteContact(id);
      }
      return page(q);
    };
    const r = await collect(client, { since, until });
    const after = sb.idsInWindow(since, until, 'updated');
    expectNoDuplicates(r.ids);
    await expectOnlyPhonelessMissing(sb, after, r.ids);
    expect(leaving).toEqual([]);
    // 1,100 by id take 5 pages when nothing moves; each shift cost a step back, not a second pass.
    expect(byId).toBeGreaterThan(5);
    expect(byId).toBeLessThan(20);
  });

  it('reads the field definitions only for a record that leaves out its codes, and maps that record with them', async () => {
    const { client } = await sandbox({ contacts: 400, bulkEditSize: 0 });
    let asked = 0;
    const fields = () => {
      asked++;
      return client.contactCustomFields().then(fieldMaps);
    };
    const plain = await collect(client, { since: DATA_FROM, fields });
    expect(asked).toBe(0);
    // One record, as an older account sends it: no field code on its phones, no enum codes.
    let stripped: number | undefined;
    const page = client.contactsPage.bind(client);
    client.contactsPage = async (q) => {
      const r = await page(q);
      for (const c of r.items) {
        const phones = c.custom_fields_values?.find((f) => f.field_code === 'PHONE');
        if (stripped !== undefined || !phones?.values.some((v) => v.enum_code)) continue;
        stripped = c.id;
        phones.field_code = null;
        for (const v of phones.values) delete v.enum_code;
      }
      return r;
    };
    const coded = await collect(client, { since: DATA_FROM, fields });
    expect(asked).toBe(1);
    expect(stripped).toBeDefined();
    const want = plain.contacts.find((c) => c.id === stripped)!;
    expect(coded.contacts.find((c) => c.id === stripped)!.phones).toEqual(want.phones);
  });

  it('cuts gaps while their pages are on the way, exports each contact once, asks for companies in full batches', async () => {
    const { sb, client } = await sandbox({ contacts: 8000, bulkEditSize: 300, behaviour: { latencyMs: 40 } });
    const since = DATA_FROM;
    const until = Math.floor(Date.now() / 1000) - 120;
    const oracle = sb.idsInWindow(since, until, 'updated');
    const r = await collect(client, { since, until });
    expectNoDuplicates(r.ids);
    expect(await expectOnlyPhonelessMissing(sb, oracle, r.ids)).toBe(r.counters.skippedNoPhone);
    const companies = new Set((await recordsByIds(sb, r.ids)).map((c) => c._embedded?.companies?.[0]?.id).filter((id) => id !== undefined));
    expect(companies.size).toBeGreaterThan(250);
    const lookups = sb.stats.requests.filter((q) => q.path === '/api/v4/companies').map((q) => new URLSearchParams(q.query).getAll('filter[id][]'));
    const asked = lookups.flat();
    // Each company is asked for once, in full batches but for the companies of the last pages,
    // asked for as those pages arrive.
    expect(new Set(asked).size).toBe(asked.length);
    for (const id of companies) expect(asked).toContain(String(id));
    const partial = lookups.filter((ids) => ids.length < 250);
    expect(lookups.length - partial.length).toBe(Math.floor(asked.length / 250));
    expect(partial.flat().length).toBeLessThan(250);
    expect(r.contacts.filter((c) => c.company).length).toBeGreaterThan(0);
  });
});
