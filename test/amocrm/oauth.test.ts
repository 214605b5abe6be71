import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openConfig, type ConfigStore, type Profile } from '../../src/config/store.js';
import { exchangeCode, oauthTokenProvider } from '../../src/amocrm/auth.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { ROOT, tempDir } from '../helpers/cli.js';
import { rejection, useSandbox } from './sandbox.js';

const env = useSandbox({ contacts: 50, seed: 3 });
const dirs: { cleanup: () => void }[] = [];
afterEach(() => {
  while (dirs.length) dirs.pop()!.cleanup();
});

async function oauthProfile(name = 'acme'): Promise<{ store: ConfigStore; dir: string; profile: Profile }> {
  const d = tempDir('amo-oauth-');
  dirs.push(d);
  const store = openConfig({ AMO_PHONEBOOK_CONFIG_DIR: d.path });
  const { clientId, clientSecret, redirectUri } = env.sb.oauthClient;
  const pair = await exchangeCode({ baseUrl: env.sb.url, clientId, clientSecret, redirectUri }, env.sb.issueAuthCode());
  const profile: Profile = {
    name,
    host: new URL(env.sb.url).host,
    baseUrl: env.sb.url,
    kind: 'oauth',
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: pair.expiresAt,
    clientId,
    clientSecret,
    redirectUri,
    accountId: env.sb.accountId,
    accountName: 'Sandbox',
    subdomain: 'sandbox',
    userId: env.sb.users()[0]!.id,
    userName: 'Admin',
    country: 'RU',
    lastRefreshAt: pair.obtainedAt,
    savedAt: pair.obtainedAt,
  };
  store.saveProfile(profile);
  return { store, dir: d.path, profile };
}

const refreshGrants = () => env.sb.stats.tokenGrants.filter((g) => g.grant_type === 'refresh_token');

describe('OAuth refresh', () => {
  it('refreshes a token about to expire, persisting the rotated pair before using it', async () => {
    const { store, profile } = await oauthProfile();
    // A 24-hour token with one minute left: inside the 5-minute margin.
    store.updateProfile(profile.name, { expiresAt: Date.now() + 60_000, lastRefreshAt: Date.now() - 86_340_000 });
    const sent: string[] = [];
    const auth = oauthTokenProvider(store, profile.name);
    const tokenOf = auth.token.bind(auth);
    auth.token = async () => {
      const t = await tokenOf();
      // Whatever token goes on the wire must already be on disk.
      expect(openConfig({ AMO_PHONEBOOK_CONFIG_DIR: store.path.replace(/\/config\.json$/, '') }).getProfile(profile.name)?.accessToken).toBe(t);
      sent.push(t);
      return t;
    };
    const c = createAmoClient({ baseUrl: env.sb.url, auth, backoffBaseMs: 10 });
    await Promise.all([c.account(), c.account(), c.account()]);
    await c.close();
    expect(refreshGrants()).toHaveLength(1);
    const saved = store.getProfile(profile.name)!;
    expect(saved.accessToken).not.toBe(profile.accessToken);
    expect(saved.refreshToken).not.toBe(profile.refreshToken);
    expect(saved.lastRefreshAt).toBeGreaterThanOrEqual(profile.lastRefreshAt!);
    expect(saved.lastRefreshAt).toBeLessThanOrEqual(Date.now());
    expect(saved.expiresAt).toBeGreaterThan(Date.now() + 3_600_000);
    expect(new Set(sent)).toEqual(new Set([saved.accessToken]));
    expect(store.defaultProfileName()).toBe(profile.name);
  });

  it('on a 401 refreshes once and replays the request', async () => {
    const { store, profile } = await oauthProfile();
    env.sb.revokeToken(profile.accessToken);
    // Slow answers: the second request (paced a fifth of a second later) also leaves with the dead token.
    env.sb.setBehaviour({ latencyMs: 400 });
    const c = createAmoClient({ baseUrl: env.sb.url, auth: oauthTokenProvider(store, profile.name), backoffBaseMs: 10 });
    const [a, b] = await Promise.all([c.account(), c.account()]);
    await c.close();
    expect(a.id).toBe(env.sb.accountId);
    expect(b.id).toBe(env.sb.accountId);
    expect(refreshGrants()).toHaveLength(1);
    expect(env.sb.stats.count(401)).toBe(2);
    expect(store.getProfile(profile.name)!.accessToken).not.toBe(profile.accessToken);
  });

  it('a second 401 after the refresh is fatal', async () => {
    const { store, profile } = await oauthProfile();
    env.sb.revokeToken(profile.accessToken);
    env.sb.setBehaviour({ accessTokenTtlSec: 0 }); // every new access token is dead on arrival
    const c = createAmoClient({ baseUrl: env.sb.url, auth: oauthTokenProvider(store, profile.name), backoffBaseMs: 10 });
    const e = await rejection(c.account());
    await c.close();
    expect(e.kind).toBe('auth');
    expect(e.key).toBe('amocrm.error.unauthorized');
    expect(env.sb.stats.count(401)).toBe(2);
  });

  it('a revoked refresh token asks the user to log in again', async () => {
    const { store, profile } = await oauthProfile('beta');
    env.sb.revokeToken(profile.refreshToken!);
    store.updateProfile(profile.name, { expiresAt: Date.now() - 1000 });
    const c = createAmoClient({ baseUrl: env.sb.url, auth: oauthTokenProvider(store, profile.name), backoffBaseMs: 10 });
    const e = await rejection(c.account());
    await c.close();
    expect(e.kind).toBe('auth');
    expect(e.key).toBe('amocrm.error.refreshRevoked');
    expect(e.params.command).toBe('amo-export login --account beta');
    expect(env.sb.stats.count()).toBe(0);
    // Nothing was overwritten: the stored pair is still the one that failed.
    expect(store.getProfile('beta')!.refreshToken).toBe(profile.refreshToken);
  });

  it('two processes with the same stale profile refresh exactly once between them', async () => {
    const { store, dir, profile } = await oauthProfile();
    store.updateProfile(profile.name, { expiresAt: Date.now() - 1000 });
    // A slow token endpoint widens the window in which both would refresh without the lock.
    env.sb.setBehaviour({ latencyMs: 300 });
    const barrier = join(dir, 'barrier');
    const run = () =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'test/amocrm/fixtures/refresh-once.ts'), dir, profile.name, barrier], {
          cwd: ROOT,
          env: { PATH: process.env.PATH, HOME: process.env.HOME },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c: Buffer) => (stdout += c));
        child.stderr.on('data', (c: Buffer) => (stderr += c));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const both = Promise.all([run(), run()]);
    const deadline = Date.now() + 30_000;
    while (readdirSync(dir).filter((f) => f.endsWith('.ready')).length < 2 && Date.now() < deadline) await sleep(10);
    writeFileSync(`${barrier}.go`, '');
    const results = await both;
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ ok: true, accountId: env.sb.accountId });
    }
    expect(refreshGrants()).toHaveLength(1);
    expect(refreshGrants()[0]!.status).toBe(200);
    const saved = store.getProfile(profile.name)!;
    expect(saved.refreshToken).not.toBe(profile.refreshToken);
    expect(existsSync(join(dir, `refresh-${profile.name}.lock`))).toBe(false);
  }, 60_000);
});
