/**
 * Cross-process locks as lock files created with O_EXCL next to the config. A lock whose owner
 * died, or that is older than `staleMs`, is broken; both the sync flavour (short read-modify-write
 * of the store) and the async one (an OAuth refresh that waits on the network) use the same file
 * format: {"pid":…,"at":…}.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { AppError } from '../errors.js';

export interface LockOptions {
  staleMs?: number;
  timeoutMs?: number;
  pollMs?: number;
}

/** Per field, so that an option passed as undefined still gets its default (a spread would not). */
function settings(o: LockOptions): Required<LockOptions> {
  return { staleMs: o.staleMs ?? 30_000, timeoutMs: o.timeoutMs ?? 60_000, pollMs: o.pollMs ?? 25 };
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerStamp(): string {
  return JSON.stringify({ pid: process.pid, at: Date.now() });
}

/** Creates `path` only if it does not exist (O_EXCL), with `content`; false when it exists. */
export function tryCreate(path: string, content: string = ownerStamp()): boolean {
  try {
    const fd = openSync(path, 'wx', 0o600);
    try {
      writeSync(fd, content);
    } finally {
      closeSync(fd);
    }
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/** Removes the lock when its owner is gone or it outlived staleMs; true when it was removed. */
function breakIfStale(path: string, staleMs: number): boolean {
  let owner: { pid?: number; at?: number } | undefined;
  let ino: number;
  try {
    ino = statSync(path).ino;
    owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number; at?: number };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return true;
    // Half-written by a process that is creating it right now: treat as held.
    return false;
  }
  const old = typeof owner.at !== 'number' || Date.now() - owner.at > staleMs;
  const dead = typeof owner.pid === 'number' && owner.pid !== process.pid && !pidAlive(owner.pid);
  if (!old && !dead) return false;
  try {
    // Another waiter may have broken it and taken a fresh lock meanwhile: never remove that one.
    if (statSync(path).ino !== ino) return false;
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  return true;
}

function release(path: string): void {
  try {
    unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/** One acquisition attempt (breaking a stale lock first): true when the lock is ours, false to wait and retry. */
function acquired(path: string, staleMs: number, deadline: number): boolean {
  for (;;) {
    if (tryCreate(path)) return true;
    if (breakIfStale(path, staleMs)) continue;
    if (Date.now() > deadline) throw new AppError('config', 'config.error.locked', { path });
    return false;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** For short critical sections (milliseconds): blocks the thread while another process holds it. */
export function withFileLockSync<T>(path: string, fn: () => T, o: LockOptions = {}): T {
  const { staleMs, timeoutMs, pollMs } = settings(o);
  const deadline = Date.now() + timeoutMs;
  while (!acquired(path, staleMs, deadline)) Atomics.wait(sleeper, 0, 0, Math.min(pollMs, 10));
  try {
    return fn();
  } finally {
    release(path);
  }
}

/** Rewrites the lock file's stamp every `everyMs` until cleared, so that waiters see a live holder. */
export function startHeartbeat(path: string, stamp: () => string, everyMs: number): NodeJS.Timeout {
  const beat = setInterval(() => {
    try {
      writeFileSync(path, stamp());
    } catch {
      // The next beat tries again; the pid alone keeps the lock alive meanwhile.
    }
  }, everyMs);
  beat.unref();
  return beat;
}

/** For sections that wait on the network (a token refresh); polls without blocking the event loop. */
export async function withFileLock<T>(path: string, fn: () => Promise<T>, o: LockOptions & { signal?: AbortSignal } = {}): Promise<T> {
  const { staleMs, timeoutMs, pollMs } = settings(o);
  const deadline = Date.now() + timeoutMs;
  while (!acquired(path, staleMs, deadline)) {
    if (o.signal?.aborted) throw new AppError('cancelled', 'error.cancelled');
    await new Promise((r) => setTimeout(r, pollMs));
  }
  // A slow refresh (timeouts, retries) must not look abandoned to the processes waiting for it.
  const heartbeat = startHeartbeat(path, ownerStamp, Math.max(100, staleMs / 3));
  try {
    return await fn();
  } finally {
    clearInterval(heartbeat);
    release(path);
  }
}
