import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { readContactBatches, readContactsFile, type ReadOptions } from '../../../src/contacts/readers/index.js';
import { tempDir } from '../../helpers/cli.js';

const tmp = tempDir('readers-options-');
afterAll(() => tmp.cleanup());

function file(name: string, content: string): string {
  const p = join(tmp.path, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, o: Omit<ReadOptions, 'defaultRegion'>): Promise<Contact[]> {
  const out: Contact[] = [];
  for await (const c of readContactsFile(path, { defaultRegion: 'RU', ...o })) out.push(c);
  return out;
}

const VCF = [
  'BEGIN:VCARD', 'VERSION:3.0', 'FN:Иван Петров', 'N:Петров;Иван;;;', 'ORG:ООО Тест', 'TITLE:Менеджер',
  'TEL;TYPE=CELL:8 916 000-00-01', 'TEL:+7 916 000 00 01', 'TEL:8 495 000-00-02 доб. 12', 'TEL:12',
  'EMAIL:ivan@example.com', 'X-TELEGRAM:@ivan', 'CATEGORIES:Клиенты', 'REV:2026-11-22T02:47:00Z', 'END:VCARD', '',
].join('\r\n');
const CSV = [
  'First Name,Last Name,Organization Name,Labels,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Phone 2 - Label,Phone 2 - Value',
  'Иван,Петров,ООО Тест,Клиенты,ivan@example.com,Mobile,8 916 000-00-01,Work,+7 916 000 00 01',
  '',
].join('\r\n');

describe('reader options', () => {
  it.each([['vcf', VCF], ['csv', CSV]])('%s: format (default) gives the international form, e164 does not, with the same numbers', async (ext, text) => {
    const p = file(`a.${ext}`, text);
    const [full] = await readAll(p, {});
    const [lean] = await readAll(p, { phones: 'e164' });
    expect(full!.phones[0]!.international).toBe('+7 916 000 00 01');
    expect(lean!.phones.every((ph) => ph.international === undefined)).toBe(true);
    expect(lean!.phones.map((ph) => [ph.raw, ph.kind, ph.e164, ph.ext, ph.valid])).toEqual(full!.phones.map((ph) => [ph.raw, ph.kind, ph.e164, ph.ext, ph.valid]));
    // "8 916…" and "+7 916…" are one number: the first one written wins.
    expect(full!.phones.filter((ph) => ph.e164 === '+79160000001').map((ph) => ph.raw)).toEqual(['8 916 000-00-01']);
  });

  it.each([['vcf', VCF], ['csv', CSV]])('%s: raw keeps every phone as written, unparsed and not de-duplicated', async (ext, text) => {
    const [c] = await readAll(file(`b.${ext}`, text), { phones: 'raw' });
    const expected = ext === 'vcf' ? ['8 916 000-00-01', '+7 916 000 00 01', '8 495 000-00-02 доб. 12', '12'] : ['8 916 000-00-01', '+7 916 000 00 01'];
    expect(c!.phones.map((ph) => ph.raw)).toEqual(expected);
    expect(c!.phones.every((ph) => !ph.valid && ph.e164 === undefined)).toBe(true);
    expect(c!.phones[0]!.kind).toBe('cell');
  });

  it.each([['vcf', VCF], ['csv', CSV]])('%s: identity skips e-mails, messengers and tags but keeps names, company, position', async (ext, text) => {
    const p = file(`c.${ext}`, text);
    const [all] = await readAll(p, {});
    const [id] = await readAll(p, { fields: 'identity' });
    expect(all!.emails.length).toBeGreaterThan(0);
    expect(all!.tags).toEqual(['Клиенты']);
    expect([id!.emails, id!.messengers, id!.tags]).toEqual([[], [], []]);
    expect({ ...id, emails: all!.emails, messengers: all!.messengers, tags: all!.tags }).toEqual(all);
  });

  it('batches hold every contact once, in file order, one batch per chunk', async () => {
    let text = '';
    for (let i = 0; i < 3000; i++) text += `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Контакт ${i}\r\nTEL:+7 916 ${String(i).padStart(7, '0')}\r\nEND:VCARD\r\n`;
    const p = file('many.vcf', text);
    const sizes: number[] = [];
    const ids: number[] = [];
    for await (const b of readContactBatches(p, { defaultRegion: 'RU', phones: 'raw' })) {
      sizes.push(b.length);
      for (const c of b) ids.push(c.id);
    }
    expect(ids).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
    expect(sizes.length).toBeGreaterThan(1);
    expect(sizes.every((n) => n > 0)).toBe(true);
  });
});
