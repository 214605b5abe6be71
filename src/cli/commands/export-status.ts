/**
 * The watermarks as `amo-export status` and `reset` show them. Kept apart from the export's work:
 * `status` needs only the stored state.
 */
import type { ConfigStore } from '../../config/store.js';
import { isoSeconds } from '../../export/dates.js';
import { listWatermarks, type Watermark } from '../../export/state.js';
import type { IO } from '../io.js';

export function markJson(w: Watermark) {
  return { profile: w.profile, target: w.target, by: w.by, watermark: isoSeconds(w.until), lastRun: w.savedAt };
}

/** What `amo-export status` adds to the login details: every stored watermark, per profile. */
export function exportStatus(store: Pick<ConfigStore, 'getData' | 'updateData'>, io: IO): { json: Record<string, unknown>; lines: string[] } {
  const marks = listWatermarks(store);
  const lines = marks.length ? [io.t('export.status.header'), ...marks.map((w) => io.t('export.status.item', markJson(w)))] : [io.t('export.status.none')];
  return { json: { watermarks: marks.map(markJson) }, lines };
}

