import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { readContactsFile } from '../../../src/contacts/readers/index.js';
import { AppError } from '../../../src/errors.js';
import { translator } from '../../../src/i18n/index.js';
import { tempDir } from '../../helpers/cli.js';

const tmp = tempDir('readers-');
afterAll(() => tmp.cleanup());

function file(name: string, content: string | Buffer): string {
  const p = join(tmp.path, name);
  writeFileSync(p, content);
  return p;
}

async function readAll(path: string, defaultRegion = 'RU'): Promise<Contact[]> {
  const out: Contact[] = [];
  for await (const c of readContactsFile(path, { defaultRegion })) out.push(c);
  return out;
}

async function failure(path: string): Promise<AppError> {
  try {
    await readAll(path);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error(`${path} was read without an error`);
}

describe('CSV files from other producers', () => {
  it('old Google CSV: Given/Family Name, Type columns, " ::: " values, quoted multi-line notes, LF only', async () => {
    const csv = [
      'Name,Given Name,Additional Name,Family Name,Notes,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Phone 2 - Type,Phone 2 - Value,Organization 1 - Name,Organization 1 - Title',
      'Иван Петров,Иван,,Петров,"Первая строка',
      'вторая, с запятой и ""кавычками""",Клиенты ::: * myContacts,* INTERNET,ivan@example.com ::: ivan2@example.com,Mobile,8 999 000-00-21 ::: +7 999 000-00-22,Work,+7 (495) 000-00-23 доб. 7,ООО Тест,Менеджер',
      ',Мария,,,,,,,Home,89990000024,,,,',
    ].join('\n');
    const [ivan, maria] = await readAll(file('google-old.csv', csv));
    expect(ivan!.name).toBe('Иван Петров');
    expect(ivan!.phones.map((p) => [p.kind, p.e164, p.ext])).toEqual([['cell', '+79990000021', undefined], ['cell', '+79990000022', undefined], ['work', '+74950000023', '7']]);
    expect(ivan!.emails.map((e) => e.value)).toEqual(['ivan@example.com', 'ivan2@example.com']);
    expect(ivan!.tags).toEqual(['Клиенты']);
    expect([ivan!.company?.name, ivan!.position]).toEqual(['ООО Тест', 'Менеджер']);
    expect(maria!.name).toBe('Мария');
    expect(maria!.phones.map((p) => [p.kind, p.e164])).toEqual([['home', '+79990000024']]);
    expect(maria!.id).toBe(2);
  });

  it('Outlook CSV with a BOM, CRLF and a quoted cell spanning lines', async () => {
    const csv = '\ufeffFirst Name,Last Name,E-mail Address,Mobile Phone,Business Phone,Home Fax,Company,Job Title,Notes,Categories\r\n' +
      'Анна,Смирнова,anna@example.com,+7 999 000-00-31,"8 (495) 000-00-32",84950000033,"ЗАО ""Альфа""",Бухгалтер,"line 1\r\nline 2",VIP;Клиенты\r\n';
    const [anna] = await readAll(file('outlook.csv', csv));
    expect(anna!.name).toBe('Анна Смирнова');
    expect(anna!.phones.map((p) => [p.kind, p.e164])).toEqual([['cell', '+79990000031'], ['work', '+74950000032'], ['fax', '+74950000033']]);
    expect(anna!.emails).toEqual([{ value: 'anna@example.com', kind: 'other' }]);
    expect(anna!.company?.name).toBe('ЗАО "Альфа"');
    expect(anna!.tags).toEqual(['VIP', 'Клиенты']);
  });

  it('vCard 4.0 from elsewhere: tel: URIs, quoted TYPE lists, \\: escapes', async () => {
    const vcf = 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Test\\: User\r\nTEL;TYPE="work,voice";VALUE=uri:tel:+7-495-000-00-41;ext=5\r\nTEL;VALUE=uri;TYPE=cell:tel:+79990000042\r\nEMAIL;TYPE=work:t@example.com\r\nIMPP;X-SERVICE-TYPE=Telegram:https://t.me/test_user\r\nEND:VCARD\r\n';
    const [c] = await readAll(file('v4.vcf', vcf));
    expect(c!.name).toBe('Test: User');
    expect(c!.phones.map((p) => [p.kind, p.e164, p.ext])).toEqual([['work', '+74950000041', '5'], ['cell', '+79990000042', undefined]]);
    expect(c!.messengers).toEqual([{ service: 'telegram', handle: 'test_user' }]);
  });

  it("Apple's IMPP forms: x-apple: scheme with X-SERVICE-TYPE, aim:, xmpp: next to the classic X- properties", async () => {
    const vcf = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Apple\r\nIMPP;X-SERVICE-TYPE=ICQ;type=pref:x-apple:12345\r\nX-ICQ:12345\r\n' +
      'IMPP;X-SERVICE-TYPE=AIM:aim:someone\r\nIMPP;X-SERVICE-TYPE=Jabber:xmpp:me%40jabber.example\r\nX-JABBER:me@jabber.example\r\nEND:VCARD\r\n';
    const [c] = await readAll(file('apple-im.vcf', vcf));
    expect(c!.messengers).toEqual([
      { service: 'icq', handle: '12345' },
      { service: 'aim', handle: 'someone' },
      { service: 'jabber', handle: 'me@jabber.example' },
    ]);
  });

  it('a vCard with a UTF-8 BOM, LF line ends and a 2.1 windows-1251 value', async () => {
    const cp1251 = Buffer.from([0xcf, 0xb8, 0xf2, 0xf0]); // "Пётр" in windows-1251
    const vcf = Buffer.concat([
      Buffer.from('\ufeffBEGIN:VCARD\nVERSION:2.1\nFN;CHARSET=WINDOWS-1251:'),
      cp1251,
      Buffer.from('\nTEL;HOME;VOICE:+7 495 000-00-51\nEND:VCARD\n'),
    ]);
    const [c] = await readAll(file('bom.vcf', vcf));
    expect(c!.name).toBe('Пётр');
    expect(c!.phones.map((p) => [p.kind, p.e164])).toEqual([['home', '+74950000051']]);
  });

  it('skips what it does not use, however big: a 3 MiB folded NOTE and an unfolded photo', async () => {
    const note = `NOTE:${'заметка '.repeat(200000).replace(/(.{60})/g, '$1\r\n ')}\r\n`;
    const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'QUJD'.repeat(600000)}\r\n`;
    const vcf = `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Big\r\n${note}${photo}TEL:+7 999 000-00-71\r\nEND:VCARD\r\n`;
    const [c] = await readAll(file('big-note.vcf', vcf));
    expect([c!.name, c!.phones[0]!.e164]).toEqual(['Big', '+79990000071']);
  });

  it('a classic-Mac file with lone CR line ends', async () => {
    const csv = 'First Name,Last Name,Mobile Phone\rOld,Mac,+7 999 000-00-61\rNew,Mac,+7 999 000-00-62\r';
    const contacts = await readAll(file('mac.csv', csv));
    expect(contacts.map((c) => [c.name, c.phones[0]!.e164])).toEqual([['Old Mac', '+79990000061'], ['New Mac', '+79990000062']]);
  });

  it('streams a large file: 20,000 cards, ids 1..n in file order', async () => {
    let text = '';
    for (let i = 1; i <= 20000; i++) text += `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Контакт ${i}\r\nTEL;TYPE=CELL:+7 999 ${String(i).padStart(7, '0')}\r\nEND:VCARD\r\n`;
    let n = 0;
    for await (const c of readContactsFile(file('big.vcf', text), { defaultRegion: 'RU' })) {
      n++;
      expect(c.id).toBe(n);
      if (n === 12345) expect([c.name, c.phones[0]!.e164]).toEqual(['Контакт 12345', '+79990012345']);
    }
    expect(n).toBe(20000);
  });
});

describe('a card nested inside another (AOSP v21_nest.vcf)', () => {
  it('reads the outer card and the cards after it, skips the inner one, and warns once with the line', async () => {
    const path = file('v21_nest.vcf', [
      'BEGIN:VCARD', 'VERSION:2.1', 'N:Outer;Anna', 'TEL;CELL:+7 999 000-00-31',
      'BEGIN:VCARD', 'VERSION:2.1', 'N:Inner;Boris', 'TEL;CELL:+7 999 000-00-32',
      'BEGIN:VCARD', 'N:Deeper', 'END:VCARD',
      'END:VCARD',
      'TEL;WORK:+7 495 000-00-33', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:2.1', 'N:Next;Vera', 'TEL;CELL:+7 999 000-00-34', 'END:VCARD', '',
    ].join('\r\n'));
    const warnings: [string, Record<string, string | number>][] = [];
    const got: Contact[] = [];
    for await (const c of readContactsFile(path, { defaultRegion: 'RU', onWarning: (k, p) => warnings.push([k, p]) })) got.push(c);
    expect(got.map((c) => [c.firstName, c.lastName, c.phones.map((p) => p.e164)])).toEqual([
      ['Anna', 'Outer', ['+79990000031', '+74950000033']],
      ['Vera', 'Next', ['+79990000034']],
    ]);
    expect(warnings).toEqual([['formats.read.vcard.nested', { path, line: 5 }]]);
    for (const lang of ['en', 'ru'] as const) expect(translator(lang)(warnings[0]![0], warnings[0]![1])).toContain('5');
  });
});

describe('bad and foreign files fail with one clear input error', () => {
  const t = translator('en');
  const ru = translator('ru');

  it.each([
    ['missing file', () => join(tmp.path, 'nope.vcf'), 'formats.read.failed'],
    ['empty file', () => file('empty.vcf', ''), 'formats.read.empty'],
    ['binary junk', () => file('junk.bin', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 10, 0, 0])), 'formats.read.unknown'],
    ['a spreadsheet of something else', () => file('other.csv', 'id,amount\n1,2\n'), 'formats.read.unknown'],
    ['a cut-off vCard', () => file('cut.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\n'), 'formats.read.vcard.noEnd'],
    ['a nested card whose outer card is never closed', () => file('nested.vcf', 'BEGIN:VCARD\r\nBEGIN:VCARD\r\nEND:VCARD\r\n'), 'formats.read.vcard.noEnd'],
    ['garbage inside a card', () => file('garbage.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nthis is not a property\r\nEND:VCARD\r\n'), 'formats.read.vcard.noColon'],
    ['text after the last card', () => file('after.vcf', 'BEGIN:VCARD\r\nFN:A\r\nEND:VCARD\r\nhello\r\n'), 'formats.read.vcard.outside'],
    ['a big file without line breaks', () => file('blob.bin', Buffer.alloc(17 * 1024 * 1024, 0x41)), 'formats.read.lineTooLong'],
    ['an unclosed CSV quote', () => file('open.csv', 'First Name,Mobile Phone\r\n"Anna,+79990000001\r\n'), 'formats.read.csv.unclosed'],
  ])('%s', async (_what, make, key) => {
    const path = make();
    const e = await failure(path);
    expect(e.kind).toBe('input');
    expect(e.key).toBe(key);
    for (const tr of [t, ru]) {
      const text = tr(e.key, e.params);
      expect(text).not.toBe(e.key);
      expect(text).not.toContain('\n');
      expect(text).toContain(path);
    }
  });
});
