/** Contacts for caller-ID tests: a plain factory and fast-check arbitraries. */
import fc from 'fast-check';
import type { Contact, Phone } from '../../src/contacts/contact.js';

export function phone(e164: string | null, raw = e164 ?? 'not a phone'): Phone {
  return e164 ? { raw, kind: 'cell', e164, valid: true } : { raw, kind: 'cell', valid: false };
}

export function contact(p: Partial<Contact> & { id: number }): Contact {
  return {
    accountId: 0,
    name: `Contact ${p.id}`,
    firstName: '',
    lastName: '',
    phones: [],
    emails: [],
    messengers: [],
    tags: [],
    responsibleUserId: 0,
    groupId: 0,
    createdAt: 0,
    updatedAt: 0,
    ...p,
  };
}

export async function* iterate<T>(items: T[]): AsyncIterable<T> {
  for (const i of items) yield i;
}

export const HOSTILE_NAMES = [
  'Иван\nПетров\r\nмладший',
  'Tab\there\u0000nul\u0007bell',
  '👨‍👩‍👧‍👦 Семья 🇷🇺 ok 👍🏽',
  'مرحبا بالعالم \u202Eevil\u202C \u2066iso\u2069',
  'zero\u200Bwidth\uFEFFbom\u200E',
  'x'.repeat(2000),
  'Я'.repeat(1999) + '\n',
  'e\u0301'.repeat(60),
  'Z' + '\u0336'.repeat(500),
  '\u2028\u2029   \t\n',
  '',
];

const pool = Array.from({ length: 30 }, (_, i) => `+7999000${String(i).padStart(4, '0')}`);
const nameArb = fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 80 }));

export const contactArb = fc.record({
  id: fc.integer({ min: 1, max: 60 }),
  name: nameArb,
  firstName: fc.constantFrom('', 'Иван', 'Anna'),
  lastName: fc.constantFrom('', 'Петров', 'Smith'),
  company: fc.option(fc.constantFrom('ООО Ромашка', 'ACME', '\n'), { nil: undefined }),
  updatedAt: fc.integer({ min: 0, max: 20 }),
  createdAt: fc.integer({ min: 0, max: 20 }),
  phones: fc.array(fc.oneof(fc.constantFrom(...pool).map((e) => phone(e)), fc.constant(phone(null))), { maxLength: 4 }),
}).map((r) => contact({ ...r, company: r.company === undefined ? undefined : { id: 1, name: r.company } }));
