/**
 * The fixture CLI tests that log in share: one amoCRM sandbox per test file, and per test a fresh
 * config dir with the sandbox back on its default behaviour and its stats zeroed.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startAmoSandbox, DEFAULT_BEHAVIOUR, type AmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { baseEnv, tempDir } from './cli.js';

export interface AmoCliFixture {
  /** Set once beforeAll ran. */
  readonly sb: AmoSandbox;
  /** This test's config dir. */
  readonly dir: { path: string; cleanup: () => void };
  /** baseEnv() pointing the CLI at this test's config dir. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

export function useAmoCliFixture(sandbox: { contacts: number; seed: number }, dirPrefix: string): AmoCliFixture {
  let sb: AmoSandbox | undefined;
  let dir: { path: string; cleanup: () => void } | undefined;
  beforeAll(async () => {
    sb = await startAmoSandbox(sandbox);
  });
  afterAll(async () => {
    await sb?.close();
  });
  beforeEach(() => {
    dir = tempDir(dirPrefix);
    sb!.setBehaviour({ ...DEFAULT_BEHAVIOUR });
    sb!.stats.reset();
  });
  afterEach(() => dir?.cleanup());
  return {
    get sb() {
      return sb!;
    },
    get dir() {
      return dir!;
    },
    env: (extra = {}) => baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: dir!.path, ...extra }),
  };
}
