/** Hundreds of random hostile names in one file, read by python-vobject: values survive exactly. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { toPhone } from '../../../src/contacts/phone.js';
import { displayName } from '../../../src/export/writers/display.js';
import { cleanLine } from '../../../src/export/writers/vcard-text.js';
import { vobjectParse } from '../../helpers/validators.js';
import { crlfLines, render } from './render.js';

const unit = fc.oneof(
  fc.constantFrom(...'=+-@\'",;:\\\t\r\n '),
  fc.constantFrom('Ж', 'ё', '🦔', '👩‍👩‍👧', 'ע', '\u0000', '\u0085', '\u2028', '\ud800'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
);
const text = fc.string({ unit, maxLength: 120 });

function randomContacts(n: number): Contact[] {
  return fc.sample(fc.record({ name: text, company: text, title: text }), { numRuns: n, seed: 20261120 }).map((r, i) => ({
    accountId: 1, id: i + 1, name: r.name, firstName: '', lastName: '',
    company: { id: 1, name: r.company }, position: r.title,
    phones: [toPhone('+7 999 000-00-01', 'cell', 'RU')], emails: [], messengers: [], tags: [r.title],
    responsibleUserId: 0, groupId: 0, createdAt: 0, updatedAt: 0,
  }));
}

describe('random hostile text, independent parser', () => {
  const contacts = randomContacts(300);
  for (const format of ['vcard', 'vcard4'] as const) {
    it(`${format}: every FN, ORG and TITLE reads back exactly, lines ≤ 75 octets`, () => {
      const { text: out, file } = render(format, contacts);
      for (const l of crlfLines(out)) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(75);
      const cards = vobjectParse(file);
      expect(cards).toHaveLength(contacts.length);
      cards.forEach((card, i) => {
        const c = contacts[i]!;
        expect(card.fn).toBe(displayName(c));
        const org = card.lines.find((l) => l.name === 'ORG')?.value as string[] | undefined;
        expect(org?.[0]).toBe(cleanLine(c.company!.name) || undefined);
        expect(card.lines.find((l) => l.name === 'TITLE')?.value).toBe(cleanLine(c.position!) || undefined);
        expect(card.tels.map((t) => t.value)).toEqual([format === 'vcard' ? '+7 999 000 00 01' : 'tel:+79990000001']);
      });
    });
  }
});
