/**
 * Phone-book exports: our own fixtures (test/fixtures/phonebook-exports, every clone has them) and,
 * when it is beside the checkout, the shared corpus of real exports. Expectations were written by
 * reading each file: names from FN/N, phones from TEL with their TYPE, e-mails from EMAIL.
 */
import { describe, expect, it } from 'vitest';
import { readContactsFile } from '../../../src/contacts/readers/index.js';
import type { Contact } from '../../../src/contacts/contact.js';
import { PHONEBOOK_FIXTURES, SHARED_PHONEBOOK_FIXTURES, describeShared } from '../../helpers/fixtures.js';

async function readFrom(dir: string, file: string, defaultRegion: string): Promise<Contact[]> {
  const out: Contact[] = [];
  for await (const c of readContactsFile(`${dir}/${file}`, { defaultRegion })) out.push(c);
  return out;
}

const brief = (c: Contact) => ({
  name: c.name,
  phones: c.phones.map((p) => `${p.kind}:${p.raw}`),
  emails: c.emails.map((e) => e.value),
});

describe('reading phone-book exports (our fixtures)', () => {
  const read = (file: string, defaultRegion = 'RU') => readFrom(PHONEBOOK_FIXTURES, file, defaultRegion);

  it('Android 2.1 with quoted-printable UTF-8, a soft break inside a letter, PREF types and a photo', async () => {
    const cards = await read('android-2.1.vcf');
    expect(cards.map((c) => c.id)).toEqual([1, 2, 3, 4]);
    expect(cards.every((c) => c.accountId === 0)).toBe(true);
    expect(cards.map(brief)).toEqual([
      { name: '', phones: [], emails: ['olga.k@example.ru'] },
      { name: 'Павел Кузнецов', phones: ['cell:+7 916 123-45-67'], emails: [] },
      {
        name: 'Александра Константиновна Воскресенская-Преображенская',
        phones: ['cell:8 (903) 555-01-01', 'home:8 495 555-02-02', 'work:+7 495 555-03-03'],
        emails: ['a.voskresenskaya@example.ru'],
      },
      { name: 'Ли', phones: ['cell:+7-999-000-11-22', 'home:12-34'], emails: ['почта@пример.рф'] },
    ]);
    // "TEL;WORK;FAX:8-903-555-01-01" is the same number as the cell phone: one phone per number.
    expect([cards[2]!.firstName, cards[2]!.lastName]).toEqual(['Александра', 'Воскресенская-Преображенская']);
    // The first of two QP ORG lines, folded by a soft break.
    expect(cards[2]!.company?.name).toBe('ООО «Северный ветер»');
    expect(cards[1]!.phones[0]!.e164).toBe('+79161234567');
    expect(cards[3]!.phones.map((p) => p.valid)).toEqual([true, false]);
    expect(cards[0]!.tags).toEqual(['My Contacts']);
  });

  it('Android 2.1 "complicated": bare types, QP label and note with soft breaks, photo on the next line, escaped ORG', async () => {
    const [c, more] = await read('android-2.1-complicated.vcf', 'US');
    expect(more).toBeUndefined();
    expect(brief(c!)).toEqual({
      name: 'Dmitry Orlov',
      phones: ['work:(212) 555-0147', 'home:(404) 555-0199', 'cell:+44 7700 900123', 'other:0301234567', 'other:0307654321', 'other:555-0100'],
      emails: ['d.orlov@example.com', 'orlov.mobile@example.com'],
    });
    expect([c!.firstName, c!.lastName, c!.company?.name, c!.position]).toEqual(['Dmitry', 'Orlov', 'Orlov ; Sons Ltd.', 'Head of Logistics']);
    expect(c!.phones[0]!.e164).toBe('+12125550147');
    expect(c!.updatedAt).toBe(Date.UTC(2019, 2, 14, 10, 15, 30) / 1000);
  });

  it('Android IM (LF line ends), Shift_JIS Japanese and a card without VERSION', async () => {
    const [im] = await read('android-im-2.1.vcf');
    expect(im!.name).toBe('Irina Sokolova');
    expect(im!.messengers).toEqual([
      { service: 'jabber', handle: 'irina.s@example.org' },
      { service: 'skype', handle: 'irina.sokolova' },
    ]);
    const [jp] = await read('shift_jis-2.1.vcf', 'JP');
    expect([jp!.name, jp!.firstName, jp!.lastName]).toEqual(['山田 花子', '花子', '山田']);
    expect(jp!.phones.map((p) => [p.kind, p.e164, p.valid])).toEqual([
      ['other', '+81312345678', true],
      ['cell', '+819012345678', true],
    ]);
    const [bare] = await read('no-version.vcf');
    expect(brief(bare!)).toEqual({ name: 'Anna Smirnova', phones: ['other:8 495 123-45-67'], emails: [] });
    expect(bare!.phones[0]!.e164).toBe('+74951234567');
  });

  it('Android 3.0: repeated and comma-listed TYPE, structured ORG, basic-format REV', async () => {
    const [c] = await read('android-3.0.vcf');
    expect(brief(c!)).toEqual({ name: 'Ivan Belov', phones: ['other:+7 812 555-44-33', 'work:+7 812 555-44-34'], emails: [] });
    expect(c!.company?.name).toBe('Open Works');
    expect(c!.updatedAt).toBe(Date.UTC(2021, 5, 1, 12, 0, 0) / 1000);
  });

  it('Gmail 3.0: escaped commas in FN, N and ORG, folded escaped note, item groups', async () => {
    const [c] = await read('gmail-3.0.vcf');
    expect(brief(c!)).toEqual({
      name: 'Dr. Maria Elena, Jr. Ruiz',
      phones: ['cell:+34 612 34 56 78', 'work:+34 91 123 45 67'],
      emails: ['maria.ruiz@example.com', 'm.ruiz@example.net'],
    });
    expect(c!.emails.map((e) => e.kind)).toEqual(['home', 'work']);
    expect([c!.firstName, c!.lastName, c!.company?.name, c!.position]).toEqual(['Maria', 'Ruiz', 'Ruiz, Torres y Asociados', 'Partner']);
    expect(c!.phones.map((p) => p.e164)).toEqual(['+34612345678', '+34911234567']);
  });

  it('iPhone 3.0: \\r\\r\\n line ends, item1.TEL with X-ABLabel, lower-case repeated types, big photo', async () => {
    const cards = await read('iphone-3.0.vcf');
    expect(cards.map(brief)).toEqual([
      {
        name: 'Alexei Morozov',
        phones: [
          'cell:+7 (921) 555-10-10',
          'cell:+7 921 555-20-20',
          'home:+7 812 555-30-30',
          'fax:+7 812 555-50-50',
          // item2's label is Apple's _$!<Mobile>!$_; item3's is the user's own "Дача".
          'cell:+7 921 555-60-60',
          'other:+7 921 555-70-70',
        ],
        emails: ['a.morozov@example.com'],
      },
      { name: 'Taxi', phones: ['other:+7 812 000-00-00'], emails: [] },
    ]);
    expect(cards[0]!.company?.name).toBe('Morozov Trading');
  });

  it('Outlook: vCard 2.1 in windows-1251 with an indented photo, and Outlook CSV with a multi-line note', async () => {
    const [v] = await read('outlook-2.1.vcf');
    expect(brief(v!)).toEqual({
      name: 'Иванов Пётр Сергеевич',
      phones: ['work:+7 (495) 123-45-67', 'cell:8 916 765 43 21', 'fax:+7 (495) 123-45-68'],
      emails: ['p.ivanov@example.ru'],
    });
    expect([v!.firstName, v!.lastName, v!.company?.name, v!.position]).toEqual(['Пётр', 'Иванов', 'АО «Ромашка»', 'Главный бухгалтер']);
    expect(v!.updatedAt).toBe(Date.UTC(2024, 0, 15, 9, 30, 0) / 1000);
    const csv = await read('outlook.csv');
    expect(csv.map(brief)).toEqual([
      {
        name: 'Елена Викторовна Павлова',
        phones: ['cell:8 917 555 66 77', 'work:+7 (843) 555-12-34', 'fax:+7 (843) 555-12-35'],
        emails: ['e.pavlova@example.ru'],
      },
      { name: 'Tom Baker', phones: ['home:(020) 7946 0958', 'other:+44 20 7946 0000', 'other:ext. 12'], emails: ['tom@example.co.uk', 'tom.baker@example.org'] },
    ]);
    expect([csv[0]!.company?.name, csv[0]!.position, csv[0]!.tags]).toEqual(['ООО "Вектор"', 'Директор', ['Клиенты', 'VIP']]);
    expect(csv[1]!.messengers).toEqual([{ service: 'other', handle: 'tom.baker' }]);
  });
});

describeShared('reading real exports (the shared corpus, when it is there)', () => {
  const read = (file: string, defaultRegion = 'US') => readFrom(SHARED_PHONEBOOK_FIXTURES, file, defaultRegion);

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
