/**
 * Running the bins: in-process (fast, captured streams) and as real child processes of the built
 * package (what a user gets). Both keep stdout and stderr apart.
 */
import { spawn } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { MainOverrides } from '../../src/cli/program.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  tty?: boolean;
  cwd?: string;
  now?: () => Date;
  signal?: AbortSignal;
}

type Main = (argv: string[], o?: MainOverrides) => Promise<number>;

/** A clean environment: no colour, no locale surprises, config in a private directory. */
export function baseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // TMPDIR: what a bin leaves in the temp dir lands in the run's own one, which must end empty.
  const tmp = process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {};
  return { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LANG: 'C.UTF-8', ...tmp, ...extra };
}

export async function runInProcess(main: Main, argv: string[], o: InProcessOptions = {}): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const code = await main(argv, {
    streams: {
      stdout,
      stderr,
      stdin: Readable.from(o.stdin ? [o.stdin] : []),
      stdoutIsTTY: Boolean(o.tty),
      stderrIsTTY: Boolean(o.tty),
      stdinIsTTY: Boolean(o.tty),
    },
    env: o.env ?? baseEnv(),
    cwd: o.cwd,
    now: o.now,
    signal: o.signal,
  });
  return { code, stdout: out, stderr: err };
}

export function spawnBin(bin: 'amo-export' | 'amo-callerid' | 'amo-doctor', argv: string[], o: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...argv], {
      env: o.env ?? baseEnv(),
      cwd: o.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(o.stdin ?? '');
  });
}

/** A temporary directory removed when the test's cleanup runs. */
export function tempDir(prefix = 'amo-'): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}
