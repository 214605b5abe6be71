/**
 * amo-export against a hostile or broken server (test/helpers/hostile-server.ts): each case ends
 * well within its deadline with exit code 1 and a clear message, no token in any output, no
 * temporary file left, the previous output and the stored watermark untouched. Redirects and
 * `next` links never take the token to another host.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-export.js';
import { openConfig } from '../../src/config/store.js';
import { baseEnv, runInProcess, tempDir, type RunResult } from '../helpers/cli.js';
import { startHostileServer, type HostileCase, type HostileServer } from '../helpers/hostile-server.js';

let server: HostileServer;
let dir: { path: string; cleanup: () => void };
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = tempDir('amo-hostile-');
  env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: join(dir.path, 'config') });
  mkdirSync(join(dir.path, 'out'));
  const url = new URL(server.url);
  openConfig(env).saveProfile({
    name: 'hostile',
    host: url.host,
    baseUrl: server.url,
    kind: 'long-lived',
    accessToken: server.token,
    accountId: server.accountId,
    accountName: 'Acme',
    subdomain: 'acme',
    userId: server.userId,
    userName: 'Admin',
    country: 'RU',
    savedAt: Date.now(),
  });
  server.setCase('ok');
  server.otherHits.length = 0;
});
afterEach(() => dir.cleanup());

const OUT = () => join(dir.path, 'out', 'contacts.vcf');

function exportRun(extra: string[] = []): Promise<RunResult> {
  return runInProcess(main, ['--since', '2020-01-01', '-o', OUT(), '--rps', '7', '--timeout', '2', ...extra], { env });
}

/** Every file of the config dir but lock files: the stored watermarks live there. */
function configSnapshot(): Record<string, string> {
  const root = join(dir.path, 'config');
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.endsWith('.lock')) out[p] = readFileSync(p, 'utf8');
    }
  };
  if (existsSync(root)) walk(root);
  return out;
}

function expectNoToken(r: RunResult): void {
  expect(r.stdout).not.toContain(server.token);
  expect(r.stderr).not.toContain(server.token);
}

const failures: { case: HostileCase; says: string[] }[] = [
  { case: 'drip', says: ['--timeout', '2 s'] },
  { case: 'hugeBody', says: ['32 MB'] },
  { case: 'retryAfterHuge', says: ['"1e9"', '300'] },
  { case: 'retryAfterInfinite', says: ['"1e999"'] },
  { case: 'retryAfterHeader', says: ['2100'] },
  { case: 'escapes', says: ['bad filter', 'EvilCorp'] },
  { case: 'redirect', says: ['redirect'] },
  { case: 'invalidJson', says: ['broken JSON'] },
  { case: 'html200', says: ['not with JSON'] },
  { case: 'html500', says: ['several times'] },
];

describe('amo-export against a hostile server', () => {
  it.each(failures)('$case: fails in time with a clear message and leaves output and watermark alone', async ({ case: c, says }) => {
    const first = await exportRun();
    expect(first.code, first.stderr).toBe(0);
    const output = readFileSync(OUT(), 'utf8');
    const stored = configSnapshot();
    expect(Object.keys(stored).length).toBeGreaterThan(0);

    server.setCase(c);
    const started = Date.now();
    const r = await exportRun(['--verbose']);
    const seconds = (Date.now() - started) / 1000;

    expect(r.code, r.stderr).toBe(1);
    expect(server.contactHits).toBeGreaterThan(0); // the hostile answer was really met
    expect(seconds).toBeLessThan(40); // 4 tries of 2 s and 7 s of backoff at most
    for (const s of says) expect(r.stderr).toContain(s);
    // Nothing from the server steers the terminal.
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expectNoToken(r);
    expect(readdirSync(join(dir.path, 'out')).filter((n) => n !== 'contacts.vcf')).toEqual([]);
    expect(readFileSync(OUT(), 'utf8')).toBe(output);
    expect(configSnapshot()).toEqual(stored);
    expect(server.otherHits).toEqual([]);
  }, 60_000);

  it('--timeout takes seconds from 1 to 600; anything else is a usage error', async () => {
    for (const bad of ['0', '-1', 'soon', '601']) {
      const r = await exportRun(['--timeout', bad]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('--timeout');
    }
    expect(server.contactHits).toBe(0);
  });

  it('garbage Retry-After and retry_after: ignored, the client backs off on its own and finishes', async () => {
    server.setCase('retryAfterGarbage');
    const r = await exportRun(['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).exported).toBe(2);
    expect(server.contactHits).toBeGreaterThanOrEqual(3);
    expectNoToken(r);
  }, 60_000);

  it('a `next` link to another host is never followed: pages come from the account host only', async () => {
    server.setCase('nextOtherHost');
    const r = await exportRun(['--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).exported).toBe(260);
    expect(server.otherHits).toEqual([]);
    expectNoToken(r);
  }, 60_000);
});
