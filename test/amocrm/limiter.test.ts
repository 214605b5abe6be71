import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter, JITTER_MARGIN_MS, WINDOW_MS } from '../../src/amocrm/limiter.js';

afterEach(() => {
  vi.useRealTimers();
});

const settledFlag = (p: Promise<unknown>) => {
  const s = { done: false };
  void p.then(() => (s.done = true));
  return s;
};

/** Start times of `n` callers taking slots at once, sending as soon as granted (fake timers). */
async function startTimes(l: ReturnType<typeof createRateLimiter>, n: number, advanceMs: number): Promise<number[]> {
  const starts: number[] = [];
  const all = Array.from({ length: n }, () =>
    l.take().then((t) => {
      starts.push(Date.now());
      t.sent();
    }),
  );
  await vi.advanceTimersByTimeAsync(advanceMs);
  await Promise.all(all);
  return starts;
}

describe('rate limiter bookkeeping', () => {
  it('counts a start when it reaches the wire; reserved slots block until sent or released', async () => {
    vi.useFakeTimers({ now: 0 });
    const window = WINDOW_MS + JITTER_MARGIN_MS;
    const l = createRateLimiter(2);
    const a = await l.take();
    const pacedB = l.take();
    await vi.advanceTimersByTimeAsync(window / 2); // starts are paced, one per window/rps
    const b = await pacedB;
    const c = l.take();
    const cState = settledFlag(c);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(cState.done).toBe(false); // two reservations still connecting
    a.sent(); // on the wire at t=5000
    await vi.advanceTimersByTimeAsync(0);
    expect(cState.done).toBe(false);
    b.release(); // never reached the server
    b.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(cState.done).toBe(true);
    (await c).sent(); // t=5000
    const d = l.take();
    const dState = settledFlag(d);
    await vi.advanceTimersByTimeAsync(window - 1);
    expect(dState.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(dState.done).toBe(true);
  });

  it('counts the normal callers still waiting for a start (what tells a reader the rate is the limit)', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(2, { marginMs: 0 });
    const takes = [l.take(), l.take(), l.take(), l.take(undefined, 'background')];
    (await takes[0]!).sent();
    expect(l.waiting).toBe(2); // the first started at once; the background one is not counted
    await vi.advanceTimersByTimeAsync(WINDOW_MS / 2);
    (await takes[1]!).sent();
    expect(l.waiting).toBe(1);
    await vi.advanceTimersByTimeAsync(WINDOW_MS / 2);
    (await takes[2]!).sent();
    expect(l.waiting).toBe(0);
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    (await takes[3]!).sent();
  });

  it('without a margin (below the server limit), paces exactly rps starts per second', async () => {
    vi.useFakeTimers({ now: 0 });
    const starts = await startTimes(createRateLimiter(6, { marginMs: 0 }), 13, 3 * WINDOW_MS);
    // 13 starts in two seconds (plus a millisecond of timer rounding per step): 6 per second, not 6 per 1,010 ms.
    expect(starts[12]! - starts[0]!).toBeLessThanOrEqual(2 * WINDOW_MS + 12);
    for (let i = 6; i < starts.length; i++) expect(starts[i]! - starts[i - 6]!).toBeGreaterThanOrEqual(WINDOW_MS);
  });

  it('paces starts evenly instead of letting a whole window go out at once', async () => {
    vi.useFakeTimers({ now: 0 });
    const window = WINDOW_MS + JITTER_MARGIN_MS;
    const starts = await startTimes(createRateLimiter(4), 8, 3 * window);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(window / 4 - 1);
    // And no slower than the window allows (timers fire on whole milliseconds).
    expect(starts[7]! - starts[0]!).toBeLessThanOrEqual(7 * Math.ceil(window / 4) + 1);
  });

  it('pauses after a 429 and halves the rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(2);
    const first = await l.take();
    first.sent();
    l.pauseFor(3_000);
    l.slowDown(first);
    const next = settledFlag(l.take());
    await vi.advanceTimersByTimeAsync(2_999);
    expect(next.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(next.done).toBe(true);
    expect(l.rate).toBe(1);
  });

  it('keeps halving after repeated 429s down to 1 start per second, never below', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(5);
    const rates: number[] = [];
    for (let i = 0; i < 6; i++) {
      const p = l.take();
      await vi.advanceTimersByTimeAsync(3 * WINDOW_MS);
      const t = await p;
      t.sent();
      l.slowDown(t); // every request gets a 429
      rates.push(l.rate);
    }
    expect(rates).toEqual([2.5, 1.25, 1, 1, 1, 1]);
    expect(l.atFloor).toBe(true);
    // At the floor, back-to-back starts are a whole second apart.
    const paced: number[] = [];
    const two = [l.take(), l.take()].map((p) => p.then((t) => (paced.push(Date.now()), t.sent())));
    await vi.advanceTimersByTimeAsync(5 * WINDOW_MS);
    await Promise.all(two);
    expect(paced[1]! - paced[0]!).toBeGreaterThanOrEqual(WINDOW_MS);
    expect(paced[1]! - paced[0]!).toBeLessThan(WINDOW_MS + 50);
  });

  it('counts parallel 429s to requests started at the same rate as one signal', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(6);
    const tickets = [];
    for (let i = 0; i < 3; i++) {
      const p = l.take();
      await vi.advanceTimersByTimeAsync(WINDOW_MS);
      tickets.push(await p);
    }
    for (const t of tickets) l.slowDown(t);
    expect(l.rate).toBe(3);
  });

  it('ignores a pause that is not a finite positive wait', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(2);
    (await l.take()).sent();
    for (const ms of [Infinity, NaN, -5]) l.pauseFor(ms);
    const next = settledFlag(l.take());
    await vi.advanceTimersByTimeAsync(WINDOW_MS);
    expect(next.done).toBe(true);
  });

  it('a waiting caller can be aborted without blocking the ones behind it', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(1);
    (await l.take()).sent();
    const ac = new AbortController();
    const first = l.take(ac.signal);
    const second = settledFlag(l.take());
    ac.abort();
    await expect(first).rejects.toMatchObject({ kind: 'cancelled' });
    await vi.advanceTimersByTimeAsync(WINDOW_MS + JITTER_MARGIN_MS);
    expect(second.done).toBe(true);
  });

  it('starts a background request only when no normal one is waiting, and never before them', async () => {
    vi.useFakeTimers({ now: 0 });
    const window = WINDOW_MS + JITTER_MARGIN_MS;
    const l = createRateLimiter(1);
    (await l.take()).sent();
    const order: string[] = [];
    const track = (name: string, p: Promise<{ sent(): void }>) => void p.then((t) => (order.push(name), t.sent()));
    track('background', l.take(undefined, 'background'));
    track('normal 1', l.take());
    track('normal 2', l.take());
    await vi.advanceTimersByTimeAsync(3 * window);
    // Asked for first, started last: each normal request took the slot it was waiting for.
    expect(order).toEqual(['normal 1', 'normal 2', 'background']);
  });

  it('a background request waiting for its turn can be aborted', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(1);
    (await l.take()).sent();
    const ac = new AbortController();
    const normal = settledFlag(l.take().then((t) => t.sent()));
    const bg = l.take(ac.signal, 'background');
    const next = settledFlag(l.take(undefined, 'background'));
    ac.abort();
    await expect(bg).rejects.toMatchObject({ kind: 'cancelled' });
    await vi.advanceTimersByTimeAsync(2 * (WINDOW_MS + JITTER_MARGIN_MS));
    expect(normal.done).toBe(true);
    expect(next.done).toBe(true);
  });
});
