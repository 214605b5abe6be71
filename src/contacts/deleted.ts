/**
 * Contacts that left the CRM since a moment (amocrm-api.md §7): a phone book cannot un-import
 * them, so we list them. Events are applied in created_at order, so a contact deleted and then
 * restored is not reported.
 */
import type { AmoClient } from '../amocrm/client.js';
import type { ApiEvent } from '../amocrm/types.js';

export const DELETION_EVENTS = ['contact_deleted', 'contact_restored', 'entity_merged'] as const;

export interface DeletedContact {
  id: number;
  /** `deleted` or `merged` (merged into another contact). */
  reason: 'deleted' | 'merged';
  /** Unix seconds of the event. */
  at: number;
}

export function applyDeletionEvents(events: readonly ApiEvent[]): DeletedContact[] {
  const sorted = [...events].sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const gone = new Map<number, DeletedContact>();
  for (const e of sorted) {
    if (e.entity_type && e.entity_type !== 'contact') continue;
    if (e.type === 'contact_deleted') gone.set(e.entity_id, { id: e.entity_id, reason: 'deleted', at: e.created_at });
    else if (e.type === 'entity_merged') gone.set(e.entity_id, { id: e.entity_id, reason: 'merged', at: e.created_at });
    else if (e.type === 'contact_restored') gone.delete(e.entity_id);
  }
  return [...gone.values()].sort((a, b) => a.at - b.at || a.id - b.id);
}

export async function deletedSince(client: AmoClient, since: number): Promise<DeletedContact[]> {
  const events: ApiEvent[] = [];
  for await (const page of client.events({ types: [...DELETION_EVENTS], createdFrom: since, entity: 'contact' })) events.push(...page);
  return applyDeletionEvents(events);
}
