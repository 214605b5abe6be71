import { describe, expect, it } from 'vitest';
import { allowedByRights, resolveRights } from '../../src/contacts/rights.js';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { applyDeletionEvents } from '../../src/contacts/deleted.js';
import type { ApiEvent } from '../../src/amocrm/types.js';

describe('export right predicate', () => {
  const c = (responsibleUserId: number, groupId: number) => ({ responsibleUserId, groupId });
  it('A allows all, G the group, M the responsible user', () => {
    expect(allowedByRights(c(5, 7), { mode: 'A', userId: 1, groupId: 3 })).toBe(true);
    expect(allowedByRights(c(5, 7), { mode: 'G', userId: 1, groupId: 7 })).toBe(true);
    expect(allowedByRights(c(5, 7), { mode: 'G', userId: 1, groupId: 3 })).toBe(false);
    expect(allowedByRights(c(5, 0), { mode: 'G', userId: 1, groupId: null })).toBe(true);
    expect(allowedByRights(c(5, 7), { mode: 'M', userId: 5, groupId: 3 })).toBe(true);
    expect(allowedByRights(c(5, 7), { mode: 'M', userId: 1, groupId: 7 })).toBe(false);
  });
});

describe('deletion events', () => {
  const ev = (type: string, id: number, at: number): ApiEvent => ({ id: `e${at}${id}`, type, entity_id: id, entity_type: 'contact', created_by: 1, created_at: at, value_after: [], value_before: [], account_id: 1 });
  it('applies deletes, merges and restores in time order', () => {
    const out = applyDeletionEvents([ev('contact_restored', 1, 20), ev('contact_deleted', 1, 10), ev('contact_deleted', 2, 30), ev('entity_merged', 3, 5), ev('contact_deleted', 4, 40), ev('contact_restored', 4, 39)]);
    expect(out).toEqual([
      { id: 3, reason: 'merged', at: 5 },
      { id: 2, reason: 'deleted', at: 30 },
      { id: 4, reason: 'deleted', at: 40 },
    ]);
  });
});

describe('resolveRights against the sandbox', () => {
  it('reads A/G/M for the admin reading a user, refuses D, and falls back for a non-admin token', async () => {
    const sb = await startAmoSandbox({ contacts: 50, bulkEditSize: 10 });
    const clients: { close(): Promise<void> }[] = [];
    const client = (token: string) => {
      const c = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(token), rps: 7 });
      clients.push(c);
      return c;
    };
    try {
      const admin = client(sb.longLivedToken);
      const account = await admin.account();
      expect((await resolveRights(admin, account)).mode).toBe('A');
      const users = sb.users();
      const g = users.find((u) => u.exportRight === 'G' && !u.isAdmin)!;
      const m = users.find((u) => u.exportRight === 'M' && !u.isAdmin)!;
      const d = users.find((u) => u.exportRight === 'D' && !u.isAdmin)!;
      expect(await resolveRights(admin, account, g.id)).toMatchObject({ mode: 'G', userId: g.id, groupId: g.groupId });
      expect(await resolveRights(admin, account, m.id)).toMatchObject({ mode: 'M', userId: m.id });
      await expect(resolveRights(admin, account, d.id)).rejects.toMatchObject({ kind: 'rights' });
      // A non-admin may not read /users/{id}: the right is unknowable, so the export fails closed
      // to the user's own contacts and says so.
      const own = client(sb.issueLongLivedToken(g.id));
      const ownAccount = await own.account();
      const r = await resolveRights(own, ownAccount);
      expect(r).toMatchObject({ mode: 'M', userId: g.id, source: 'assumed', note: 'export.rightsUnreadable' });
      expect(await resolveRights(admin, account, m.id)).toMatchObject({ source: 'read' });
    } finally {
      for (const c of clients) await c.close();
      await sb.close();
    }
  });
});
