import { describe, expect, it } from 'vitest';
import { allowedByRights } from '../../src/contacts/rights.js';
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
