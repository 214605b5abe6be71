/**
 * Outside tools some tests check our output with (Debian packages that scripts/setup-test-deps.sh
 * installs when it can). A missing tool skips the tests that need it, and the run names the tool
 * and why in one line at the end (test/helpers/global-setup.ts). With CI=true a missing tool is a
 * failure: CI must check everything.
 *
 *   const khard = requireTool('khard');
 *   khard.it('khard lists every card', () => …);          // it.runIf, with the CI rule
 *   requireTool('python3').describe('checked by Python csv', () => …);
 *   needTool('adb');   // inside a running test or a beforeEach: skips that test (fails with CI=true)
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it, TestRunner } from 'vitest';

export type Tool = 'python3' | 'vobject' | 'khard' | 'ez-vcard' | 'adb' | 'radicale';

/**
 * Debian's own Python: apt installs python3-vobject for it, whatever `python3` is first on PATH
 * (a pyenv shim, a venv). AMO_TEST_PYTHON points elsewhere.
 */
export const PYTHON = process.env.AMO_TEST_PYTHON || '/usr/bin/python3';
export const JAVA_LIB = '/usr/share/java';

/** The Debian packages that provide each tool (what setup-test-deps.sh installs). */
export const DEBIAN_PACKAGES: Record<Tool, string[]> = {
  python3: ['python3'],
  vobject: ['python3-vobject'],
  khard: ['khard'],
  'ez-vcard': ['libez-vcard-java', 'libvinnie-java', 'default-jdk-headless'],
  adb: ['adb'],
  radicale: ['radicale'],
};

/** Where detection looks; tests of this module point it at empty places. */
export interface ToolProbe {
  PATH: string;
  python: string;
  javaLib: string;
  adb: string;
}

export function defaultProbe(env: NodeJS.ProcessEnv = process.env): ToolProbe {
  return { PATH: env.PATH ?? '', python: PYTHON, javaLib: JAVA_LIB, adb: env.AMO_TEST_ADB_BIN || 'adb' };
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `command -v NAME`: an absolute name as is, a bare one searched in PATH. */
export function onPath(name: string, PATH: string): boolean {
  if (name.includes('/')) return executable(name);
  return PATH.split(delimiter).some((dir) => dir !== '' && executable(join(dir, name)));
}

function pythonImports(python: string, module: string): boolean {
  const r = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

/** Why `tool` cannot be used, or undefined when it can. */
export function whyMissing(tool: Tool, p: ToolProbe = defaultProbe()): string | undefined {
  const noPython = executable(p.python) ? undefined : `${p.python} not found`;
  switch (tool) {
    case 'python3':
      return noPython;
    case 'vobject':
      return noPython ?? (pythonImports(p.python, 'vobject') ? undefined : `${p.python} cannot import vobject`);
    case 'khard':
      if (!onPath('khard', p.PATH)) return 'khard not on PATH';
      return noPython ?? (pythonImports(p.python, 'ruamel.yaml') ? undefined : `${p.python} cannot import ruamel.yaml`);
    case 'ez-vcard': {
      const jars = ['ez-vcard.jar', 'vinnie.jar'].filter((j) => !existsSync(join(p.javaLib, j)));
      if (jars.length) return `${jars.map((j) => join(p.javaLib, j)).join(', ')} missing`;
      const bins = ['javac', 'java'].filter((b) => !onPath(b, p.PATH));
      return bins.length ? `${bins.join(', ')} not on PATH` : undefined;
    }
    case 'adb':
      return onPath(p.adb, p.PATH) ? undefined : `${p.adb} not on PATH`;
    case 'radicale':
      if (onPath('radicale', p.PATH)) return undefined;
      return noPython || !pythonImports(p.python, 'radicale') ? `radicale not on PATH and ${p.python} cannot import radicale` : undefined;
  }
}

export type ToolDecision = 'run' | 'skip' | 'fail';

/** CI set (CI services set CI=true; "", 0 and false do not count): a missing tool fails instead of skipping. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = (env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== '0' && ci !== 'false';
}

export function toolDecision(missing: string | undefined, ci: boolean): ToolDecision {
  if (missing === undefined) return 'run';
  return ci ? 'fail' : 'skip';
}

const detected = new Map<Tool, string | undefined>();

/** whyMissing() with the default probe, once per tool and process. */
export function missingNow(tool: Tool): string | undefined {
  if (!detected.has(tool)) detected.set(tool, whyMissing(tool));
  return detected.get(tool);
}

function withPackages(tool: Tool, why: string): string {
  return `${why} (Debian: ${DEBIAN_PACKAGES[tool].join(' ')})`;
}

export function missingMessage(tool: Tool, why: string): string {
  return `${tool}: ${withPackages(tool, why)}`;
}

/** Leaves the reason where the global teardown collects it for the one closing line. */
export function recordSkip(what: string, why: string): void {
  const dir = process.env.AMO_TEST_SKIPS_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, what), `${what}: ${why}`);
}

export interface ToolGate {
  /** Every listed tool is usable. */
  readonly available: boolean;
  /** The tools that are missing and why, '' when all are there. */
  readonly reason: string;
  /** `describe` when the tools are there; otherwise one skipped (or, with CI=true, failing) test in its place. */
  readonly describe: typeof describe;
  /** `it` when the tools are there; otherwise `it.skip` (or, with CI=true, a failing test). */
  readonly it: typeof it;
}

function ciError(reason: string): Error {
  return new Error(`CI=true: a tool this test needs is missing: ${reason}; run scripts/setup-test-deps.sh`);
}

export function requireTool(...tools: Tool[]): ToolGate {
  const missing = tools.flatMap((t) => {
    const why = missingNow(t);
    return why === undefined ? [] : [{ tool: t, why }];
  });
  const reason = missing.map((m) => missingMessage(m.tool, m.why)).join('; ');
  const decision = toolDecision(missing.length ? reason : undefined, isCi());
  if (decision === 'run') return { available: true, reason, describe, it };
  if (decision === 'skip') for (const m of missing) recordSkip(m.tool, withPackages(m.tool, m.why));
  const fail = ciError(reason);
  const gatedIt = ((name: string) =>
    decision === 'skip' ? it.skip(name, () => undefined) : it(name, () => Promise.reject(fail))) as unknown as typeof it;
  // The body is not collected: it may call the missing tool while it is being collected.
  const gatedDescribe = ((name: string) =>
    describe(name, () => gatedIt(`needs ${missing.map((m) => m.tool).join(', ')}`, () => undefined))) as unknown as typeof describe;
  return { available: false, reason, describe: gatedDescribe, it: gatedIt };
}

/**
 * For helpers that run a tool: inside a running test (or its beforeEach) a missing tool skips
 * that test, or fails it with CI=true. Anywhere else it throws, naming the tool.
 */
export function needTool(tool: Tool): void {
  const why = missingNow(tool);
  const decision = toolDecision(why, isCi());
  if (decision === 'run') return;
  const message = missingMessage(tool, why!);
  const test = TestRunner.getCurrentTest();
  if (decision === 'skip' && test?.context) {
    recordSkip(tool, withPackages(tool, why!));
    test.context.skip(message);
  }
  throw decision === 'fail' ? ciError(message) : new Error(`${message}; gate the test with requireTool('${tool}')`);
}
