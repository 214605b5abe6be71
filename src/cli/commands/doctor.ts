/**
 * amo-doctor's default action: its options; the checklist (doctor-run.ts) is imported when it runs,
 * so `--help` starts without the adb client, the checks and the simulated phones' server.
 */
import { Option, type Command } from 'commander';
import { AppError } from '../../errors.js';
import { CHECK_IDS } from '../../doctor/status.js';
import { PROFILE_LIST } from '../../sandbox/phone/profiles/list.js';
import type { CliDeps } from '../deps.js';
import { addAdbOptions } from '../options.js';
import type { DoctorFlags } from './doctor-run.js';

export const DEFAULT_SANDBOX_PROFILE = 'pixel-15';

/**
 * Seconds per round trip. A healthy phone answers the largest one (every app's dumpsys) in about
 * a second; ten leaves room for a slow old phone while a frozen one is named within seconds.
 */
export const DEFAULT_TIMEOUT_S = 10;

function parseTimeout(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new AppError('usage', 'error.badNumber', { value: v, flag: '--timeout', expected: 'seconds > 0' });
  return n;
}

function parseChecks(v: string): string[] {
  const ids = v.split(',').map((x) => x.trim()).filter(Boolean);
  const known: readonly string[] = CHECK_IDS;
  const bad = ids.find((id) => !known.includes(id));
  if (bad !== undefined || ids.length === 0) throw new AppError('usage', 'doctor.error.badCheck', { value: bad ?? v, checks: known.join(', ') });
  return ids;
}

function parsePlatform(v: string): 'android' | 'ios' {
  const p = v.toLowerCase();
  if (p !== 'android' && p !== 'ios') throw new AppError('usage', 'doctor.error.badPlatform', { value: v });
  return p;
}

function profilesHelp(): string {
  return `\nSimulated phones for --sandbox:\n${PROFILE_LIST.map((p) => `  ${p.id.padEnd(22)} ${p.description}`).join('\n')}\n`;
}

export function addDoctorCommands(program: Command, deps: CliDeps): void {
  addAdbOptions(program)
    // Long names carry "adb-"/"crm-" so they never swallow the --host/--account of `login`/`status`
    // (commander hands a parent's known options to the parent even after a subcommand).
    .option('--package <name>', 'package of the amoCRM app (default: detected)')
    .option('--callerid-package <name>', 'package of the Caller ID app (default: detected)')
    .option('--number <phone>', 'check this client number: phone contacts, amoCRM, last caller-ID dataset')
    .option('--region <cc>', 'default country for --number without +', 'RU')
    .option('--fix', 'fix what adb can fix without root, open settings screens for the rest, then re-check')
    .option('--yes', 'apply --fix without asking')
    .option('--report <file>', 'write a support bundle FILE.md + FILE.json (numbers and names masked)')
    .addOption(new Option('--platform <platform>', 'android or ios (ios: a questionnaire)').argParser(parsePlatform).default('android'))
    .option('--answers <list>', 'iOS answers off a terminal: ios-version=17.4,paid=yes,not-in-contacts=yes,switch=yes,resynced=no,low-power-off=yes')
    .option('--sandbox [profile]', `run against a simulated phone (default ${DEFAULT_SANDBOX_PROFILE}); see the list below`)
    .option('--crm-account <name>', 'amoCRM profile for the --number lookup (default: the last login)')
    .addOption(new Option('--check <ids>', `only these checks, comma-separated: ${CHECK_IDS.join(', ')}`).argParser(parseChecks))
    .addOption(new Option('--timeout <seconds>', 'per round trip to the phone').argParser(parseTimeout).default(DEFAULT_TIMEOUT_S))
    .addHelpText('after', profilesHelp())
    .action(async (_opts, cmd: Command) => {
      await (await import('./doctor-run.js')).runDoctor(cmd.optsWithGlobals<DoctorFlags>(), deps);
    });
}
