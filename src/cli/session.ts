/**
 * Opening an authenticated amoCRM connection for a command: a login from the flags, from the
 * environment (AMO_TOKEN with AMO_HOST or AMO_BASE_URL, as gh takes GH_TOKEN: nothing is stored)
 * or a stored profile, in that order; or the in-process sandbox with --sandbox. Then a
 * rate-limited client, and the account it answers for.
 */
import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import type { ApiAccount } from '../amocrm/types.js';
import type { AmoClient } from '../amocrm/client.js';
import type { TokenProvider } from '../amocrm/auth.js';
import type { ConfigStore } from '../config/store.js';
import { DEFAULT_RPS, DEFAULT_TIMEOUT_MS, MAX_RPS } from '../amocrm/rates.js';
import { resolveAccountHost, resolveBaseUrl, type ResolvedHost } from '../amocrm/host.js';
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
  baseUrl?: string;
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

/** --account <name> (repeatable when multipleAccounts), --base-url <url>, --sandbox, --rps <n>, --as-user <id>. */
export function addSessionOptions(cmd: Command, o: { multipleAccounts?: boolean } = {}): Command {
  if (o.multipleAccounts) {
    cmd.option('--account <name>', 'stored login to use; repeat for several accounts (default: the environment\'s login, AMO_ACCOUNT or the last login)', (v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  } else {
    cmd.option('--account <name>', 'stored login to use (default: the environment\'s login, AMO_ACCOUNT or the last login)');
  }
  return cmd
    .option('--base-url <url>', 'amoCRM server to use, with the token in AMO_TOKEN (env AMO_BASE_URL or AMO_HOST)')
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

/** A session whose account is read when first asked for (see openEarlySession). */
export interface EarlySession extends Omit<Session, 'account'> {
  account: () => Promise<ApiAccount>;
}

export interface OpenSessionOptions {
  account?: string;
  sandbox?: boolean;
  rps?: number;
  asUser?: number;
  /** --base-url: the server; the token comes from AMO_TOKEN or a stored profile of that server. */
  baseUrl?: string;
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

/** The client, token and config code loads with the first session, not with `--help`. */
async function loadAmo() {
  const [client, auth, store] = await Promise.all([import('../amocrm/client.js'), import('../amocrm/auth.js'), import('../config/store.js')]);
  return { createAmoClient: client.createAmoClient, ...auth, openConfig: store.openConfig };
}
type Amo = Awaited<ReturnType<typeof loadAmo>>;

function clientsFor(amo: Amo, target: { baseUrl: string; auth: TokenProvider }, o: OpenSessionOptions, deps: CliDeps) {
  const { createAmoClient } = amo;
  const common = { ...target, log: requestLog(deps), signal: deps.signal, backoffBaseMs: o.backoffBaseMs, timeoutMs: o.timeout === undefined ? undefined : o.timeout * 1000 };
  const client = createAmoClient({ ...common, rps: o.rps, contextUserId: o.asUser });
  const rightsClient = o.asUser === undefined ? client : createAmoClient({ ...common, rps: 1 });
  const closeClients = async () => {
    await client.close();
    if (rightsClient !== client) await rightsClient.close();
  };
  return { client, rightsClient, closeClients };
}

/** A login that lives only in the environment of this process. */
export interface EnvLogin extends ResolvedHost {
  token: string;
  /** The variables it came from, for messages. */
  from: string[];
}

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name]?.trim();
  return v ? v : undefined;
}

/**
 * AMO_TOKEN with AMO_BASE_URL or AMO_HOST (`baseUrlFlag` stands in for both). Undefined when there
 * is no token or no server: the stored profiles are next in line.
 */
export function envLogin(env: NodeJS.ProcessEnv, baseUrlFlag?: string): EnvLogin | undefined {
  const token = envValue(env, 'AMO_TOKEN')?.replace(/^Bearer\s+/i, '');
  if (!token) return undefined;
  if (baseUrlFlag !== undefined) return { ...resolveBaseUrl(baseUrlFlag), token, from: ['--base-url', 'AMO_TOKEN'] };
  const baseUrl = envValue(env, 'AMO_BASE_URL');
  const host = envValue(env, 'AMO_HOST');
  if (baseUrl && host) throw new AppError('usage', 'amocrm.error.envHostAndBaseUrl');
  if (baseUrl) return { ...resolveBaseUrl(baseUrl), token, from: ['AMO_BASE_URL', 'AMO_TOKEN'] };
  if (host) return { ...resolveAccountHost(host), token, from: ['AMO_HOST', 'AMO_TOKEN'] };
  return undefined;
}

/** --base-url without AMO_TOKEN: the stored profile of that server, if there is one. */
function profileForBaseUrl(store: ConfigStore, baseUrlFlag: string, loginCommand: string) {
  const { baseUrl } = resolveBaseUrl(baseUrlFlag);
  const profile = store.listProfiles().find((p) => p.baseUrl === baseUrl);
  if (!profile) throw new AppError('auth', 'amocrm.error.baseUrlNoToken', { baseUrl, command: loginCommand });
  return profile;
}

export async function openSession(o: OpenSessionOptions, deps: CliDeps): Promise<Session> {
  const s = await openEarlySession(o, deps);
  try {
    return { ...s, account: await s.account() };
  } catch (e) {
    await s.close();
    throw e;
  }
}

/**
 * The session without its account read yet: an export sends that request beside its other
 * start-up requests and first contact pages instead of a round trip before them. A failure of the
 * account request (a refused token) surfaces where the account is awaited; the caller closes the
 * session.
 */
export async function openEarlySession(o: OpenSessionOptions, deps: CliDeps): Promise<EarlySession> {
  const log = requestLog(deps);
  const amo = await loadAmo();
  const { LOGIN_COMMAND, oauthTokenProvider, staticTokenProvider } = amo;
  if (o.sandbox) {
    const { startAmoSandbox } = await import('../sandbox/amocrm/index.js');
    const sandbox = await startAmoSandbox(o.sandboxOptions ?? {});
    const { client, rightsClient, closeClients } = clientsFor(amo, { baseUrl: sandbox.url, auth: staticTokenProvider(sandbox.longLivedToken) }, o, deps);
    const close = async () => {
      await closeClients();
      await sandbox.close();
    };
    return { client, rightsClient, profileName: 'sandbox', account: accountRequest(client), host: new URL(sandbox.url).host, isSandbox: true, close };
  }

  // Precedence: --account, then --base-url, then the environment's login, then AMO_ACCOUNT or the default profile.
  const fromEnv = o.account === undefined ? envLogin(deps.env, o.baseUrl) : undefined;
  if (fromEnv) {
    // Watermarks of an environment login are keyed by its host.
    return connect(amo, { baseUrl: fromEnv.baseUrl, auth: staticTokenProvider(fromEnv.token) }, { profileName: fromEnv.host, host: fromEnv.host }, o, deps);
  }
  const store = amo.openConfig(deps.env);
  const wanted = o.account ?? (o.baseUrl === undefined ? deps.env.AMO_ACCOUNT || undefined : undefined);
  const profile = o.account === undefined && o.baseUrl !== undefined ? profileForBaseUrl(store, o.baseUrl, LOGIN_COMMAND) : store.getProfile(wanted);
  if (!profile) {
    if (wanted !== undefined) {
      const known = store.listProfiles().map((p) => p.name);
      throw new AppError('auth', 'amocrm.error.noSuchProfile', { profile: wanted, known: known.join(', ') || '—', command: LOGIN_COMMAND });
    }
    throw new AppError('auth', 'amocrm.error.notLoggedIn', { command: LOGIN_COMMAND });
  }
  const auth = profile.kind === 'oauth' ? oauthTokenProvider(store, profile.name, { log, signal: deps.signal, backoffBaseMs: o.backoffBaseMs }) : staticTokenProvider(profile.accessToken);
  return connect(amo, { baseUrl: profile.baseUrl, auth }, { profileName: profile.name, host: profile.host }, o, deps);
}

function connect(amo: Amo, target: { baseUrl: string; auth: TokenProvider }, names: { profileName: string; host: string }, o: OpenSessionOptions, deps: CliDeps): EarlySession {
  const { client, rightsClient, closeClients } = clientsFor(amo, target, o, deps);
  return { client, rightsClient, ...names, account: accountRequest(client), isSandbox: false, close: closeClients };
}

function accountRequest(client: AmoClient): () => Promise<ApiAccount> {
  let account: Promise<ApiAccount> | undefined;
  return () => (account ??= client.account());
}
