/** `amo-callerid diff OLD NEW`: per platform, numbers added, removed and relabelled. */
import { AppError } from '../errors.js';
import { decodeTsv, type Entry } from './binary.js';
import { describeChanges } from './build.js';
import { readListed, readManifest } from './files.js';
import { PATHS, PLATFORMS, type Manifest, type Platform } from './manifest.js';

export type Changes = ReturnType<typeof describeChanges>;

export interface DatasetDiff {
  oldBuildId: string;
  newBuildId: string;
  platforms: Partial<Record<Platform, Changes>>;
  onlyOld: Platform[];
  onlyNew: Platform[];
}

function open(dir: string): Manifest {
  const m = readManifest(dir);
  if (!m.ok) throw new AppError('input', 'callerid.error.notDataset', { dir });
  return m.manifest;
}

/** The platform's TSV, checked against the manifest; throws when it does not match. */
function loadEntries(dir: string, m: Manifest, p: Platform): Entry[] | null {
  if (!m.counts[p]) return null;
  const b = readListed(dir, m, PATHS[p].tsv);
  if (!b) throw new AppError('input', 'callerid.error.corrupt', { dir, file: PATHS[p].tsv });
  return decodeTsv(b);
}

export function diffDatasets(oldDir: string, newDir: string): DatasetDiff {
  const a = open(oldDir);
  const b = open(newDir);
  const out: DatasetDiff = { oldBuildId: a.buildId, newBuildId: b.buildId, platforms: {}, onlyOld: [], onlyNew: [] };
  for (const p of PLATFORMS) {
    const x = loadEntries(oldDir, a, p);
    const y = loadEntries(newDir, b, p);
    if (x && y) out.platforms[p] = describeChanges(x, y);
    else if (x) out.onlyOld.push(p);
    else if (y) out.onlyNew.push(p);
  }
  return out;
}
