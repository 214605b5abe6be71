import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { request } from 'undici';
import { main } from '../../../src/cli/amo-export.js';
import { ROOT, baseEnv, runInProcess } from '../../helpers/cli.js';

/** Runs `amo-export sandbox …` in-process until `untilStdout` matches, then aborts it like Ctrl+C. */
async function runUntil(argv: string[], untilStdout: RegExp, whileRunning: (stdout: string) => Promise<void>) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
    if (untilStdout.test(out)) ready();
  });
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const abort = new AbortController();
  const done = main(argv, {
    streams: { stdout, stderr, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false },
    env: baseEnv(),
    signal: abort.signal,
  });
  await Promise.race([started, done]);
  await whileRunning(out);
  abort.abort();
  const code = await done;
  return { code, stdout: out, stderr: err };
}

describe('amo-export sandbox', () => {
  it('prints the URL and a token, serves until stopped, and exits 0', async () => {
    let url = '';
    const r = await runUntil(['sandbox', '--contacts', '300', '--seed', '4', '--latency', '5'], /token: \S+\n/, async (out) => {
      url = /^url: (\S+)$/m.exec(out)![1]!;
      const token = /^token: (\S+)$/m.exec(out)![1]!;
      const res = await request(`${url}/api/v4/contacts?limit=250&page=2`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { _embedded: { contacts: unknown[] } })._embedded.contacts.length).toBeLessThan(250);
    });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    expect(r.stdout).toMatch(/^url: http:\/\/127\.0\.0\.1:\d+\ntoken: [\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(r.stderr).toContain(`amo-export login --base-url ${url}`);
    await expect(request(`${url}/api/v4/account`)).rejects.toThrow();
  });

  it('prints one JSON line with --json', async () => {
    const r = await runUntil(['--json', 'sandbox', '--contacts', '10', '--rate-limit', '7', '--rate-limit-format', 'html'], /\n/, async () => {});
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as { url: string; token: string; oauth: { clientId: string; clientSecret: string; redirectUri: string }; users: { exportRight: string }[] };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.token.split('.')).toHaveLength(3);
    expect(info.oauth.clientSecret).toBeTruthy();
    expect(new Set(info.users.map((u) => u.exportRight))).toEqual(new Set(['A', 'G', 'M', 'D']));
  });

  it('refuses a non-loopback host and bad numbers with a usage error', async () => {
    const host = await runInProcess(main, ['sandbox', '--host', '0.0.0.0']);
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('0.0.0.0');
    expect(host.stdout).toBe('');
    const ru = await runInProcess(main, ['--lang', 'ru', 'sandbox', '--host', '192.168.1.5']);
    expect(ru.stderr).toMatch(/loopback/);
    expect(ru.stderr).toMatch(/[а-я]/);
    const n = await runInProcess(main, ['sandbox', '--contacts', '2000000']);
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('--contacts');
    const f = await runInProcess(main, ['sandbox', '--faults', '1.5']);
    expect(f.code).toBe(2);
  });
});

describe('amo-export sandbox as a real process', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints its URL at once and exits 0 on ${signal}`, async () => {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), 'sandbox', '--contacts', '50'], { env: baseEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let out = '';
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (c: Buffer) => {
            out += c.toString('utf8');
            if (/token: \S+\n/.test(out)) resolve();
          });
          child.on('close', () => reject(new Error(`exited early: ${out}`)));
        });
        const url = /^url: (\S+)$/m.exec(out)![1]!;
        const token = /^token: (\S+)$/m.exec(out)![1]!;
        const res = await request(`${url}/api/v4/account`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.statusCode).toBe(200);
        await res.body.dump();
        child.kill(signal);
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }
});
