/**
 * `amo-export [options]` (the program's default action) and `amo-export reset`.
 * Order of a run: arguments → sessions → window per account (flag, watermark or prompt) → export
 * into a sink → commit → reports → watermarks. A crash before the last step leaves the previous
 * watermarks, so the next run covers the same period again.
 */
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { positiveInt } from '../options.js';
import { writeTsvReport } from '../tsv-report.js';
import { subcommand } from '../program.js';
import { askChoice, askText } from '../prompts.js';
import { addSessionOptions, openSession, type Session } from '../session.js';
import { openConfig } from '../../config/store.js';
import { AppError } from '../../errors.js';
import { isoSeconds, parseDateArg, periodStart, type PeriodChoice } from '../../export/dates.js';
import { fileSink, streamSink } from '../../export/output.js';
import { runExport, type AccountJob, type ExportResult } from '../../export/run.js';
import { DEFAULT_CONCURRENCY } from '../../contacts/source.js';
import { readWatermark, resetWatermarks, writeWatermarks } from '../../export/state.js';
import { IOS_LIMIT } from '../../export/most-recent.js';
import type { ExportFormat } from '../../export/writers/types.js';
import { EXPORT_FORMATS } from '../../export/writers/index.js';
import type { IO } from '../io.js';

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

interface ExportOptions {
  since?: string;
  until?: string;
  by: 'updated' | 'created';
  format: ExportFormat;
  output?: string;
  bom?: boolean;
  limit?: number;
  target?: string;
  full?: boolean;
  deletedReport?: string;
  invalidReport?: string;
  concurrency?: number;
  account?: string[] | string;
  sandbox?: boolean;
  rps?: number;
  asUser?: number;
  json?: boolean;
}

function accountsOf(o: ExportOptions): (string | undefined)[] {
  const list = o.account === undefined ? [] : Array.isArray(o.account) ? o.account : [o.account];
  return list.length ? [...new Set(list)] : [undefined];
}

/** `format:path` (or `format:stdout`) unless the user named the target. */
export function targetName(o: { target?: string; format: ExportFormat; output?: string }, cwd: string): string {
  if (o.target) return o.target;
  return `${o.format}:${o.output ? resolve(cwd, o.output) : 'stdout'}`;
}

async function askPeriod(deps: CliDeps, nowSec: number): Promise<number> {
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

function summaryJson(r: ExportResult, o: { format: ExportFormat; target: string; output?: string }) {
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
      filterIgnored: a.filterIgnored,
    })),
    deletedContacts: r.deleted.map((d) => ({ accountId: d.accountId, id: d.id, reason: d.reason, at: isoSeconds(d.at) })),
  };
}

async function exportAction(o: ExportOptions, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const nowSec = () => Math.floor(deps.now().getTime() / 1000);
  const since = o.since !== undefined ? parseDateArg(o.since, '--since') : undefined;
  const until = o.until !== undefined ? parseDateArg(o.until, '--until', true) : undefined;
  if (since !== undefined && until !== undefined && since > until) throw new AppError('usage', 'export.error.period', { since: o.since!, until: o.until! });
  if (o.target !== undefined && !TARGET_NAME.test(o.target)) throw new AppError('usage', 'export.error.target', { value: o.target });
  const limit = o.limit ?? (o.target === 'ios' ? IOS_LIMIT : undefined);
  const target = targetName(o, deps.cwd);
  const { asUser, rps, concurrency } = o;
  const store = openConfig(deps.env);

  const sessions: Session[] = [];
  try {
    for (const account of accountsOf(o)) {
      const s = await openSession({ account, sandbox: o.sandbox, rps, asUser }, deps);
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
        asked ??= await askPeriod(deps, nowSec());
        start = asked;
      }
      jobs.push({ profile: s.profileName, client: s.client, rightsClient: s.rightsClient, account: s.account, asUser, since: start, until, fromWatermark });
      if (fromWatermark) io.debug(io.t('export.continuing', { account: s.account.name, since: isoSeconds(start) }));
    }

    const outPath = o.output ? resolve(deps.cwd, o.output) : undefined;
    const sink = outPath ? await fileSink(outPath) : streamSink(io.stdout);
    const started = Date.now();
    const progress = progressReporter(io, started);
    let result: ExportResult;
    try {
      result = await runExport({
        jobs,
        by: o.by,
        format: o.format,
        sink,
        target,
        bom: o.bom,
        limit,
        concurrency,
        collectInvalid: Boolean(o.invalidReport),
        deletedSincePeriodStart: Boolean(o.deletedReport),
        nowSec,
        signal: deps.signal,
        onProgress: (n) => progress.update(n),
        onWarning: (key, params) => io.warn(io.t(key, params)),
        onRights: (job, r) => {
          if (r.note) io.warn(io.t(r.note, { account: job.account.name }));
          else io.debug(io.t('export.rights', { account: job.account.name, mode: r.mode }));
        },
      });
    } finally {
      progress.stop();
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

    reportResult(io, result, { format: o.format, target, output: outPath, elapsedSec: (Date.now() - started) / 1000 });
  } finally {
    for (const s of sessions) await s.close();
  }
}

function reportResult(io: IO, r: ExportResult, o: { format: ExportFormat; target: string; output?: string; elapsedSec: number }): void {
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
    if (o.output) io.out(text);
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
}

async function resetAction(o: { account?: string[] | string; target?: string; format?: ExportFormat; output?: string }, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const store = openConfig(deps.env);
  const profiles = o.account === undefined ? undefined : Array.isArray(o.account) ? o.account : [o.account];
  const target = o.target ?? (o.output ? targetName({ format: o.format ?? 'vcard', output: o.output }, deps.cwd) : undefined);
  const removed = resetWatermarks(store, { profiles, target });
  if (io.json) io.out(JSON.stringify({ removed: removed.map((w) => ({ profile: w.profile, by: w.by, target: w.target, watermark: isoSeconds(w.until) })) }));
  else io.info(io.t('export.reset.done', { count: removed.length }));
}

export function addExportCommands(program: Command, deps: CliDeps): void {
  program
    .option('--since <date>', 'start of the period: YYYY-MM-DD (UTC day) or ISO 8601 timestamp; default: where the last export left off')
    .option('--until <date>', 'end of the period (a bare date includes that whole UTC day); default: now − 60 s')
    .addOption(new Option('--by <field>', 'which date the period applies to').choices(['updated', 'created']).default('updated'))
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('vcard'))
    .option('-o, --output <file>', 'write to FILE atomically instead of stdout (then --json prints the summary on stdout; without -o it goes to stderr)')
    .option('--bom', 'start the file with a UTF-8 BOM (Excel)')
    .addOption(new Option('--limit <n>', 'keep only the N most recently created/edited contacts per account').argParser(positiveInt('--limit')))
    .option('--target <name>', 'name of the destination for watermarks; "ios" also keeps 5,000 contacts per account (default: format + output path)')
    .option('--full', 'ignore the watermark and export the whole period (everything without --since)')
    .option('--deleted-report <file>', 'write contacts deleted in amoCRM since the period start to FILE (TSV)')
    .option('--invalid-report <file>', 'write phone strings that are not phone numbers to FILE (TSV)')
    .addOption(new Option('--concurrency <n>', `requests kept in flight (the --rps limit still applies); default ${DEFAULT_CONCURRENCY}`).argParser(positiveInt('--concurrency')));
  addSessionOptions(program, { multipleAccounts: true });
  program.action(async (_opts: unknown, cmd: Command) => {
    await exportAction(cmd.optsWithGlobals<ExportOptions>(), deps);
  });

  const reset = subcommand(program, 'reset', 'forget the watermark so the next export asks for a period again', deps)
    .option('--account <profile>', 'only this profile (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--target <name>', 'only this target')
    .addOption(new Option('--format <format>', 'with -o: the target of that format and file').choices(EXPORT_FORMATS))
    .option('-o, --output <file>', 'the target that wrote to this file');
  reset.action(async (_opts: unknown, cmd: Command) => {
    // Options written after `reset` may be taken by the program's own (same-named) options.
    await resetAction(cmd.optsWithGlobals(), deps);
  });
}
