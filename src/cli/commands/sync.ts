/**
 * `amo-export --to URL`, `amo-export reset --to URL` and `amo-export ios-profile`: options only;
 * the CardDAV sync (sync-run.ts) is imported when one of them runs.
 */
import { Option, type Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { positiveInt } from '../options.js';
import { subcommand } from '../program.js';
import { DEFAULT_DAV_CONCURRENCY } from '../../carddav/defaults.js';
import type { IosProfileOptions } from './sync-run.js';

export const DEFAULT_WATCH_SECONDS = 60;

/** The options `--to` adds to amo-export's default action. */
export function addSyncOptions(program: Command): void {
  program
    .option('--to <url>', 'keep this CardDAV address book (or the --book on this server) equal to amoCRM instead of writing a file')
    .option('--dav-user <name>', 'CardDAV user name (password from AMO_DAV_PASSWORD or a hidden prompt)')
    .option('--dav-token [token]', 'CardDAV bearer token (Google); without a value from AMO_DAV_TOKEN or a hidden prompt')
    .option('--book <name>', 'with a server or principal URL: the address book to use or create', 'amoCRM')
    .option('--save', 'keep the CardDAV credentials in the profile (0600) so later runs need only --to')
    .addOption(new Option('--watch [seconds]', `repeat the sync every SECONDS (default ${DEFAULT_WATCH_SECONDS}) until Ctrl-C / SIGTERM`).argParser(positiveInt('--watch')))
    .addOption(new Option('--on-conflict <policy>', 'a card edited on the phone: crm overwrites it (the phone\'s version is saved), phone keeps it, skip reports it').choices(['crm', 'phone', 'skip']).default('crm'))
    .addOption(new Option('--dav-concurrency <n>', `requests to the CardDAV server in flight (default ${DEFAULT_DAV_CONCURRENCY})`).argParser(positiveInt('--dav-concurrency')));
}

export function addSyncResetOptions(reset: Command): void {
  reset
    .option('--to <url>', 'the CardDAV destination whose watermark to forget')
    .option('--delete-cards', 'with --to: also delete every card this tool created in that book (the owner\'s cards stay)')
    .option('--dav-user <name>', 'CardDAV user name (with --delete-cards)')
    .option('--dav-token [token]', 'CardDAV bearer token (with --delete-cards)')
    .option('--book <name>', 'the address book on that server', 'amoCRM');
}

export function addIosProfileCommand(program: Command, deps: CliDeps): void {
  subcommand(program, 'ios-profile', 'write an iOS configuration profile that subscribes an iPhone to the CardDAV book', deps)
    .option('--to <url>', 'the CardDAV server or principal URL the iPhone should use')
    .option('--dav-user <name>', 'CardDAV user name')
    .option('-o, --output <file>', 'where to write the .mobileconfig')
    .option('--include-password', 'put the password (AMO_DAV_PASSWORD or a hidden prompt) into the profile')
    .option('--book <name>', 'description shown on the iPhone', 'amoCRM')
    .action(async (_opts: unknown, cmd: Command) => {
      // The root command has --to, --dav-user and -o too and may take them: read both levels.
      const o = cmd.optsWithGlobals<IosProfileOptions>();
      await (await import('./sync-run.js')).iosProfileAction(o, deps);
    });
}
