import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { allContacts, allIds, call } from './http.js';

let sb: AmoSandbox;
let everyone: { id: number; group_id: number; responsible_user_id: number }[];
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: 1200, seed: 21 });
  everyone = await allContacts(sb);
});
afterAll(() => sb.close());

async function viewRight(userId: number): Promise<string> {
  return (await call(sb, `/api/v4/users/${userId}`)).json.rights.contacts.view as string;
}

describe('rights', () => {
  it('spreads contacts over several responsible users in several groups', () => {
    expect(new Set(everyone.map((c) => c.responsible_user_id)).size).toBeGreaterThanOrEqual(5);
    expect(new Set(everyone.map((c) => c.group_id)).size).toBeGreaterThanOrEqual(2);
  });

  it("shows each user what their view right allows, also through X-Context-User-ID", async () => {
    const seen = new Set<string>();
    for (const u of sb.users().filter((x) => !x.isAdmin)) {
      const view = await viewRight(u.id);
      const expected = everyone
        .filter((c) => view === 'A' || (view === 'G' && c.group_id === u.groupId) || (view === 'M' && c.responsible_user_id === u.id))
        .map((c) => c.id);
      const own = await call(sb, '/api/v4/account', { token: sb.issueLongLivedToken(u.id) });
      if (!u.isActive) {
        // A deactivated employee's token no longer works, but their contacts stay in the account.
        expect(own.status).toBe(401);
        expect(expected.length).toBeGreaterThan(0);
        continue;
      }
      if (view === 'D') {
        // A free seat: its own token sees nothing, and an admin cannot act as it.
        expect(await allIds(sb, 'order[id]=asc', sb.issueLongLivedToken(u.id))).toEqual([]);
        const r = await call(sb, '/api/v4/contacts', { headers: { 'X-Context-User-ID': String(u.id) } });
        expect(r.status).toBe(403);
        expect(r.headers['content-type']).toBe('application/problem+json');
        continue;
      }
      seen.add(view);
      expect(own.status).toBe(200);
      expect(await allIds(sb, 'order[id]=asc', sb.issueLongLivedToken(u.id)), `${u.name} (${view})`).toEqual(expected);
      expect(await allIds(sb, 'order[id]=asc', undefined, { 'X-Context-User-ID': String(u.id) })).toEqual(expected);
    }
    expect(seen).toEqual(new Set(['A', 'G', 'M']));
  });

  it('refuses X-Context-User-ID for unknown users and from non-admin tokens', async () => {
    expect((await call(sb, '/api/v4/contacts', { headers: { 'X-Context-User-ID': '123' } })).status).toBe(403);
    const g = sb.users().find((u) => u.exportRight === 'G')!;
    const r = await call(sb, '/api/v4/contacts', { token: sb.issueLongLivedToken(g.id), headers: { 'X-Context-User-ID': String(sb.users()[0]!.id) } });
    expect(r.status).toBe(403);
  });

  it('applies the view right to events as well', async () => {
    const own = await startAmoSandbox({ contacts: 200, seed: 4 });
    try {
      const m = own.users().find((u) => u.exportRight === 'M' && u.isActive)!;
      const listed = (await call(own, '/api/v4/contacts?limit=250')).json._embedded.contacts as { id: number; responsible_user_id: number }[];
      const hers = listed.find((c) => c.responsible_user_id === m.id)!;
      const other = listed.find((c) => c.responsible_user_id !== m.id)!;
      const since = Math.floor(Date.now() / 1000);
      own.deleteContact(hers.id);
      own.deleteContact(other.id);
      const q = `/api/v4/events?filter[created_at][from]=${since}&filter[type][]=contact_deleted`;
      const ids = (r: { json?: { _embedded: { events: { entity_id: number }[] } } }) => r.json?._embedded.events.map((e) => e.entity_id);
      expect(ids(await call(own, q))).toEqual([hers.id, other.id]);
      expect(ids(await call(own, q, { token: own.issueLongLivedToken(m.id) }))).toEqual([hers.id]);
    } finally {
      await own.close();
    }
  });

  it('hides a single record the user may not view', async () => {
    const m = sb.users().find((u) => u.exportRight === 'M' && u.isActive)!;
    const foreign = everyone.find((c) => c.responsible_user_id !== m.id)!;
    const mine = everyone.find((c) => c.responsible_user_id === m.id)!;
    const token = sb.issueLongLivedToken(m.id);
    expect((await call(sb, `/api/v4/contacts/${foreign.id}`, { token })).status).toBe(403);
    expect((await call(sb, `/api/v4/contacts/${mine.id}`, { token })).status).toBe(200);
  });
});
