/**
 * Deltas between two ascending entry lists, in the order an iOS incremental request needs them:
 * every removal first (removed and relabelled numbers), then additions ascending (added and
 * relabelled numbers with their new labels). iOS keeps one label per number only if the old
 * entry is removed before the new one is added.
 */
import type { Delta, Entry } from './binary.js';

export function computeDelta(oldEntries: Entry[], newEntries: Entry[]): Delta & { added: number; removed: number; changed: number } {
  const remove: number[] = [];
  const add: Entry[] = [];
  let added = 0;
  let removed = 0;
  let changed = 0;
  let i = 0;
  let j = 0;
  while (i < oldEntries.length || j < newEntries.length) {
    const o = oldEntries[i];
    const n = newEntries[j];
    if (n === undefined || (o !== undefined && o.number < n.number)) {
      remove.push(o!.number);
      removed++;
      i++;
    } else if (o === undefined || n.number < o.number) {
      add.push(n);
      added++;
      j++;
    } else {
      if (o.label !== n.label) {
        remove.push(o.number);
        add.push(n);
        changed++;
      }
      i++;
      j++;
    }
  }
  return { remove, add, added, removed, changed };
}

/** What the extension ends up with: `old` minus removals plus additions, ascending. */
export function applyDelta(oldEntries: Entry[], d: Delta): Entry[] {
  const gone = new Set(d.remove);
  const kept = oldEntries.filter((e) => !gone.has(e.number));
  const out: Entry[] = [];
  let i = 0;
  let j = 0;
  while (i < kept.length || j < d.add.length) {
    const k = kept[i];
    const a = d.add[j];
    if (a === undefined || (k !== undefined && k.number < a.number)) {
      out.push(k!);
      i++;
    } else {
      out.push(a);
      j++;
    }
  }
  return out;
}
