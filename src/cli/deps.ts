import type { IO } from './io.js';

/** What a command may touch of the outside world; tests pass their own. */
export interface CliDeps {
  io: IO;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now: () => Date;
  signal: AbortSignal;
  /** A command that finished without an exception but wants a non-zero exit (e.g. doctor found problems). */
  setExitCode(code: number): void;
}
