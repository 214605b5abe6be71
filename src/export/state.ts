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

type Store = Pick<ConfigStore, 'getData' | 'setData'>;

export function watermarkId(w: Pick<Watermark, 'profile' | 'by' | 'target'>): string {
  return JSON.stringify([w.profile, w.by, w.target]);
}

function all(store: Store): Record<string, Watermark> {
  const v = store.getData<Record<string, Watermark>>(WATERMARK_KEY);
  return v && typeof v === 'object' ? v : {};
}

export function readWatermark(store: Store, key: Pick<Watermark, 'profile' | 'by' | 'target'>): Watermark | undefined {
  const w = all(store)[watermarkId(key)];
  return w && typeof w.until === 'number' ? w : undefined;
}

export function writeWatermarks(store: Store, marks: readonly Watermark[]): void {
  if (marks.length === 0) return;
  const next = all(store);
  for (const m of marks) next[watermarkId(m)] = m;
  store.setData(WATERMARK_KEY, next);
}

/** Forgets watermarks matching the profile and/or target (both optional); returns how many. */
export function resetWatermarks(store: Store, match: { profiles?: readonly string[]; target?: string }): Watermark[] {
  const cur = all(store);
  const removed: Watermark[] = [];
  const kept: Record<string, Watermark> = {};
  for (const [id, w] of Object.entries(cur)) {
    const hit = (!match.profiles || match.profiles.length === 0 || match.profiles.includes(w.profile)) && (match.target === undefined || w.target === match.target);
    if (hit) removed.push(w);
    else kept[id] = w;
  }
  if (removed.length) store.setData(WATERMARK_KEY, kept);
  return removed;
}
