/**
 * The outside-tool gate: detection (pointed at empty places and at stand-ins), the decision
 * (skip, or fail with CI=true), and two real vitest runs of test/fixtures/tool-gate as a machine
 * without any of the tools sees them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from './cli.js';
import { DEBIAN_PACKAGES, isCi, onPath, toolDecision, whyMissing, type Tool, type ToolProbe } from './tools.js';

const work = tempDir('tools-');
afterAll(() => work.cleanup());
const TOOLS = Object.keys(DEBIAN_PACKAGES) as Tool[];

function dir(name: string): string {
  const d = join(work.path, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function script(path: string, body: string): string {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('detection', () => {
  it('names every tool as missing on a machine without them, and why', () => {
    const none: ToolProbe = { PATH: dir('empty-bin'), python: join(work.path, 'no-python3'), javaLib: dir('empty-java'), adb: 'adb' };
    const why = Object.fromEntries(TOOLS.map((t) => [t, whyMissing(t, none)]));
    expect(why).toEqual({
      python3: `${none.python} not found`,
      vobject: `${none.python} not found`,
      khard: 'khard not on PATH',
      'ez-vcard': `${join(none.javaLib, 'ez-vcard.jar')}, ${join(none.javaLib, 'vinnie.jar')} missing`,
      adb: 'adb not on PATH',
      radicale: `radicale not on PATH and ${none.python} cannot import radicale`,
    });
  });

  it('finds each tool where the probe says, and tells a missing Python module from a missing Python', () => {
    const bin = dir('bin');
    for (const b of ['khard', 'javac', 'java', 'adb']) script(join(bin, b), 'exit 0');
    writeFileSync(join(bin, 'radicale'), 'not executable');
    const lib = dir('java');
    for (const j of ['ez-vcard.jar', 'vinnie.jar']) writeFileSync(join(lib, j), '');
    // A Python that imports everything but radicale.
    const python = script(join(work.path, 'python3'), 'case "$2" in *radicale*) exit 1;; esac; exit 0');
    const p: ToolProbe = { PATH: `${dir('other')}:${bin}`, python, javaLib: lib, adb: 'adb' };
    expect(TOOLS.map((t) => [t, whyMissing(t, p)])).toEqual([
      ['python3', undefined],
      ['vobject', undefined],
      ['khard', undefined],
      ['ez-vcard', undefined],
      ['adb', undefined],
      ['radicale', `radicale not on PATH and ${python} cannot import radicale`],
    ]);
    // Radicale counts when Python can import it, even with no `radicale` command.
    const withRadicale = script(join(work.path, 'python3-all'), 'exit 0');
    expect(whyMissing('radicale', { ...p, python: withRadicale })).toBeUndefined();
    const noVobject = script(join(work.path, 'python3-bare'), 'exit 1');
    expect(whyMissing('vobject', { ...p, python: noVobject })).toBe(`${noVobject} cannot import vobject`);
    expect(whyMissing('ez-vcard', { ...p, PATH: dir('other') })).toBe('javac, java not on PATH');
    expect(whyMissing('adb', { ...p, adb: join(bin, 'adb') })).toBeUndefined();
    expect(onPath('radicale', p.PATH)).toBe(false);
  });
});

describe('decision', () => {
  it('runs with the tool, skips without it, and fails without it under CI', () => {
    expect(toolDecision(undefined, false)).toBe('run');
    expect(toolDecision(undefined, true)).toBe('run');
    expect(toolDecision('khard not on PATH', false)).toBe('skip');
    expect(toolDecision('khard not on PATH', true)).toBe('fail');
    expect([undefined, '', 'false', '0', 'true', '1', 'TRUE', 'yes'].map((CI) => isCi({ CI }))).toEqual([false, false, false, false, true, true, true, true]);
  });
});

interface GateRun {
  code: number | null;
  output: string;
  report: { numPassedTests: number; numFailedTests: number; numPendingTests: number; testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[] };
  skippedNote: string;
  leftoversNote: string;
  /** scripts/test-summary.mjs on this run. */
  summary: { code: number | null; stdout: string };
}

/** vitest on test/fixtures/tool-gate with nothing on PATH and no Python: a machine without the tools. */
function gateRun(name: string, env: NodeJS.ProcessEnv): Promise<GateRun> {
  const results = dir(name);
  const args = [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'test/fixtures/tool-gate/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${join(results, 'vitest.json')}`];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, PATH: dir('empty-bin'), AMO_TEST_PYTHON: join(work.path, 'no-python3'), AMO_TEST_RESULTS_DIR: results, ...env },
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (output += c.toString('utf8')));
  const note = (f: string) => {
    try {
      return readFileSync(join(results, f), 'utf8');
    } catch {
      return '';
    }
  };
  return new Promise((resolve) =>
    child.on('close', (code) => {
      const report = join(results, 'vitest.json');
      const summary = spawnSync(process.execPath, [join(ROOT, 'scripts/test-summary.mjs'), report], { encoding: 'utf8' });
      resolve({
        code,
        output,
        report: JSON.parse(readFileSync(report, 'utf8')),
        skippedNote: note('skipped-tools.txt'),
        leftoversNote: note('temp-leftovers.txt'),
        summary: { code: summary.status, stdout: summary.stdout },
      });
    }),
  );
}

describe('a run without the tools', () => {
  const runs = Promise.all([gateRun('plain', { CI: '' }), gateRun('ci', { CI: 'true' }), gateRun('leak', { CI: '', GATE_LEAK: '1' })]);

  it('skips what needs a missing tool, passes the rest, and names the tools in one line', async () => {
    const [r] = await runs;
    expect(r.code, r.output).toBe(0);
    expect([r.report.numPassedTests, r.report.numFailedTests, r.report.numPendingTests]).toEqual([1, 0, 4]);
    const line = r.skippedNote.trim();
    expect(line.split('\n')).toHaveLength(1);
    for (const t of ['adb: adb not on PATH (Debian: adb)', 'khard: khard not on PATH (Debian: khard)', 'radicale: radicale not on PATH', 'vobject: ']) expect(line).toContain(t);
    expect(r.output).toContain(line);
    expect(r.leftoversNote).toBe('');
    expect(r.summary).toEqual({ code: 0, stdout: `${line}\n1 passed, 0 failed, 4 skipped\n` });
  }, 120_000);

  it('with CI=true fails each of them instead', async () => {
    const [, r] = await runs;
    expect(r.code, r.output).toBe(1);
    const tests = r.report.testResults.flatMap((f) => f.assertionResults);
    const failed = tests.filter((t) => t.status === 'failed');
    expect(failed.map((t) => t.title).sort()).toEqual(['needs khard', 'needs radicale', 'needs vobject, found out while running', 'talks to the real adb server']);
    for (const t of failed) expect(t.failureMessages.join('\n')).toContain('CI=true: a tool this test needs is missing');
    expect(r.report.numPendingTests).toBe(0);
    expect(r.skippedNote).toBe('');
    expect(r.summary.code).toBe(1);
    expect(r.summary.stdout).toBe('1 passed, 4 failed\n');
  }, 120_000);

  it('fails when a test leaves something in the temp dir, naming it, though every test passed', async () => {
    const [, , r] = await runs;
    expect(r.code, r.output).toBe(1);
    expect([r.report.numPassedTests, r.report.numFailedTests]).toEqual([2, 0]);
    expect(r.leftoversNote).toMatch(/^left in the temp dir by the tests \(removed now\): writer-leak-\w+\n$/);
    expect(r.summary.code).toBe(1);
    expect(r.summary.stdout).toContain(`FAIL ${r.leftoversNote.trim()}\n`);
    expect(r.summary.stdout).toMatch(/\n2 passed, 1 failed, 4 skipped\n$/);
  }, 120_000);
});
