/**
 * Start-rate limiter: at most `rps` request starts in any sliding window, while any number of
 * started requests may still be in flight. The window is a little longer than one second because
 * the server counts arrivals, and arrivals can bunch up by a few ms of scheduling jitter.
 */
import { AppError } from '../errors.js';

export const WINDOW_MS = 1000;
export const JITTER_MARGIN_MS = 100;

export interface RateLimiter {
  /** Resolves when the caller may start a request; rejects when the signal aborts. */
  take(signal?: AbortSignal): Promise<void>;
  /** After a 429: no new start before `ms` from now. */
  pauseFor(ms: number): void;
  /** Half speed for the rest of the run (after a 429). */
  halve(): void;
  readonly rps: number;
  readonly halved: boolean;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof AppError ? signal.reason : new AppError('cancelled', 'error.cancelled');
}

export function createRateLimiter(rps: number, o: { now?: () => number } = {}): RateLimiter {
  const now = o.now ?? Date.now;
  const starts: number[] = []; // the last `rps` start times, oldest first
  let windowMs = WINDOW_MS + JITTER_MARGIN_MS;
  let pausedUntil = 0;
  let halved = false;
  let queue: Promise<void> = Promise.resolve();

  async function waitTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const t = now();
      const oldest = starts.length >= rps ? starts[starts.length - rps]! : -Infinity;
      const readyAt = Math.max(pausedUntil, oldest + windowMs);
      if (readyAt <= t) {
        starts.push(t);
        if (starts.length > rps) starts.splice(0, starts.length - rps);
        return;
      }
      // Re-check after sleeping: pauseFor() may have moved the goal meanwhile.
      await sleep(readyAt - t, signal);
    }
  }

  return {
    get rps() {
      return rps;
    },
    get halved() {
      return halved;
    },
    take(signal) {
      // FIFO: each caller waits for the previous one to be granted, so starts stay ordered.
      const turn = queue.then(() => waitTurn(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    pauseFor(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    halve() {
      if (halved) return;
      halved = true;
      windowMs = 2 * WINDOW_MS + JITTER_MARGIN_MS;
    },
  };
}
