/**
 * Typed errors shared by every layer. Core code throws these; only src/cli/exit.ts turns them
 * into text and exit codes, so a message key plus parameters is all the core needs to know.
 */
export type ErrorKind =
  | 'usage' // bad flags or arguments
  | 'input' // a file, date, phone string or config value the user gave us is wrong
  | 'config' // the stored configuration is unreadable or foreign
  | 'auth' // not logged in, token expired/revoked, refresh failed
  | 'rights' // the user may not do this (export right D, non-admin)
  | 'blocked' // amoCRM blocked API access (403 after abuse)
  | 'unpaid' // 402: the account's subscription is over
  | 'api' // any other failure reported by the server
  | 'network' // the server could not be reached
  | 'device' // adb server or phone missing, unauthorized, offline, unplugged
  | 'io' // a file or stream could not be written (disk full, permission, read-only)
  | 'busy' // another run holds the same target
  | 'cancelled' // the user closed a prompt or pressed Ctrl-C
  | 'internal';

export type Params = Record<string, string | number | undefined>;

export class AppError extends Error {
  readonly kind: ErrorKind;
  /** Message catalog key (src/i18n). */
  readonly key: string;
  readonly params: Params;

  constructor(kind: ErrorKind, key: string, params: Params = {}, options?: { cause?: unknown }) {
    super(`${key} ${JSON.stringify(params)}`, options);
    this.name = 'AppError';
    this.kind = kind;
    this.key = key;
    this.params = params;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** A write to a reader that went away (`| head` closed the pipe): the run stops quietly, see src/cli/exit.ts. */
export function isBrokenPipe(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED';
}
