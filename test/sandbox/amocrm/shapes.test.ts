import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { call, contactsPage } from './http.js';

let sb: AmoSandbox;
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: 600, seed: 7, bulkEditSize: 100 });
});
afterAll(() => sb.close());

describe('sandbox wire shapes', () => {
  it('serves the account to any user with the asked-for extras', async () => {
    const r = await call(sb, '/api/v4/account?with=users_groups,datetime_settings,is_api_filter_enabled');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/hal+json');
    expect(r.headers['x-request-id']).toMatch(/^[0-9a-f]{16}$/);
    expect(r.json).toMatchObject({ id: sb.accountId, country: 'RU', current_user_id: sb.users()[0]!.id, is_api_filter_enabled: true });
    expect(r.json._links.self.href).toBe(`${sb.url}/api/v4/account`);
    expect(r.json._embedded.users_groups.length).toBeGreaterThanOrEqual(2);
    expect(r.json._embedded.datetime_settings.timezone).toBe('Europe/Moscow');
    const m = sb.users().find((u) => u.exportRight === 'M')!;
    const asM = await call(sb, '/api/v4/account', { token: sb.issueLongLivedToken(m.id) });
    expect(asM.json.current_user_id).toBe(m.id);
    expect(asM.json._embedded).toBeUndefined();
  });

  it('lists contacts as hal+json with a phantom next link and no totals', async () => {
    const r = await contactsPage(sb, 'limit=250&page=1');
    expect(r.status).toBe(200);
    expect(r.body.json._page).toBe(1);
    expect(r.body.json._total_items).toBeUndefined();
    expect(r.body.json._links.next.href).toContain('page=2');
    const c = r.body.json._embedded.contacts[0];
    for (const k of ['id', 'name', 'first_name', 'last_name', 'responsible_user_id', 'group_id', 'created_by', 'updated_by', 'created_at', 'updated_at', 'closest_task_at', 'is_deleted', 'account_id', 'custom_fields_values']) {
      expect(c, k).toHaveProperty(k);
    }
    // The last page is short, still says "next", and the page after it is an empty 204.
    const last = await contactsPage(sb, 'limit=250&page=3');
    expect(last.status).toBe(200);
    expect(last.ids.length).toBeLessThan(250);
    expect(last.body.json._links.next.href).toContain('page=4');
    const past = await call(sb, '/api/v4/contacts?limit=250&page=4');
    expect(past.status).toBe(204);
    expect(past.text).toBe('');
    expect(past.headers['content-type']).toBeUndefined();
    expect(past.headers['x-request-id']).toBeDefined();
  });

  it('answers 204 for an empty result and 422 above 250 per page', async () => {
    expect((await call(sb, '/api/v4/contacts?filter[id][]=1')).status).toBe(204);
    const big = await call(sb, '/api/v4/contacts?limit=251');
    expect(big.status).toBe(422);
    expect(big.headers['content-type']).toBe('application/problem+json');
    expect(big.json.detail).toBe('Limit 250 per page');
    const bad = await call(sb, '/api/v4/contacts?filter[updated_at][from]=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.json['validation-errors'][0].errors[0].path).toBe('filter.updated_at.from');
  });

  it('returns one contact, its companies, and custom field definitions', async () => {
    const page = (await contactsPage(sb, 'limit=250')).body.json._embedded.contacts as { id: number; _embedded: { companies: { id: number }[] } }[];
    const one = await call(sb, `/api/v4/contacts/${page[3]!.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toEqual(page[3]);
    expect(page.every((c) => c._embedded.companies.length <= 1)).toBe(true);
    const withCompany = page.filter((c) => c._embedded.companies.length === 1);
    expect(withCompany.length / page.length).toBeGreaterThan(0.1);
    const ids = [...new Set(withCompany.map((c) => c._embedded.companies[0]!.id))].slice(0, 5);
    const comps = await call(sb, `/api/v4/companies?${ids.map((id, k) => `filter[id][${k}]=${id}`).join('&')}`);
    expect(comps.status).toBe(200);
    expect(comps.json._embedded.companies.map((c: { id: number }) => c.id).sort()).toEqual([...ids].sort());
    expect((await call(sb, `/api/v4/companies/${ids[0]}`)).json.name).toBeTypeOf('string');
    const cf = await call(sb, '/api/v4/contacts/custom_fields');
    const codes = cf.json._embedded.custom_fields.map((f: { code: string }) => f.code);
    expect(codes).toEqual(expect.arrayContaining(['PHONE', 'EMAIL', 'IM', 'POSITION']));
    const phone = cf.json._embedded.custom_fields.find((f: { code: string }) => f.code === 'PHONE');
    expect(phone.enums.map((e: { enum_code: string }) => e.enum_code).sort()).toEqual(['FAX', 'HOME', 'MOB', 'OTHER', 'WORK', 'WORKDD']);
    // Definitions come 50 per page at most, and an account has more than 50 of them.
    expect(cf.json._embedded.custom_fields).toHaveLength(50);
    const second = await call(sb, '/api/v4/contacts/custom_fields?page=2&limit=50');
    expect(second.status).toBe(200);
    expect(second.json._embedded.custom_fields.length).toBeGreaterThan(0);
    expect(second.json._embedded.custom_fields.length).toBeLessThan(50);
    expect((await call(sb, '/api/v4/contacts/custom_fields?page=3&limit=50')).status).toBe(204);
    expect((await call(sb, '/api/v4/contacts/custom_fields?limit=51')).status).toBe(422);
  });

  it('answers unknown routes, tokens and records with the real error bodies', async () => {
    const nf = await call(sb, '/api/v4/nothing');
    expect(nf.status).toBe(404);
    expect(nf.json.detail).toBe('Cannot GET /api/v4/nothing');
    const anon = await call(sb, '/api/v4/contacts', { token: null });
    expect(anon.status).toBe(401);
    expect(anon.json).toMatchObject({ title: 'Unauthorized', status: 401 });
    const forged = sb.longLivedToken.slice(0, -4) + (sb.longLivedToken.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await call(sb, '/api/v4/account', { token: forged })).status).toBe(401);
    expect((await call(sb, '/api/v4/contacts/1')).status).toBe(204);
  });

  it('keeps the users list for admins, with rights in groups', async () => {
    const r = await call(sb, '/api/v4/users?with=group');
    expect(r.status).toBe(200);
    expect(r.json._total_items).toBe(sb.users().length);
    const users = r.json._embedded.users as { rights: { is_admin: boolean; group_id: number; contacts: { export: string } } }[];
    expect(new Set(users.map((u) => u.rights.contacts.export))).toEqual(new Set(['A', 'G', 'M', 'D']));
    expect(new Set(users.map((u) => u.rights.group_id)).size).toBeGreaterThanOrEqual(2);
    const g = sb.users().find((u) => u.exportRight === 'G')!;
    const denied = await call(sb, '/api/v4/users', { token: sb.issueLongLivedToken(g.id) });
    expect(denied.status).toBe(403);
    expect(denied.headers['content-type']).toBe('application/problem+json');
    expect((await call(sb, `/api/v4/users/${g.id}`, { token: sb.issueLongLivedToken(g.id) })).status).toBe(403);
    expect((await call(sb, `/api/v4/users/${g.id}`)).json.rights.contacts.export).toBe('G');
  });

  it('lists deletion events, 100 per page at most', async () => {
    const r = await call(sb, '/api/v4/events?filter[entity]=contact&filter[type][]=contact_deleted&filter[type][]=contact_restored&filter[type][]=entity_merged&limit=100');
    expect(r.status).toBe(200);
    const events = r.json._embedded.events as { type: string; entity_id: number; created_at: number; id: string }[];
    expect(events.length).toBeGreaterThan(0);
    const types = new Set(events.map((e) => e.type));
    expect(types.has('contact_deleted')).toBe(true);
    for (const t of types) expect(['contact_deleted', 'contact_restored', 'entity_merged']).toContain(t);
    expect((await call(sb, '/api/v4/events?limit=101')).status).toBe(422);
    const from = events[events.length - 1]!.created_at + 1;
    const later = await call(sb, `/api/v4/events?filter[created_at][from]=${from}&limit=100`);
    for (const e of later.json?._embedded.events ?? []) expect(e.created_at).toBeGreaterThanOrEqual(from);
    expect((await call(sb, '/api/v4/events?filter[created_at][from]=4000000000')).status).toBe(204);
  });
});
