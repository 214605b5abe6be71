/**
 * Where the export goes. A regular file is written to a fresh temporary file next to it, fsynced,
 * renamed over it and the directory fsynced: a reader (or a crash) sees the old file or the
 * complete new one, never half. Anything else at the path (a FIFO, /dev/null, a terminal) is
 * written in place: replacing it by a rename would destroy the device node. stdout is "complete"
 * once every chunk was accepted and flushed.
 */
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsc, statSync } from 'node:fs';
import { open, readdir, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { AppError, isBrokenPipe } from '../errors.js';

export interface Sink {
  write(text: string): Promise<void>;
  /** Makes the output complete and durable. Only after this may a watermark move. */
  commit(): Promise<void>;
  /** Drops a partial output (the final file is left untouched). */
  abort(): Promise<void>;
}

export interface FileSink extends Sink {
  /** The path is not a regular file (FIFO, device): written in place, without a temporary file or rename. */
  readonly inPlace: boolean;
  /** Commits under `path` instead (same directory; a name known only once the run is over). */
  commitAs(path: string): Promise<void>;
}

const FLUSH_AT = 1 << 16;

/** Gathers the small per-contact strings into FLUSH_AT-sized chunks: one write call per chunk. */
function batched(send: (chunk: string) => Promise<void>): { write(text: string): Promise<void>; flush(): Promise<void> } {
  let buf = '';
  const flush = async () => {
    if (!buf) return;
    const chunk = buf;
    buf = '';
    await send(chunk);
  };
  return {
    async write(text) {
      buf += text;
      if (buf.length >= FLUSH_AT) await flush();
    },
    flush,
  };
}

function writerOf(fh: FileHandle, path: string) {
  return batched(async (chunk) => {
    try {
      await fh.write(chunk, null, 'utf8');
    } catch (e) {
      throw writeFailure(path, e);
    }
  });
}

/** A path the user named that does not lead anywhere is their input; everything else is I/O. */
const INPUT_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG']);

export function writeFailure(path: string, e: unknown): AppError {
  if (e instanceof AppError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT') return new AppError('io', 'error.diskFull', { path, reason: code }, { cause: e });
  return new AppError(code && INPUT_CODES.has(code) ? 'input' : 'io', 'error.fileWrite', { path, reason: code ?? String(e) }, { cause: e });
}

/** A unique name per run: two writers never share a temporary file, and a planted one is never reused. */
export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
}

/** True for the temporary files fileSink makes (tests and cleanup look for leftovers). */
export function isPartialName(name: string): boolean {
  return /^\..+\.[0-9a-f]{12}\.partial$/.test(name);
}

/**
 * Removes temporary files a killed run (SIGKILL, power loss) left beside `path`. Only for a caller
 * that holds the path's target lock: no live run can be writing one of them then. unlink never
 * follows a symlink, so a planted one is just removed.
 */
export async function removeStalePartials(path: string): Promise<void> {
  const found = await existing(path);
  if (found && !found.regular) return;
  const target = found?.real ?? path;
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dirname(target));
  } catch {
    return; // the directory's problems are reported when the file is created
  }
  for (const n of names) if (n.startsWith(prefix) && isPartialName(n) && n.length === prefix.length + 12 + '.partial'.length) await rm(join(dirname(target), n), { force: true });
}

/** Mode of a new output file: what the umask allows (customer data: a umask of 077 keeps it private). */
function newFileMode(): number {
  return 0o666 & ~process.umask();
}

async function existing(path: string): Promise<{ real: string; regular: boolean; mode: number } | undefined> {
  try {
    const st = await stat(path);
    // A symlinked -o updates the file it points to and keeps the link.
    return { real: await realpath(path), regular: st.isFile(), mode: st.mode & 0o7777 };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw writeFailure(path, e);
  }
}

/**
 * Fails early (before a long export) when a report or output file could never be created: its
 * directory is missing, not a directory, or not writable.
 */
export function assertCanCreate(path: string): void {
  const dir = dirname(path);
  try {
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, fsc.W_OK);
  } catch (e) {
    throw writeFailure(path, e);
  }
}

export async function fileSink(path: string): Promise<FileSink> {
  const found = await existing(path);
  if (found && !found.regular) return inPlaceSink(path);
  const target = found?.real ?? path;
  const tmp = partialPath(target);
  let fh: FileHandle;
  try {
    // O_EXCL on a fresh random name: never someone else's file, never through a planted symlink.
    fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW, 0o600);
  } catch (e) {
    throw writeFailure(path, e);
  }
  const b = writerOf(fh, path);
  let closed = false;
  const finish = async (final: string, mode: number) => {
    await b.flush();
    try {
      await fh.chmod(mode);
      await fh.sync();
      closed = true;
      await fh.close();
      await rename(tmp, final);
      const dir = await open(dirname(final), 'r');
      try {
        await dir.sync();
      } finally {
        await dir.close();
      }
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw writeFailure(final, e);
    }
  };
  return {
    inPlace: false,
    write: b.write,
    // A file replaced keeps its mode (the user may have tightened it); a new one gets the umask's.
    commit: () => finish(target, found?.mode ?? newFileMode()),
    async commitAs(other) {
      const there = await existing(other);
      await finish(there?.real ?? other, there?.mode ?? newFileMode());
    },
    async abort() {
      if (!closed) await fh.close().catch(() => undefined);
      closed = true;
      await rm(tmp, { force: true });
    },
  };
}

async function inPlaceSink(path: string): Promise<FileSink> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'w');
  } catch (e) {
    throw writeFailure(path, e);
  }
  const b = writerOf(fh, path);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await fh.close();
  };
  const commit = async () => {
    await b.flush();
    try {
      await close();
    } catch (e) {
      throw writeFailure(path, e);
    }
  };
  return {
    inPlace: true,
    write: b.write,
    commit,
    commitAs: commit,
    async abort() {
      await close().catch(() => undefined);
    },
  };
}

export function streamSink(out: Writable): Sink {
  const b = batched(
    (chunk) =>
      new Promise<void>((resolve, reject) =>
        out.write(chunk, 'utf8', (err) => {
          if (!err) resolve();
          else reject(isBrokenPipe(err) ? err : new AppError('io', 'error.stdoutWrite', { reason: (err as NodeJS.ErrnoException).code ?? err.message }, { cause: err }));
        }),
      ),
  );
  return {
    write: b.write,
    commit: b.flush,
    async abort() {
      await b.flush().catch(() => undefined);
    },
  };
}

/**
 * Hands runExport a sink whose commit only flushes, so the caller decides afterwards: commit (maybe
 * under a name that needs the run's window), or drop a run that found nothing new.
 */
export function deferCommit(sink: Sink): Sink {
  return { write: (t) => sink.write(t), commit: async () => undefined, abort: () => sink.abort() };
}

/** `--dry-run`: the export runs and counts, and the contacts go nowhere. */
export function discardSink(): Sink {
  return { write: async () => undefined, commit: async () => undefined, abort: async () => undefined };
}
