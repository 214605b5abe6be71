/**
 * Where the export goes. A file is written next to its final name, fsynced, renamed over it and
 * the directory fsynced: a reader (or a crash) sees the old file or the complete new one, never
 * half. stdout is "complete" once every chunk was accepted and flushed.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { AppError } from '../errors.js';

export interface Sink {
  write(text: string): Promise<void>;
  /** Makes the output complete and durable. Only after this may a watermark move. */
  commit(): Promise<void>;
  /** Drops a partial output (the final file is left untouched). */
  abort(): Promise<void>;
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

export function partialPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.partial`);
}

export async function fileSink(path: string): Promise<Sink> {
  const tmp = partialPath(path);
  const fail = (e: unknown) => new AppError('input', 'error.fileWrite', { path, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
  let fh: FileHandle;
  try {
    fh = await open(tmp, 'w', 0o644);
  } catch (e) {
    throw fail(e);
  }
  const b = batched(async (chunk) => {
    try {
      await fh.write(chunk, null, 'utf8');
    } catch (e) {
      throw fail(e);
    }
  });
  return {
    write: b.write,
    async commit() {
      await b.flush();
      try {
        await fh.sync();
        await fh.close();
        await rename(tmp, path);
        const dir = await open(dirname(path), 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (e) {
        throw fail(e);
      }
    },
    async abort() {
      await fh.close().catch(() => undefined);
      await rm(tmp, { force: true });
    },
  };
}

export function streamSink(out: Writable): Sink {
  const b = batched((chunk) => new Promise<void>((resolve, reject) => out.write(chunk, 'utf8', (err) => (err ? reject(err) : resolve()))));
  return {
    write: b.write,
    commit: b.flush,
    async abort() {
      await b.flush().catch(() => undefined);
    },
  };
}
