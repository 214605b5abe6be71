/**
 * Peak RSS of a real `amo-export` process exporting 1,000,000 sandbox contacts (no latency) into a
 * file, the sandbox in a process of its own: the export must stream, not buffer (target < 200 MB).
 * Baseline in the same run: the same exporter over a window holding about a tenth of the contacts
 * (the last ten days of the data: the sandbox's history is skewed to recent times), so the ratio
 * shows whether memory grows with the account. The client is capped at 7 req/s (amoCRM's
 * limit), so the full run takes about 10 minutes. Requires `npm run build` first.
 *
 *   npx tsx bench/export-rss.ts [contacts=1000000]
 */
import { spawn } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openConfig } from '../src/config/store.js';
import { DATA_FROM, DATA_TO } from '../src/sandbox/amocrm/generate.js';

import { ROOT, startSandboxProcess } from './sandbox-process.js';

const CONTACTS = Number(process.argv[2] ?? 1_000_000);

/** VmHWM (peak resident set) of a live process, in kB; polled because it vanishes at exit. */
function peakKb(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function exportPeak(env: NodeJS.ProcessEnv, args: string[]): Promise<{ peakMb: number; seconds: number; code: number | null; summary: string }> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), ...args, '--rps', '7', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let peak = 0;
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const poll = setInterval(() => (peak = Math.max(peak, peakKb(child.pid!))), 50);
    child.once('error', rej);
    child.once('exit', (code) => {
      clearInterval(poll);
      res({ peakMb: peak / 1024, seconds: (performance.now() - t0) / 1000, code, summary: code === 0 ? out.trim() : err.trim() });
    });
  });
}

async function main() {
  const sb = await startSandboxProcess(['--contacts', String(CONTACTS)]);
  const dir = mkdtempSync(join(tmpdir(), 'amo-rss-'));
  try {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, AMO_PHONEBOOK_CONFIG_DIR: join(dir, 'config'), NO_COLOR: '1' };
    const url = new URL(sb.url);
    openConfig(env).saveProfile({
      name: 'bench', host: url.host, baseUrl: sb.url, kind: 'long-lived', accessToken: sb.token, accountId: 30000001,
      accountName: 'Sandbox', subdomain: 'sandbox', userId: 9000001, userName: 'Admin', country: 'RU', savedAt: Date.now(),
    });
    const day = (s: number) => new Date(s * 1000).toISOString().slice(0, 10);
    const tenth = DATA_TO - 10 * 86_400;
    const small = await exportPeak(env, ['--since', day(tenth), '-o', join(dir, 'small.vcf'), '--target', 'small']);
    const full = await exportPeak(env, ['--since', day(DATA_FROM), '-o', join(dir, 'full.vcf'), '--target', 'full']);
    const count = (s: string) => (s.startsWith('{') ? (JSON.parse(s) as { exported: number }).exported : NaN);
    console.log(`sandbox: ${CONTACTS} contacts, no latency; exporter a child process at 7 req/s`);
    console.log(`baseline (about a tenth, last 10 days): ${count(small.summary)} exported, ${(statSync(join(dir, 'small.vcf')).size / 1e6).toFixed(1)} MB file, peak RSS ${small.peakMb.toFixed(1)} MB, ${small.seconds.toFixed(0)} s`);
    console.log(`full:                                  ${count(full.summary)} exported, ${(statSync(join(dir, 'full.vcf')).size / 1e6).toFixed(1)} MB file, peak RSS ${full.peakMb.toFixed(1)} MB, ${full.seconds.toFixed(0)} s (target < 200 MB)`);
    console.log(`ratio:    peak RSS full / tenth = ${(full.peakMb / small.peakMb).toFixed(2)}×; contacts full / tenth = ${(count(full.summary) / count(small.summary)).toFixed(1)}×`);
    if (small.code !== 0 || full.code !== 0) console.log(`exporter failed: ${small.summary} ${full.summary}`);
  } finally {
    await sb.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
