/**
 * Random text through every writer and back through the reader: what was written is what is read
 * (phone fields without a digit are notes, not numbers).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { toPhone } from '../../../src/contacts/phone.js';
import { readContactsFile } from '../../../src/contacts/readers/index.js';
import { displayName, isTextOnlyPhone, joinedName, nameParts } from '../../../src/export/writers/display.js';
import { EXPORT_FORMATS } from '../../../src/export/writers/index.js';
import { cleanLine } from '../../../src/export/writers/vcard-text.js';
import { render } from '../../export/writers/render.js';

const VALID = ['+7 999 000-00-01', '8 (495) 000-00-02 доб. 12', '+1 202 555 0143', '+49 30 1234567', '89161234567'];
const text = fc.string({ unit: fc.oneof(fc.constantFrom(...'=+-@\'",;:\\\t\r\n '), fc.constantFrom('Ж', 'ё', '🦔', '👩‍👩‍👧', 'ע', '\u0000', '\u0085'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })), maxLength: 60 });

const contactArb = fc
  .record({
    name: text,
    first: text,
    last: text,
    company: text,
    phones: fc.uniqueArray(fc.constantFrom(...VALID), { maxLength: 5 }),
    note: fc.stringMatching(/^[a-zа-я ]{3,12}$/),
    emails: fc.uniqueArray(fc.stringMatching(/^[a-z0-9._-]{1,12}$/), { maxLength: 5 }),
  })
  .map(({ name, first, last, company, phones, note, emails }): Contact => ({
    accountId: 1, id: 1, name, firstName: first, lastName: last,
    company: cleanLine(company) ? { id: 1, name: company } : undefined,
    phones: [...phones.map((p) => toPhone(p, 'cell', 'RU')), toPhone(note, 'other', 'RU')],
    emails: emails.map((e) => ({ value: `${e}@example.com`, kind: 'work' as const })),
    messengers: [], tags: [], responsibleUserId: 0, groupId: 0, createdAt: 0, updatedAt: 0,
  }));

async function readOne(file: string): Promise<Contact> {
  const all: Contact[] = [];
  for await (const c of readContactsFile(file, { defaultRegion: 'RU' })) all.push(c);
  expect(all).toHaveLength(1);
  return all[0]!;
}

describe('writer → reader round trip on random text', () => {
  for (const format of EXPORT_FORMATS) {
    it(`${format}`, async () => {
      await fc.assert(
        fc.asyncProperty(contactArb, async (c) => {
          const back = await readOne(render(format, [c]).file);
          if (format.startsWith('vcard')) expect(back.name).toBe(displayName(c));
          else expect(back.name).toBe(joinedName(nameParts(c)));
          expect(back.company?.name).toBe(c.company ? cleanLine(c.company.name) : undefined);
          expect(back.phones.map((p) => `${p.e164 ?? p.raw};${p.ext ?? ''}`).sort()).toEqual(c.phones.filter((p) => cleanLine(p.raw) && !isTextOnlyPhone(p)).map((p) => `${p.e164 ?? cleanLine(p.raw)};${p.ext ?? ''}`).sort());
          expect(back.emails.map((e) => e.value).sort()).toEqual(c.emails.map((e) => e.value).sort());
        }),
        { numRuns: 60 },
      );
    });
  }
});
