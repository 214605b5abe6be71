/**
 * Login from the environment, as gh takes GH_TOKEN: AMO_TOKEN with AMO_HOST or AMO_BASE_URL works
 * for every command without a stored login, stores nothing but the export's watermark (keyed by
 * the host), and sits between the flags and the stored profiles in precedence. All against the
 * sandbox over real HTTP.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { openConfig } from '../../src/config/store.js';
import { WATERMARK_KEY, type Watermark } from '../../src/export/state.js';
import { runInProcess } from '../helpers/cli.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const fx = useAmoCliFixture({ contacts: 40, seed: 11 }, 'amo-envlogin-');
const host = () => new URL(fx.sb.url).host;
const tokenEnv = (extra: NodeJS.ProcessEnv = {}) => fx.env({ AMO_TOKEN: fx.sb.longLivedToken, AMO_BASE_URL: fx.sb.url, ...extra });
const vcards = (s: string) => s.split('BEGIN:VCARD').length - 1;

function storedProfiles(): string[] {
  return openConfig(fx.env()).listProfiles().map((p) => p.name);
}

function watermarks(): Watermark[] {
  return Object.values(openConfig(fx.env()).getData<Record<string, Watermark>>(WATERMARK_KEY) ?? {});
}

describe('AMO_TOKEN with AMO_BASE_URL or AMO_HOST, nothing stored', () => {
  it('exports without a login; only a watermark keyed by the host is written, and the next run continues from it', async () => {
    const first = await runInProcess(exportMain, ['--since', '2000-01-01'], { env: tokenEnv() });
    expect(first.code, first.stderr).toBe(0);
    expect(vcards(first.stdout)).toBeGreaterThan(0);
    expect(storedProfiles()).toEqual([]);
    const marks = watermarks();
    expect(marks).toHaveLength(1);
    expect(marks[0]!.profile).toBe(host());
    // No --since: the watermark of this host answers, not a prompt (which off a TTY would be exit 2).
    const second = await runInProcess(exportMain, [], { env: tokenEnv() });
    expect(second.code, second.stderr).toBe(0);
    expect(vcards(second.stdout)).toBe(0);
  });

  it('--base-url on the export takes the server, AMO_TOKEN the token', async () => {
    const r = await runInProcess(exportMain, ['--since', '2000-01-01', '--base-url', fx.sb.url], { env: fx.env({ AMO_TOKEN: fx.sb.longLivedToken }) });
    expect(r.code, r.stderr).toBe(0);
    expect(vcards(r.stdout)).toBeGreaterThan(0);
    expect(storedProfiles()).toEqual([]);
  });

  it('--base-url without AMO_TOKEN and without a stored login of that server: exit 3 naming both ways in', async () => {
    const r = await runInProcess(exportMain, ['--since', '2000-01-01', '--base-url', fx.sb.url], { env: fx.env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('AMO_TOKEN');
    expect(r.stderr).toContain(`login --base-url ${fx.sb.url}`);
  });

  it('--base-url without AMO_TOKEN takes the stored login of that server', async () => {
    expect((await runInProcess(exportMain, ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'local'], { env: fx.env() })).code).toBe(0);
    const r = await runInProcess(exportMain, ['--since', '2000-01-01', '--base-url', fx.sb.url], { env: fx.env() });
    expect(r.code, r.stderr).toBe(0);
    expect(watermarks().map((w) => w.profile)).toEqual(['local']);
  });

  it('callerid build works from the environment', async () => {
    const out = join(fx.dir.path, 'ds');
    const r = await runInProcess(calleridMain, ['build', '--platform', 'android', '--out', out, '--json'], { env: tokenEnv(), cwd: fx.dir.path });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(out, 'android', 'callerid.tsv'))).toBe(true);
    expect(storedProfiles()).toEqual([]);
  });

  it("doctor's CRM lookup works from the environment", async () => {
    const r = await runInProcess(doctorMain, ['--sandbox', 'pixel-15', '--number', '+79000000000', '--check', 'number', '--json'], { env: tokenEnv(), cwd: fx.dir.path });
    const check = (JSON.parse(r.stdout) as { checks: { id: string; details: string[] }[] }).checks.find((c) => c.id === 'number')!;
    expect(check.details.join('\n')).toMatch(/Not found in amoCRM/);
    expect(fx.sb.stats.requests.some((q) => q.path === '/api/v4/contacts' && q.query.includes('query='))).toBe(true);
  });

  it('status reports the environment login and stores nothing; AMO_HOST is the other way to name the server', async () => {
    const r = await runInProcess(exportMain, ['status', '--json'], { env: tokenEnv() });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ source: 'environment', profile: host(), baseUrl: fx.sb.url, account: { id: fx.sb.accountId } });
    const text = await runInProcess(exportMain, ['status'], { env: tokenEnv() });
    expect(text.stdout).toContain('AMO_BASE_URL, AMO_TOKEN');
    expect(storedProfiles()).toEqual([]);
    // AMO_HOST takes an amoCRM host over https only, so here it can only be refused, with the way out.
    const viaHost = await runInProcess(exportMain, ['status'], { env: fx.env({ AMO_TOKEN: fx.sb.longLivedToken, AMO_HOST: fx.sb.url }) });
    expect(viaHost.code).toBe(2);
    expect(viaHost.stderr).toContain('--base-url');
    const both = await runInProcess(exportMain, ['status'], { env: tokenEnv({ AMO_HOST: 'acme.amocrm.ru' }) });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/AMO_HOST or AMO_BASE_URL/);
  });

  it('AMO_TOKEN alone with nothing stored: the not-logged-in error names the variables', async () => {
    const r = await runInProcess(exportMain, ['--since', '2000-01-01'], { env: fx.env({ AMO_TOKEN: fx.sb.longLivedToken }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('AMO_TOKEN with AMO_HOST or AMO_BASE_URL');
  });
});

describe('precedence: flags, then the environment, then the stored profile', () => {
  it('the environment login wins over the stored default; --account wins over the environment', async () => {
    const login = await runInProcess(exportMain, ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'main'], { env: fx.env() });
    expect(login.code, login.stderr).toBe(0);
    const badEnv = fx.env({ AMO_TOKEN: 'not-a-token', AMO_BASE_URL: fx.sb.url });
    // A wrong token in the environment is used (and fails) even though a good profile is stored.
    expect((await runInProcess(exportMain, ['--since', '2000-01-01'], { env: badEnv })).code).toBe(3);
    const withFlag = await runInProcess(exportMain, ['--since', '2000-01-01', '--account', 'main'], { env: badEnv });
    expect(withFlag.code, withFlag.stderr).toBe(0);
    expect(watermarks().map((w) => w.profile)).toEqual(['main']);
  });

  it('--help states the precedence', async () => {
    const r = await runInProcess(exportMain, ['--help']);
    expect(r.stdout).toMatch(/flags.*environment.*stored/s);
    expect(r.stdout).toContain('AMO_TOKEN');
  });
});

describe('login --host with a plain-http loopback URL', () => {
  it('points to --base-url instead of contradicting itself', async () => {
    const r = await runInProcess(exportMain, ['login', '--host', fx.sb.url, '--token', fx.sb.longLivedToken], { env: fx.env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--base-url ${fx.sb.url}`);
    expect(r.stderr).not.toContain('allowed only for this computer');
    expect(existsSync(openConfig(fx.env()).path) ? readFileSync(openConfig(fx.env()).path, 'utf8') : '').not.toContain(fx.sb.longLivedToken);
  });
});
