/**
 * Tokens as amoCRM issues them: JWT-shaped access and long-lived tokens (HS256 with a secret that
 * lives and dies with the sandbox), single-use authorization codes, and rotating refresh tokens
 * where the previous refresh token survives until its successor pair is first used.
 */
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { ApiTokenResponse } from '../../amocrm/types.js';
import { ACCOUNT_ID } from './users.js';

export interface TokenClaims {
  iss: string;
  aud: string;
  jti: string;
  iat: number;
  nbf: number;
  exp: number;
  sub: string;
  account_id: number;
  api_domain: string;
}

export const LONG_LIVED_TTL_SEC = 5 * 365 * 86400;
const CODE_TTL_MS = 20 * 60 * 1000;

const b64url = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

export type Verified = { ok: true; userId: number; claims: TokenClaims } | { ok: false };

export interface GrantOutcome {
  status: number;
  body: Record<string, unknown>;
}

interface RefreshRecord {
  userId: number;
  state: 'active' | 'spent' | 'revoked';
  /** The refresh token this one replaced: it stays usable until this pair is first used. */
  parent: string | null;
}

const oauthProblem = (status: number, title: string, detail: string, hint?: string): GrantOutcome => ({
  status,
  body: {
    ...(hint ? { hint } : {}),
    title,
    type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson',
    status,
    detail,
  },
});

const badRequest = (hint: string, status = 400) => oauthProblem(status, 'Некорректный запрос', 'В запросе отсутствует ряд параметров или параметры невалидны', hint);

export class TokenAuthority {
  private readonly secret = randomBytes(32);
  private readonly revoked = new Set<string>();
  private readonly codes = new Map<string, { userId: number; expiresAt: number; used: boolean }>();
  private readonly refresh = new Map<string, RefreshRecord>();
  /** access jti → the refresh token its grant consumed (spent when this access token is first used). */
  private readonly pendingParent = new Map<string, string>();

  private issuer = '';
  private apiDomain = '';
  redirectUri = '';

  constructor(
    readonly clientId: string,
    readonly clientSecret: string,
  ) {}

  /** Known once the server listens: the issuer, api_domain claim and the integration's redirect URI. */
  setOrigin(url: string): void {
    this.issuer = url;
    this.apiDomain = new URL(url).host;
    this.redirectUri = `${url}/oauth/callback`;
  }

  sign(userId: number, ttlSec: number): { token: string; claims: TokenClaims } {
    const now = Math.floor(Date.now() / 1000);
    const claims: TokenClaims = {
      iss: this.issuer,
      aud: this.clientId,
      jti: randomUUID(),
      iat: now,
      nbf: now,
      exp: now + ttlSec,
      sub: String(userId),
      account_id: ACCOUNT_ID,
      api_domain: this.apiDomain,
    };
    const head = b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }));
    const body = b64url(JSON.stringify(claims));
    const sig = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    return { token: `${head}.${body}.${sig}`, claims };
  }

  private decode(token: string): TokenClaims | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const expected = createHmac('sha256', this.secret).update(`${parts[0]}.${parts[1]}`).digest();
    const given = Buffer.from(parts[2]!, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    try {
      return JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
    } catch {
      return null;
    }
  }

  verify(token: string): Verified {
    const claims = this.decode(token);
    if (!claims) return { ok: false };
    const now = Math.floor(Date.now() / 1000);
    if (claims.exp <= now || claims.nbf > now + 60 || this.revoked.has(claims.jti)) return { ok: false };
    return { ok: true, userId: Number(claims.sub), claims };
  }

  /** The first use of an access token retires the refresh token its grant consumed. */
  accessUsed(jti: string): void {
    const parent = this.pendingParent.get(jti);
    if (parent === undefined) return;
    this.pendingParent.delete(jti);
    this.spend(parent);
  }

  private spend(refreshToken: string): void {
    const rec = this.refresh.get(refreshToken);
    if (rec && rec.state === 'active') rec.state = 'spent';
  }

  revoke(token: string): void {
    const rec = this.refresh.get(token);
    if (rec) {
      rec.state = 'revoked';
      return;
    }
    const claims = this.decode(token);
    if (claims) this.revoked.add(claims.jti);
  }

  issueCode(userId: number): string {
    const code = `def50200${randomBytes(48).toString('hex')}`;
    this.codes.set(code, { userId, expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  }

  private pair(userId: number, ttlSec: number, parent: string | null): ApiTokenResponse {
    const { token, claims } = this.sign(userId, ttlSec);
    const refreshToken = `def50200${randomBytes(96).toString('hex')}`;
    this.refresh.set(refreshToken, { userId, state: 'active', parent });
    if (parent !== null) this.pendingParent.set(claims.jti, parent);
    return { token_type: 'Bearer', expires_in: ttlSec, access_token: token, refresh_token: refreshToken, server_time: Math.floor(Date.now() / 1000) };
  }

  /** POST /oauth2/access_token with already-parsed parameters. */
  grant(p: Record<string, string | undefined>, accessTtlSec: number): GrantOutcome {
    if (p.client_id !== this.clientId || p.client_secret !== this.clientSecret) {
      return oauthProblem(401, 'Некорректный клиент', 'client authorization failed');
    }
    if (p.redirect_uri !== undefined && p.redirect_uri !== this.redirectUri) return badRequest('Redirect URI mismatch');
    if (p.grant_type === 'authorization_code') {
      if (!p.code) return badRequest('Check the `code` parameter');
      const rec = this.codes.get(p.code);
      if (!rec || rec.used) return badRequest('Authorization code has been revoked');
      if (rec.expiresAt < Date.now()) return badRequest('Authorization code has expired');
      rec.used = true;
      return { status: 200, body: { ...this.pair(rec.userId, accessTtlSec, null) } };
    }
    if (p.grant_type === 'refresh_token') {
      if (!p.refresh_token) return badRequest('Check the `refresh_token` parameter');
      const rec = this.refresh.get(p.refresh_token);
      if (!rec) return badRequest('Cannot decrypt the refresh token');
      if (rec.state !== 'active') return badRequest('Token has been revoked', 401);
      // Using this refresh token proves the previous one is no longer needed.
      if (rec.parent !== null) this.spend(rec.parent);
      return { status: 200, body: { ...this.pair(rec.userId, accessTtlSec, p.refresh_token) } };
    }
    return badRequest('Unsupported grant type');
  }
}
