/**
 * Which dataset this computer built last, so the doctor can answer "is this number in the
 * caller-ID list I installed, and under which label?". Kept in the shared config store.
 */
import { isAbsolute, resolve } from 'node:path';
import { openConfig } from '../config/store.js';
import { decodeTsv } from './binary.js';
import { readListed, readManifest } from './files.js';
import { PATHS, type Platform } from './manifest.js';

const KEY = 'callerid.lastBuild';

type Platforms = 'ios' | 'android' | 'both';

interface Stored {
  dir: string;
  buildId: string;
  generatedAt: string;
  platform?: Platforms;
}

export interface LastBuildHit {
  buildId: string;
  dir: string;
  generatedAt: string;
  /** null when the number is not in the dataset (or the dataset is gone). */
  label: string | null;
  platform: Platforms;
}

export function recordLastBuild(env: NodeJS.ProcessEnv, b: Stored): void {
  const dir = isAbsolute(b.dir) ? b.dir : resolve(b.dir);
  openConfig(env).setData(KEY, { dir, buildId: b.buildId, generatedAt: b.generatedAt, ...(b.platform ? { platform: b.platform } : {}) } satisfies Stored);
}

function platformOf(list: readonly Platform[]): Platforms {
  return list.length === 2 ? 'both' : (list[0] ?? 'ios');
}

/** `e164` with or without `+`. Null when no build was ever recorded on this computer. */
export async function lookupInLastBuild(env: NodeJS.ProcessEnv, e164: string): Promise<LastBuildHit | null> {
  const rec = openConfig(env).getData<Stored>(KEY);
  if (!rec || typeof rec.dir !== 'string' || typeof rec.buildId !== 'string') return null;
  const digits = Number(e164.replace(/^\+/, ''));
  const hit: LastBuildHit = { buildId: rec.buildId, dir: rec.dir, generatedAt: rec.generatedAt, label: null, platform: rec.platform ?? 'both' };
  const m = readManifest(rec.dir);
  if (!m.ok || m.manifest.buildId !== rec.buildId) return hit;
  const platforms = (['ios', 'android'] as const).filter((p) => m.manifest.counts[p]);
  hit.platform = platformOf(platforms);
  for (const p of platforms) {
    // Only a file that still matches its manifest checksum is trusted to answer.
    const tsv = readListed(rec.dir, m.manifest, PATHS[p].tsv);
    if (!tsv) continue;
    const found = binarySearch(decodeTsv(tsv), digits);
    if (found !== null) {
      hit.label = found;
      break;
    }
  }
  return hit;
}

function binarySearch(entries: { number: number; label: string }[], n: number): string | null {
  let lo = 0;
  let hi = entries.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = entries[mid]!.number;
    if (v === n) return entries[mid]!.label;
    if (v < n) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}
