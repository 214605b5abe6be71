/**
 * One run per target at a time. A target is where a run writes and what its watermark belongs to:
 * an output file, or a CardDAV destination. Two runs on the same target would interleave their
 * output and both move the watermark, so the second one refuses at once (naming the first), or
 * with `wait` polls until the first one is done. The lock lives under the config dir, keyed by a
 * hash of the target, so paths and URLs of any length and character set map to one short file.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { pidAlive, startHeartbeat, tryCreate } from './lock.js';
import { configDir } from './paths.js';

export interface TargetLock {
  readonly path: string;
  release(): void;
}

interface Owner {
  pid: number;
  host: string;
  target: string;
  startedAt: string;
  beat: number;
}

const BEAT_MS = 2_000;
/** A lock whose owner has not beaten for this long is abandoned (a frozen or killed machine). */
const STALE_MS = 30_000;
const POLL_MS = 200;

export function targetLockPath(env: NodeJS.ProcessEnv, target: string): string {
  const id = createHash('sha256').update(target).digest('hex').slice(0, 32);
  return join(configDir(env), 'locks', `${id}.lock`);
}

function readOwner(path: string): { owner?: Owner; ino?: number } {
  try {
    const ino = statSync(path).ino;
    return { owner: JSON.parse(readFileSync(path, 'utf8')) as Owner, ino };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
    // Being written right now by its creator: held.
    return { ino: -1 };
  }
}

function abandoned(o: Owner): boolean {
  if (o.host === hostname() && Number.isInteger(o.pid) && o.pid !== process.pid && !pidAlive(o.pid)) return true;
  return typeof o.beat !== 'number' || Date.now() - o.beat > STALE_MS;
}

function unlinkIfSame(path: string, ino: number): void {
  try {
    if (statSync(path).ino === ino) unlinkSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * Takes the target's lock. Without `wait`, a live holder makes it throw a `busy` error naming the
 * holder's pid, host and start time; with `wait`, it polls until the holder is gone (or `signal`
 * aborts). The lock is kept alive by a heartbeat until `release()`.
 */
export async function acquireTargetLock(
  env: NodeJS.ProcessEnv,
  target: string,
  o: { wait?: boolean; signal?: AbortSignal; label?: string } = {},
): Promise<TargetLock> {
  const path = targetLockPath(env, target);
  const dir = join(configDir(env), 'locks');
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new AppError('config', 'config.error.notWritable', { dir: configDir(env), reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
  }
  const startedAt = new Date().toISOString();
  const stamp = () => JSON.stringify({ pid: process.pid, host: hostname(), target: o.label ?? target, startedAt, beat: Date.now() } satisfies Owner);
  for (;;) {
    let created: boolean;
    try {
      created = tryCreate(path, stamp());
    } catch (e) {
      throw new AppError('config', 'config.error.notWritable', { dir, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
    }
    if (created) break;
    const { owner, ino } = readOwner(path);
    if (ino === undefined) continue; // released between our attempt and the read
    if (owner && ino !== -1 && abandoned(owner)) {
      unlinkIfSame(path, ino);
      continue;
    }
    if (!o.wait) {
      throw new AppError('busy', 'error.targetBusy', {
        target: o.label ?? target,
        pid: owner?.pid ?? '?',
        host: owner?.host ?? '?',
        since: owner?.startedAt ?? '?',
      });
    }
    if (o.signal?.aborted) throw new AppError('cancelled', 'error.cancelled');
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const heartbeat = startHeartbeat(path, stamp, BEAT_MS);
  let released = false;
  return {
    path,
    release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      try {
        unlinkSync(path);
      } catch {
        // Already gone (broken as stale, or the config dir was removed): nothing to release.
      }
    },
  };
}
