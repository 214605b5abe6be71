/**
 * `amo-callerid build`, `verify`, `diff`: options only; the work is imported when a command runs,
 * so `--help` and `--version` start without the dataset, CRM and phone-number code.
 */
import { Option, type Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { addAdbOptions, positiveInt } from '../options.js';
import { subcommand } from '../program.js';
import { addSessionOptions } from '../session.js';
import { DEFAULT_TEMPLATE } from '../../callerid/label.js';
import { DEFAULT_LIMITS, IOS_MAX } from '../../callerid/manifest.js';
import type { BuildFlags } from './callerid-run.js';

export function addCalleridCommands(program: Command, deps: CliDeps): void {
  const build = subcommand(program, 'build', 'build caller-ID datasets (iOS binary + TSV, Android SQLite) from the account or a vCard/CSV file', deps)
    .addOption(new Option('--platform <platform>', 'which datasets to build').choices(['ios', 'android', 'all']).default('all'))
    .option('--out <dir>', 'output directory (kept between builds for deltas)', 'callerid')
    .option('--input <file>', 'build offline from a vCard or CSV file instead of the account')
    .addOption(new Option('--limit <n>', `numbers per platform (default iOS ${DEFAULT_LIMITS.ios}, Android ${DEFAULT_LIMITS.android}; iOS at most ${IOS_MAX})`).argParser(positiveInt('--limit')))
    .option('--label <template>', 'label template: {name} {first} {last} {company} {position}', DEFAULT_TEMPLATE)
    .option('--region <code>', 'default region for numbers without a country code (default: the account\'s country; RU for files)')
    .option('--fallback-label <text>', 'label when a contact has neither name nor company (default: "Клиент amoCRM" for RU-area regions, else "amoCRM client")')
    .option('--exclude-contacts <file>', 'leave out numbers present in this vCard/CSV (a phone\'s own contacts); repeatable', (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--exclude-from-device', 'leave out numbers in the contacts of the Android phone on adb (Android dataset only)')
    .option('--invalid-report <file>', 'write the phone strings that were not valid numbers to this TSV file');
  addSessionOptions(build);
  addAdbOptions(build);
  build.action(async (o: BuildFlags, cmd: Command) => (await import('./callerid-run.js')).runBuild({ ...o, outIsDefault: cmd.getOptionValueSource('out') === 'default' }, deps));

  subcommand(program, 'verify <dir>', 'check a dataset directory: order, uniqueness, labels, counts, checksums, delta', deps).action(async (dir: string) => (await import('./callerid-run.js')).runVerify(dir, deps));
  subcommand(program, 'diff <old> <new>', 'show numbers added, removed and relabelled between two dataset directories', deps).action(async (a: string, b: string) => (await import('./callerid-run.js')).runDiff(a, b, deps));
}

