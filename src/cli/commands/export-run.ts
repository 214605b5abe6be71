/**
 * The work of `amo-export [options]` (the program's default action) and `amo-export reset`;
 * export.ts declares their options and imports this module when one of them runs.
 * Order of a run: arguments → sessions → window per account (flag, watermark or prompt) → export
 * into a sink → commit → reports → watermarks. A crash before the last step leaves the previous
 * watermarks, so the next run covers the same period again.
 */
import { realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CliDeps } from '../deps.js';
import { writeTsvReport } from '../tsv-report.js';
import { askChoice, askConfirm, askText } from '../prompts.js';
import { openEarlySession, type EarlySession, type SessionFlags } from '../session.js';
import { openConfig } from '../../config/store.js';
import { acquireTargetLock, type TargetLock } from '../../config/target-lock.js';
import { assertConfigWritable } from '../../config/writable.js';
import { AppError } from '../../errors.js';
import { isoSeconds, parseDateArg, periodStart, type PeriodChoice } from '../../export/dates.js';
import { assertCanCreate, deferCommit, discardSink, fileSink, removeStalePartials, streamSink, type FileSink } from '../../export/output.js';
import { runExport, type AccountJob, type ExportResult } from '../../export/run.js';
import { listWatermarks, readWatermark, resetWatermarks, writeWatermarks } from '../../export/state.js';
import { IOS_LIMIT } from '../../export/most-recent.js';
import type { ExportFormat } from '../../export/writers/types.js';
import type { IO } from '../io.js';
import { markJson } from './export-status.js';

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface ExportOptions extends SessionFlags {
  since?: string;
  until?: string;
  by: 'updated' | 'created';
  format: ExportFormat;
  output?: string;
  bom?: boolean;
  spreadsheetSafe?: boolean;
  limit?: number;
  target?: string;
  full?: boolean;
  deletedReport?: string;
  invalidReport?: string;
  concurrency?: number;
  json?: boolean;
  wait?: boolean;
  replace?: boolean;
  dryRun?: boolean;
}

/** The profiles named by --account, each once; none names the default. */
export function accountsOf(o: Pick<SessionFlags, 'account'>): (string | undefined)[] {
  const list = o.account === undefined ? [] : Array.isArray(o.account) ? o.account : [o.account];
  return list.length ? [...new Set(list)] : [undefined];
}

/** `format:path` (or `format:stdout`) unless the user named the target. */
export function targetName(o: { target?: string; format: ExportFormat; output?: string }, cwd: string): string {
  if (o.target) return o.target;
  return `${o.format}:${o.output ? resolve(cwd, o.output) : 'stdout'}`;
}

export async function askPeriod(deps: CliDeps, nowSec: number): Promise<number> {
  const { io } = deps;
  const choice = await askChoice<PeriodChoice>(io, '--since', io.t('export.prompt.period'), [
    { value: '30d', name: io.t('export.prompt.30d') },
    { value: '90d', name: io.t('export.prompt.90d') },
    { value: '1y', name: io.t('export.prompt.1y') },
    { value: 'all', name: io.t('export.prompt.all') },
    { value: 'date', name: io.t('export.prompt.date') },
  ]);
  if (choice !== 'date') return periodStart(choice, nowSec);
  const text = await askText(io, '--since', io.t('export.prompt.dateInput'), {
    validate: (v) => {
      try {
        parseDateArg(v, '--since');
        return true;
      } catch {
        return io.t('error.badDate', { value: v, flag: '--since' });
      }
    },
  });
  return parseDateArg(text, '--since');
}

function progressReporter(io: IO, startMs: number) {
  const spinner = io.spinner(io.t('export.progress.start'));
  let last = 0;
  return {
    update(n: number) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const elapsed = Math.max(0.001, (now - startMs) / 1000);
      spinner.update(io.t('export.progress', { count: n, rate: Math.round(n / elapsed), elapsed: Math.round(elapsed) }));
    },
    stop: () => spinner.stop(),
  };
}

function summaryJson(r: ExportResult, o: { format: ExportFormat; target: string; output?: string; inPlace?: boolean }) {
  const sum = (k: 'exported' | 'skippedWithoutPhone' | 'invalidNumbers' | 'deleted' | 'skippedByRights' | 'overLimit') => r.accounts.reduce((a, x) => a + x[k], 0);
  return {
    exported: sum('exported'),
    skippedWithoutPhone: sum('skippedWithoutPhone'),
    skippedByRights: sum('skippedByRights'),
    overLimit: sum('overLimit'),
    invalidNumbers: sum('invalidNumbers'),
    deleted: sum('deleted'),
    format: o.format,
    target: o.target,
    output: o.output ?? null,
    ...(o.inPlace ? { writtenInPlace: true } : {}),
    accounts: r.accounts.map((a) => ({
      profile: a.profile,
      accountId: a.accountId,
      accountName: a.accountName,
      since: isoSeconds(a.since),
      watermark: isoSeconds(a.until),
      exported: a.exported,
      skippedWithoutPhone: a.skippedWithoutPhone,
      skippedByRights: a.skippedByRights,
      overLimit: a.overLimit,
      invalidNumbers: a.invalidNumbers,
      deleted: a.deleted,
      rights: a.rights,
      rightsSource: a.rightsSource ?? 'read',
      filterIgnored: a.filterIgnored,
    })),
    deletedContacts: r.deleted.map((d) => ({ accountId: d.accountId, id: d.id, reason: d.reason, at: isoSeconds(d.at) })),
  };
}

export async function exportAction(o: ExportOptions, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const nowSec = () => Math.floor(deps.now().getTime() / 1000);
  const since = o.since !== undefined ? parseDateArg(o.since, '--since') : undefined;
  const until = o.until !== undefined ? parseDateArg(o.until, '--until', true) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new AppError('usage', 'export.error.period', { since: o.since!, until: o.until! });
  if (o.target !== undefined && !TARGET_NAME.test(o.target)) throw new AppError('usage', 'export.error.target', { value: o.target });
  const limit = o.limit ?? (o.target === 'ios' ? IOS_LIMIT : undefined);
  const target = targetName(o, deps.cwd);
  const { asUser, rps, concurrency } = o;
  const outPath = o.output ? resolve(deps.cwd, o.output) : undefined;
  if (outPath && PLACEHOLDER.test(dirname(outPath))) throw new AppError('usage', 'export.error.placeholderInDir', { path: outPath, since: '{since}', until: '{until}' });
  const store = openConfig(deps.env);
  const reports = [o.deletedReport, o.invalidReport].filter((r): r is string => Boolean(r)).map((r) => resolve(deps.cwd, r));
  const locks: TargetLock[] = [];
  if (!o.dryRun) {
    // Everything that would fail after a long export is checked before it starts.
    if (!o.sandbox) assertConfigWritable(deps.env);
    for (const r of reports) assertCanCreate(r);
    locks.push(...(await lockTargets(deps, target, outPath, Boolean(o.wait))));
    if (outPath) await removeStalePartials(outPath);
  }

  const sessions: EarlySession[] = [];
  try {
    for (const account of accountsOf(o)) {
      // The account request goes out with the export's own start-up requests (runExport awaits it).
      const s = await openEarlySession({ account, sandbox: o.sandbox, rps, asUser, timeout: o.timeout, baseUrl: o.baseUrl }, deps);
      sessions.push(s);
    }
    const jobs: AccountJob[] = [];
    let asked: number | undefined;
    for (const s of sessions) {
      // --sandbox is a fresh account every time and promises to store nothing.
      const mark = s.isSandbox ? undefined : readWatermark(store, { profile: s.profileName, by: o.by, target });
      let start = since;
      let fromWatermark = false;
      if (start === undefined && o.full) start = 0;
      if (start === undefined && mark) {
        start = mark.until + 1;
        fromWatermark = true;
      }
      if (start === undefined) {
        if (!io.canPrompt) throw new AppError('usage', 'export.error.needSince', {});
        await s.account(); // a refused login is reported before anyone is asked for a period
        asked ??= await askPeriod(deps, nowSec());
        start = asked;
      }
      jobs.push({ profile: s.profileName, client: s.client, rightsClient: s.rightsClient, account: s.account, asUser, since: start, until, fromWatermark, host: s.host });
      if (fromWatermark) io.debug(io.t('export.continuing', { account: s.profileName, since: isoSeconds(start) }));
    }

    const templated = outPath !== undefined && PLACEHOLDER.test(basename(outPath));
    const file: FileSink | undefined = outPath && !o.dryRun ? await fileSink(outPath) : undefined;
    const sink = o.dryRun ? discardSink() : (file ?? streamSink(io.stdout));
    const started = Date.now();
    const progress = progressReporter(io, started);
    let result: ExportResult;
    try {
      result = await runExport({
        jobs,
        by: o.by,
        format: o.format,
        // A file is committed below, once the run's outcome decides its name and whether to write it.
        sink: file ? deferCommit(file) : sink,
        target,
        bom: o.bom,
        spreadsheetSafe: o.spreadsheetSafe,
        limit,
        concurrency,
        collectInvalid: Boolean(o.invalidReport) && !o.dryRun,
        deletedSincePeriodStart: Boolean(o.deletedReport),
        nowSec,
        signal: deps.signal,
        onProgress: (n) => progress.update(n),
        onWarning: (key, params) => io.warn(io.t(key, params)),
        onRights: (account, r) => {
          if (r.note) io.warn(io.t(r.note, { account: account.name }));
          else io.debug(io.t('export.rights', { account: account.name, mode: r.mode }));
        },
      });
    } finally {
      progress.stop();
    }
    if (o.dryRun) {
      reportDryRun(io, result, target);
      return;
    }
    let written = outPath;
    if (file && outPath) {
      const exported = result.accounts.reduce((a, x) => a + x.exported, 0);
      const from = isoSeconds(Math.min(...result.accounts.map((a) => a.since)));
      // An earlier export in the file may not have been imported yet: nothing new leaves it alone,
      // and a run that has only the changes since then replaces it only when told to.
      const earlier = !file.inPlace && !templated && isRegularFile(outPath);
      try {
        if (exported === 0 && !file.inPlace && (templated || earlier)) {
          await file.abort();
          written = undefined;
          io.info(templated ? io.t('export.nothingNewNoFile', { since: from }) : io.t('export.nothingNew', { since: from, path: outPath }));
        } else if (earlier && jobs.some((j) => j.fromWatermark) && !o.replace) {
          throw new AppError('usage', 'export.error.wouldReplace', { path: outPath, since: from, until: '{until}' });
        } else if (templated) {
          written = expandName(outPath, result);
          await file.commitAs(written);
        } else await file.commit();
      } catch (e) {
        await file.abort();
        throw e;
      }
      if (file.inPlace) io.info(io.t('export.inPlace', { path: outPath }));
      else if (templated && written) io.info(io.t('export.written', { path: written }));
    }

    if (o.deletedReport) {
      await writeTsvReport(
        resolve(deps.cwd, o.deletedReport),
        ['account_id', 'contact_id', 'reason', 'at'],
        result.deleted.map((d) => [d.accountId, d.id, d.reason, isoSeconds(d.at)]),
      );
    }
    if (o.invalidReport) {
      await writeTsvReport(
        resolve(deps.cwd, o.invalidReport),
        ['account_id', 'contact_id', 'name', 'phone'],
        result.invalid.map((i) => [i.accountId, i.contactId, i.name, i.raw]),
      );
    }
    // The output is committed and the reports are written: only now may the watermarks move.
    const stored = new Set(sessions.filter((s) => !s.isSandbox).map((s) => s.profileName));
    writeWatermarks(store, result.watermarks.filter((w) => stored.has(w.profile)));

    reportResult(io, result, { format: o.format, target, output: written, toFile: Boolean(outPath), inPlace: file?.inPlace, elapsedSec: (Date.now() - started) / 1000, limit });
  } finally {
    for (const s of sessions) await s.close();
    for (const l of locks) l.release();
  }
}

/** `{since}` / `{until}` in the file name of -o: one file per run, so no run replaces another's. */
const PLACEHOLDER = /\{(since|until)\}/;

/** ISO 8601 basic format (20240315T120000Z): sortable, and valid in file names everywhere. */
function fileStamp(sec: number): string {
  return isoSeconds(sec).replace(/[-:]/g, '').replace(/\.\d+/, '');
}

function expandName(template: string, r: ExportResult): string {
  const since = fileStamp(Math.min(...r.accounts.map((a) => a.since)));
  const until = fileStamp(Math.min(...r.accounts.map((a) => a.until)));
  return join(dirname(template), basename(template).replace(/\{since\}/g, since).replace(/\{until\}/g, until));
}

function realFile(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * One run per target: the watermark's target and, with -o, the file itself (two targets can name
 * the same file). Taken in a fixed order, so two runs waiting with --wait never hold one each.
 */
async function lockTargets(deps: CliDeps, target: string, outPath: string | undefined, wait: boolean): Promise<TargetLock[]> {
  const keys = new Map<string, string>([[target, target]]);
  // Through a symlink or not, one file is one target.
  if (outPath) keys.set(`file:${realFile(outPath)}`, outPath);
  const locks: TargetLock[] = [];
  try {
    for (const [key, label] of [...keys].sort(([a], [b]) => a.localeCompare(b))) {
      locks.push(await acquireTargetLock(deps.env, key, { wait, signal: deps.signal, label }));
    }
  } catch (e) {
    for (const l of locks) l.release();
    throw e;
  }
  return locks;
}

/** `--dry-run`: the same reading of amoCRM, counted per account; no file, report or watermark. */
function reportDryRun(io: IO, result: ExportResult, target: string): void {
  const total = result.accounts.reduce((a, x) => a + x.exported, 0);
  if (io.json) {
    const accounts = result.accounts.map((a) => ({ profile: a.profile, accountId: a.accountId, accountName: a.accountName, since: isoSeconds(a.since), until: isoSeconds(a.until), count: a.exported }));
    io.out(JSON.stringify({ dryRun: true, target, total, accounts }));
    return;
  }
  for (const a of result.accounts) io.out(io.t('export.dryRun.account', { account: a.accountName, count: a.exported, since: isoSeconds(a.since), until: isoSeconds(a.until) }));
  io.info(io.t('export.dryRun.total', { count: total }));
}

function reportResult(io: IO, r: ExportResult, o: { format: ExportFormat; target: string; output?: string; toFile: boolean; inPlace?: boolean; elapsedSec: number; limit?: number }): void {
  const DELETED_SHOWN = 20;
  // -q: a script that wants the list asks for --deleted-report or --json.
  if (r.deleted.length && !io.quiet) {
    io.warn(io.t('export.deleted.header', { count: r.deleted.length }));
    for (const d of r.deleted.slice(0, DELETED_SHOWN)) io.warn(io.t(`export.deleted.${d.reason}`, { id: d.id, account: d.accountId, at: isoSeconds(d.at) }));
    if (r.deleted.length > DELETED_SHOWN) io.warn(io.t('export.deleted.more', { count: r.deleted.length - DELETED_SHOWN }));
  }
  for (const a of r.accounts) if (a.filterIgnored) io.warn(io.t('export.filterIgnored', { account: a.accountName }));
  if (r.droppedPhones) io.warn(io.t('export.droppedPhones', { count: r.droppedPhones }));
  const j = summaryJson(r, o);
  if (io.json) {
    const text = JSON.stringify(j);
    // stdout carries the contacts unless -o took them.
    if (o.toFile) io.out(text);
    else io.stderr.write(`${text}\n`);
    return;
  }
  const watermark = r.accounts.length ? isoSeconds(Math.min(...r.accounts.map((a) => a.until))) : '';
  io.info(
    io.t('export.summary', {
      exported: j.exported,
      noPhone: j.skippedWithoutPhone,
      invalid: j.invalidNumbers,
      deleted: j.deleted,
      accounts: r.accounts.length,
      watermark,
      seconds: o.elapsedSec.toFixed(1),
    }),
  );
  if (j.overLimit > 0) io.info(io.t('export.overLimit', { count: j.overLimit, limit: o.limit ?? '-' }));
}

export async function resetAction(o: { account?: string[] | string; target?: string; format?: ExportFormat; output?: string; all?: boolean }, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const store = openConfig(deps.env);
  const profiles = o.account === undefined ? undefined : Array.isArray(o.account) ? o.account : [o.account];
  const target = o.target ?? (o.output ? targetName({ format: o.format ?? 'vcard', output: o.output }, deps.cwd) : undefined);
  if (!profiles && target === undefined && !o.all) {
    // Forgetting every watermark makes every target start over: a person sees the list and agrees.
    const marks = listWatermarks(store);
    if (marks.length === 0) {
      if (io.json) io.out(JSON.stringify({ removed: [] }));
      else io.info(io.t('export.reset.none'));
      return;
    }
    if (!io.canPrompt) throw new AppError('usage', 'error.missingFlag', { flag: '--all' });
    for (const w of marks) io.info(io.t('export.reset.item', markJson(w)));
    if (!(await askConfirm(io, '--all', io.t('export.reset.confirm', { count: marks.length })))) {
      io.info(io.t('export.reset.done', { count: 0 }));
      return;
    }
  }
  const removed = resetWatermarks(store, { profiles, target });
  if (io.json) io.out(JSON.stringify({ removed: removed.map(markJson) }));
  else {
    io.info(io.t('export.reset.done', { count: removed.length }));
    if (removed.length === 0 && target !== undefined) io.warn(io.t('export.reset.noMatch', { targets: [...new Set(listWatermarks(store).map((w) => w.target))].join(', ') || '—' }));
  }
}

