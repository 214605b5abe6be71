/**
 * One build: contacts in, a verified dataset directory out. All files are first written to a
 * staging directory inside the target; the old manifest is removed before anything is moved in
 * and the new one is renamed in last, so an interrupted build leaves a directory that `verify`
 * rejects (no manifest, or checksums that do not match) — never a half-new dataset that passes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Contact } from '../contacts/contact.js';
import { AppError } from '../errors.js';
import { decodeTsv, encodeDelta, encodeFull, encodeTsv, type Entry } from './binary.js';
import { Collector, type InvalidPhone, type NumberRecord } from './collect.js';
import { computeDelta } from './delta.js';
import { readListed, readManifest, sha256, writeAtomic, writeSynced } from './files.js';
import { LABEL_MAX_GRAPHEMES, type LabelTemplate } from './label.js';
import {
  FORMAT,
  FORMAT_VERSION,
  MANIFEST,
  PATHS,
  PRIORITY,
  type Manifest,
  type ManifestFile,
  type Platform,
  type PlatformCounts,
} from './manifest.js';
import { splitE164 } from './numbers.js';
import { encodeSqlite, type AndroidRow } from './sqlite.js';
import { isoSeconds } from '../time.js';

export interface BuildOptions {
  outDir: string;
  platforms: Platform[];
  limits: Partial<Record<Platform, number>>;
  template: LabelTemplate;
  region: string;
  fallbackLabel?: string;
  /** Numbers (E.164 digits) removed from every platform: the phone's own contacts. */
  exclude: ReadonlySet<number>;
  /** Removed from the Android dataset only (read from an Android phone over adb). */
  excludeAndroid: ReadonlySet<number>;
  source: { crm: 'amocrm' | 'file'; accountKey: string };
  keepInvalid: boolean;
  now: Date;
  onProgress?(contacts: number): void;
  signal?: AbortSignal;
}

export interface BuildResult {
  manifest: Manifest;
  invalid: InvalidPhone[];
  /** Per platform, what changed against the previous build in the same directory. */
  changes: Partial<Record<Platform, { added: Entry[]; removed: Entry[]; changed: { number: number; from: string; to: string }[] }>>;
}

const PROGRESS_EVERY = 5000;

async function collectContacts(contacts: AsyncIterable<Contact>, o: BuildOptions): Promise<Collector> {
  const col = new Collector({ template: o.template, region: o.region, fallback: o.fallbackLabel, keepInvalid: o.keepInvalid });
  for await (const c of contacts) {
    col.add(c);
    if (col.contacts % PROGRESS_EVERY === 0) {
      o.onProgress?.(col.contacts);
      if (o.signal?.aborted) throw new AppError('cancelled', 'error.cancelled');
    }
  }
  o.onProgress?.(col.contacts);
  return col;
}

interface PlatformOutput {
  platform: Platform;
  entries: Entry[];
  records: NumberRecord[];
  counts: PlatformCounts;
  /** The previous build's list; `delta` goes into the manifest's counts and the delta file. */
  base: { buildId: string; entries: Entry[]; tsv: Buffer; delta: ReturnType<typeof computeDelta> } | null;
}

export async function buildDataset(contacts: AsyncIterable<Contact>, o: BuildOptions): Promise<BuildResult> {
  let col: Collector | undefined = await collectContacts(contacts, o);
  const previous = readManifest(o.outDir);
  const outputs: PlatformOutput[] = [];
  const union = new Set<number>();
  for (const platform of o.platforms) {
    const limit = o.limits[platform]!;
    const excluded = platform === 'android' && o.excludeAndroid.size > 0 ? new Set([...o.exclude, ...o.excludeAndroid]) : o.exclude;
    const c = col;
    const sel = c.select(limit, excluded);
    const records = Array.from(sel.slots, (s) => c.record(s));
    const entries = records.map((r) => ({ number: r.number, label: r.label }));
    let base: PlatformOutput['base'] = null;
    if (previous.ok) {
      const tsv = readListed(o.outDir, previous.manifest, PATHS[platform].tsv);
      if (tsv) {
        const old = decodeTsv(tsv);
        base = { buildId: previous.manifest.buildId, entries: old, tsv, delta: computeDelta(old, entries) };
      }
    }
    const d = base?.delta;
    for (const n of excluded) union.add(n);
    outputs.push({
      platform,
      entries,
      records,
      base,
      counts: {
        entries: entries.length,
        limit,
        excluded: sel.excluded,
        droppedOverLimit: sel.dropped,
        cutoff: sel.cutoff === null ? null : isoSeconds(sel.cutoff),
        merged: records.filter((r) => r.merged).length,
        added: d?.added ?? entries.length,
        removed: d?.removed ?? 0,
        changed: d?.changed ?? 0,
      },
    });
  }

  // Only these figures are needed from here on; letting the collector go frees its arrays
  // before SQLite (WASM memory) grows, which keeps the peak RSS of a million-contact build down.
  const stats = {
    contacts: col.contacts,
    phonesSeen: col.phonesSeen,
    phonesInvalid: col.phonesInvalid,
    numbers: col.numbers,
    duplicatesMerged: col.duplicatesMerged,
    updatedAtMax: col.updatedAtMax,
    fallbackText: col.fallbackText,
    invalid: col.invalid,
  };
  col = undefined;

  const generatedAt = isoSeconds(Math.floor(o.now.getTime() / 1000));
  // Encoded once: the same bytes name the build and go to disk.
  const tsvs = outputs.map((p) => encodeTsv(p.entries));
  const content = createHash('sha256');
  outputs.forEach((p, i) => content.update(p.platform).update(tsvs[i]!));
  const buildId = `${generatedAt}-${content.digest('hex').slice(0, 4)}${randomBytes(1).toString('hex')}`;
  const baseIds = new Set(outputs.map((p) => p.base?.buildId).filter((x): x is string => Boolean(x)));
  const baseBuildId = baseIds.size === 1 ? [...baseIds][0]! : null;

  const files = new Map<string, { data: Buffer; meta: Omit<ManifestFile, 'bytes' | 'sha256' | 'path'> }>();
  const changes: BuildResult['changes'] = {};
  for (const [i, p] of outputs.entries()) {
    const paths = PATHS[p.platform];
    files.set(paths.tsv, { data: tsvs[i]!, meta: { platform: p.platform, kind: 'tsv', format: 'tsv', entries: p.entries.length } });
    if (p.platform === 'ios') {
      files.set(paths.full, { data: encodeFull(p.entries), meta: { platform: 'ios', kind: 'full', format: 'crmi', entries: p.entries.length } });
    } else {
      files.set(paths.full, {
        data: await encodeSqlite(p.records.map(androidRow), { build_id: buildId, generated_at: generatedAt, default_region: o.region, format_version: String(FORMAT_VERSION) }),
        meta: { platform: 'android', kind: 'full', format: 'sqlite', entries: p.entries.length },
      });
    }
    if (p.base) {
      const d = p.base.delta;
      files.set(paths.delta, {
        data: encodeDelta(d),
        meta: { platform: p.platform, kind: 'delta', format: 'crmd', base: p.base.buildId, add: d.add.length, remove: d.remove.length },
      });
      files.set(paths.base, { data: p.base.tsv, meta: { platform: p.platform, kind: 'base', format: 'tsv', base: p.base.buildId, entries: p.base.entries.length } });
      changes[p.platform] = describeChanges(p.base.entries, p.entries);
    } else {
      changes[p.platform] = { added: p.entries, removed: [], changed: [] };
    }
  }

  const manifest: Manifest = {
    format: FORMAT,
    formatVersion: FORMAT_VERSION,
    buildId,
    baseBuildId,
    generatedAt,
    source: {
      crm: o.source.crm,
      accountHash: `sha256:${sha256(Buffer.from(o.source.accountKey, 'utf8'))}`,
      updatedAtMax: stats.updatedAtMax > 0 ? isoSeconds(stats.updatedAtMax) : null,
    },
    defaultRegion: o.region,
    policy: {
      labelMaxChars: LABEL_MAX_GRAPHEMES,
      labelTemplate: o.template.source,
      fallbackLabel: stats.fallbackText,
      merge: 'shared company: "{company} (N)"; otherwise the winner\'s label + " +N"',
      priority: PRIORITY,
      limits: Object.fromEntries(o.platforms.map((p) => [p, o.limits[p]!])),
    },
    counts: {
      contacts: stats.contacts,
      phonesSeen: stats.phonesSeen,
      phonesInvalid: stats.phonesInvalid,
      numbers: stats.numbers,
      duplicatesMerged: stats.duplicatesMerged,
      excludedNumbers: union.size,
      ...Object.fromEntries(outputs.map((p) => [p.platform, p.counts])),
    },
    files: [...files].map(([path, f]) => ({ path, ...f.meta, bytes: f.data.length, sha256: sha256(f.data) })),
  };
  commit(o.outDir, files, manifest);
  return { manifest, invalid: stats.invalid, changes };
}

function androidRow(r: NumberRecord): AndroidRow {
  const { nsn } = splitE164(String(r.number));
  return { e164: r.number, nsn, label: r.label, name: r.name, company: r.company, contactId: r.contactId, updatedAt: r.recency };
}

export function describeChanges(oldEntries: Entry[], newEntries: Entry[]): NonNullable<BuildResult['changes']['ios']> {
  const oldMap = new Map(oldEntries.map((e) => [e.number, e.label]));
  const newMap = new Map(newEntries.map((e) => [e.number, e.label]));
  return {
    added: newEntries.filter((e) => !oldMap.has(e.number)),
    removed: oldEntries.filter((e) => !newMap.has(e.number)),
    changed: newEntries.filter((e) => oldMap.has(e.number) && oldMap.get(e.number) !== e.label).map((e) => ({ number: e.number, from: oldMap.get(e.number)!, to: e.label })),
  };
}

const OWN_FILES: string[] = Object.values(PATHS).flatMap((p) => Object.values(p));
const OWN_DIRS = [...new Set(OWN_FILES.map((p) => dirname(p)))];

function commit(outDir: string, files: Map<string, { data: Buffer }>, manifest: Manifest): void {
  const staging = join(outDir, `.staging-${randomBytes(6).toString('hex')}`);
  try {
    mkdirSync(staging, { recursive: true });
    for (const [path, f] of files) writeSynced(join(staging, path), f.data);
    rmSync(join(outDir, MANIFEST), { force: true });
    for (const path of files.keys()) {
      mkdirSync(dirname(join(outDir, path)), { recursive: true });
      renameSync(join(staging, path), join(outDir, path));
    }
    // Files of an earlier build that this one did not write (another platform, a delta with no base now).
    for (const path of OWN_FILES) if (!files.has(path) && existsSync(join(outDir, path))) unlinkSync(join(outDir, path));
    writeAtomic(join(outDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  } catch (e) {
    if (e instanceof AppError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new AppError('input', 'error.fileWrite', { path: err.path ?? outDir, reason: err.code ?? err.message }, { cause: e });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    for (const d of OWN_DIRS) {
      const p = join(outDir, d);
      if (existsSync(p) && readdirSync(p).length === 0) rmSync(p, { recursive: true, force: true });
    }
  }
}
