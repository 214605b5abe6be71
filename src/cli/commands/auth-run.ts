/**
 * What login / logout / status do (imported when one runs), shared by all three bins. Secrets come from flags, environment variables
 * or hidden prompts, are verified with GET /api/v4/account before anything is stored, and are only
 * ever shown masked.
 */
import { AppError, isAppError } from '../../errors.js';
import type { ApiAccount, ApiUser } from '../../amocrm/types.js';
import { createAmoClient } from '../../amocrm/client.js';
import { exchangeCode, LOGIN_COMMAND, oauthTokenProvider, staticTokenProvider, type TokenProvider } from '../../amocrm/auth.js';
import { resolveAccountHost, resolveBaseUrl, type ResolvedHost } from '../../amocrm/host.js';
import { jwtExpiresAt } from '../../amocrm/jwt.js';
import { maskToken } from '../../amocrm/mask.js';
import { openConfig, type ConfigStore, type Profile, type TokenKind } from '../../config/store.js';
import type { CliDeps } from '../deps.js';
import { exitCodeFor } from '../exit.js';
import { askChoice, askSecret, askText } from '../prompts.js';
import { envLogin, type EnvLogin } from '../session.js';

export interface LoginFlags {
  host?: string;
  baseUrl?: string;
  token?: string;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  code?: string;
  account?: string;
}

const PROFILE_NAME = /^[\p{L}\p{N}._@-]{1,64}$/u;
const STALE_REFRESH_DAYS = 60;
const DAY_MS = 86_400_000;

/** A flag wins over its environment variable; blank values count as missing. */
function pick(flag: string | undefined, env: string | undefined): string | undefined {
  const v = (flag ?? env)?.trim();
  return v ? v : undefined;
}

function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

async function verify(baseUrl: string, auth: TokenProvider, deps: CliDeps): Promise<{ account: ApiAccount; user: ApiUser | null }> {
  const client = createAmoClient({ baseUrl, auth, log: deps.io.verbose ? (l) => deps.io.debug(l) : undefined, signal: deps.signal });
  try {
    const account = await client.account();
    const user = await client.user(account.current_user_id);
    return { account, user };
  } finally {
    await client.close();
  }
}

export async function runLogin(f: LoginFlags, deps: CliDeps): Promise<void> {
  const { io, env } = deps;
  const t = io.t;
  const baseUrlText = pick(f.baseUrl, env.AMO_BASE_URL);
  let hostText = pick(f.host, env.AMO_HOST);
  if (baseUrlText && hostText) throw new AppError('usage', 'amocrm.error.hostAndBaseUrl');
  const nameFlag = pick(f.account, env.AMO_ACCOUNT);
  if (nameFlag !== undefined && !PROFILE_NAME.test(nameFlag)) throw new AppError('usage', 'amocrm.error.badProfileName', { value: nameFlag });

  let target: ResolvedHost;
  if (baseUrlText) target = resolveBaseUrl(baseUrlText);
  else {
    hostText ??= await askText(io, '--host', t('auth.prompt.host'), {
      validate: (v) => {
        try {
          resolveAccountHost(v);
          return true;
        } catch (e) {
          return isAppError(e) ? t(e.key, e.params) : String(e);
        }
      },
    });
    target = resolveAccountHost(hostText);
  }

  // People paste the header value they saw in the docs; the scheme is ours to add.
  let token = pick(f.token, env.AMO_TOKEN)?.replace(/^Bearer\s+/i, '');
  let clientId = pick(f.clientId, env.AMO_CLIENT_ID);
  let clientSecret = pick(f.clientSecret, env.AMO_CLIENT_SECRET);
  let redirectUri = pick(f.redirectUri, env.AMO_REDIRECT_URI);
  let code = pick(f.code, env.AMO_AUTH_CODE);
  const anyOauth = Boolean(clientId || clientSecret || redirectUri || code);
  if (token && anyOauth) throw new AppError('usage', 'amocrm.error.twoModes');
  const kind: TokenKind = token
    ? 'long-lived'
    : anyOauth
      ? 'oauth'
      : await askChoice<TokenKind>(io, '--token (or --client-id, --client-secret, --redirect-uri and --code)', t('auth.prompt.mode'), [
          { value: 'long-lived', name: t('auth.prompt.modeLongLived') },
          { value: 'oauth', name: t('auth.prompt.modeOauth') },
        ]);

  // Token times are compared with the real clock whenever the profile is used, so they come from it too.
  const now = () => Date.now();
  let pair: { accessToken: string; refreshToken?: string; expiresAt?: number; obtainedAt?: number };
  if (kind === 'long-lived') {
    token ??= (await askSecret(io, '--token', t('auth.prompt.token'))).trim().replace(/^Bearer\s+/i, '');
    if (!token) throw new AppError('usage', 'error.missingFlag', { flag: '--token' });
    pair = { accessToken: token, expiresAt: jwtExpiresAt(token) };
  } else {
    clientId ??= (await askText(io, '--client-id', t('auth.prompt.clientId'))).trim();
    clientSecret ??= (await askSecret(io, '--client-secret', t('auth.prompt.clientSecret'))).trim();
    redirectUri ??= (await askText(io, '--redirect-uri', t('auth.prompt.redirectUri'))).trim();
    code ??= (await askSecret(io, '--code', t('auth.prompt.code'))).trim();
    for (const [flag, v] of [['--client-id', clientId], ['--client-secret', clientSecret], ['--redirect-uri', redirectUri], ['--code', code]] as const) {
      if (!v) throw new AppError('usage', 'error.missingFlag', { flag });
    }
    pair = await exchangeCode({ baseUrl: target.baseUrl, clientId, clientSecret, redirectUri }, code, {
      now,
      signal: deps.signal,
      log: io.verbose ? (l) => io.debug(l) : undefined,
    });
  }

  const spinner = io.spinner(t('auth.verifying', { host: target.host }));
  let checked: { account: ApiAccount; user: ApiUser | null };
  try {
    checked = await verify(target.baseUrl, staticTokenProvider(pair.accessToken, kind), deps);
  } catch (e) {
    spinner.stop();
    throw e;
  }
  spinner.stop();
  const { account, user } = checked;
  const name = nameFlag ?? (account.subdomain || target.host);
  const profile: Profile = {
    name,
    host: target.host,
    baseUrl: target.baseUrl,
    kind,
    accessToken: pair.accessToken,
    ...(pair.refreshToken ? { refreshToken: pair.refreshToken } : {}),
    ...(pair.expiresAt !== undefined ? { expiresAt: pair.expiresAt } : {}),
    ...(kind === 'oauth' ? { clientId, clientSecret, redirectUri, lastRefreshAt: pair.obtainedAt ?? now() } : {}),
    accountId: account.id,
    accountName: account.name,
    subdomain: account.subdomain,
    userId: account.current_user_id,
    userName: user?.name ?? '',
    country: account.country,
    savedAt: now(),
  };
  openConfig(env).saveProfile(profile);
  const masked = maskToken(profile.accessToken);
  if (io.json) {
    io.out(
      JSON.stringify({
        profile: name,
        host: profile.host,
        baseUrl: profile.baseUrl,
        accountId: profile.accountId,
        accountName: profile.accountName,
        userId: profile.userId,
        userName: profile.userName || null,
        kind,
        token: masked,
        expiresAt: profile.expiresAt !== undefined ? new Date(profile.expiresAt).toISOString() : null,
      }),
    );
  } else {
    io.info(
      io.c.green(
        t('auth.login.ok', { host: profile.host, user: profile.userName || `#${profile.userId}`, account: profile.accountName, profile: name, kind: t(`auth.kind.${kind}`), token: masked }),
      ),
    );
  }
}

export async function runLogout(f: { account?: string }, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const store = openConfig(deps.env);
  const name = pick(f.account, deps.env.AMO_ACCOUNT) ?? store.defaultProfileName();
  const profile = name !== undefined ? store.getProfile(name) : undefined;
  if (!profile) {
    if (name !== undefined && pick(f.account, deps.env.AMO_ACCOUNT) !== undefined) {
      throw new AppError('auth', 'amocrm.error.noSuchProfile', { profile: name, known: store.listProfiles().map((p) => p.name).join(', ') || '—', command: LOGIN_COMMAND });
    }
    if (io.json) io.out(JSON.stringify({ removed: null, defaultProfile: null }));
    else io.info(io.t('auth.logout.none'));
    return;
  }
  store.removeProfile(profile.name);
  const next = store.defaultProfileName();
  if (io.json) {
    io.out(JSON.stringify({ removed: profile.name, host: profile.host, defaultProfile: next ?? null }));
    return;
  }
  io.info(io.t('auth.logout.ok', { profile: profile.name, host: profile.host }));
  if (next) io.info(io.t('auth.logout.default', { profile: next }));
}

interface StatusReport {
  profile: string;
  isDefault: boolean;
  /** `environment`: AMO_TOKEN with AMO_HOST or AMO_BASE_URL, never stored. */
  source: 'environment' | 'stored';
  host: string;
  baseUrl: string;
  account: { id: number; name: string; subdomain: string };
  user: { id: number; name: string | null; isAdmin: boolean | null; contacts: { view: string; export: string } | null };
  token: { kind: TokenKind; masked: string; expiresAt: string | null; lastRefreshAt: string | null };
  warnings: string[];
  error: { kind: string; code: string; message: string } | null;
  otherProfiles: string[];
}

/** What a bin adds to `status` (amo-export: its watermarks): extra JSON fields and extra lines. */
export type StatusExtra = (store: ConfigStore, io: CliDeps['io']) => { json: Record<string, unknown>; lines: string[] };

export async function runStatus(f: { account?: string }, deps: CliDeps, extra?: StatusExtra): Promise<void> {
  const { io } = deps;
  const t = io.t;
  const store = openConfig(deps.env);
  // The same precedence as every other command: --account, the environment's login, AMO_ACCOUNT or the default.
  const fromEnv = f.account === undefined ? envLogin(deps.env) : undefined;
  const wanted = pick(f.account, deps.env.AMO_ACCOUNT);
  const stored = fromEnv ? envProfile(fromEnv, deps.now().getTime()) : store.getProfile(wanted);
  if (!stored) {
    if (wanted !== undefined) throw new AppError('auth', 'amocrm.error.noSuchProfile', { profile: wanted, known: store.listProfiles().map((p) => p.name).join(', ') || '—', command: LOGIN_COMMAND });
    throw new AppError('auth', 'amocrm.error.notLoggedIn', { command: LOGIN_COMMAND });
  }
  const now = deps.now().getTime();
  let account: ApiAccount | undefined;
  let user: ApiUser | null = null;
  let failure: unknown;
  const auth = fromEnv ? staticTokenProvider(fromEnv.token) : stored.kind === 'oauth' ? oauthTokenProvider(store, stored.name, { signal: deps.signal, log: io.verbose ? (l) => io.debug(l) : undefined }) : staticTokenProvider(stored.accessToken);
  try {
    ({ account, user } = await verify(stored.baseUrl, auth, deps));
  } catch (e) {
    failure = e;
  }
  // A refresh during the check has rotated the stored pair.
  const p = (fromEnv ? undefined : store.getProfile(stored.name)) ?? stored;
  const expiresAt = p.expiresAt ?? jwtExpiresAt(p.accessToken);
  const warnings: string[] = [];
  if (expiresAt !== undefined && expiresAt <= now && p.kind === 'long-lived') warnings.push(t('auth.status.expired', { when: formatTime(expiresAt) }));
  if (p.kind === 'oauth' && p.lastRefreshAt !== undefined) {
    const days = Math.floor((now - p.lastRefreshAt) / DAY_MS);
    if (days > STALE_REFRESH_DAYS) warnings.push(t('auth.status.staleRefresh', { days }));
  }
  const errorInfo = failure === undefined ? null : describe(failure, deps);
  const report: StatusReport = {
    profile: p.name,
    isDefault: !fromEnv && store.defaultProfileName() === p.name,
    source: fromEnv ? 'environment' : 'stored',
    host: p.host,
    baseUrl: p.baseUrl,
    account: { id: account?.id ?? p.accountId, name: account?.name ?? p.accountName, subdomain: account?.subdomain ?? p.subdomain },
    user: {
      id: account?.current_user_id ?? p.userId,
      name: user?.name ?? (p.userName || null),
      isAdmin: user ? user.rights.is_admin : null,
      contacts: user ? { view: user.rights.contacts.view, export: user.rights.is_admin ? 'A' : user.rights.contacts.export } : null,
    },
    token: {
      kind: p.kind,
      masked: maskToken(p.accessToken),
      expiresAt: expiresAt !== undefined ? new Date(expiresAt).toISOString() : null,
      lastRefreshAt: p.kind === 'oauth' && p.lastRefreshAt !== undefined ? new Date(p.lastRefreshAt).toISOString() : null,
    },
    warnings,
    error: errorInfo,
    otherProfiles: store.listProfiles().map((x) => x.name).filter((n) => n !== p.name),
  };
  if (failure !== undefined) deps.setExitCode(exitCodeFor(failure));
  const more = extra?.(store, io);

  if (io.json) {
    io.out(JSON.stringify({ ...report, ...more?.json }));
    return;
  }
  const lines = [
    ...(fromEnv ? [t('auth.status.fromEnv', { vars: fromEnv.from.join(', ') })] : []),
    t('auth.status.profile', { profile: report.profile, mark: report.isDefault ? t('auth.status.defaultMark') : '' }),
    t('auth.status.account', { account: report.account.name, id: report.account.id, baseUrl: report.baseUrl }),
    t('auth.status.user', { user: report.user.name ?? `#${report.user.id}`, id: report.user.id, admin: report.user.isAdmin ? t('auth.status.admin') : '' }),
  ];
  if (failure === undefined) {
    lines.push(report.user.contacts ? t('auth.status.rights', { view: report.user.contacts.view, export: report.user.contacts.export }) : t('auth.status.rightsUnknown'));
  }
  lines.push(t('auth.status.token', { kind: t(`auth.kind.${p.kind}`), token: report.token.masked, expires: expiresAt !== undefined ? formatTime(expiresAt) : t('auth.status.expiresUnknown') }));
  if (p.kind === 'oauth' && p.lastRefreshAt !== undefined) lines.push(t('auth.status.lastRefresh', { when: formatTime(p.lastRefreshAt), days: Math.floor((now - p.lastRefreshAt) / DAY_MS) }));
  if (report.otherProfiles.length) lines.push(t('auth.status.others', { names: report.otherProfiles.join(', ') }));
  lines.push(...(more?.lines ?? []));
  // Status is the data this command produces, so it goes to stdout.
  for (const l of lines) io.out(l);
  for (const w of warnings) io.warn(w);
  if (errorInfo) io.error(t('auth.status.checkFailed', { message: errorInfo.message }));
}

/** What status shows for an environment login before the server has answered. */
function envProfile(login: EnvLogin, now: number): Profile {
  return { name: login.host, host: login.host, baseUrl: login.baseUrl, kind: 'long-lived', accessToken: login.token, accountId: 0, accountName: '', subdomain: '', userId: 0, userName: '', country: '', savedAt: now };
}

function describe(e: unknown, deps: CliDeps): { kind: string; code: string; message: string } {
  if (isAppError(e)) return { kind: e.kind, code: e.key, message: deps.io.t(e.key, e.params) };
  const message = e instanceof Error ? e.message.split('\n')[0]! : String(e);
  return { kind: 'internal', code: 'error.internal', message: deps.io.t('error.internal', { message }) };
}

