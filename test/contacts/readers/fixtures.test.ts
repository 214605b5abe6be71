/**
 * Real phone-book exports (shared fixtures). Expectations were written by reading each file:
 * names from FN/N, phones from TEL with their TYPE, e-mails from EMAIL.
 */
import { describe, expect, it } from 'vitest';
import { readContactsFile } from '../../../src/contacts/readers/index.js';
import type { Contact } from '../../../src/contacts/contact.js';
import { PHONEBOOK_FIXTURES } from '../../helpers/fixtures.js';

const DIR = `${PHONEBOOK_FIXTURES}/`;

async function read(file: string, defaultRegion = 'US'): Promise<Contact[]> {
  const out: Contact[] = [];
  for await (const c of readContactsFile(DIR + file, { defaultRegion })) out.push(c);
  return out;
}

const brief = (c: Contact) => ({
  name: c.name,
  phones: c.phones.map((p) => `${p.kind}:${p.raw}`),
  emails: c.emails.map((e) => e.value),
});

describe('reading real exports', () => {
  it('Android 2.1 with quoted-printable UTF-8, soft breaks, PREF types and a photo', async () => {
    const cards = await read('android-2.1.vcf');
    expect(cards.map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(cards.every((c) => c.accountId === 0)).toBe(true);
    expect(cards.map(brief)).toEqual([
      { name: '', phones: [], emails: ['john.doe@company.com'] },
      { name: '', phones: [], emails: ['jane.doe@company.com'] },
      { name: 'Ñ Ñ Ñ Ñ Ñ', phones: ['cell:123456789'], emails: [] },
      { name: 'Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ Ñ', phones: ['cell:123456', 'home:234567', 'cell:3456789', 'home:45678901'], emails: [] },
      { name: 'Ñ Ñ Ñ Ñ', phones: ['cell:123456'], emails: ['bob@company.com', 'ÑÑÑÑÑÑÑÑÑÑÑÑÑÑ'] },
      { name: 'ÑÑÑÑ', phones: ['cell:55556666'], emails: ['henry@company.com'] },
    ]);
    // "TEL;WORK;FAX:123456" is the same digits as the cell number: one phone per number.
    expect(cards[4]!.company?.name).toBe('ÑÑÑÑÑÑÑÑÑÑÑÑ');
    expect(cards[5]!.company?.name).toBe('Ñ'.repeat(44));
    expect(cards[0]!.tags).toEqual(['My Contacts']);
  });

  it('AOSP 2.1 "complicated": bare types, QP note with soft breaks, base64 photo, escaped ORG', async () => {
    const [c] = await read('aosp-v21_complicated.vcf');
    expect(brief(c!)).toEqual({
      name: 'Joe Due',
      phones: ['work:(111) 555-1212', 'home:(404) 555-1212', 'cell:0311111111', 'other:0322222222', 'other:0333333333'],
      emails: ['forrestgump@walladalla.com', 'cell@example.com'],
    });
    expect(c!.firstName).toBe('Forrest');
    expect(c!.lastName).toBe('Gump');
    expect(c!.company?.name).toBe('Gump Shrimp Co.');
    expect(c!.position).toBe('Shrimp Man');
    expect(c!.phones[1]!.e164).toBe('+14045551212');
    expect(c!.updatedAt).toBe(Date.UTC(2008, 3, 24, 19, 52, 43) / 1000);
  });

  it('AOSP 2.1 IM, Shift_JIS Japanese and a card without VERSION', async () => {
    expect((await read('aosp-v21_im.vcf'))[0]!.messengers).toEqual([{ service: 'jabber', handle: 'hhh@gmail.com' }]);
    const [jp] = await read('aosp-v21_japanese_1.vcf', 'JP');
    expect(jp!.name).toBe('安藤ロイド');
    // A Tokyo-shaped test number: possible, but not an allocated range, so max metadata says invalid.
    expect(jp!.phones).toEqual([{ raw: '0300000000', kind: 'other', e164: '+81300000000', valid: false }]);
    const [simple] = await read('aosp-v21_simple_1.vcf');
    expect([simple!.name, simple!.firstName, simple!.lastName]).toEqual(['Roid Ando', 'Roid', 'Ando']);
  });

  it('AOSP 3.0 simple: repeated TYPE, structured ORG', async () => {
    const [c] = await read('aosp-v30_simple.vcf');
    expect(brief(c!)).toEqual({ name: 'And Roid', phones: ['other:0300000000'], emails: [] });
    expect(c!.company?.name).toBe('Open');
  });

  it('Gmail 3.0: escaped comma in N, folded note, item groups', async () => {
    const [c] = await read('gmail-3.0.vcf');
    expect(brief(c!)).toEqual({ name: 'Mr. John Richter, James Doe Sr.', phones: ['cell:905-555-1234', 'home:905-666-1234'], emails: ['john.doe@ibm.com'] });
    expect(c!.emails[0]!.kind).toBe('home');
    expect([c!.firstName, c!.lastName, c!.company?.name, c!.position]).toEqual(['John', 'Doe', 'IBM', 'Money Counter']);
    expect(c!.phones.map((p) => p.e164)).toEqual(['+19055551234', '+19056661234']);
  });

  it('iPhone 3.0: lower-case repeated types, item groups with X-ABLabel, \\r\\r\\n line ends, big photo', async () => {
    const [c] = await read('iphone-3.0.vcf');
    expect(brief(c!)).toEqual({
      name: 'Mr. John Richter James Doe Sr.',
      phones: ['cell:905-555-1234', 'home:905-666-1234', 'work:905-777-1234', 'fax:905-888-1234', 'fax:905-999-1234', 'other:905-111-1234', 'other:905-222-1234'],
      emails: ['john.doe@ibm.com'],
    });
    expect(c!.company?.name).toBe('IBM');
  });
});
