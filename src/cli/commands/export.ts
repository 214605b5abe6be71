/**
 * `amo-export [options]` (the program's default action) and `amo-export reset`: options only; the
 * work (export-run.ts, and sync-run.ts for `--to`) is imported when a command runs, so `--help`
 * starts without the export, CRM and CardDAV code.
 */
import { Option, type Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { positiveInt } from '../options.js';
import { subcommand } from '../program.js';
import { addSessionOptions } from '../session.js';
import { DEFAULT_CONCURRENCY } from '../../amocrm/rates.js';
import { EXPORT_FORMATS } from '../../export/writers/types.js';
import type { ExportOptions } from './export-run.js';
import { addIosProfileCommand, addSyncOptions, addSyncResetOptions } from './sync.js';
import type { SyncOptions, SyncResetOptions } from './sync-run.js';

export function addExportCommands(program: Command, deps: CliDeps): void {
  program
    .option('--since <date>', 'start of the period: YYYY-MM-DD (UTC day) or ISO 8601 timestamp; default: where the last export left off')
    .option('--until <date>', 'end of the period (a bare date includes that whole UTC day); default: now − 60 s')
    .addOption(new Option('--by <field>', 'which date the period applies to').choices(['updated', 'created']).default('updated'))
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('vcard'))
    .option('-o, --output <file>', 'write to FILE atomically instead of stdout (then --json prints the summary on stdout; without -o it goes to stderr)')
    .option('--bom', 'start the file with a UTF-8 BOM (Excel)')
    .option('--spreadsheet-safe', 'CSV: put a \' before every cell that starts like a formula, phones and @handles too (for files opened in a spreadsheet; contacts importers keep the \')')
    .addOption(new Option('--limit <n>', 'keep only the N most recently created/edited contacts per account').argParser(positiveInt('--limit')))
    .option('--target <name>', 'name of the destination for watermarks; "ios" also keeps 5,000 contacts per account (default: format + output path)')
    .option('--full', 'ignore the watermark and export the whole period (everything without --since)')
    .option('--deleted-report <file>', 'write contacts deleted in amoCRM since the period start to FILE (TSV)')
    .option('--invalid-report <file>', 'write phone strings that are not phone numbers to FILE (TSV)')
    .addOption(new Option('--concurrency <n>', `the most slices of the period read at once (default ${DEFAULT_CONCURRENCY}); fewer when fewer keep the --rps rate busy`).argParser(positiveInt('--concurrency')))
    .option('--wait', 'when another run is writing to the same target, wait for it instead of refusing')
    .option('--replace', 'let a run that continues from the watermark overwrite the earlier export in the -o file')
    .option('--dry-run', 'count what would be exported, per account, without writing anything or moving the watermark');
  addSessionOptions(program, { multipleAccounts: true });
  addSyncOptions(program);
  program.action(async (_opts: unknown, cmd: Command) => {
    const o = cmd.optsWithGlobals<ExportOptions & SyncOptions>();
    if (o.to !== undefined) return (await import('./sync-run.js')).syncAction(o, deps);
    await (await import('./export-run.js')).exportAction(o, deps);
  });

  const reset = subcommand(program, 'reset', 'forget the watermark so the next export asks for a period again', deps)
    .option('--account <profile>', 'only this profile (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--target <name>', 'only this target')
    .addOption(new Option('--format <format>', 'with -o: the target of that format and file').choices(EXPORT_FORMATS))
    .option('-o, --output <file>', 'the target that wrote to this file')
    .option('--all', 'forget every watermark (a bare reset asks first on a terminal)');
  addSyncResetOptions(reset);
  reset.action(async (_opts: unknown, cmd: Command) => {
    // Options written after `reset` may be taken by the program's own (same-named) options.
    const o = cmd.optsWithGlobals();
    if (o.to !== undefined) return (await import('./sync-run.js')).syncResetAction(o as SyncResetOptions, deps);
    await (await import('./export-run.js')).resetAction(o, deps);
  });
  addIosProfileCommand(program, deps);
}

