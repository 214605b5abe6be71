import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_EDIT_AT, DATA_FROM, DATA_TO, startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { allContacts, allIds, call, contactsPage } from './http.js';

interface Wire {
  id: number;
  name: string;
  first_name: string;
  last_name: string;
  updated_at: number;
  created_at: number;
  responsible_user_id: number;
  is_deleted: boolean;
  custom_fields_values: { field_code: string; values: { value: string; enum_code?: string; enum?: string; enum_id?: number }[] }[] | null;
}

const everything = (sb: AmoSandbox, query = '') => allContacts<Wire>(sb, query);

let sb: AmoSandbox;
let all: Wire[];
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: 3000, seed: 11 });
  all = await everything(sb);
});
afterAll(() => sb.close());

describe('seeded data', () => {
  it('lies in the fixed period, with one bulk-edit second shared by 1,200 contacts', () => {
    expect(all.length).toBeGreaterThan(2900);
    for (const c of all) {
      expect(c.created_at).toBeGreaterThanOrEqual(DATA_FROM);
      expect(c.updated_at).toBeGreaterThanOrEqual(c.created_at);
      expect(c.updated_at).toBeLessThanOrEqual(DATA_TO);
    }
    expect(all.filter((c) => c.updated_at === BULK_EDIT_AT).length).toBeGreaterThanOrEqual(1200);
  });

  it('has the messy phones, enum forms, names and hostile values a real account has', () => {
    const phones = all.flatMap((c) => c.custom_fields_values?.find((f) => f.field_code === 'PHONE')?.values ?? []);
    const text = phones.map((p) => p.value);
    expect(text.some((v) => /^8 \(\d{3}\) \d{3}-\d{2}-\d{2}$/.test(v))).toBe(true);
    expect(text.some((v) => v.includes('доб.'))).toBe(true);
    expect(text.some((v) => /^\+(49|1|380) /.test(v))).toBe(true);
    expect(text.some((v) => v.startsWith('+7 701'))).toBe(true);
    expect(text.some((v) => /^\d{3}-\d{2}-\d{2}$/.test(v))).toBe(true);
    expect(text.some((v) => ['нет', '—', '000', 'call me'].includes(v))).toBe(true);
    expect(new Set(phones.map((p) => p.enum_code).filter(Boolean))).toEqual(new Set(['MOB', 'WORK', 'WORKDD', 'HOME', 'FAX', 'OTHER']));
    expect(phones.some((p) => p.enum !== undefined && p.enum_code === undefined)).toBe(true);
    expect(phones.some((p) => p.enum_id === undefined)).toBe(true);
    const digits = (v: string) => v.replace(/\D/g, '').slice(-10);
    const owners = new Map<string, Set<number>>();
    for (const c of all) {
      const vals = (c.custom_fields_values?.find((f) => f.field_code === 'PHONE')?.values ?? []).map((v) => digits(v.value)).filter((d) => d.length === 10);
      if (new Set(vals).size < vals.length) owners.set('dup-in-contact', new Set([c.id]));
      for (const d of new Set(vals)) owners.set(d, (owners.get(d) ?? new Set()).add(c.id));
    }
    expect(owners.has('dup-in-contact')).toBe(true);
    expect([...owners.values()].some((s) => s.size > 1)).toBe(true);
    const withoutPhone = all.filter((c) => !c.custom_fields_values?.some((f) => f.field_code === 'PHONE'));
    expect(withoutPhone.length / all.length).toBeGreaterThan(0.05);
    expect(withoutPhone.length / all.length).toBeLessThan(0.15);
    expect(all.some((c) => c.custom_fields_values === null)).toBe(true);
    const ims = all.flatMap((c) => c.custom_fields_values?.find((f) => f.field_code === 'IM')?.values ?? []);
    expect(ims.some((v) => v.value.startsWith('@'))).toBe(true);
    expect(all.some((c) => /[а-я]/i.test(c.first_name)) && all.some((c) => /^[A-Z]/.test(c.first_name))).toBe(true);
    expect(all.some((c) => c.first_name === '' && c.last_name === '' && c.name !== '')).toBe(true);
    const names = all.map((c) => c.name);
    for (const probe of [/,/, /;/, /"/, /\\/, /\n/, /\r\n/, /\r(?!\n)/, /[\u0000-\u0008]/, /\u007f/, /\u200d/, /[\u0590-\u06ff]/, /^=/, /^\+/, /^-/, /^@/]) {
      expect(names.some((n) => probe.test(n)), String(probe)).toBe(true);
    }
    expect(names.some((n) => n.length === 2000)).toBe(true);
  });

  it('is the same, byte for byte, for the same seed and different for another', async () => {
    const twin = await startAmoSandbox({ contacts: 3000, seed: 11 });
    const other = await startAmoSandbox({ contacts: 3000, seed: 12 });
    try {
      const q = '/api/v4/contacts?limit=250&page=3&order[updated_at]=asc';
      const norm = (s: AmoSandbox, t: string) => t.split(s.url).join('URL');
      const a = norm(sb, (await call(sb, q)).text);
      expect(norm(twin, (await call(twin, q)).text)).toBe(a);
      expect(norm(other, (await call(other, q)).text)).not.toBe(a);
    } finally {
      await twin.close();
      await other.close();
    }
  });
});

describe('contact filters and order', () => {
  it('applies inclusive updated_at and created_at windows, including the bare form', async () => {
    const sorted = [...all].sort((a, b) => a.updated_at - b.updated_at);
    const from = sorted[500]!.updated_at;
    const to = sorted[900]!.updated_at;
    const expected = all.filter((c) => c.updated_at >= from && c.updated_at <= to).map((c) => c.id).sort((a, b) => a - b);
    const got = await allIds(sb, `filter[updated_at][from]=${from}&filter[updated_at][to]=${to}&order[updated_at]=asc`);
    expect([...got].sort((a, b) => a - b)).toEqual(expected);
    expect(expected).toEqual(sb.idsInWindow(from, to));
    const bare = await allIds(sb, `filter[updated_at]=${to}`);
    expect(bare.sort((a, b) => a - b)).toEqual(all.filter((c) => c.updated_at >= to).map((c) => c.id).sort((a, b) => a - b));
    const cFrom = sorted[100]!.created_at;
    const created = await allIds(sb, `filter[created_at][from]=${cFrom}&filter[created_at][to]=${cFrom + 86400 * 30}`);
    expect(created.sort((a, b) => a - b)).toEqual(sb.idsInWindow(cFrom, cFrom + 86400 * 30, 'created'));
    // Both windows at once, ordered by a third field.
    const both = await allIds(sb, `filter[created_at][from]=${cFrom}&filter[updated_at][to]=${to}&order[id]=desc`);
    expect(both).toEqual(all.filter((c) => c.created_at >= cFrom && c.updated_at <= to).map((c) => c.id).sort((a, b) => b - a));
  });

  it('orders by updated_at, created_at and id with ties broken by id ascending', async () => {
    for (const [field, key] of [['updated_at', 'updated_at'], ['created_at', 'created_at']] as const) {
      for (const dir of ['asc', 'desc'] as const) {
        const got = await allIds(sb, `order[${field}]=${dir}`);
        const sign = dir === 'asc' ? 1 : -1;
        const expected = [...all].sort((a, b) => sign * (a[key] - b[key]) || a.id - b.id).map((c) => c.id);
        expect(got, `${field} ${dir}`).toEqual(expected);
      }
    }
    const inBulk = await allIds(sb, `filter[updated_at][from]=${BULK_EDIT_AT}&filter[updated_at][to]=${BULK_EDIT_AT}&order[updated_at]=asc`);
    expect(inBulk.length).toBe(1200);
    expect(inBulk).toEqual([...inBulk].sort((a, b) => a - b));
    expect(await allIds(sb, 'order[id]=desc')).toEqual(all.map((c) => c.id).sort((a, b) => b - a));
  });

  it('agrees with a brute-force model for every order, window and responsible filter', async () => {
    const sorted = [...all].sort((a, b) => a.updated_at - b.updated_at);
    const uFrom = sorted[1000]!.updated_at;
    const uTo = sorted[2000]!.updated_at;
    const byCreated = [...all].sort((a, b) => a.created_at - b.created_at);
    const cFrom = byCreated[1500]!.created_at;
    const windows: [string, (c: Wire) => boolean][] = [
      ['', () => true],
      [`&filter[updated_at][from]=${uFrom}&filter[updated_at][to]=${uTo}`, (c) => c.updated_at >= uFrom && c.updated_at <= uTo],
      [`&filter[created_at][from]=${cFrom}`, (c) => c.created_at >= cFrom],
    ];
    const who = all[0]!.responsible_user_id;
    const resp: [string, (c: Wire) => boolean][] = [['', () => true], [`&filter[responsible_user_id][]=${who}`, (c) => c.responsible_user_id === who]];
    const orders: [string, (a: Wire, b: Wire) => number][] = [
      ['order[updated_at]=asc', (a, b) => a.updated_at - b.updated_at || a.id - b.id],
      ['order[updated_at]=desc', (a, b) => b.updated_at - a.updated_at || a.id - b.id],
      ['order[created_at]=asc', (a, b) => a.created_at - b.created_at || a.id - b.id],
      ['order[created_at]=desc', (a, b) => b.created_at - a.created_at || a.id - b.id],
      ['order[id]=desc', (a, b) => b.id - a.id],
    ];
    for (const [o, cmp] of orders) {
      for (const [w, inWindow] of windows) {
        for (const [r, isMine] of resp) {
          const expected = all.filter((c) => inWindow(c) && isMine(c)).sort(cmp).map((c) => c.id);
          expect(await allIds(sb, `${o}${w}${r}`), `${o}${w}${r}`).toEqual(expected);
        }
      }
    }
  });

  it('filters by id lists in both bracket forms and by responsible user', async () => {
    const ids = [all[5]!.id, all[77]!.id, all[1500]!.id];
    const a = await contactsPage(sb, ids.map((id) => `filter[id][]=${id}`).join('&'));
    const b = await contactsPage(sb, ids.map((id, k) => `filter[id][${k}]=${id}`).join('&'));
    expect(a.ids).toEqual(ids);
    expect(b.ids).toEqual(ids);
    const u = all[0]!.responsible_user_id;
    const mine = await allIds(sb, `filter[responsible_user_id][]=${u}`);
    expect(mine).toEqual(all.filter((c) => c.responsible_user_id === u).map((c) => c.id));
  });

  it('finds contacts by the last seven digits of a phone and by name', async () => {
    const c = all.find((x) => x.custom_fields_values?.find((f) => f.field_code === 'PHONE')?.values.some((v) => /^8 \(\d{3}\)/.test(v.value)))!;
    const typed = c.custom_fields_values!.find((f) => f.field_code === 'PHONE')!.values.find((v) => /^8 \(\d{3}\)/.test(v.value))!.value;
    const r = await contactsPage(sb, `query=${encodeURIComponent('+7' + typed.replace(/\D/g, '').slice(1))}`);
    expect(r.ids).toContain(c.id);
    const named = all.find((x) => x.last_name.length > 3 && /^[А-Я]/.test(x.last_name))!;
    const byName = await allIds(sb, `query=${encodeURIComponent(named.last_name)}`);
    expect(byName).toContain(named.id);
    expect((await call(sb, '/api/v4/contacts?query=zzzzqqqq')).status).toBe(204);
  });
});

describe('mutations, deletions and quirks', () => {
  it('shows deleted records only with with=only_deleted, nulls and all', async () => {
    const deleted = await everything(sb, '&with=only_deleted');
    expect(deleted.length).toBeGreaterThan(0);
    for (const d of deleted) {
      expect(d.is_deleted).toBe(true);
      expect(d.name).toBeNull();
      expect(d.custom_fields_values).toBeNull();
      expect(d.updated_at).toBeTypeOf('number');
    }
    const live = new Set(all.map((c) => c.id));
    expect(deleted.some((d) => live.has(d.id))).toBe(false);
  });

  it('edits, deletes, restores and adds through the control API, with events', async () => {
    const s = await startAmoSandbox({ contacts: 300, seed: 5 });
    try {
      const before = Math.floor(Date.now() / 1000);
      const [x, y] = [s.idsInWindow(0, 2 ** 31)[10]!, s.idsInWindow(0, 2 ** 31)[20]!];
      s.editContact(x, { name: 'Новое Имя', phones: ['+7 916 000-00-01'] });
      s.deleteContact(y);
      const added = s.addContact({ name: 'Added Person', phones: ['89160000002'] });
      const recent = await allIds(s, `filter[updated_at][from]=${before}&order[updated_at]=asc`);
      expect(recent.sort()).toEqual([x, added].sort());
      const edited = (await call(s, `/api/v4/contacts/${x}`)).json as Wire;
      expect(edited.name).toBe('Новое Имя');
      expect(edited.updated_at).toBeGreaterThan(DATA_TO);
      expect(edited.custom_fields_values!.find((f) => f.field_code === 'PHONE')!.values.map((v) => v.value)).toEqual(['+7 916 000-00-01']);
      expect((await call(s, `/api/v4/contacts/${y}`)).status).toBe(204);
      expect((await contactsPage(s, `with=only_deleted&filter[id][]=${y}`)).ids).toEqual([y]);
      s.restoreContact(y);
      expect((await call(s, `/api/v4/contacts/${y}`)).status).toBe(200);
      const ev = await call(s, `/api/v4/events?filter[created_at][from]=${before}&filter[type]=contact_deleted,contact_restored`);
      expect(ev.json._embedded.events.map((e: { type: string; entity_id: number }) => `${e.type}:${e.entity_id}`)).toEqual([`contact_deleted:${y}`, `contact_restored:${y}`]);
      expect(s.idsInWindow(before, 2 ** 31)).toEqual([x, y, added].sort((a, b) => a - b));
      expect(() => s.restoreContact(y)).toThrow();
    } finally {
      await s.close();
    }
  });

  it('ignores the date filter when told to, and says so in the account flag', async () => {
    const s = await startAmoSandbox({ contacts: 400, seed: 3, behaviour: { ignoreDateFilter: true } });
    try {
      const r = await contactsPage(s, `filter[updated_at][from]=${DATA_TO - 86400}&limit=250`);
      expect(r.ids.length).toBe(250);
      expect(r.body.json._embedded.contacts.some((c: Wire) => c.updated_at < DATA_TO - 86400)).toBe(true);
      expect((await call(s, '/api/v4/account?with=is_api_filter_enabled')).json.is_api_filter_enabled).toBe(false);
    } finally {
      await s.close();
    }
  });

  it('churns contacts while a client pages', async () => {
    const s = await startAmoSandbox({ contacts: 500, seed: 9, behaviour: { churn: { everyNRequests: 2, edits: 3, deletes: 1 } } });
    try {
      const start = Math.floor(Date.now() / 1000);
      const deletedBefore = (await allIds(s, 'with=only_deleted')).length;
      for (let p = 1; p <= 4; p++) await contactsPage(s, `limit=100&page=${p}`);
      const touched = s.idsInWindow(start, 2 ** 31);
      expect(touched.length).toBeGreaterThan(0);
      expect(touched.length).toBeLessThanOrEqual(8);
      const deletedAfter = (await allIds(s, 'with=only_deleted')).length;
      expect(deletedAfter).toBeGreaterThan(deletedBefore);
      const ev = await call(s, `/api/v4/events?filter[created_at][from]=${start}&filter[type][]=contact_deleted`);
      expect(ev.json._embedded.events.length).toBe(deletedAfter - deletedBefore);
    } finally {
      await s.close();
    }
  });
});
