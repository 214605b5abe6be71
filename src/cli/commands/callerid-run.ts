/**
 * What `amo-callerid build`, `verify` and `diff` do; loaded only when one of them runs.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readManifest } from '../../callerid/files.js';
import type { CliDeps } from '../deps.js';
import { openSession, type SessionFlags } from '../session.js';
import { AppError, type Params } from '../../errors.js';
import type { Contact } from '../../contacts/contact.js';
import { contactSource, definitionsOnDemand } from '../../contacts/source.js';
import { resolveRights } from '../../contacts/rights.js';
import { buildDataset, type BuildResult } from '../../callerid/build.js';
import { RegionTally, readContacts, readExcludedNumbers, regionNotes } from '../../callerid/input.js';
import { writeTsvReport } from '../tsv-report.js';
import { parseTemplate } from '../../callerid/label.js';
import { DEFAULT_LIMITS, IOS_MAX, type Manifest, type Platform } from '../../callerid/manifest.js';
import { isRegion } from '../../callerid/numbers.js';
import { verifyDataset } from '../../callerid/verify.js';
import { diffDatasets, type DatasetDiff } from '../../callerid/diff.js';
import { recordLastBuild } from '../../callerid/last-build.js';

export interface BuildFlags extends SessionFlags {
  platform: 'ios' | 'android' | 'all';
  out: string;
  input?: string;
  limit?: number;
  label: string;
  region?: string;
  fallbackLabel?: string;
  excludeContacts?: string[];
  excludeFromDevice?: boolean;
  serial?: string;
  adbHost?: string;
  adbPort?: number;
  invalidReport?: string;
  /** --out was not given (commander's default). */
  outIsDefault?: boolean;
}

const PROGRESS_LINE_EVERY = 50_000;

function platformsOf(p: BuildFlags['platform']): Platform[] {
  return p === 'all' ? ['ios', 'android'] : [p];
}

export async function runBuild(o: BuildFlags, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const platforms = platformsOf(o.platform);
  if (o.limit !== undefined && o.limit > IOS_MAX && platforms.includes('ios')) {
    throw new AppError('usage', 'callerid.error.iosCap', { limit: o.limit, max: IOS_MAX });
  }
  const limits = Object.fromEntries(platforms.map((p) => [p, o.limit ?? DEFAULT_LIMITS[p]])) as Partial<Record<Platform, number>>;
  const template = parseTemplate(o.label);
  if ('unknown' in template) throw new AppError('usage', 'callerid.error.template', { field: template.unknown });
  if (o.region !== undefined && !isRegion(o.region)) throw new AppError('usage', 'callerid.error.region', { region: o.region });
  if (o.excludeFromDevice && !platforms.includes('android')) throw new AppError('usage', 'callerid.error.deviceNeedsAndroid');
  if (o.input && (o.sandbox || o.account)) throw new AppError('usage', 'callerid.error.inputAndAccount');
  if (o.input && o.baseUrl) throw new AppError('usage', 'callerid.error.inputAndBaseUrl');
  const outDir = resolve(deps.cwd, o.out);
  if (o.input && o.outIsDefault) refuseToReplaceAccountBuild(outDir);

  const spinner = io.spinner(io.t('callerid.progress.start'));
  let lastLine = 0;
  const onProgress = (n: number) => {
    spinner.update(io.t('callerid.progress.contacts', { n }));
    if (!io.stderrIsTTY && n - lastLine >= PROGRESS_LINE_EVERY) {
      lastLine = n;
      io.info(io.t('callerid.progress.contacts', { n }));
    }
  };

  let session: Awaited<ReturnType<typeof openSession>> | undefined;
  try {
    let region = o.region?.toUpperCase();
    let contacts: AsyncIterable<Contact>;
    let source: { crm: 'amocrm' | 'file'; accountKey: string };
    // Per file: how many numbers took their country from `region` (the summary says so).
    const tallies: RegionTally[] = [];
    const fileOptions = (path: string, r: string) => {
      const tally = new RegionTally(path, r);
      tallies.push(tally);
      return { tally, onWarning: (key: string, params: Params) => io.warn(io.t(key, params)) };
    };
    if (o.input) {
      region ??= 'RU';
      contacts = readContacts(resolve(deps.cwd, o.input), region, fileOptions(o.input, region));
      source = { crm: 'file', accountKey: `file:${resolve(deps.cwd, o.input)}` };
    } else {
      session = await openSession({ account: typeof o.account === 'string' ? o.account : o.account?.[0], sandbox: o.sandbox, rps: o.rps, asUser: o.asUser, baseUrl: o.baseUrl, timeout: o.timeout }, deps);
      region ??= (session.account.country || 'RU').toUpperCase();
      if (!isRegion(region)) region = 'RU';
      const rights = await resolveRights(session.rightsClient, session.account, o.asUser);
      if (rights.note) io.warn(io.t(rights.note, { account: session.account.name }));
      contacts = contactSource(session.client, { by: 'updated', rights, defaultRegion: region, accountId: session.account.id, signal: deps.signal, fields: definitionsOnDemand(session.client) });
      source = { crm: 'amocrm', accountKey: `${session.host}#${session.account.id}` };
    }
    const exclude = new Set<number>();
    for (const f of o.excludeContacts ?? []) {
      spinner.update(io.t('callerid.progress.exclude', { path: f }));
      for (const n of await readExcludedNumbers(resolve(deps.cwd, f), region, fileOptions(f, region))) exclude.add(n);
    }
    let excludeAndroid = new Set<number>();
    if (o.excludeFromDevice) {
      spinner.update(io.t('callerid.progress.device'));
      const { readDeviceExclusions } = await import('../../callerid/device.js');
      excludeAndroid = await readDeviceExclusions({ serial: o.serial, host: o.adbHost, port: o.adbPort }, deps.env, region);
      io.info(io.t('callerid.deviceNumbers', { n: excludeAndroid.size }));
    }

    const result = await buildDataset(contacts, {
      outDir,
      platforms,
      limits,
      template,
      region,
      fallbackLabel: o.fallbackLabel,
      exclude,
      excludeAndroid,
      source,
      keepInvalid: Boolean(o.invalidReport),
      now: deps.now(),
      onProgress,
      signal: deps.signal,
    });
    spinner.stop();
    if (o.invalidReport) {
      await writeTsvReport(resolve(deps.cwd, o.invalidReport), ['contact_id', 'name', 'phone'], result.invalid.map((r) => [r.contactId, r.name, r.raw]));
    }
    try {
      recordLastBuild(deps.env, { dir: outDir, buildId: result.manifest.buildId, generatedAt: result.manifest.generatedAt, platform: o.platform === 'all' ? 'both' : o.platform });
    } catch (e) {
      io.warn(io.t('callerid.warn.lastBuild', { reason: e instanceof AppError ? io.t(e.key, e.params) : String(e) }));
    }
    printBuildSummary(result, outDir, o, deps);
    for (const n of regionNotes(tallies)) {
      if (n.warn) io.warn(io.t(n.key, n.params));
      else io.info(io.t(n.key, n.params));
    }
  } catch (e) {
    spinner.stop();
    throw e;
  } finally {
    await session?.close();
  }
}

/**
 * `build --input` into the default ./callerid, where an account build lives, would replace that
 * build and, with one --platform, delete the other platform's files. Only an explicit --out may.
 */
function refuseToReplaceAccountBuild(outDir: string): void {
  const m = readManifest(outDir);
  if (m.ok && m.manifest.source.crm === 'amocrm') throw new AppError('usage', 'callerid.error.inputOverAccount', { dir: outDir });
}

function platformName(p: Platform): string {
  return p === 'ios' ? 'iOS' : 'Android';
}

function plus(n: number): string {
  return `+${n}`;
}

function printBuildSummary(r: BuildResult, outDir: string, o: BuildFlags, deps: CliDeps): void {
  const { io } = deps;
  const m: Manifest = r.manifest;
  if (io.json) {
    io.out(JSON.stringify({ ok: true, dir: outDir, buildId: m.buildId, baseBuildId: m.baseBuildId, generatedAt: m.generatedAt, counts: m.counts, files: m.files, invalidReport: o.invalidReport ? resolve(deps.cwd, o.invalidReport) : null }));
    return;
  }
  const c = m.counts;
  io.info(io.c.green(io.t('callerid.summary.written', { buildId: m.buildId, dir: outDir })));
  io.info(io.t('callerid.summary.counts', { contacts: c.contacts, phones: c.phonesSeen, invalid: c.phonesInvalid, numbers: c.numbers, merged: c.duplicatesMerged }));
  for (const p of ['ios', 'android'] as const) {
    const pc = c[p];
    if (!pc) continue;
    io.info(io.t('callerid.summary.platform', { platform: platformName(p), entries: pc.entries, limit: pc.limit, excluded: pc.excluded }));
    if (pc.droppedOverLimit > 0) io.warn(io.t('callerid.summary.dropped', { platform: platformName(p), dropped: pc.droppedOverLimit, cutoff: pc.cutoff ?? '-' }));
    if (m.baseBuildId) io.info(io.t('callerid.summary.changes', { platform: platformName(p), added: pc.added, removed: pc.removed, changed: pc.changed, base: m.baseBuildId }));
    const ch = r.changes[p];
    if (io.verbose && ch && m.baseBuildId) printChanges(ch, (s) => io.debug(s), 20);
  }
  if (c.phonesInvalid > 0 && !o.invalidReport) io.warn(io.t('callerid.summary.invalidHint', { invalid: c.phonesInvalid }));
}

function printChanges(ch: NonNullable<DatasetDiff['platforms']['ios']>, line: (s: string) => void, max = Infinity): void {
  let n = 0;
  for (const e of ch.added) if (n++ < max) line(`+ ${plus(e.number)}\t${e.label}`);
  for (const e of ch.removed) if (n++ < max) line(`- ${plus(e.number)}\t${e.label}`);
  for (const e of ch.changed) if (n++ < max) line(`~ ${plus(e.number)}\t${e.from} → ${e.to}`);
  if (n > max) line(`… ${n - max}`);
}

export async function runVerify(dir: string, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const path = resolve(deps.cwd, dir);
  // A path that is not there is bad input (exit 2), not a dataset that failed its checks (exit 1).
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw new AppError('input', 'callerid.error.noDir', { dir: path });
  const r = await verifyDataset(path);
  const messages = r.problems.map((p) => ({ code: p.key, message: io.t(p.key, p.params as Params) }));
  if (io.json) {
    io.out(JSON.stringify({ ok: r.ok, dir: path, buildId: r.buildId, entries: r.entries, problems: messages }));
  } else if (r.ok) {
    const parts = Object.entries(r.entries).map(([p, n]) => `${platformName(p as Platform)} ${n}`);
    io.out(io.t('callerid.verify.ok', { dir: path, buildId: r.buildId ?? '-', entries: parts.join(', ') }));
  } else {
    for (const m of messages) io.out(m.message);
    io.error(io.t('callerid.verify.failed', { dir: path, n: messages.length }));
  }
  if (!r.ok) deps.setExitCode(1);
}

export async function runDiff(a: string, b: string, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const d = diffDatasets(resolve(deps.cwd, a), resolve(deps.cwd, b));
  if (io.json) {
    const conv = (ch: NonNullable<DatasetDiff['platforms']['ios']>) => ({
      added: ch.added.map((e) => ({ number: plus(e.number), label: e.label })),
      removed: ch.removed.map((e) => ({ number: plus(e.number), label: e.label })),
      changed: ch.changed.map((e) => ({ number: plus(e.number), from: e.from, to: e.to })),
    });
    io.out(JSON.stringify({ old: d.oldBuildId, new: d.newBuildId, platforms: Object.fromEntries(Object.entries(d.platforms).map(([p, ch]) => [p, conv(ch)])) }));
    return;
  }
  for (const [p, ch] of Object.entries(d.platforms)) {
    io.out(`# ${platformName(p as Platform)}: ${io.t('callerid.diff.header', { added: ch.added.length, removed: ch.removed.length, changed: ch.changed.length })}`);
    printChanges(ch, (s) => io.out(s));
  }
  for (const p of d.onlyOld) io.warn(io.t('callerid.diff.onlyOld', { platform: platformName(p) }));
  for (const p of d.onlyNew) io.warn(io.t('callerid.diff.onlyNew', { platform: platformName(p) }));
}
