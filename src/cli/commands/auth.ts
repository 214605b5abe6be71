/**
 * login / logout / status, shared by all three bins: their options; the work lives in auth-run.ts,
 * imported when a command runs.
 */
import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';
import { subcommand } from '../program.js';
import type { LoginFlags, StatusExtra } from './auth-run.js';

/**
 * An option of this subcommand; when the bin's root command has the same option (amo-export's
 * default action has `--account` and `--base-url`), commander hands the value to the root, so
 * look there too.
 */
function ownOrRoot(cmd: Command, name: 'account' | 'baseUrl'): string | undefined {
  const own = (cmd.opts() as Record<string, string | undefined>)[name];
  if (own !== undefined) return own;
  const inherited = (cmd.parent?.opts() as Record<string, string | string[] | undefined> | undefined)?.[name];
  return Array.isArray(inherited) ? inherited[inherited.length - 1] : inherited;
}

const accountOption = (cmd: Command) => ownOrRoot(cmd, 'account');

export function addAuthCommands(program: Command, deps: CliDeps, o: { statusExtra?: StatusExtra } = {}): void {
  subcommand(program, 'login', 'log in to an amoCRM account and store it as a profile', deps)
    .option('--host <host>', 'account host, e.g. acme.amocrm.ru or acme.kommo.com (env AMO_HOST)')
    .option('--base-url <url>', 'base URL of any amoCRM-compatible server; http only for localhost (env AMO_BASE_URL)')
    .option('--token <token>', 'long-lived token (env AMO_TOKEN; prefer the variable: flags show up in process lists)')
    .option('--client-id <id>', 'OAuth integration id (env AMO_CLIENT_ID)')
    .option('--client-secret <secret>', 'OAuth secret key (env AMO_CLIENT_SECRET)')
    .option('--redirect-uri <uri>', 'OAuth redirect URI of the integration (env AMO_REDIRECT_URI)')
    .option('--code <code>', 'OAuth authorization code, valid 20 minutes (env AMO_AUTH_CODE)')
    .option('--account <name>', 'profile name to store the login under (env AMO_ACCOUNT; default: the subdomain)')
    .action(async (opts: LoginFlags, cmd: Command) => (await import('./auth-run.js')).runLogin({ ...opts, account: accountOption(cmd), baseUrl: ownOrRoot(cmd, 'baseUrl') }, deps));
  subcommand(program, 'logout', 'remove a stored login from this computer', deps)
    .option('--account <name>', 'profile to remove (default: the default profile)')
    .action(async (_opts: unknown, cmd: Command) => (await import('./auth-run.js')).runLogout({ account: accountOption(cmd) }, deps));
  subcommand(program, 'status', 'show the login in use (environment or stored): account, user, rights, token kind and expiry', deps)
    .option('--account <name>', 'profile to show (default: the default profile)')
    .action(async (_opts: unknown, cmd: Command) => (await import('./auth-run.js')).runStatus({ account: accountOption(cmd) }, deps, o.statusExtra));
}
