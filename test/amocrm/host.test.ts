import { describe, expect, it } from 'vitest';
import { resolveAccountHost, resolveBaseUrl } from '../../src/amocrm/host.js';
import { maskPath, maskToken } from '../../src/amocrm/mask.js';
import { jwtExpiresAt } from '../../src/amocrm/jwt.js';
import { needsRefresh } from '../../src/amocrm/auth.js';
import { AppError } from '../../src/errors.js';

function errKey(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.key;
    throw e;
  }
  return 'no error';
}

describe('hosts', () => {
  it.each([
    ['acme.amocrm.ru', 'https://acme.amocrm.ru'],
    ['ACME.Kommo.com', 'https://acme.kommo.com'],
    ['acme.amocrm.com', 'https://acme.amocrm.com'],
    ['https://acme.kommo.com/', 'https://acme.kommo.com'],
    [' https://acme.amocrm.ru/api/v4 ', 'https://acme.amocrm.ru'],
  ])('--host %s → %s', (input, base) => {
    expect(resolveAccountHost(input).baseUrl).toBe(base);
  });

  it('refuses non-amoCRM hosts and plain http for --host', () => {
    expect(errKey(() => resolveAccountHost('example.com'))).toBe('amocrm.error.notAmoHost');
    expect(errKey(() => resolveAccountHost('www.amocrm.ru.evil.com'))).toBe('amocrm.error.notAmoHost');
    expect(errKey(() => resolveAccountHost('http://acme.amocrm.ru'))).toBe('amocrm.error.hostNotHttps');
  });

  it('--base-url takes any https server and http only on loopback', () => {
    expect(resolveBaseUrl('https://crm.example.org:8443/').baseUrl).toBe('https://crm.example.org:8443');
    expect(resolveBaseUrl('http://127.0.0.1:4000').host).toBe('127.0.0.1:4000');
    expect(resolveBaseUrl('http://127.8.9.10:4000').baseUrl).toBe('http://127.8.9.10:4000');
    expect(resolveBaseUrl('http://localhost:4000').host).toBe('localhost:4000');
    expect(resolveBaseUrl('http://[::1]:4000').baseUrl).toBe('http://[::1]:4000');
    expect(errKey(() => resolveBaseUrl('http://10.0.0.5:4000'))).toBe('amocrm.error.plainHttp');
    expect(errKey(() => resolveBaseUrl('http://crm.example.org'))).toBe('amocrm.error.plainHttp');
    expect(errKey(() => resolveBaseUrl('ftp://127.0.0.1'))).toBe('amocrm.error.badHost');
    expect(errKey(() => resolveBaseUrl('not a url'))).toBe('amocrm.error.badHost');
    expect(errKey(() => resolveBaseUrl('https://user:pw@crm.example.org'))).toBe('amocrm.error.badHost');
  });
});

describe('masking and JWT claims', () => {
  it('shows at most the first and last 4 characters', () => {
    expect(maskToken('eyJhbGciOiJSUzI1NiJ9.payload.sigQw9k')).toBe('eyJh…Qw9k');
    expect(maskToken('short')).toBe('…');
    expect(maskPath('/oauth2/x?code=def50200abcdefgh1234&page=2')).toBe('/oauth2/x?code=def5…1234&page=2');
    expect(maskPath('/api/v4/contacts?limit=250&page=1')).toBe('/api/v4/contacts?limit=250&page=1');
  });

  it('reads exp without verifying and decides when to refresh', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 2_000_000_000 })).toString('base64url');
    const token = `eyJ0eXAiOiJKV1QifQ.${payload}.sig`;
    expect(jwtExpiresAt(token)).toBe(2_000_000_000_000);
    expect(jwtExpiresAt('opaque')).toBeUndefined();
    const issued = 2_000_000_000_000 - 86_400_000;
    // A 24 h token is refreshed 5 minutes before it ends, a 60 s token 6 s before.
    expect(needsRefresh({ accessToken: token, savedAt: issued, lastRefreshAt: issued }, 2_000_000_000_000 - 301_000)).toBe(false);
    expect(needsRefresh({ accessToken: token, savedAt: issued, lastRefreshAt: issued }, 2_000_000_000_000 - 299_000)).toBe(true);
    expect(needsRefresh({ accessToken: 'opaque', expiresAt: 1_000_060_000, savedAt: 1_000_000_000 }, 1_000_053_000)).toBe(false);
    expect(needsRefresh({ accessToken: 'opaque', expiresAt: 1_000_060_000, savedAt: 1_000_000_000 }, 1_000_055_000)).toBe(true);
    expect(needsRefresh({ accessToken: 'opaque', savedAt: 1 }, Date.now())).toBe(false);
  });
});
