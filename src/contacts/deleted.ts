/**
 * Contacts that left the CRM since a moment (amocrm-api.md §7): a phone book cannot un-import
 * them, so we list them. Events are applied in created_at order, so a contact deleted and then
 * restored is not reported.
 */
import { EVENTS_LIMIT, LIMIT_LADDER, type AmoClient, type EventsQuery } from '../amocrm/client.js';
import type { Priority } from '../amocrm/limiter.js';
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

export interface DeletedOptions {
  priority?: Priority;
  /** Pages asked for at once; each one past the end costs a request that returns nothing. */
  ahead?: number;
  /**
   * Pages asked for at once after the first `ahead`: beside other readers that keep the rate
   * limiter busy, more at once do not end the list sooner, and only add requests past its end.
   */
  steady?: number;
}

/**
 * Deletions stamped in [since, until]. `until` lies in the past (the export's window ends a minute
 * before now), and new events are stamped "now", so this part of the log no longer changes: its
 * offset pages are stable and are read several at a time, not one round trip after another.
 */
export async function deletedBetween(client: AmoClient, since: number, until: number, o: DeletedOptions = {}): Promise<DeletedContact[]> {
  const q: EventsQuery = { types: [...DELETION_EVENTS], entity: 'contact', createdFrom: since, createdTo: until, priority: o.priority };
  const events = new Map<string, ApiEvent>();
  let end = Infinity; // index of the first chunk past the end of the list
  let next = 0;

  /** Events at offsets [k·EVENTS_LIMIT, (k+1)·EVENTS_LIMIT); true when the list ends there. */
  const chunk = async (k: number): Promise<boolean> => {
    const start = k * EVENTS_LIMIT;
    let at = start;
    let limit = EVENTS_LIMIT;
    while (at < start + EVENTS_LIMIT) {
      // After a 504 the client answers with a smaller page at the same offset; the rest of the
      // chunk is read with a size that divides the offset reached.
      while (at % limit !== 0) limit = LIMIT_LADDER.find((l) => l < limit) ?? LIMIT_LADDER.at(-1)!;
      const r = await client.eventsPage(q, at / limit + 1, limit);
      for (const e of r.items) events.set(e.id, e);
      if (r.items.length < r.limit || r.items.length === 0) return true;
      at += r.items.length;
      limit = r.limit;
    }
    return false;
  };
  let readers = Math.max(1, o.ahead ?? 3);
  const steady = Math.max(1, Math.min(readers, o.steady ?? readers));
  const reader = async () => {
    while (next < end) {
      const k = next++;
      if (await chunk(k)) end = Math.min(end, k + 1);
      if (readers > steady) {
        readers--;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: readers }, reader));
  return applyDeletionEvents([...events.values()].filter((e) => e.created_at >= since && e.created_at <= until));
}
