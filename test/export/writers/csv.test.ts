import { describe, expect, it } from 'vitest';
import { googleHeader } from '../../../src/export/writers/google-csv.js';
import { OUTLOOK_HEADER } from '../../../src/export/writers/outlook-csv.js';
import { requireTool } from '../../helpers/tools.js';
import { csvParse } from '../../helpers/validators.js';
import { hostileCases } from './hostile-contacts.js';
import { toPhone } from '../../../src/contacts/phone.js';
import { render } from './render.js';

// What may start like a formula unguarded: a number (digits, spaces, + ( ) - .) or an @handle;
// neither can call a function.
const NUMBER_OR_HANDLE = /^(?:\+?[\d ()\-.]+(?: ext\. \d+)?|@[\w.]+)$/;
const unguard = (s: string): string => (/^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s);

/** No cell may start like a formula, except numbers and handles (whatever the column). */
function expectNoFormulas(rows: Record<string, string>[]): void {
  for (const row of rows)
    for (const [h, v] of Object.entries(row)) {
      if (/^[=+\-@\t\r]/.test(v)) expect(v, h).toMatch(NUMBER_OR_HANDLE);
    }
}

requireTool('python3').describe('Google CSV writer, checked by Python csv', () => {
  const cases = hostileCases();
  const out = render('google-csv', cases.map((c) => c.contact));
  const { header, rows } = csvParse(out.file);
  const HEADER = googleHeader({ phones: 8, emails: 4, messengers: 4 });

  it("has Google's header sized by the largest contact, one row per contact, CRLF records", () => {
    expect(header).toEqual(HEADER);
    expect(header.filter((h) => /^Phone \d+ - Value$/.test(h))).toHaveLength(8);
    expect(header.filter((h) => /^IM \d+ - Service$/.test(h))).toHaveLength(4);
    expect(rows).toHaveLength(cases.length);
    expect(out.text.endsWith('\r\n')).toBe(true);
    expect(out.text.split('\r\n')[0]).toBe(HEADER.join(','));
  });

  it('finds every phone and e-mail, each in a labelled column of its own', () => {
    rows.forEach((row, i) => {
      const want = cases[i]!.expect;
      const phones = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => row[`Phone ${n} - Value`]).filter(Boolean);
      expect(phones.map((v) => unguard(v!))).toEqual(want.phones);
      const emails = [1, 2, 3, 4].map((n) => row[`E-mail ${n} - Value`]).filter(Boolean);
      expect(emails.map((v) => unguard(v!))).toEqual(want.emails);
      if (want.company) expect(unguard(row['Organization Name']!)).toBe(want.company);
    });
    const many = rows[8]!;
    expect([5, 6, 7, 8].map((n) => many[`Phone ${n} - Value`])).toEqual(['+7 495 000 00 15', '+7 495 000 00 16', '+7 495 000 00 17', '+7 495 000 00 18']);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => many[`Phone ${n} - Label`])).toEqual(['Mobile', 'Mobile', 'Work', 'Work', 'Work', 'Work Fax', 'Home', 'Other']);
    expect(many['E-mail 1 - Label']).toBe('* Work');
    expect(many['E-mail 4 - Value']).toBe('a4@example.com');
    expect([1, 2, 3, 4].map((n) => many[`IM ${n} - Service`])).toEqual(['ICQ', 'Viber', 'VK', 'other']);
    expect(many['IM 4 - Value']).toBe('matrix:u/@a:example.org');
    expect(header.some((h) => h.startsWith('Custom Field'))).toBe(false);
  });

  it('labels contacts amoCRM ::: * myContacts plus their tags', () => {
    expect(rows[0]!.Labels).toBe('amoCRM ::: * myContacts ::: VIP ::: Клиенты');
    expect(rows[6]!.Labels).toBe('amoCRM ::: * myContacts');
  });

  it('neutralizes formula starts in free text but keeps normalized phones importable', () => {
    expectNoFormulas(rows);
    expect(rows[3]!['IM 1 - Value']).toBe('+7 916 765-43-21');
    const evil = rows[5]!;
    // The name is not first + last, so the whole name is the first name (what Google shows).
    expect(evil['First Name']).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(evil['Last Name']).toBe('');
    expect(evil['Organization Name']).toBe(`'-2+3`);
    expect(evil['Organization Title']).toBe(`'@SUM(A1)`);
    expect(evil['Phone 1 - Value']).toBe(`'=1+2`);
    expect(evil['Phone 2 - Value']).toBe('+7 999 000 00 04');
    expect(rows[0]!['Phone 2 - Value']).toBe('+7 495 000 00 02 ext. 123');
  });

  it('keeps control characters out and line breaks inside quoted cells only', () => {
    expect(rows[2]!['First Name']).toBe('Evil TEL:+10000000000 X-INJECT:1 END:VCARD BEGIN:VCARD FN:Injected');
    expect(rows[2]!['Organization Title']).toBe('line1 line2 line3');
    expect(out.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
  });

  it('writes a UTF-8 BOM when asked', () => {
    const bom = render('google-csv', [cases[0]!.contact], { bom: true });
    expect(bom.text.charCodeAt(0)).toBe(0xfeff);
    expect(csvParse(bom.file).header).toEqual(googleHeader({ phones: 2, emails: 1, messengers: 2 }));
  });
});

requireTool('python3').describe('Outlook CSV writer, checked by Python csv', () => {
  const cases = hostileCases();
  const out = render('outlook-csv', cases.map((c) => c.contact));
  const { header, rows } = csvParse(out.file);
  const PHONE_COLS = OUTLOOK_HEADER.filter((h) => /Phone|Fax|Pager|Callback|Telex/.test(h));

  it("has Outlook's header and one row per contact", () => {
    expect(header).toEqual(OUTLOOK_HEADER);
    expect(rows).toHaveLength(cases.length);
  });

  it('places phones by kind, then in any free phone column; Notes only when all are taken', () => {
    const many = rows[8]!;
    expect(many['Mobile Phone']).toBe('+7 999 000 00 11');
    expect(many['Car Phone']).toBe('+7 999 000 00 12');
    expect(many['Business Phone']).toBe('+7 495 000 00 13');
    expect(many['Business Phone 2']).toBe('+7 495 000 00 14');
    expect(many['Company Main Phone']).toBe('+7 495 000 00 15');
    expect(many['Business Fax']).toBe('+7 495 000 00 16');
    expect(many['Home Phone']).toBe('+7 495 000 00 17');
    expect(many['Other Phone']).toBe('+7 495 000 00 18');
    expect(many.Notes).not.toContain('Phone (');
    expect(many.Notes).toContain('E-mail: a4@example.com');
    expect(many.Notes).toContain('IM: matrix:u/@a:example.org');
    // Several lines in one quoted cell, with CRLF as RFC 4180 writes them.
    expect(many.Notes!.split('\r\n').length).toBeGreaterThan(3);
    expect(out.writer.warnings.droppedPhones).toBe(0);
  });

  it('sends a number to Notes only past the 15 phone columns, and counts it', () => {
    const c = { ...cases[8]!.contact, phones: Array.from({ length: 16 }, (_, i) => toPhone(`+7 999 100-00-${String(i).padStart(2, '0')}`, 'cell', 'RU')) };
    const r = render('outlook-csv', [c]);
    const row = csvParse(r.file).rows[0]!;
    expect(PHONE_COLS.filter((h) => row[h])).toHaveLength(15);
    expect(row.Notes).toContain('Phone (cell): +7 999 100 00 15');
    expect(r.writer.warnings.droppedPhones).toBe(1);
  });

  it('loses no phone or e-mail: each is in a phone column or in Notes', () => {
    rows.forEach((row, i) => {
      const want = cases[i]!.expect;
      const cells = PHONE_COLS.map((h) => unguard(row[h] ?? '')).filter(Boolean);
      for (const p of want.phones) expect(cells.includes(p) || unguard(row.Notes ?? '').includes(p)).toBe(true);
      const emails = ['E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address'].map((h) => unguard(row[h] ?? '')).filter(Boolean);
      for (const e of want.emails) expect(emails.includes(e) || row.Notes!.includes(e)).toBe(true);
    });
    expect(rows[0]!.Categories).toBe('amoCRM;VIP;Клиенты');
    expect(rows[0]!.Company).toBe('ООО «Ромашка»');
    expect(rows[0]!['Job Title']).toBe('Директор по продажам');
  });

  it('neutralizes formula starts in free text', () => {
    expectNoFormulas(rows);
    expect(rows[5]!['Other Phone']).toBe(`'=1+2`);
    expect(rows[5]!.Company).toBe(`'-2+3`);
  });
});
