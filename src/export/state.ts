/**
 * Watermarks: per profile (one amoCRM account and login), per `--by` and per target, the end of
 * the window the last complete export covered. Written only after the output is durable, so a
 * crash leaves the previous watermark and the next run covers the gap again.
 */
import type { ConfigStore } from '../config/store.js';

export const WATERMARK_KEY = 'exportWatermarks';

export interface Watermark {
  profile: string;
  accountId: number;
  by: 'updated' | 'created';
  target: string;
  /** Last second (unix) the export covered; the next run starts at until + 1. */
  until: number;
  /** When it was written (ISO). */
  savedAt: string;
}

type Store = Pick<ConfigStore, 'getData' | 'updateData'>;
type Marks = Record<string, Watermark>;

export function watermarkId(w: Pick<Watermark, 'profile' | 'by' | 'target'>): string {
  return JSON.stringify([w.profile, w.by, w.target]);
}

function valid(v: Marks | undefined): Marks {
  return v && typeof v === 'object' ? v : {};
}

function all(store: Store): Marks {
  return valid(store.getData<Marks>(WATERMARK_KEY));
}

export function readWatermark(store: Store, key: Pick<Watermark, 'profile' | 'by' | 'target'>): Watermark | undefined {
  const w = all(store)[watermarkId(key)];
  return w && typeof w.until === 'number' ? w : undefined;
}

/** Every stored watermark, by profile, then target, then --by. */
export function listWatermarks(store: Store): Watermark[] {
  return Object.values(all(store))
    .filter((w) => w && typeof w.until === 'number' && typeof w.target === 'string')
    .sort((a, b) => a.profile.localeCompare(b.profile) || a.target.localeCompare(b.target) || a.by.localeCompare(b.by));
}

export function writeWatermarks(store: Store, marks: readonly Watermark[]): void {
  if (marks.length === 0) return;
  // Under the config lock: eight exports to eight targets at once each keep their own mark.
  store.updateData<Marks>(WATERMARK_KEY, (cur) => {
    const next = { ...valid(cur) };
    for (const m of marks) next[watermarkId(m)] = m;
    return next;
  });
}

/** Forgets watermarks matching the profile and/or target (both optional); returns how many. */
export function resetWatermarks(store: Store, match: { profiles?: readonly string[]; target?: string }): Watermark[] {
  let removed: Watermark[] = [];
  store.updateData<Marks>(WATERMARK_KEY, (cur) => {
    removed = [];
    const kept: Marks = {};
    for (const [id, w] of Object.entries(valid(cur))) {
      const hit = (!match.profiles || match.profiles.length === 0 || match.profiles.includes(w.profile)) && (match.target === undefined || w.target === match.target);
      if (hit) removed.push(w);
      else kept[id] = w;
    }
    return removed.length ? kept : cur;
  });
  return removed;
}
