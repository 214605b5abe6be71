/** The account's event log (contact_deleted, contact_restored, entity_merged, contact_added). */
import type { ApiEvent } from '../../amocrm/types.js';
import { hash32 } from './rng.js';
import { ACCOUNT_ID } from './users.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-shaped id: 10 chars of time, then the log's sequence number and seeded noise, so ids sort
 * by time and, within one second, in the order the events happened.
 */
export function eventId(createdAt: number, a: number, seq: number): string {
  let ms = createdAt * 1000;
  let time = '';
  for (let k = 0; k < 10; k++) {
    time = CROCKFORD[ms % 32]! + time;
    ms = Math.floor(ms / 32);
  }
  let order = '';
  for (let k = 0, n = seq; k < 6; k++, n = Math.floor(n / 32)) order = CROCKFORD[n % 32]! + order;
  let noise = '';
  for (let k = 0; k < 10; k++) noise += CROCKFORD[hash32(a, seq, k) % 32]!;
  return time + order + noise;
}

export interface EventQuery {
  types: string[] | null;
  entity: string | null;
  from: number | null;
  to: number | null;
  entityIds: number[] | null;
  /** Rights apply to events too: only events of contacts the viewer may see. */
  visible: ((contactId: number) => boolean) | null;
  desc: boolean;
  offset: number;
  limit: number;
}

export class EventLog {
  private readonly events: ApiEvent[] = [];
  private seq = 0;
  /** Seeded history arrives unordered, so the log sorts itself on the first read after such a push. */
  private sorted = true;

  push(type: string, entityId: number, createdAt: number, createdBy: number, valueAfter: unknown[] = [], valueBefore: unknown[] = []): ApiEvent {
    const e: ApiEvent = {
      id: eventId(createdAt, entityId, ++this.seq),
      type,
      entity_id: entityId,
      entity_type: 'contact',
      created_by: createdBy,
      created_at: createdAt,
      value_after: valueAfter,
      value_before: valueBefore,
      account_id: ACCOUNT_ID,
    };
    const last = this.events[this.events.length - 1];
    this.events.push(e);
    if (last && (last.created_at > createdAt || (last.created_at === createdAt && last.id > e.id))) this.sorted = false;
    return e;
  }

  private ensureSorted(): void {
    if (this.sorted) return;
    this.events.sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.sorted = true;
  }

  query(q: EventQuery): ApiEvent[] {
    this.ensureSorted();
    const ev = this.events;
    let lo = 0;
    if (q.from !== null) {
      let hi = ev.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (ev[mid]!.created_at < q.from) lo = mid + 1;
        else hi = mid;
      }
    }
    const matches: ApiEvent[] = [];
    for (let k = lo; k < ev.length; k++) {
      const e = ev[k]!;
      if (q.to !== null && e.created_at > q.to) break;
      if (q.entity && e.entity_type !== q.entity) continue;
      if (q.types && !q.types.includes(e.type)) continue;
      if (q.entityIds && !q.entityIds.includes(e.entity_id)) continue;
      if (q.visible && !q.visible(e.entity_id)) continue;
      matches.push(e);
    }
    if (q.desc) matches.reverse();
    return matches.slice(q.offset, q.offset + q.limit);
  }
}
