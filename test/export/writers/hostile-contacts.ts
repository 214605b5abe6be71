/**
 * Contacts built to break writers: separators, quotes, backslashes, CRLF and lone CR, control
 * characters, property-injection attempts, ZWJ emoji, RTL text, 2,000-character names, formula
 * starts, Cyrillic long enough to fold inside multi-byte characters. Each carries what an
 * independent parser must read back.
 */
import type { Contact, Phone } from '../../../src/contacts/contact.js';
import { toPhone } from '../../../src/contacts/phone.js';

export interface Expected {
  fn: string;
  /** Phone text as it must appear (international form for valid numbers, the cleaned raw otherwise). */
  phones: string[];
  emails: string[];
  company?: string;
  title?: string;
}

export interface HostileCase {
  contact: Contact;
  expect: Expected;
}

let nextId = 40000001;

function contact(p: Partial<Contact> & { phones: Phone[] }): Contact {
  return {
    accountId: 30000001,
    id: nextId++,
    name: '',
    firstName: '',
    lastName: '',
    emails: [],
    messengers: [],
    tags: [],
    responsibleUserId: 9000001,
    groupId: 0,
    createdAt: 1767280012,
    updatedAt: 1795169700, // 2026-11-20T10:15:00Z
    ...p,
  };
}

const ph = (raw: string, kind: Phone['kind'] = 'cell'): Phone => toPhone(raw, kind, 'RU');

export function hostileCases(): HostileCase[] {
  nextId = 40000001;
  const longCyr = 'Общество с ограниченной ответственностью «Рога и копыта — Восточная Сибирь» '.repeat(4).trim();
  const huge = Array.from(`${'Ёжик в тумане 🦔 '.repeat(140)}`).slice(0, 1995).join('') + 'конец';
  return [
    {
      contact: contact({
        name: 'Пётр Образцов', firstName: 'Пётр', lastName: 'Образцов',
        company: { id: 50000001, name: 'ООО «Ромашка»' }, position: 'Директор по продажам',
        phones: [ph('8 (999) 000-00-01', 'cell'), ph('+7 495 000-00-02 доб. 123', 'work')],
        emails: [{ value: 'petr@example.com', kind: 'work' }],
        messengers: [{ service: 'telegram', handle: 'petr_obraztsov' }, { service: 'skype', handle: 'petr.o' }],
        tags: ['VIP', 'Клиенты'],
      }),
      expect: { fn: 'Пётр Образцов', phones: ['+7 999 000 00 01', '+7 495 000 00 02 ext. 123'], emails: ['petr@example.com'], company: 'ООО «Ромашка»', title: 'Директор по продажам' },
    },
    {
      contact: contact({
        name: `O'Brien, "Jr"; back\\slash \\n not-a-newline`, firstName: 'Sean, Jr', lastName: `O'Brien; \\`,
        company: { id: 1, name: 'A;B,C\\D "Q"' }, position: 'Head: of, things; \\ here',
        phones: [ph('+1 202 555 0143', 'home')], emails: [{ value: 'sean,obrien@example.com', kind: 'home' }],
        tags: ['a,b;c', 'x\\y'],
      }),
      expect: { fn: `O'Brien, "Jr"; back\\slash \\n not-a-newline`, phones: ['+1 202 555 0143'], emails: ['sean,obrien@example.com'], company: 'A;B,C\\D "Q"', title: 'Head: of, things; \\ here' },
    },
    {
      contact: contact({
        name: 'Evil\r\nTEL:+10000000000\r\nX-INJECT:1\rEND:VCARD\nBEGIN:VCARD\nFN:Injected', firstName: 'Evil\u0007\u0000', lastName: 'Name\u001b[31m\u0085',
        position: 'line1\r\nline2\rline3',
        phones: [ph('8 916 123-45-67\r\nTEL:+10000000000', 'work'), ph('+7 111 000 00 00\u0000', 'other'), ph('внутр. 45', 'other')],
        emails: [{ value: 'x@y.example\r\nEND:VCARD', kind: 'other' }],
      }),
      expect: {
        fn: 'Evil TEL:+10000000000 X-INJECT:1 END:VCARD BEGIN:VCARD FN:Injected',
        phones: ['8 916 123-45-67 TEL:+10000000000', '+7 111 000 00 00', 'внутр. 45'],
        emails: ['x@y.example END:VCARD'],
        title: 'line1\nline2\nline3',
      },
    },
    {
      contact: contact({
        name: '👩‍👩‍👧‍👦 Семья 🇷🇺 مرحبا עברית \u202eRTL-override', firstName: '👩‍👩‍👧‍👦', lastName: 'مرحبا',
        phones: [ph('+7 (916) 765-43-21', 'home')], emails: [{ value: 'семья@пример.рф', kind: 'home' }],
        messengers: [{ service: 'whatsapp', handle: '+7 916 765-43-21' }, { service: 'jabber', handle: 'fam@jabber.example' }],
      }),
      // Bidi controls never reach a file: an importer would keep them in the name.
      expect: { fn: '👩‍👩‍👧‍👦 Семья 🇷🇺 مرحبا עברית RTL-override', phones: ['+7 916 765 43 21'], emails: ['семья@пример.рф'] },
    },
    {
      contact: contact({
        name: huge, firstName: huge.slice(0, 1000), lastName: huge.slice(1000),
        company: { id: 2, name: longCyr }, position: longCyr,
        phones: [ph('89990000003', 'cell')], emails: [{ value: 'long@example.com', kind: 'work' }],
        tags: [longCyr],
      }),
      expect: { fn: huge, phones: ['+7 999 000 00 03'], emails: ['long@example.com'], company: longCyr, title: longCyr },
    },
    {
      contact: contact({
        name: '=HYPERLINK("http://evil.example","click")', firstName: '=cmd|" /C calc"!A0', lastName: '+SUM(1,2)',
        company: { id: 3, name: '-2+3' }, position: '@SUM(A1)',
        phones: [ph('=1+2', 'other'), ph('+7 999 000-00-04', 'cell')],
        emails: [{ value: '@evil.example', kind: 'other' }, { value: '-x@example.com', kind: 'work' }],
        tags: ['=1+1', '\tTabbed'],
      }),
      expect: { fn: '=HYPERLINK("http://evil.example","click")', phones: ['=1+2', '+7 999 000 00 04'], emails: ['@evil.example', '-x@example.com'], company: '-2+3', title: '@SUM(A1)' },
    },
    {
      contact: contact({ name: '', company: { id: 4, name: 'ИП Сидоров' }, phones: [ph('+7 812 000-00-05', 'work')] }),
      expect: { fn: 'ИП Сидоров', phones: ['+7 812 000 00 05'], emails: [], company: 'ИП Сидоров' },
    },
    {
      contact: contact({ name: '  ', phones: [ph('8 (999) 000-00-06', 'cell')] }),
      expect: { fn: '+7 999 000 00 06', phones: ['+7 999 000 00 06'], emails: [] },
    },
    {
      contact: contact({
        name: 'Много Телефонов', firstName: 'Много', lastName: 'Телефонов',
        phones: [
          ph('+7 999 000-00-11', 'cell'), ph('+7 999 000-00-12', 'cell'), ph('+7 495 000-00-13', 'work'),
          ph('+7 495 000-00-14', 'work'), ph('+7 495 000-00-15', 'work'), ph('+7 495 000-00-16', 'fax'),
          ph('+7 495 000-00-17', 'home'), ph('+7 495 000-00-18', 'other'),
        ],
        emails: [
          { value: 'a1@example.com', kind: 'work' }, { value: 'a2@example.com', kind: 'home' },
          { value: 'a3@example.com', kind: 'other' }, { value: 'a4@example.com', kind: 'other' },
        ],
        messengers: [{ service: 'icq', handle: '123456789' }, { service: 'viber', handle: '+79990000011' }, { service: 'vk', handle: 'id1' }, { service: 'other', handle: 'matrix:u/@a:example.org' }],
      }),
      expect: {
        fn: 'Много Телефонов',
        phones: ['+7 999 000 00 11', '+7 999 000 00 12', '+7 495 000 00 13', '+7 495 000 00 14', '+7 495 000 00 15', '+7 495 000 00 16', '+7 495 000 00 17', '+7 495 000 00 18'],
        emails: ['a1@example.com', 'a2@example.com', 'a3@example.com', 'a4@example.com'],
      },
    },
    {
      contact: contact({ name: 'Lone \ud800 surrogate\tand tab\u2028sep', phones: [ph('+7 999 000-00-07', 'cell')] }),
      expect: { fn: 'Lone  surrogate and tab sep', phones: ['+7 999 000 00 07'], emails: [] },
    },
  ];
}
