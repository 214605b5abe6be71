/**
 * `amo-callerid verify DIR`: recompute every invariant an iOS load or an Android lookup depends
 * on, from the bytes on disk, trusting nothing the builder wrote except as a claim to check.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Params } from '../errors.js';
import { decodeDelta, decodeFull, decodeTsv, FormatError, type Entry } from './binary.js';
import { applyDelta, computeDelta } from './delta.js';
import { readManifest, sha256 } from './files.js';
import { isValidLabel } from './label.js';
import { FORMAT_VERSION, IOS_MAX, PATHS, PLATFORMS, type Manifest, type Platform } from './manifest.js';
import { decodeSqlite, suffixKey } from './sqlite.js';

export interface Problem {
  key: string;
  params: Params;
}

export interface VerifyResult {
  ok: boolean;
  buildId: string | null;
  problems: Problem[];
  entries: Partial<Record<Platform, number>>;
}

const MAX_E164 = 999_999_999_999_999;

/** Ascending, unique, plausible E.164 digits, valid labels. Reports the first few defects only. */
function checkEntries(entries: Entry[], file: string, out: Problem[]): void {
  let reported = 0;
  const report = (key: string, params: Params) => {
    if (reported++ < 5) out.push({ key, params: { file, ...params } });
  };
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!Number.isSafeInteger(e.number) || e.number < 10 || e.number > MAX_E164) report('callerid.verify.badNumber', { index: i, number: String(e.number) });
    if (i > 0) {
      const prev = entries[i - 1]!.number;
      if (e.number === prev) report('callerid.verify.duplicate', { index: i, number: e.number });
      else if (e.number < prev) report('callerid.verify.order', { index: i, number: e.number });
    }
    if (!isValidLabel(e.label)) report('callerid.verify.badLabel', { index: i, number: e.number });
  }
}

function sameEntries(a: Entry[], b: Entry[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i]?.number !== b[i]?.number || a[i]?.label !== b[i]?.label) return i;
  return -1;
}

function formatProblem(e: unknown, file: string): Problem {
  if (e instanceof FormatError) return { key: `callerid.verify.format`, params: { file, what: e.what, at: e.at } };
  return { key: 'callerid.verify.unreadable', params: { file, reason: e instanceof Error ? e.message.split('\n')[0] : String(e) } };
}

export async function verifyDataset(dir: string): Promise<VerifyResult> {
  const problems: Problem[] = [];
  const m = readManifest(dir);
  if (!m.ok) return { ok: false, buildId: null, problems: [{ key: `callerid.verify.manifest.${m.reason}`, params: { dir } }], entries: {} };
  const man = m.manifest;
  if (man.formatVersion !== FORMAT_VERSION) problems.push({ key: 'callerid.verify.formatVersion', params: { version: man.formatVersion } });

  const bytes = new Map<string, Buffer>();
  for (const f of man.files) {
    let b: Buffer;
    try {
      if (!statSync(join(dir, f.path)).isFile()) throw new Error('not a file');
      b = readFileSync(join(dir, f.path));
    } catch {
      problems.push({ key: 'callerid.verify.missing', params: { file: f.path } });
      continue;
    }
    if (b.length !== f.bytes) problems.push({ key: 'callerid.verify.size', params: { file: f.path, expected: f.bytes, actual: b.length } });
    else if (sha256(b) !== f.sha256) problems.push({ key: 'callerid.verify.checksum', params: { file: f.path } });
    else bytes.set(f.path, b);
  }

  const entries: VerifyResult['entries'] = {};
  for (const platform of PLATFORMS) {
    const counts = man.counts[platform];
    const listed = man.files.filter((f) => f.platform === platform);
    if (!counts && listed.length === 0) continue;
    if (!counts) {
      problems.push({ key: 'callerid.verify.counts', params: { platform } });
      continue;
    }
    await verifyPlatform(man, platform, bytes, problems);
    entries[platform] = counts.entries;
  }
  if (Object.keys(entries).length === 0) problems.push({ key: 'callerid.verify.empty', params: { dir } });
  return { ok: problems.length === 0, buildId: man.buildId, problems, entries };
}

async function verifyPlatform(man: Manifest, platform: Platform, bytes: Map<string, Buffer>, problems: Problem[]): Promise<void> {
  const paths = PATHS[platform];
  const counts = man.counts[platform]!;
  const need = (path: string): Buffer | undefined => {
    const b = bytes.get(path);
    if (!b && !man.files.some((f) => f.path === path)) problems.push({ key: 'callerid.verify.notListed', params: { file: path } });
    return b;
  };

  const tsvBytes = need(paths.tsv);
  let tsv: Entry[] | null = null;
  if (tsvBytes) {
    try {
      tsv = decodeTsv(tsvBytes);
    } catch (e) {
      problems.push(formatProblem(e, paths.tsv));
    }
  }
  if (tsv) {
    checkEntries(tsv, paths.tsv, problems);
    if (tsv.length !== counts.entries) problems.push({ key: 'callerid.verify.count', params: { file: paths.tsv, expected: counts.entries, actual: tsv.length } });
    const limit = man.policy.limits[platform];
    const cap = platform === 'ios' ? Math.min(limit ?? IOS_MAX, IOS_MAX) : limit;
    if (cap !== undefined && tsv.length > cap) problems.push({ key: 'callerid.verify.limit', params: { platform, limit: cap, actual: tsv.length } });
  }

  const fullBytes = need(paths.full);
  if (fullBytes) {
    try {
      let fullEntries: Entry[];
      if (platform === 'ios') {
        const full = decodeFull(fullBytes);
        fullEntries = full.entries;
        checkEntries(full.entries, paths.full, problems);
        if (full.labelCount !== new Set(full.entries.map((e) => e.label)).size) problems.push({ key: 'callerid.verify.labelTable', params: { file: paths.full } });
      } else {
        const db = await decodeSqlite(fullBytes);
        if (db.integrity !== 'ok') problems.push({ key: 'callerid.verify.sqliteIntegrity', params: { file: paths.full, result: db.integrity } });
        if (!db.hasSuffixIndex) problems.push({ key: 'callerid.verify.sqliteIndex', params: { file: paths.full } });
        fullEntries = db.rows.map((r) => ({ number: r.e164, label: r.label }));
        checkEntries(fullEntries, paths.full, problems);
        db.rows.forEach((r, i) => {
          if (!String(r.e164).endsWith(r.nsn) || r.nsn.length === 0 || db.suffixes[i] !== suffixKey(r.nsn)) {
            if (problems.length < 50) problems.push({ key: 'callerid.verify.suffix', params: { file: paths.full, number: r.e164 } });
          }
        });
        if (db.meta.build_id !== man.buildId) problems.push({ key: 'callerid.verify.buildId', params: { file: paths.full } });
      }
      if (tsv) {
        const at = sameEntries(fullEntries, tsv);
        if (at >= 0) problems.push({ key: 'callerid.verify.mismatch', params: { file: paths.full, other: paths.tsv, index: at } });
      }
    } catch (e) {
      problems.push(formatProblem(e, paths.full));
    }
  }

  const deltaFile = man.files.find((f) => f.path === paths.delta);
  if (!deltaFile) {
    if (man.baseBuildId !== null && man.files.some((f) => f.platform === platform && f.kind === 'base')) problems.push({ key: 'callerid.verify.notListed', params: { file: paths.delta } });
    return;
  }
  if (deltaFile.base !== man.baseBuildId) problems.push({ key: 'callerid.verify.deltaBase', params: { file: paths.delta, base: deltaFile.base ?? '-', expected: man.baseBuildId ?? '-' } });
  const baseBytes = need(paths.base);
  const deltaBytes = bytes.get(paths.delta);
  if (!baseBytes || !deltaBytes || !tsv) return;
  try {
    const base = decodeTsv(baseBytes);
    checkEntries(base, paths.base, problems);
    const delta = decodeDelta(deltaBytes);
    checkEntries(delta.add, paths.delta, problems);
    const removals = delta.remove.map((number) => ({ number, label: 'x' }));
    checkEntries(removals, paths.delta, problems);
    const at = sameEntries(applyDelta(base, delta), tsv);
    if (at >= 0) problems.push({ key: 'callerid.verify.deltaResult', params: { file: paths.delta, index: at } });
    const expected = computeDelta(base, tsv);
    if (expected.added !== counts.added || expected.removed !== counts.removed || expected.changed !== counts.changed) {
      problems.push({ key: 'callerid.verify.deltaCounts', params: { platform } });
    }
    if (deltaFile.add !== delta.add.length || deltaFile.remove !== delta.remove.length) problems.push({ key: 'callerid.verify.deltaCounts', params: { platform } });
  } catch (e) {
    problems.push(formatProblem(e, paths.delta));
  }
}
