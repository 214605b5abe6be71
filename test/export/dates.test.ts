import { describe, expect, it } from 'vitest';
import { isoSeconds, parseDateArg, periodStart } from '../../src/export/dates.js';
import { AppError } from '../../src/errors.js';

describe('period arguments', () => {
  it('reads a bare date as a UTC day, its end for --until', () => {
    expect(parseDateArg('2024-01-01', '--since')).toBe(Date.UTC(2024, 0, 1) / 1000);
    expect(parseDateArg('2024-01-01', '--until', true)).toBe(Date.UTC(2024, 0, 1) / 1000 + 86_399);
  });

  it('keeps the offset of an ISO timestamp and treats a bare one as UTC', () => {
    expect(parseDateArg('2024-03-01T10:00:00+03:00', '--since')).toBe(Date.UTC(2024, 2, 1, 7) / 1000);
    expect(parseDateArg('2024-03-01T10:00:00Z', '--since')).toBe(Date.UTC(2024, 2, 1, 10) / 1000);
    expect(parseDateArg('2024-03-01T10:00', '--since')).toBe(Date.UTC(2024, 2, 1, 10) / 1000);
  });

  it.each(['2024-02-30', '01.02.2024', 'yesterday', '2024-13-01', ''])('rejects %j with a usage error naming the flag', (v) => {
    let err: unknown;
    try {
      parseDateArg(v, '--since');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe('usage');
    expect((err as AppError).params.flag).toBe('--since');
  });

  it('turns prompt choices into a start second', () => {
    const now = Date.UTC(2026, 0, 31) / 1000;
    expect(periodStart('30d', now)).toBe(Date.UTC(2026, 0, 1) / 1000);
    expect(periodStart('all', now)).toBe(0);
    expect(isoSeconds(Date.UTC(2026, 0, 1) / 1000)).toBe('2026-01-01T00:00:00Z');
  });
});
