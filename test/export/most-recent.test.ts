import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mostRecent } from '../../src/export/most-recent.js';
import type { Contact } from '../../src/contacts/contact.js';

const contact = (id: number, createdAt: number, updatedAt: number): Contact => ({
  accountId: 1, id, name: `c${id}`, firstName: '', lastName: '', phones: [], emails: [], messengers: [], tags: [],
  responsibleUserId: 1, groupId: 0, createdAt, updatedAt,
});

async function* from<T>(xs: T[]) {
  yield* xs;
}

describe('most recent N', () => {
  it('keeps exactly the N contacts with the latest created/edited time', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 })), { maxLength: 60 }), fc.integer({ min: 0, max: 20 }), async (times, n) => {
        const cs = times.map(([c, u], i) => contact(i + 1, c, u));
        const { kept, dropped } = await mostRecent(from(cs), n);
        const key = (c: Contact) => [Math.max(c.createdAt, c.updatedAt), c.id] as const;
        const expected = [...cs].sort((a, b) => key(b)[0] - key(a)[0] || b.id - a.id).slice(0, n).map((c) => c.id);
        expect(kept.map((c) => c.id)).toEqual(expected);
        expect(dropped).toBe(cs.length - expected.length);
      }),
    );
  });
});
