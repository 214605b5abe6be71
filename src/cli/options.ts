import { AppError } from '../errors.js';

/** commander argParser: a whole number of 1 or more, or a one-line usage error naming the flag. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new AppError('usage', 'error.badInteger', { value, flag });
    }
    return n;
  };
}
