import { describe, expect, it } from 'vitest';
import { overlappingPage, PAGE_LIMIT } from '../../src/contacts/source.js';

describe('pages that start just before an offset', () => {
  it('start at or before end − back, reach past end, and stay within the page limit', () => {
    let worst = Infinity;
    for (let end = 1; end <= 60_000; end += 7) {
      for (const back of [1, 4, 64]) {
        const { page, limit } = overlappingPage(end, back);
        const start = (page - 1) * limit;
        expect(limit).toBeLessThanOrEqual(PAGE_LIMIT);
        expect(Number.isInteger(page) && page >= 1).toBe(true);
        expect(start).toBeLessThanOrEqual(Math.max(0, end - back));
        if (back === 1 && end >= PAGE_LIMIT) worst = Math.min(worst, start + limit - end);
      }
    }
    // A one-contact overlap still leaves most of each page new.
    expect(worst).toBeGreaterThan(150);
  });
});
