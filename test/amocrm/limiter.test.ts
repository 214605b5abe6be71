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

  it('paces starts evenly instead of letting a whole window go out at once', async () => {
    vi.useFakeTimers({ now: 0 });
    const window = WINDOW_MS + JITTER_MARGIN_MS;
    const l = createRateLimiter(4);
    const starts: number[] = [];
    const all = Array.from({ length: 8 }, () =>
      l.take().then((t) => {
        starts.push(Date.now());
        t.sent();
      }),
    );
    await vi.advanceTimersByTimeAsync(3 * window);
    await Promise.all(all);
    for (let i = 1; i < starts.length; i++) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(window / 4 - 1);
    // And no slower than the window allows (timers fire on whole milliseconds).
    expect(starts[7]! - starts[0]!).toBeLessThanOrEqual(7 * Math.ceil(window / 4) + 1);
  });

  it('pauses after a 429 and halves the rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const l = createRateLimiter(1);
    (await l.take()).sent();
    l.pauseFor(3_000);
    l.halve();
    const next = settledFlag(l.take());
    await vi.advanceTimersByTimeAsync(2_999);
    expect(next.done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(next.done).toBe(true);
    expect(l.halved).toBe(true);
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
