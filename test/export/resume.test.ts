/**
 * SIGKILL at several points of a real `amo-export` process (the built bin), then a rerun: the
 * output file is only ever absent/old or complete, the watermark never moves past what was
 * written, and the rerun delivers everything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-export.js';
import { ROOT, runInProcess, spawnBin } from '../helpers/cli.js';
import { fixture, vcardIds, type Fixture } from './helpers.js';
import { openConfig } from '../../src/config/store.js';
import { readWatermark, writeWatermarks, type Watermark } from '../../src/export/state.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { isoSeconds } from '../../src/export/dates.js';

let f: Fixture;
beforeAll(async () => {
  f = await fixture({ contacts: 900, bulkEditSize: 300, behaviour: { latencyMs: 120 } });
});
afterAll(async () => {
  await f?.close();
});

function killedAfter(argv: string[], ms: number): Promise<{ killed: boolean; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), ...argv], { env: f.env, cwd: ROOT, stdio: ['ignore', 'ignore', 'ignore'] });
    let killed = false;
    const timer = setTimeout(() => {
      killed = child.kill('SIGKILL');
    }, ms);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ killed: killed && signal === 'SIGKILL', code });
    });
  });
}

describe('resumability', () => {
  it('a SIGKILLed export leaves the old state; the rerun is complete', async () => {
    const out = join(f.dir, 'delta.vcf');
    const base = ['-o', out, '--rps', '7'];
    const key = { profile: 'main', by: 'updated' as const, target: `vcard:${out}` };
    // A first, complete export up to mid-2025 sets the watermark W.
    const first = await runInProcess(main, [...base, '--since', isoSeconds(DATA_FROM).slice(0, 10), '--until', '2025-06-30'], { env: f.env });
    expect(first.code).toBe(0);
    const w = readWatermark(openConfig(f.env), key)!;
    expect(w.until).toBe(Date.UTC(2025, 5, 30, 23, 59, 59) / 1000);

    // What the continuation must deliver: the same window exported in-process to another file.
    const refPath = join(f.dir, 'reference.vcf');
    const ref = await runInProcess(main, ['-o', refPath, '--rps', '7', '--since', isoSeconds(w.until + 1), '--target', 'reference'], { env: f.env });
    expect(ref.code).toBe(0);
    const expected = new Set(vcardIds(readFileSync(refPath, 'utf8')));
    expect(expected.size).toBeGreaterThan(100);

    rmSync(out);
    let killedCount = 0;
    for (const ms of [150, 500, 900, 1400, 2200]) {
      writeWatermarks(openConfig(f.env), [w as Watermark]);
      const r = await killedAfter(base, ms);
      if (r.killed) killedCount++;
      const mark = readWatermark(openConfig(f.env), key)!;
      if (existsSync(out)) {
        // Never a half-written file at the final name.
        expect(new Set(vcardIds(readFileSync(out, 'utf8')))).toEqual(expected);
      }
      if (mark.until !== w.until) {
        // The watermark moved only because the output was complete.
        expect(existsSync(out)).toBe(true);
        expect(r.killed ? true : r.code === 0).toBe(true);
      }
      if (existsSync(out)) rmSync(out);
    }
    expect(killedCount).toBeGreaterThanOrEqual(3);

    writeWatermarks(openConfig(f.env), [w as Watermark]);
    const rerun = await spawnBin('amo-export', [...base, '--json'], { env: f.env });
    expect(rerun.code).toBe(0);
    const got = vcardIds(readFileSync(out, 'utf8'));
    expect(new Set(got)).toEqual(expected);
    expect(got.length).toBe(expected.size);
    expect(readWatermark(openConfig(f.env), key)!.until).toBeGreaterThan(w.until);
    expect(rerun.stdout + rerun.stderr).not.toContain(f.sb.longLivedToken);
  });
});
