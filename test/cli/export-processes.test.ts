/**
 * amo-export as real processes where the bug lives between processes or between a process and
 * the OS: two runs on one -o, eight runs on eight targets, SIGTERM/SIGHUP, a reader that closes
 * the pipe, a full disk, a FIFO as -o, and a config dir the user cannot write. The sandbox runs
 * in this process on 127.0.0.1; the bins are the built package (`npm run build`).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, openSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, runInProcess, spawnBin, type RunResult } from '../helpers/cli.js';
import { devicePath, fixture, vcardIds, type Fixture } from '../export/helpers.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { isoSeconds } from '../../src/export/dates.js';
import { openConfig } from '../../src/config/store.js';
import { listWatermarks, readWatermark } from '../../src/export/state.js';
import { isPartialName } from '../../src/export/output.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';

const SINCE = isoSeconds(DATA_FROM).slice(0, 10);

const fixtures: Fixture[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const f of fixtures.splice(0).reverse()) await f.close();
});
async function fx(...a: Parameters<typeof fixture>): Promise<Fixture> {
  const f = await fixture(...a);
  fixtures.push(f);
  return f;
}

interface Started {
  child: ChildProcess;
  done: Promise<RunResult & { signal: NodeJS.Signals | null }>;
}

/** A bin as a child process whose handle the test keeps (to signal it, or to close its stdout). */
function start(bin: 'amo-export' | 'amo-callerid' | 'amo-doctor', argv: string[], o: { env?: NodeJS.ProcessEnv; cwd?: string; uid?: number; gid?: number } = {}): Started {
  const child = spawn(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...argv], { env: o.env, cwd: o.cwd ?? ROOT, stdio: ['ignore', 'pipe', 'pipe'], uid: o.uid, gid: o.gid });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const done = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, signal, stdout, stderr });
    });
  });
  return { child, done };
}

async function until(cond: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const partials = (dir: string) => readdirSync(dir).filter(isPartialName);
const marks = (f: Fixture) => listWatermarks(openConfig(f.env));

function balancedVcards(text: string): void {
  const begins = text.match(/^BEGIN:VCARD\r$/gm)?.length ?? 0;
  expect(text.match(/^END:VCARD\r$/gm)?.length ?? 0).toBe(begins);
  const ids = vcardIds(text);
  expect(ids.length).toBe(begins);
  expect(new Set(ids).size).toBe(ids.length);
  expect(text).not.toContain('\uFFFD'); // no UTF-8 sequence cut by another writer
}

describe('two runs on the same -o', () => {
  it('the second refuses at once naming the first; with --wait it queues and both files are whole', async () => {
    const f = await fx({ behaviour: { latencyMs: 150 } });
    const out = join(f.dir, 'same.vcf');
    const first = start('amo-export', ['--since', SINCE, '-o', out], { env: f.env });
    await until(() => partials(f.dir).length > 0, 'the first run to open its temporary file');
    const t0 = Date.now();
    const second = await spawnBin('amo-export', ['--since', SINCE, '-o', out], { env: f.env });
    expect(Date.now() - t0).toBeLessThan(20_000); // refuses, never waits (the real figure is well under a second)
    expect(second.code).toBe(7);
    expect(second.stderr).toContain(`pid ${first.child.pid}`);
    expect(second.stderr).toContain('--wait');
    const r1 = await first.done;
    expect(r1.code, r1.stderr).toBe(0);
    balancedVcards(readFileSync(out, 'utf8'));

    // --wait: both write the whole file in turn, each a complete export.
    const a = start('amo-export', ['--since', SINCE, '-o', out, '--wait', '--replace'], { env: f.env });
    await until(() => partials(f.dir).length > 0, 'run A to open its temporary file');
    const b = start('amo-export', ['--since', SINCE, '-o', out, '--wait', '--replace'], { env: f.env });
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    balancedVcards(text);
    expect(partials(f.dir)).toEqual([]);
  });
});

describe('eight runs on eight targets', () => {
  it('keep all eight watermarks, and resets beside exports lose none', async () => {
    const f = await fx({ contacts: 200 });
    const runs = Array.from({ length: 8 }, (_, i) => start('amo-export', ['--since', SINCE, '-o', join(f.dir, `t${i}.vcf`)], { env: f.env }));
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const store = openConfig(f.env);
    const t = (name: string) => `vcard:${join(f.dir, `${name}.vcf`)}`;
    for (let i = 0; i < 8; i++) expect(readWatermark(store, { profile: 'main', by: 'updated', target: t(`t${i}`) }), `t${i}`).toBeDefined();

    // reset is a read-modify-write too: four resets beside four new exports lose none of either.
    const mixed = [
      ...[0, 1, 2, 3].map((i) => start('amo-export', ['reset', '--target', t(`t${i}`)], { env: f.env })),
      ...[0, 1, 2, 3].map((i) => start('amo-export', ['--since', SINCE, '-o', join(f.dir, `u${i}.vcf`)], { env: f.env })),
    ];
    for (const r of await Promise.all(mixed.map((m) => m.done))) expect(r.code, r.stderr).toBe(0);
    expect(marks(f).map((m) => m.target).sort()).toEqual([4, 5, 6, 7].map((i) => t(`t${i}`)).concat([0, 1, 2, 3].map((i) => t(`u${i}`))).sort());
  });
});

describe('signals', () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} removes the partial file, stores no watermark, exits ${code}`, async () => {
      const f = await fx({ behaviour: { latencyMs: 300 } });
      const out = join(f.dir, 'sig.vcf');
      const run = start('amo-export', ['--since', SINCE, '-o', out], { env: f.env });
      await until(() => partials(f.dir).length > 0, 'the temporary file');
      run.child.kill(signal);
      const r = await run.done;
      expect(r.signal).toBeNull();
      expect(r.code).toBe(code);
      expect(partials(f.dir)).toEqual([]);
      expect(existsSync(out)).toBe(false);
      expect(marks(f)).toEqual([]);
      expect(readdirSync(join(f.dir, 'config', 'locks'))).toEqual([]);
    });
  }
});

describe('a reader that closes the pipe', () => {
  /** Like `cmd | head -N`: reads N lines of stdout, then closes its end. */
  function headOf(s: Started, lines: number): Promise<string> {
    return new Promise((resolve) => {
      let got = '';
      s.child.stdout!.on('data', (c: Buffer) => {
        got += c.toString('utf8');
        if (got.split('\n').length > lines) {
          s.child.stdout!.destroy();
          resolve(got.split('\n').slice(0, lines).join('\n'));
        }
      });
      s.child.stdout!.on('end', () => resolve(got));
    });
  }

  it('amo-export … | head -3 stops quietly with 141 and stores no watermark', async () => {
    // Far more output than a pipe's buffer plus one read of the reader (64 KB each): 600 contacts
    // (about 140 KB) could all be written before the reader closed, and then nothing tells the run.
    const f = await fx({ contacts: 4000 });
    const run = start('amo-export', ['--since', SINCE], { env: f.env });
    const head = await headOf(run, 3);
    expect(head.split('\n')[0]).toBe('BEGIN:VCARD\r');
    const r = await run.done;
    expect(r.code).toBe(141);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
    expect(marks(f)).toEqual([]);
  });

  it('amo-callerid diff … | head stops quietly with 141', async () => {
    const f = await fx();
    const card = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Клиент ${i}\r\nTEL:+7 916 ${1_000_000 + i}\r\nEND:VCARD\r\n`;
    writeFileSync(join(f.dir, 'small.vcf'), card(1));
    writeFileSync(join(f.dir, 'big.vcf'), Array.from({ length: 4000 }, (_, i) => card(i + 1)).join(''));
    for (const [book, dir] of [['small.vcf', 'old'], ['big.vcf', 'new']]) {
      const b = await runInProcess(calleridMain, ['build', '--input', join(f.dir, book!), '--out', join(f.dir, dir!), '--platform', 'ios'], { env: f.env });
      expect(b.code, b.stderr).toBe(0);
    }
    const run = start('amo-callerid', ['diff', join(f.dir, 'old'), join(f.dir, 'new')], { env: f.env });
    expect((await headOf(run, 3)).split('\n')[1]).toMatch(/^\+ \+7916100000\d\t/);
    const r = await run.done;
    expect(r.code).toBe(141);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at .*\.js/);
  });

  it('amo-doctor --help into a closed pipe exits 141 without a stack trace', async () => {
    const run = start('amo-doctor', ['--help']);
    run.child.stdout!.destroy();
    const r = await run.done;
    expect(r.code).toBe(141);
    expect(r.stderr).toBe('');
  });
});

describe('output that is not a regular file', () => {
  it('a FIFO as -o is written in place, stays a FIFO, and the summary says so', async () => {
    const f = await fx();
    const fifo = join(f.dir, 'pipe.vcf');
    execFileSync('mkfifo', [fifo]);
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(reader);
    let got = '';
    reader.stdout.on('data', (c: Buffer) => (got += c.toString('utf8')));
    const readerDone = new Promise((r) => reader.on('close', r));
    const r = await spawnBin('amo-export', ['--since', SINCE, '-o', fifo, '--json'], { env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('not a regular file');
    expect(statSync(fifo).isFIFO()).toBe(true);
    await readerDone;
    balancedVcards(got);
    const summary = JSON.parse(r.stdout);
    expect(vcardIds(got).length).toBe(summary.exported);
    expect(summary.writtenInPlace).toBe(true);
  });

  it('a device node like /dev/null as -o is written in place and stays a device', async () => {
    const f = await fx();
    const dev = devicePath(f.dir, 'null');
    const r = await spawnBin('amo-export', ['--since', SINCE, '-o', dev], { env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('not a regular file');
    expect(statSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(f.dir).sort()).toEqual(['config', 'null.vcf']);
    expect(marks(f)).toHaveLength(1);
  });

  it('stdout on a full disk (`> /dev/full`) exits 6 saying so, with no watermark', async () => {
    const f = await fx();
    const fd = openSync(devicePath(f.dir, 'full'), 'w');
    try {
      const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), '--since', SINCE], { env: f.env, stdio: ['ignore', fd, 'pipe'] });
      children.push(child);
      let stderr = '';
      child.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(6);
      expect(stderr).toContain('standard output');
      expect(stderr).toContain('ENOSPC');
      expect(marks(f)).toEqual([]);
    } finally {
      closeSync(fd);
    }
  });

  it('a full disk (-o → a /dev/full device) exits 6 naming the file, with no watermark', async () => {
    const f = await fx();
    const link = devicePath(f.dir, 'full');
    const r = await spawnBin('amo-export', ['--since', SINCE, '-o', link], { env: f.env });
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(link);
    expect(r.stderr).toContain('ENOSPC');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(statSync(link).isCharacterDevice()).toBe(true);
    expect(marks(f)).toEqual([]);
  });
});

describe('a config dir without write permission', () => {
  it('is refused before the export with exit 5, naming the dir and AMO_PHONEBOOK_CONFIG_DIR', async () => {
    const f = await fx();
    const cfg = join(f.dir, 'config');
    const outDir = join(f.dir, 'out');
    mkdirSync(outDir);
    // Root ignores permission bits, so as root the run is a different user (nobody); others just lose the bit.
    const asRoot = process.getuid?.() === 0;
    chmodSync(f.dir, 0o755);
    chmodSync(outDir, 0o777);
    chmodSync(join(cfg, 'config.json'), 0o644);
    chmodSync(cfg, 0o555);
    try {
      const out = join(outDir, 'c.vcf');
      const r = await start('amo-export', ['--since', SINCE, '-o', out], { env: f.env, cwd: outDir, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) }).done;
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toContain(cfg);
      expect(r.stderr).toContain('AMO_PHONEBOOK_CONFIG_DIR');
      expect(readdirSync(outDir)).toEqual([]);
      expect(f.sb.stats.requests).toHaveLength(0);
    } finally {
      chmodSync(cfg, 0o700);
    }
  });
});
