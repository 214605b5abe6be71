import { afterAll, describe, expect, it } from 'vitest';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readContactsFile } from '../../src/contacts/readers/index.js';
import { readContacts } from '../../src/callerid/input.js';
import type { Contact } from '../../src/contacts/contact.js';
import { tempDir } from '../helpers/cli.js';
import { PHONEBOOK_FIXTURES, SHARED_PHONEBOOK_FIXTURES, hasSharedFixtures } from '../helpers/fixtures.js';

/** Our phone-book fixtures, and the shared corpus as an extra when it is beside the checkout. */
const EXPORTS = [PHONEBOOK_FIXTURES, ...(hasSharedFixtures ? [SHARED_PHONEBOOK_FIXTURES] : [])].flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => /\.(vcf|csv)$/.test(f))
    .map((f) => join(dir, f)),
);
const work = tempDir('callerid-input-');
afterAll(() => work.cleanup());

/** The fields a caller-ID build reads: asking the reader for only these must not change them. */
const view = (c: Contact) => ({
  id: c.id,
  name: c.name,
  first: c.firstName,
  last: c.lastName,
  company: c.company?.name,
  position: c.position,
  updatedAt: c.updatedAt,
  phones: c.phones.map((p) => [p.raw, p.kind, p.e164, p.ext, p.valid]),
});

async function both(path: string, region = 'RU') {
  const a: unknown[] = [];
  const b: unknown[] = [];
  const w: unknown[] = [];
  for await (const c of readContactsFile(path, { defaultRegion: region })) a.push(view(c));
  for await (const c of readContacts(path, region, { worker: false })) b.push(view(c));
  // Phones normalized on the worker thread must come out the same, in the same order.
  for await (const c of readContacts(path, region, { worker: true })) w.push(view(c));
  expect(w).toEqual(b);
  return { a, b };
}

describe('caller-ID input (identity fields, E.164 only, optional phone worker)', () => {
  it.each(EXPORTS)('agrees with the shared reader on %s', async (path) => {
    const { a, b } = await both(path);
    expect(a.length).toBeGreaterThan(0);
    expect(b).toEqual(a);
  });

  it('agrees on folded lines, groups, escapes, tel: URIs, photos, CRLF and LF, and Google CSV', async () => {
    const vcf = [
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Иван\\, младший', 'N:Петров;Иван;;;', 'ORG:ООО "Ромашка"\\; филиал;Отдел',
      'TITLE:Дирек', ' тор', 'item1.TEL;VALUE=uri:tel:+7-495-000-00-02;ext=123', 'item1.X-ABLABEL:Дача',
      'PHOTO;ENCODING=b;TYPE=JPEG:AAAA', ' BBBBCCCC', 'TEL;TYPE=cell:8 916 000-00-01', 'TEL:8 (916) 000-00-01', 'TEL:abc',
      'REV:20261122T024700Z', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:3.0', 'N:Смит;Анна;;;', 'TEL:+1 202 555 0100', 'END:VCARD', '',
    ];
    const crlf = join(work.path, 'a.vcf');
    writeFileSync(crlf, vcf.join('\r\n'));
    const lf = join(work.path, 'b.vcf');
    writeFileSync(lf, vcf.join('\n'));
    for (const p of [crlf, lf]) {
      const { a, b } = await both(p);
      expect(a).toHaveLength(2);
      expect(b).toEqual(a);
    }
    // An unknown region: only numbers written with their country code are possible, on either thread.
    const unknown = await both(lf, 'ZZ');
    expect(unknown.b).toEqual(unknown.a);
    expect((unknown.a[1] as { phones: unknown[][] }).phones[0]![2]).toBe('+12025550100');
    const csv = join(work.path, 'c.csv');
    writeFileSync(csv, '\ufeffFirst Name,Last Name,Organization Name,Phone 1 - Label,Phone 1 - Value\r\nИван,Петров,"ООО ""Ромашка""",Mobile,"+7 916 000-00-01 ::: 8 495 000 00 02"\r\nАнна,,,"Work","123"\r\n');
    const { a, b } = await both(csv);
    expect(a).toHaveLength(2);
    expect(b).toEqual(a);
  });

  it('keeps order and phones across many worker batches', async () => {
    const p = join(work.path, 'many.vcf');
    const forms = ['8 (916) %-45-67', '+7 916 %4567', '%-45-67', '8 495 %-00-02 доб. 12', 'x%'];
    let text = '';
    for (let i = 0; i < 5000; i++) {
      const d = String(100 + (i % 900));
      text += `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Контакт ${i}\r\nTEL:${forms[i % 5]!.replace('%', d)}\r\n${i % 3 ? `TEL:${forms[(i + 1) % 5]!.replace('%', d)}\r\n` : ''}END:VCARD\r\n`;
    }
    writeFileSync(p, text);
    const { a, b } = await both(p);
    expect(b).toHaveLength(5000);
    expect(b).toEqual(a);
  });

  it('reports a broken vCard as the shared reader does', async () => {
    const p = join(work.path, 'broken.vcf');
    writeFileSync(p, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\n');
    const errs: unknown[] = [];
    for (const read of [() => readContactsFile(p, { defaultRegion: 'RU' }), () => readContacts(p, 'RU'), () => readContacts(p, 'RU', { worker: true })]) {
      try {
        for await (const _ of read()) void _;
      } catch (e) {
        errs.push((e as { key: string }).key);
      }
    }
    expect(errs).toEqual(['formats.read.vcard.noEnd', 'formats.read.vcard.noEnd', 'formats.read.vcard.noEnd']);
  });
});
