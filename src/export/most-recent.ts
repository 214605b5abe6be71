/**
 * `--limit N` / `--target ios`: the N most recently created or edited contacts, kept in a min-heap
 * of size N so memory is bounded by the limit, not by the account.
 */
import type { Contact } from '../contacts/contact.js';

export const IOS_LIMIT = 5000;

const recency = (c: Contact) => Math.max(c.createdAt, c.updatedAt);
/** a is less recent than b (ties broken by id so the choice is deterministic). */
const older = (a: Contact, b: Contact) => recency(a) < recency(b) || (recency(a) === recency(b) && a.id < b.id);

export async function mostRecent(source: AsyncIterable<Contact>, limit: number): Promise<{ kept: Contact[]; dropped: number }> {
  const heap: Contact[] = [];
  let dropped = 0;
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!older(heap[i]!, heap[p]!)) break;
      [heap[i], heap[p]] = [heap[p]!, heap[i]!];
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && older(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && older(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for await (const c of source) {
    if (limit <= 0) {
      dropped++;
      continue;
    }
    if (heap.length < limit) {
      heap.push(c);
      up(heap.length - 1);
    } else if (older(heap[0]!, c)) {
      heap[0] = c;
      down(0);
      dropped++;
    } else {
      dropped++;
    }
  }
  return { kept: heap.sort((a, b) => recency(b) - recency(a) || b.id - a.id), dropped };
}
