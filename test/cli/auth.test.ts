import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { openConfig } from '../../src/config/store.js';
import { addSessionOptions, openSession } from '../../src/cli/session.js';
import { Command } from 'commander';
import { runInProcess } from '../helpers/cli.js';
import { createIO } from '../../src/cli/io.js';
import { PassThrough, Readable } from 'node:stream';
import type { CliDeps } from '../../src/cli/deps.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const fx = useAmoCliFixture({ contacts: 30, seed: 5 }, 'amo-auth-');
const env = fx.env;
const run = (argv: string[], extra: NodeJS.ProcessEnv = {}) => runInProcess(exportMain, argv, { env: env(extra) });

function oauthArgs(): string[] {
  const o = fx.sb.oauthClient;
  return ['--client-id', o.clientId, '--client-secret', o.clientSecret, '--redirect-uri', o.redirectUri, '--code', fx.sb.issueAuthCode()];
}

describe('login', () => {
  it('with a long-lived token from flags: verifies, stores a 0600 profile, prints one masked line', async () => {
    const r = await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'main']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('Logged in to 127.0.0.1:');
    expect(r.stderr).toContain(`${fx.sb.longLivedToken.slice(0, 4)}…${fx.sb.longLivedToken.slice(-4)}`);
    const store = openConfig(env());
    const p = store.getProfile('main')!;
    expect(p).toMatchObject({ kind: 'long-lived', baseUrl: fx.sb.url, accountId: fx.sb.accountId, accessToken: fx.sb.longLivedToken });
    expect(p.userName).not.toBe('');
    expect(store.defaultProfileName()).toBe('main');
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(fx.sb.stats.requests.map((x) => x.path)).toContain('/api/v4/account');
  });

  it('with a long-lived token from the environment; the profile is named after the subdomain', async () => {
    const r = await run(['login'], { AMO_BASE_URL: fx.sb.url, AMO_TOKEN: fx.sb.longLivedToken });
    expect(r.code).toBe(0);
    const store = openConfig(env());
    const name = store.defaultProfileName()!;
    expect(store.getProfile(name)!.subdomain).toBe(name);
  });

  it('with the OAuth code flow from flags, and from the environment, side by side', async () => {
    const a = await run(['login', '--base-url', fx.sb.url, ...oauthArgs(), '--account', 'first']);
    expect(a.code).toBe(0);
    const o = fx.sb.oauthClient;
    const b = await run(['login', '--json'], {
      AMO_BASE_URL: fx.sb.url,
      AMO_CLIENT_ID: o.clientId,
      AMO_CLIENT_SECRET: o.clientSecret,
      AMO_REDIRECT_URI: o.redirectUri,
      AMO_AUTH_CODE: fx.sb.issueAuthCode(),
      AMO_ACCOUNT: 'second',
    });
    expect(b.code).toBe(0);
    const json = JSON.parse(b.stdout) as Record<string, unknown>;
    expect(json).toMatchObject({ profile: 'second', kind: 'oauth', accountId: fx.sb.accountId });
    expect(String(json.token)).toMatch(/^.{4}….{4}$/);
    const store = openConfig(env());
    expect(store.listProfiles().map((p) => p.name)).toEqual(['first', 'second']);
    expect(store.defaultProfileName()).toBe('second');
    const p = store.getProfile('first')!;
    expect(p.kind).toBe('oauth');
    expect(p.refreshToken).toMatch(/^def50200/);
    expect(p.expiresAt).toBeGreaterThan(Date.now());
    expect(fx.sb.stats.tokenGrants.filter((g) => g.grant_type === 'authorization_code')).toHaveLength(2);
  });

  it('a used authorization code is a clear auth error', async () => {
    const args = oauthArgs();
    expect((await run(['login', '--base-url', fx.sb.url, ...args])).code).toBe(0);
    const r = await run(['login', '--base-url', fx.sb.url, ...args]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/did not accept the authorization code/);
  });

  it('off a TTY, a missing value is a usage error naming the flag', async () => {
    const noHost = await run(['login', '--token', fx.sb.longLivedToken]);
    expect(noHost.code).toBe(2);
    expect(noHost.stderr).toContain('--host');
    const noMode = await run(['login', '--base-url', fx.sb.url]);
    expect(noMode.code).toBe(2);
    expect(noMode.stderr).toContain('--token');
    const partial = await run(['login', '--base-url', fx.sb.url, '--client-id', 'x']);
    expect(partial.code).toBe(2);
    expect(partial.stderr).toContain('--client-secret');
  });

  it('refuses plain http to another machine, a non-amoCRM --host, and both modes at once', async () => {
    const http = await run(['login', '--base-url', 'http://192.0.2.10', '--token', 'x']);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/plain http/);
    const host = await run(['login', '--host', 'example.com', '--token', 'x']);
    expect(host.code).toBe(2);
    expect(host.stderr).toMatch(/not an amoCRM account host/);
    const both = await run(['login', '--base-url', fx.sb.url, '--token', 'x', '--code', 'y']);
    expect(both.code).toBe(2);
  });

  it('a rejected token stores nothing and exits 3 naming the fix', async () => {
    const r = await run(['login', '--base-url', fx.sb.url, '--token', `${fx.sb.longLivedToken}x`]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/create a new long-lived token in amoCRM \(Settings → Integrations → your private integration → Keys and scopes\) and run amo-export login again/);
    expect(r.stderr).toMatch(/request id [0-9a-f]{16}/);
    expect(openConfig(env()).listProfiles()).toEqual([]);
  });

  it('exists on all three bins', async () => {
    for (const main of [calleridMain, doctorMain]) {
      const r = await runInProcess(main, ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'x'], { env: env() });
      expect(r.code).toBe(0);
    }
  });
});

describe('status and logout', () => {
  it('status shows account, user, rights, token kind and expiry, masked', async () => {
    await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'main']);
    const r = await run(['status']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Profile: main (default)');
    expect(r.stdout).toContain(`(id ${fx.sb.accountId})`);
    expect(r.stdout).toMatch(/Contact rights: view A, export A/);
    expect(r.stdout).toMatch(/Token: long-lived eyJ.…...., expires 20\d\d-/);
    const j = await run(['status', '--json']);
    const report = JSON.parse(j.stdout) as { token: { kind: string; masked: string }; user: { isAdmin: boolean; contacts: { export: string } }; error: unknown };
    expect(report.token.kind).toBe('long-lived');
    expect(report.user.isAdmin).toBe(true);
    expect(report.user.contacts.export).toBe('A');
    expect(report.error).toBeNull();
  });

  it('status of a non-admin login says the rights cannot be read; of an OAuth login warns after 60 days without refresh', async () => {
    const plain = fx.sb.users().find((u) => !u.isAdmin)!;
    await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.issueLongLivedToken(plain.id), '--account', 'plain']);
    const r = await run(['status', '--account', 'plain']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/not readable with this token/);

    await run(['login', '--base-url', fx.sb.url, ...oauthArgs(), '--account', 'oauth']);
    openConfig(env()).updateProfile('oauth', { lastRefreshAt: Date.now() - 61 * 86_400_000 });
    const s = await run(['status', '--lang', 'ru']);
    expect(s.code).toBe(0);
    expect(s.stdout).toContain('Профиль: oauth (по умолчанию)');
    expect(s.stdout).toMatch(/Последнее обновление: .*\(61 день назад\)/);
    expect(s.stderr).toMatch(/61 день назад; токен обновления перестаёт действовать через 3 месяца/);
  });

  it('status with a revoked token still shows the profile, reports the failure and exits 3', async () => {
    const token = fx.sb.issueLongLivedToken(fx.sb.users()[0]!.id);
    await run(['login', '--base-url', fx.sb.url, '--token', token]);
    fx.sb.revokeToken(token);
    const r = await run(['status']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Profile: /);
    expect(r.stderr).toMatch(/Live check failed: .*expired or was revoked/);
  });

  it('logout removes the profile; the next login becomes the default; afterwards commands say to log in', async () => {
    await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'a']);
    await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'b']);
    const out = await run(['logout']);
    expect(out.code).toBe(0);
    expect(out.stderr).toContain('Removed the login "b"');
    expect(out.stderr).toContain('Default profile is now "a"');
    expect((await run(['logout', '--account', 'nope'])).code).toBe(3);
    expect((await run(['logout', '--json'])).stdout).toContain('"removed":"a"');
    const none = await run(['status']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('run amo-export login first');
    expect((await run(['logout'])).stderr).toContain('No stored login');
  });
});

describe('config file problems', () => {
  it.each([
    ['corrupted', '{"profiles": {"main": {"name": "main", "accessToken": "secret-tok'],
    ['foreign', '{"editor": "vim", "recent": ["a", "b"]}'],
  ])('a %s config file: one-line error naming the file, nothing overwritten', async (_kind, content) => {
    mkdirSync(fx.dir.path, { recursive: true });
    const path = join(fx.dir.path, 'config.json');
    writeFileSync(path, content, { mode: 0o600 });
    for (const argv of [['status'], ['logout'], ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken]]) {
      const r = await run(argv);
      expect(r.code).toBe(5); // the config exit code
      expect(r.stdout).toBe('');
      const lines = r.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(path);
      expect(lines[0]).toMatch(/left untouched: repair it, or move it away/);
      expect(readFileSync(path, 'utf8')).toBe(content);
    }
  });
});

describe('openSession', () => {
  function deps(extra: NodeJS.ProcessEnv = {}, verbose = false): { deps: CliDeps; stderr: () => string } {
    const err = new PassThrough();
    let text = '';
    err.on('data', (c: Buffer) => (text += c));
    const io = createIO({ stdout: new PassThrough(), stderr: err, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false }, env(extra));
    io.configure({ verbose });
    return { deps: { io, env: env(extra), cwd: fx.dir.path, now: () => new Date(), signal: new AbortController().signal, setExitCode() {} }, stderr: () => text };
  }

  it('opens the default profile, or the one named by --account / AMO_ACCOUNT', async () => {
    await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'one']);
    await run(['login', '--base-url', fx.sb.url, ...oauthArgs(), '--account', 'two']);
    const d = deps({}, true);
    const s = await openSession({}, d.deps);
    expect(s).toMatchObject({ profileName: 'two', isSandbox: false, host: new URL(fx.sb.url).host });
    expect(s.account.id).toBe(fx.sb.accountId);
    await s.close();
    expect(d.stderr()).toMatch(/GET \/api\/v4\/account → 200/);
    const viaEnv = await openSession({ rps: 7 }, deps({ AMO_ACCOUNT: 'one' }).deps);
    expect(viaEnv.profileName).toBe('one');
    await viaEnv.close();
    await expect(openSession({ account: 'three' }, deps().deps)).rejects.toMatchObject({ kind: 'auth', key: 'amocrm.error.noSuchProfile' });
  });

  it('session options: --account (repeatable when asked), --sandbox, --rps 1..7, --as-user', () => {
    const parse = (argv: string[], multi = false) => addSessionOptions(new Command('x').exitOverride(), { multipleAccounts: multi }).parse(argv, { from: 'user' }).opts();
    expect(parse(['--account', 'a', '--rps', '7', '--as-user', '42', '--sandbox'])).toEqual({ account: 'a', rps: 7, asUser: 42, sandbox: true });
    expect(parse(['--account', 'a', '--account', 'b'], true).account).toEqual(['a', 'b']);
    expect(() => parse(['--rps', '8'])).toThrow(expect.objectContaining({ kind: 'usage', key: 'amocrm.error.badRps' }));
    expect(() => parse(['--rps', 'fast'])).toThrow(expect.objectContaining({ kind: 'usage' }));
    expect(() => parse(['--as-user', '-3'])).toThrow();
  });

  it('without any profile asks to run amo-export login', async () => {
    await expect(openSession({}, deps().deps)).rejects.toMatchObject({ kind: 'auth', key: 'amocrm.error.notLoggedIn', params: { command: 'amo-export login' } });
  });

  it('--sandbox starts an in-process sandbox, stores nothing, and stops it on close', async () => {
    const s = await openSession({ sandbox: true, sandboxOptions: { contacts: 20 } }, deps().deps);
    expect(s.isSandbox).toBe(true);
    expect(s.profileName).toBe('sandbox');
    const page = await s.client.contactsPage({ limit: 50 });
    expect(page.items.length).toBe(20);
    await s.close();
    expect(openConfig(env()).listProfiles()).toEqual([]);
    await expect(fetch(`http://${s.host}/api/v4/account`)).rejects.toThrow();
  });
});
