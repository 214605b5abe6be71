/**
 * Opening an authenticated amoCRM connection for a command: the stored profile (or the in-process
 * sandbox with --sandbox), a rate-limited client, and the account it answers for.
 */
import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import type { ApiAccount } from '../amocrm/types.js';
import { createAmoClient, DEFAULT_RPS, MAX_RPS, type AmoClient } from '../amocrm/client.js';
import { DEFAULT_TIMEOUT_MS } from '../amocrm/http.js';
import { LOGIN_COMMAND, oauthTokenProvider, staticTokenProvider, type TokenProvider } from '../amocrm/auth.js';
import { openConfig } from '../config/store.js';
import type { SandboxOptions } from '../sandbox/amocrm/types.js';
import type { CliDeps } from './deps.js';
import { positiveInt } from './options.js';
import { safeText } from '../i18n/safe-text.js';

export interface SessionFlags {
  account?: string | string[];
  sandbox?: boolean;
  rps?: number;
  asUser?: number;
  timeout?: number;
}

/** The longest --timeout we accept, in seconds. */
const MAX_TIMEOUT_S = 600;

/** --timeout: seconds one request (body included) may take before it counts as failed and is retried. */
function timeoutArg(value: string): number {
  const n = Number(value);
  if (!/^\d+(?:\.\d+)?$/.test(value.trim()) || n < 1 || n > MAX_TIMEOUT_S) throw new AppError('usage', 'amocrm.error.badTimeout', { value, max: MAX_TIMEOUT_S });
  return n;
}

/** --rps: 1..MAX_RPS, with a message that says why 7 is the ceiling. */
function rpsArg(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > MAX_RPS) throw new AppError('usage', 'amocrm.error.badRps', { value, max: MAX_RPS });
  return n;
}

/** --account <name> (repeatable when multipleAccounts), --sandbox, --rps <n>, --as-user <id>. */
export function addSessionOptions(cmd: Command, o: { multipleAccounts?: boolean } = {}): Command {
  if (o.multipleAccounts) {
    cmd.option('--account <name>', 'profile to use (repeat for several accounts; default: the last login, or AMO_ACCOUNT)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  } else {
    cmd.option('--account <name>', 'profile to use (default: the last login, or AMO_ACCOUNT)');
  }
  return cmd
    .option('--sandbox', 'use a built-in amoCRM sandbox instead of a real account (nothing is stored)')
    .addOption(new Option('--rps <n>', `requests per second to amoCRM, 1..${MAX_RPS} (default ${DEFAULT_RPS})`).argParser(rpsArg))
    .addOption(new Option('--as-user <id>', 'apply this amoCRM user\'s rights (X-Context-User-ID; admin-granted tokens)').argParser(positiveInt('--as-user')))
    .addOption(new Option('--timeout <seconds>', `seconds one request to amoCRM may take, answer included, before it is retried (default ${DEFAULT_TIMEOUT_MS / 1000})`).argParser(timeoutArg));
}

export interface Session {
  client: AmoClient;
  /**
   * A client without X-Context-User-ID, for reading the --as-user's rights: with the header the
   * server answers as that user, who usually may not read /users. Same as `client` without
   * --as-user; its own limiter runs at 1 req/s since it makes only a couple of requests.
   */
  rightsClient: AmoClient;
  profileName: string;
  account: ApiAccount;
  host: string;
  isSandbox: boolean;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  account?: string;
  sandbox?: boolean;
  rps?: number;
  asUser?: number;
  sandboxOptions?: SandboxOptions;
  /** Base of the client's backoffs (tests). */
  backoffBaseMs?: number;
  /** --timeout, seconds */
  timeout?: number;
}

/** --verbose request lines; they carry the server's request ids, so they are cleaned like message parameters. */
function requestLog(deps: CliDeps): ((line: string) => void) | undefined {
  return deps.io.verbose ? (line) => deps.io.debug(safeText(line)) : undefined;
}

function clientsFor(target: { baseUrl: string; auth: TokenProvider }, o: OpenSessionOptions, deps: CliDeps) {
  const common = { ...target, log: requestLog(deps), signal: deps.signal, backoffBaseMs: o.backoffBaseMs, timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 };
  const client = createAmoClient({ ...common, rps: o.rps, contextUserId: o.asUser });
  const rightsClient = o.asUser === undefined ? client : createAmoClient({ ...common, rps: 1 });
  const closeClients = async () => {
    await client.close();
    if (rightsClient !== client) await rightsClient.close();
  };
  return { client, rightsClient, closeClients };
}

export async function openSession(o: OpenSessionOptions, deps: CliDeps): Promise<Session> {
  const log = requestLog(deps);
  if (o.sandbox) {
    const { startAmoSandbox } = await import('../sandbox/amocrm/index.js');
    const sandbox = await startAmoSandbox(o.sandboxOptions ?? {});
    const { client, rightsClient, closeClients } = clientsFor({ baseUrl: sandbox.url, auth: staticTokenProvider(sandbox.longLivedToken) }, o, deps);
    const close = async () => {
      await closeClients();
      await sandbox.close();
    };
    try {
      const account = await client.account();
      return { client, rightsClient, profileName: 'sandbox', account, host: new URL(sandbox.url).host, isSandbox: true, close };
    } catch (e) {
      await close();
      throw e;
    }
  }

  const store = openConfig(deps.env);
  const wanted = o.account ?? (deps.env.AMO_ACCOUNT || undefined);
  const profile = store.getProfile(wanted);
  if (!profile) {
    if (wanted !== undefined) {
      const known = store.listProfiles().map((p) => p.name);
      throw new AppError('auth', 'amocrm.error.noSuchProfile', { profile: wanted, known: known.join(', ') || '—', command: LOGIN_COMMAND });
    }
    throw new AppError('auth', 'amocrm.error.notLoggedIn', { command: LOGIN_COMMAND });
  }
  const auth = profile.kind === 'oauth' ? oauthTokenProvider(store, profile.name, { log, signal: deps.signal, backoffBaseMs: o.backoffBaseMs }) : staticTokenProvider(profile.accessToken);
  const { client, rightsClient, closeClients } = clientsFor({ baseUrl: profile.baseUrl, auth }, o, deps);
  try {
    const account = await client.account();
    return { client, rightsClient, profileName: profile.name, account, host: profile.host, isSandbox: false, close: closeClients };
  } catch (e) {
    await closeClients();
    throw e;
  }
}
