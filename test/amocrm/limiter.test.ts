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
    const b = await l.take();
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
});
