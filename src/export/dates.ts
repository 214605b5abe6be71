/**
 * Period arguments. A bare date is a UTC calendar day (the account's timezone would need a network
 * round trip before the arguments are even checked, and UTC gives the same answer on every
 * machine); `--until` with a bare date means the end of that day. ISO timestamps keep their
 * offset; one without an offset is UTC too.
 */
import { AppError } from '../errors.js';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const STAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/** Unix seconds for a `--since`/`--until` value; `end` picks the last second of a bare date. */
export function parseDateArg(value: string, flag: string, end = false): number {
  const v = value.trim();
  const day = DAY.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const ms = Date.UTC(y, m - 1, d);
    const back = new Date(ms);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) {
      throw new AppError('usage', 'error.badDate', { value, flag });
    }
    return ms / 1000 + (end ? 86_399 : 0);
  }
  if (STAMP.test(v)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(v);
    const ms = Date.parse(hasZone ? v : `${v.replace(' ', 'T')}Z`);
    if (Number.isFinite(ms)) return Math.floor(ms / 1000);
  }
  throw new AppError('usage', 'error.badDate', { value, flag });
}

export { isoSeconds } from '../time.js';

/** The choices of the first-run prompt, as a start second relative to now (null = everything). */
export const PERIOD_DAYS = { '30d': 30, '90d': 90, '1y': 365 } as const;
export type PeriodChoice = keyof typeof PERIOD_DAYS | 'all' | 'date';

export function periodStart(choice: Exclude<PeriodChoice, 'date'>, nowSec: number): number {
  if (choice === 'all') return 0;
  return nowSec - PERIOD_DAYS[choice] * 86_400;
}
