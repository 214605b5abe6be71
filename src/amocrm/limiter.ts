/**
 * Start-rate limiter: at most `rps` requests reach the wire in any sliding window, while any number
 * of them may be in flight. A slot is reserved before the request is handed to the HTTP agent and
 * stamped when its headers are actually written to a socket (a new connection can take a while
 * under load; stamping at reservation time would let a late request bunch up with the next
 * window's). At amoCRM's own limit the window is a little longer than one second, for the jitter
 * between our socket write and the server's clock (see createRateLimiter's marginMs).
 *
 * Starts are also paced, one per window/rps at most: without it, six requests go out together
 * every window, and a server that stamps one burst a little late and the next one on time counts
 * both bursts in one second. Paced, a 7 req/s server needs a delay of a whole interval (170 ms at
 * 6/s) to see an eighth request, and its load (and so its own jitter) is spread evenly.
 */
import { AppError } from '../errors.js';

export const WINDOW_MS = 1000;
export const JITTER_MARGIN_MS = 10;
/** After 429s the rate is halved again and again, but never below this many starts per second. */
export const MIN_RATE = 1;

/** One reserved start. Exactly one of sent()/release() counts; later calls are ignored. */
export interface Ticket {
  /** The request's headers are being written now. */
  sent(): void;
  /** The request never reached the wire (rejected before dispatch, aborted while connecting). */
  release(): void;
}

/**
 * 'background' requests wait until no 'normal' one is waiting, so they use the capacity the others
 * leave and never delay them by more than one start.
 */
export type Priority = 'normal' | 'background';

export interface RateLimiter {
  /** Resolves with a reserved slot when the caller may start a request; rejects when the signal aborts. */
  take(signal?: AbortSignal, priority?: Priority): Promise<Ticket>;
  /** After a 429: no new start before `ms` from now (a finite, non-negative wait; anything else is ignored). */
  pauseFor(ms: number): void;
  /**
   * After a 429 to the request of `ticket`: half the current rate for the rest of the run, down to
   * MIN_RATE. A 429 to a request started before the last slow-down says nothing about the new rate,
   * so it changes nothing (ten parallel 429s are one signal, not ten).
   */
  slowDown(ticket: Ticket): void;
  readonly rps: number;
  /** Starts per second now allowed. */
  readonly rate: number;
  /** Slowed down as far as it goes. */
  readonly atFloor: boolean;
  /** Callers of normal priority waiting for their start. */
  readonly waiting: number;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason instanceof AppError ? signal.reason : new AppError('cancelled', 'error.cancelled');
}

/**
 * Waits `ms` (Infinity: until woken) or rejects when the signal aborts. With `wakers`, the wait
 * registers there and ends early when one of them is called.
 */
function wait(ms: number, signal: AbortSignal | undefined, wakers?: Set<() => void>): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      if (timer !== undefined) clearTimeout(timer);
      wakers?.delete(done);
      signal?.removeEventListener('abort', onAbort);
    };
    const done = () => {
      cleanup();
      resolve();
    };
    const onAbort = () => {
      cleanup();
      reject(abortReason(signal!));
    };
    const timer = Number.isFinite(ms) ? setTimeout(done, Math.max(0, ms)) : undefined;
    wakers?.add(done);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return wait(ms, signal);
}

/**
 * `marginMs` lengthens the window. It matters where our rate meets the server's: at 7/s against
 * amoCRM's 7/s, a request that reaches the server a few ms early is its eighth in a second. Below
 * that, starts paced 1/rps apart stay within the server's count unless arrivals jitter by most of
 * an interval (83 ms at 6/s), and the margin would only cost 1 % of the rate.
 */
export function createRateLimiter(rps: number, o: { now?: () => number; marginMs?: number } = {}): RateLimiter {
  const now = o.now ?? Date.now;
  const marginMs = o.marginMs ?? JITTER_MARGIN_MS;
  const wire: number[] = []; // times requests reached the wire, oldest first, within the window
  let pending = 0; // reserved, not yet on the wire
  let windowMs = WINDOW_MS + marginMs;
  let pausedUntil = 0;
  let lastGrant = -Infinity;
  // The window is stretched by this factor; rps / slowdown is the rate, at least MIN_RATE.
  let slowdown = 1;
  const maxSlowdown = Math.max(1, rps / MIN_RATE);
  let generation = 0;
  const generationOf = new WeakMap<Ticket, number>();
  let queue: Promise<unknown> = Promise.resolve();
  const wakers = new Set<() => void>();
  let normalWaiting = 0;
  // Background callers join the queue one at a time, each when no normal caller is waiting.
  let background: Promise<unknown> = Promise.resolve();
  const noNormalWaiting = new Set<() => void>();

  const wake = () => {
    for (const w of [...wakers]) w();
  };

  /** Sleeps `ms` (Infinity: until woken), returning early when a slot may have changed. */
  const nap = (ms: number, signal?: AbortSignal) => wait(ms, signal, wakers);

  function ticket(): Ticket {
    let settled = false;
    const settle = (onWire: boolean) => {
      if (settled) return;
      settled = true;
      pending = Math.max(0, pending - 1);
      if (onWire) wire.push(now());
      wake();
    };
    const t: Ticket = { sent: () => settle(true), release: () => settle(false) };
    generationOf.set(t, generation);
    return t;
  }

  async function waitTurn(signal?: AbortSignal): Promise<Ticket> {
    let paced = false;
    for (;;) {
      const t = now();
      while (wire.length && t - wire[0]! >= windowMs) wire.shift();
      const earliest = Math.max(pausedUntil, lastGrant + windowMs / rps);
      if (t < earliest) {
        paced = true;
        await nap(earliest - t, signal);
        continue;
      }
      if (pending + wire.length < rps) {
        pending++;
        // Paced from the schedule, not from a late wake-up (a loaded machine's timers fire late,
        // and lateness added up would slow every following start), catching up a quarter step at most.
        // A caller that found the limiter idle starts a fresh schedule: catching up there would put
        // two starts closer than one step.
        lastGrant = paced ? Math.max(earliest, t - windowMs / rps / 4) : t;
        return ticket();
      }
      // Full: a slot frees when the oldest start leaves the window, or when a reservation is released.
      await nap(wire.length ? wire[0]! + windowMs - t : Infinity, signal);
    }
  }

  return {
    get rps() {
      return rps;
    },
    get rate() {
      return rps / slowdown;
    },
    get atFloor() {
      return slowdown >= maxSlowdown;
    },
    get waiting() {
      return normalWaiting;
    },
    take(signal, priority = 'normal') {
      // FIFO: each caller waits for the previous one to be granted, so starts stay in call order.
      const enqueue = () => {
        const turn = queue.then(() => waitTurn(signal));
        queue = turn.catch(() => undefined);
        return turn;
      };
      if (priority === 'normal') {
        normalWaiting++;
        const turn = enqueue();
        const granted = () => {
          if (--normalWaiting === 0) for (const w of [...noNormalWaiting]) w();
        };
        turn.then(granted, granted);
        return turn;
      }
      const turn = background.then(async () => {
        while (normalWaiting > 0) await wait(Infinity, signal, noNormalWaiting);
        return enqueue();
      });
      background = turn.catch(() => undefined);
      return turn;
    },
    pauseFor(ms) {
      // A server's Infinity or NaN must never reach a timer: it would wait forever or not at all.
      if (!Number.isFinite(ms) || ms <= 0) return;
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
    slowDown(t) {
      if (generationOf.get(t) !== generation || slowdown >= maxSlowdown) return;
      generation++;
      slowdown = Math.min(maxSlowdown, slowdown * 2);
      windowMs = WINDOW_MS * slowdown + marginMs;
    },
  };
}
