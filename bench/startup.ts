/**
 * Start-up time of the three bins (`--version`, `--help`) against `node -e 0`, interleaved in one
 * run so that a busy machine slows the baseline and the bins alike. Prints the median wall time of
 * each and its ratio to the baseline (the target is ≤ 2×). Prints, does not assert. Needs
 * `npm run build` (the bins run the bundle in dist/bundle/, see scripts/bundle.mjs).
 *
 *   npx tsx bench/startup.ts [--runs N] [--compare DIR]
 *
 * --compare DIR adds the bins of another built checkout (e.g. an older commit) to the same run.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const runsAt = process.argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(process.argv[runsAt + 1]) : 15;
const compareAt = process.argv.indexOf('--compare');
const OTHER = compareAt >= 0 ? resolve(process.argv[compareAt + 1]!) : undefined;

interface Case {
  name: string;
  args: string[];
}

// For context, not targets: any ES-module entry point pays for Node's ESM loader, and any that
// prints pays for building process.stdout.
const scratch = mkdtempSync(join(tmpdir(), 'startup-bench-'));
const empty = join(scratch, 'empty.mjs');
writeFileSync(empty, '');
const floor = join(scratch, 'print.mjs');
writeFileSync(floor, `process.stdout.write('0.1.0\\n');\n`);

const cases: Case[] = [
  { name: 'node -e 0', args: ['-e', '0'] },
  { name: 'node empty.mjs', args: [empty] },
  { name: 'node print.mjs (one line)', args: [floor] },
];
for (const bin of ['amo-export', 'amo-callerid', 'amo-doctor']) {
  for (const flag of ['--version', '--help']) {
    cases.push({ name: `${bin} ${flag}`, args: [join(ROOT, 'bin', `${bin}.js`), flag] });
    if (OTHER) cases.push({ name: `  (compared) ${bin} ${flag}`, args: [join(OTHER, 'bin', `${bin}.js`), flag] });
  }
}

// A clean environment: no colour, no locale, no CI switches that change what loads.
const env = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', NO_COLOR: '1' };

function once(c: Case): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, c.args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr.toString()}`);
  return ms;
}

const times = new Map<string, number[]>(cases.map((c) => [c.name, []]));
try {
  for (const c of cases) once(c); // warm the file cache
  for (let i = 0; i < RUNS; i++) for (const c of cases) times.get(c.name)!.push(once(c));
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const base = median(times.get('node -e 0')!);
console.log(`runs: ${RUNS} each, interleaved; median wall time; target ratio ≤ 2.00`);
for (const c of cases) {
  const m = median(times.get(c.name)!);
  console.log(`${c.name.padEnd(36)} ${m.toFixed(1).padStart(7)} ms  ${(m / base).toFixed(2)}×`);
}
