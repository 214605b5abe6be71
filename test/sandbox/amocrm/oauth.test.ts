import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { call } from './http.js';

let sb: AmoSandbox;
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: 50 });
});
afterAll(() => sb.close());
afterEach(() => sb.setBehaviour({ accessTokenTtlSec: 86400 }));

function tokenCall(body: Record<string, string>, form = false) {
  return call(sb, '/oauth2/access_token', {
    method: 'POST',
    token: null,
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body: form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
}

const client = () => ({ client_id: sb.oauthClient.clientId, client_secret: sb.oauthClient.clientSecret, redirect_uri: sb.oauthClient.redirectUri });
const exchange = (code: string, form = false) => tokenCall({ ...client(), grant_type: 'authorization_code', code }, form);
const refresh = (refresh_token: string, form = false) => tokenCall({ ...client(), grant_type: 'refresh_token', refresh_token }, form);

function claims(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

describe('oauth token endpoint', () => {
  it('exchanges a code once (JSON and form bodies) for a JWT-shaped pair', async () => {
    const r = await exchange(sb.issueAuthCode());
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ token_type: 'Bearer', expires_in: 86400 });
    const c = claims(r.json.access_token);
    expect(c).toMatchObject({ sub: String(sb.users()[0]!.id), account_id: sb.accountId });
    for (const k of ['iss', 'aud', 'jti', 'iat', 'nbf', 'exp', 'api_domain']) expect(c, k).toHaveProperty(k);
    expect((await call(sb, '/api/v4/account', { token: r.json.access_token })).status).toBe(200);

    const g = sb.users().find((u) => u.exportRight === 'G')!;
    const code = sb.issueAuthCode(g.id);
    const form = await exchange(code, true);
    expect(form.status).toBe(200);
    expect((await call(sb, '/api/v4/account', { token: form.json.access_token })).json.current_user_id).toBe(g.id);
    const again = await exchange(code);
    expect(again.status).toBe(400);
    expect(again.json.hint).toBe('Authorization code has been revoked');
  });

  it('refuses a wrong client with "Некорректный клиент"', async () => {
    const r = await tokenCall({ ...client(), client_secret: 'nope', grant_type: 'authorization_code', code: sb.issueAuthCode() });
    expect(r.status).toBe(401);
    expect(r.json.title).toBe('Некорректный клиент');
  });

  it('rotates: the old refresh token works until the new pair is used, then is revoked', async () => {
    const first = (await exchange(sb.issueAuthCode())).json;
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.json.refresh_token).not.toBe(first.refresh_token);
    // A lost response can be retried with the previous refresh token…
    const retry = await refresh(first.refresh_token, true);
    expect(retry.status).toBe(200);
    // …until the new access token is used once.
    expect((await call(sb, '/api/v4/account', { token: retry.json.access_token })).status).toBe(200);
    const spent = await refresh(first.refresh_token);
    expect(spent.status).toBe(401);
    expect(spent.json).toMatchObject({ hint: 'Token has been revoked', type: 'https://developers.amocrm.ru/v3/errors/OAuthProblemJson', status: 401 });

    // Using the new refresh token retires its predecessor as well.
    const third = await refresh(retry.json.refresh_token);
    expect(third.status).toBe(200);
    expect((await refresh(third.json.refresh_token)).status).toBe(200);
    expect((await refresh(retry.json.refresh_token)).status).toBe(401);
  });

  it('counts grants so tests can prove how many refreshes happened', async () => {
    sb.stats.reset();
    const pair = (await exchange(sb.issueAuthCode())).json;
    await refresh(pair.refresh_token);
    expect(sb.stats.tokenGrants.map((g) => `${g.grant_type}:${g.status}`)).toEqual(['authorization_code:200', 'refresh_token:200']);
    expect(sb.stats.requests).toEqual([]);
  });

  it('expires access tokens by the configured lifetime and honours revocation', async () => {
    sb.setBehaviour({ accessTokenTtlSec: 0 });
    const pair = (await exchange(sb.issueAuthCode())).json;
    expect(pair.expires_in).toBe(0);
    const expired = await call(sb, '/api/v4/account', { token: pair.access_token });
    expect(expired.status).toBe(401);
    expect(expired.headers['content-type']).toBe('application/problem+json');
    expect((await call(sb, '/api/v4/account', { token: sb.issueLongLivedToken(sb.users()[0]!.id, -1) })).status).toBe(401);
    const ll = sb.issueLongLivedToken(sb.users()[1]!.id);
    expect((await call(sb, '/api/v4/account', { token: ll })).status).toBe(200);
    sb.revokeToken(ll);
    expect((await call(sb, '/api/v4/account', { token: ll })).status).toBe(401);
    const live = (await exchange(sb.issueAuthCode())).json;
    sb.revokeToken(live.refresh_token);
    expect((await refresh(live.refresh_token)).json.hint).toBe('Token has been revoked');
  });
});
