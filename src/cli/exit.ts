/**
 * The one place that maps errors to exit codes and prints them: one line, no stack trace unless
 * --verbose, never a token (messages are built from catalog templates, not from raw bodies).
 */
import { CommanderError } from 'commander';
import { isAppError, type ErrorKind } from '../errors.js';
import type { IO } from './io.js';

export const EXIT = {
  ok: 0,
  failure: 1, // the job failed, or the doctor found a problem
  usage: 2, // bad arguments or input; the doctor could not run
  auth: 3,
  denied: 4, // rights, block, unpaid
  config: 5, // the config directory or file cannot be read or written
  io: 6, // output could not be written
  busy: 7, // another run holds the same target
  cancelled: 130, // Ctrl-C: 128 + SIGINT
  brokenPipe: 141, // the reader of stdout went away (`| head`): 128 + SIGPIPE, as a shell reports it
} as const;

/** The signals a run stops on, like Ctrl-C: partial output removed, no watermark, 128 + the signal's number. */
export const STOP_SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

export function signalExitCode(signal: StopSignal): number {
  return 128 + STOP_SIGNALS[signal];
}

const byKind: Record<ErrorKind, number> = {
  usage: EXIT.usage,
  input: EXIT.usage,
  config: EXIT.config,
  device: EXIT.usage,
  auth: EXIT.auth,
  rights: EXIT.denied,
  blocked: EXIT.denied,
  unpaid: EXIT.denied,
  api: EXIT.failure,
  network: EXIT.failure,
  internal: EXIT.failure,
  io: EXIT.io,
  busy: EXIT.busy,
  cancelled: EXIT.cancelled,
};

export function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // commander reports --help/--version as exit code 0 and everything else as a usage error.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (isAppError(err)) return byKind[err.kind];
  return EXIT.failure;
}

/** Prints the error for a person (or as JSON with --json) and returns the exit code. */
export function reportError(err: unknown, io: IO): number {
  const code = exitCodeFor(err);
  if (err instanceof CommanderError) return code; // commander already wrote its message
  if (isAppError(err)) {
    if (err.kind === 'cancelled') {
      io.error(io.t('error.cancelled'));
      return code;
    }
    const text = io.t(err.key, err.params);
    if (io.json) io.stderr.write(`${JSON.stringify({ error: { kind: err.kind, code: err.key, message: text } })}\n`);
    else io.error(`${io.t('error.prefix')}: ${text}`);
    if (io.verbose && err.cause instanceof Error) io.debug(String(err.cause.stack ?? err.cause.message));
    return code;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.error(`${io.t('error.prefix')}: ${io.t('error.internal', { message: message.split('\n')[0] ?? '' })}`);
  if (io.verbose && err instanceof Error && err.stack) io.debug(err.stack);
  return code;
}
