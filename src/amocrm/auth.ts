/**
 * Where the client gets its bearer token. A long-lived token is fixed; an OAuth profile refreshes
 * shortly before expiry and after a 401, under a cross-process lock, and writes the rotated pair
 * to the config before anyone uses it (amoCRM refresh tokens are single-use: two processes
 * refreshing with the same one end with "Token has been revoked").
 */
import { join, dirname } from 'node:path';
import { lazy } from '../lazy.js';
import { AppError } from '../errors.js';
import type { ConfigStore, Profile, TokenKind } from '../config/store.js';
import { withFileLock } from '../config/lock.js';
import type { ApiTokenResponse } from './types.js';
import { send, problemDetail, networkReason, type Reply } from './http.js';
import { jwtExpiresAt } from './jwt.js';
import { sleep } from './limiter.js';

const undici = lazy<typeof import('undici')>('undici');

export interface TokenProvider {
  readonly kind: TokenKind;
  /** A token believed valid now (refreshed first when it is about to expire). */
  token(): Promise<string>;
  /** After the server rejected `rejected` with 401: a different, fresh token, or an AppError. Absent = no way to renew. */
  refreshAfter401?(rejected: string): Promise<string>;
}

export function staticTokenProvider(token: string, kind: TokenKind = 'long-lived'): TokenProvider {
  return { kind, token: async () => token };
}

export const LOGIN_COMMAND = 'amo-export login';
/** Refresh this long before expiry, but never more than a tenth of the token's lifetime. */
const REFRESH_AHEAD_MS = 5 * 60_000;

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Unix ms; the earlier of expires_in and the JWT exp. */
  expiresAt: number;
  obtainedAt: number;
}

export interface OAuthClientConfig {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface TokenEndpointOptions {
  now?: () => number;
  log?: (line: string) => void;
  signal?: AbortSignal;
  backoffBaseMs?: number;
}

function pairFrom(json: unknown, now: number): TokenPair | undefined {
  const r = json as Partial<ApiTokenResponse> | undefined;
  if (!r || typeof r.access_token !== 'string' || typeof r.refresh_token !== 'string') return undefined;
  const byTtl = typeof r.expires_in === 'number' ? now + r.expires_in * 1000 : undefined;
  const byJwt = jwtExpiresAt(r.access_token);
  const candidates = [byTtl, byJwt].filter((v): v is number => v !== undefined);
  return {
    accessToken: r.access_token,
    refreshToken: r.refresh_token,
    expiresAt: candidates.length ? Math.min(...candidates) : now + 86_400_000,
    obtainedAt: now,
  };
}

async function tokenEndpoint(cfg: OAuthClientConfig, body: Record<string, string>, o: TokenEndpointOptions): Promise<Reply> {
  const agent = new (undici().Agent)({ connect: { timeout: 5_000 }, headersTimeout: 20_000, bodyTimeout: 20_000 });
  const base = o.backoffBaseMs ?? 1000;
  try {
    for (let attempt = 0; ; attempt++) {
      let reply: Reply;
      try {
        reply = await send({
          method: 'POST',
          url: `${cfg.baseUrl}/oauth2/access_token`,
          headers: { 'content-type': 'application/json', accept: 'application/json, application/problem+json' },
          body: JSON.stringify(body),
          dispatcher: agent,
          signal: o.signal,
        });
      } catch (e) {
        if (e instanceof AppError) throw e;
        if (o.signal?.aborted) throw new AppError('cancelled', 'error.cancelled');
        // A lost response is safe to retry: the old refresh token stays valid until the new one is used.
        if (attempt >= 2) throw new AppError('network', 'amocrm.error.network', { host: new URL(cfg.baseUrl).host, reason: networkReason(e) }, { cause: e });
        await sleep(base * 2 ** attempt, o.signal);
        continue;
      }
      o.log?.(`POST /oauth2/access_token grant_type=${body.grant_type} → ${reply.status} ${reply.ms} ms${reply.requestId ? ` ${reply.requestId}` : ''}`);
      if (reply.status >= 500 && attempt < 2) {
        await sleep(base * 2 ** attempt, o.signal);
        continue;
      }
      return reply;
    }
  } finally {
    await agent.close();
  }
}

function endpointFailure(reply: Reply, host: string, authKey: string, params: Record<string, string>): AppError {
  const requestId = reply.requestId || '—';
  if (reply.status === 403 && reply.isHtml) return new AppError('blocked', 'amocrm.error.blocked', { host, requestId });
  if (reply.status === 402) return new AppError('unpaid', 'amocrm.error.unpaid', { host, requestId });
  if (reply.status === 400 || reply.status === 401 || reply.status === 403) {
    return new AppError('auth', authKey, { ...params, host, detail: problemDetail(reply.json) || String(reply.status), requestId });
  }
  return new AppError('api', 'amocrm.error.http', { status: reply.status, path: '/oauth2/access_token', detail: problemDetail(reply.json) || '—', requestId });
}

/** One grant at the token endpoint; a rejection is reported under `authKey` with `params`. */
async function grant(
  cfg: OAuthClientConfig,
  fields: Record<string, string>,
  authKey: string,
  params: Record<string, string>,
  o: TokenEndpointOptions,
): Promise<TokenPair> {
  const now = o.now ?? Date.now;
  const reply = await tokenEndpoint(cfg, { client_id: cfg.clientId, client_secret: cfg.clientSecret, ...fields, redirect_uri: cfg.redirectUri }, o);
  const host = new URL(cfg.baseUrl).host;
  if (reply.status !== 200) throw endpointFailure(reply, host, authKey, params);
  const pair = pairFrom(reply.json, now());
  if (!pair) throw new AppError('api', 'amocrm.error.badTokenResponse', { host, requestId: reply.requestId || '—' });
  return pair;
}

/** Authorization-code exchange (login). */
export function exchangeCode(cfg: OAuthClientConfig, code: string, o: TokenEndpointOptions = {}): Promise<TokenPair> {
  return grant(cfg, { grant_type: 'authorization_code', code }, 'amocrm.error.codeRejected', {}, o);
}

/** One refresh grant; a spent or revoked refresh token becomes "log in again". */
function refreshGrant(cfg: OAuthClientConfig, refreshToken: string, profile: string, o: TokenEndpointOptions): Promise<TokenPair> {
  return grant(cfg, { grant_type: 'refresh_token', refresh_token: refreshToken }, 'amocrm.error.refreshRevoked', { profile, command: `${LOGIN_COMMAND} --account ${profile}` }, o);
}

type Expiring = Pick<Profile, 'accessToken' | 'expiresAt' | 'lastRefreshAt' | 'savedAt'>;

/** Unix ms from which the token should be refreshed; Infinity when nothing tells (wait for a 401). */
function refreshDueAt(p: Expiring): number {
  const jwtExp = jwtExpiresAt(p.accessToken);
  const known = [p.expiresAt, jwtExp].filter((v): v is number => v !== undefined);
  if (!known.length) return Infinity;
  const expiresAt = Math.min(...known);
  const issuedAt = p.lastRefreshAt ?? p.savedAt;
  const lifetime = expiresAt - issuedAt;
  const ahead = lifetime > 0 ? Math.min(REFRESH_AHEAD_MS, lifetime / 10) : REFRESH_AHEAD_MS;
  return expiresAt - ahead;
}

export function needsRefresh(p: Expiring, now: number): boolean {
  return now >= refreshDueAt(p);
}

function refreshLockPath(store: ConfigStore, profile: string): string {
  return join(dirname(store.path), `refresh-${encodeURIComponent(profile)}.lock`);
}

/** Token provider for a stored OAuth profile. */
export function oauthTokenProvider(store: ConfigStore, profileName: string, o: TokenEndpointOptions = {}): TokenProvider {
  const now = o.now ?? Date.now;
  const stored = store.getProfile(profileName);
  if (!stored) throw new AppError('auth', 'amocrm.error.noSuchProfile', { profile: profileName, command: LOGIN_COMMAND });
  let current = stored;
  // token() runs before every request: decode the JWT once per token, not once per request.
  let dueAt = refreshDueAt(current);
  const adopt = (p: Profile) => {
    current = p;
    dueAt = refreshDueAt(p);
  };
  let inflight: Promise<string> | undefined;

  async function refreshLocked(rejected: string | undefined): Promise<string> {
    return withFileLock(
      refreshLockPath(store, profileName),
      async () => {
        // Another process may have refreshed while we waited for the lock.
        const fresh = store.getProfile(profileName);
        if (!fresh) throw new AppError('auth', 'amocrm.error.profileGone', { profile: profileName, command: LOGIN_COMMAND });
        adopt(fresh);
        const rotatedMeanwhile = rejected !== undefined && fresh.accessToken !== rejected;
        if (rotatedMeanwhile || (rejected === undefined && now() < dueAt)) return fresh.accessToken;
        if (!fresh.refreshToken || !fresh.clientId || !fresh.clientSecret || !fresh.redirectUri) {
          throw new AppError('auth', 'amocrm.error.refreshRevoked', { profile: profileName, command: `${LOGIN_COMMAND} --account ${profileName}`, host: fresh.host, detail: '—', requestId: '—' });
        }
        const pair = await refreshGrant(
          { baseUrl: fresh.baseUrl, clientId: fresh.clientId, clientSecret: fresh.clientSecret, redirectUri: fresh.redirectUri },
          fresh.refreshToken,
          profileName,
          o,
        );
        // On disk first: if we crash after this, the next run still holds the only valid refresh token.
        const saved = store.updateProfile(profileName, { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: pair.expiresAt, lastRefreshAt: pair.obtainedAt });
        if (!saved) throw new AppError('auth', 'amocrm.error.profileGone', { profile: profileName, command: LOGIN_COMMAND });
        adopt(saved);
        return saved.accessToken;
      },
      { signal: o.signal },
    );
  }

  function refresh(rejected: string | undefined): Promise<string> {
    inflight ??= refreshLocked(rejected).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  return {
    kind: 'oauth',
    async token() {
      if (inflight) return inflight;
      if (now() < dueAt) return current.accessToken;
      return refresh(undefined);
    },
    async refreshAfter401(rejected) {
      if (inflight) return inflight;
      if (current.accessToken !== rejected) return current.accessToken; // a sibling request already renewed it
      return refresh(rejected);
    },
  };
}
