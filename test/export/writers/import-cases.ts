/**
 * amoCRM records whose `name` relates to first_name + last_name in every way (equals, extends in
 * front, in the middle and at the end, reorders, has nothing to do with them, is empty), with bidi
 * controls in names, more than 5 phones, e-mails and messengers on one contact, handles starting
 * with `@` and `+`, and phone fields holding only text. Built through contactFromApi, the path the
 * export takes. Each record says what a person must see after import.
 */
import type { ApiContact } from '../../../src/amocrm/types.js';
import type { Contact } from '../../../src/contacts/contact.js';
import { contactFromApi } from '../../../src/contacts/from-api.js';

export const ACCOUNT = 30000001;
export const LINK_BASE = 'https://example-shop.amocrm.ru';

const base = { responsible_user_id: 9000001, group_id: 0, created_by: 9000001, updated_by: 0, closest_task_at: null, is_deleted: false, account_id: ACCOUNT, created_at: 1767280012, updated_at: 1795169700 };
const multi = (field_id: number, field_code: string, values: [string, string][]) => ({ field_id, field_name: field_code, field_code, field_type: 'multitext', values: values.map(([value, enum_code]) => ({ value, enum_code })) });
const text = (field_id: number, field_name: string, values: string[]) => ({ field_id, field_name, field_code: null, field_type: 'text', values: values.map((value) => ({ value })) });

export interface ImportCase {
  /** How `name` relates to the parts. */
  relation: string;
  record: ApiContact;
  /** The name a person sees after import (amoCRM's `name`, cleaned). */
  shown: string;
  /** Given, middle, family as written: amoCRM's parts where they spell `name`, else all in given. */
  parts: [string, string, string];
  /** The phone text and its amoCRM kind, as every target must show it. */
  phones: { text: string; kind: 'cell' | 'work' | 'home' | 'fax' | 'other' }[];
  /** Phone fields with no digits: they must be in the notes, never a number. */
  phoneNotes: string[];
  emails: string[];
  /** Service label (as in our IMPP X-SERVICE-TYPE / Google IM service) and handle as typed. */
  messengers: { service: string; handle: string }[];
}

function rec(id: number, name: string, first: string, last: string, fields: unknown[] = []): ApiContact {
  return { ...base, id, name, first_name: first, last_name: last, custom_fields_values: fields } as ApiContact;
}

const onePhone = (n: string) => [multi(600001, 'PHONE', [[`+7 999 000-00-${n}`, 'MOB']])];
const onePhoneWant = (n: string) => [{ text: `+7 999 000 00 ${n}`, kind: 'cell' as const }];
const simple = (relation: string, id: number, name: string, first: string, last: string, shown: string, n: string, parts: [string, string, string]): ImportCase => ({
  relation, record: rec(id, name, first, last, onePhone(n)), shown, parts, phones: onePhoneWant(n), phoneNotes: [], emails: [], messengers: [],
});

export function importCases(): ImportCase[] {
  return [
    // Listed out of id order on purpose: the export sorts by account, then id.
    simple('equals', 40000102, 'Пётр Образцов', 'Пётр', 'Образцов', 'Пётр Образцов', '02', ['Пётр', '', 'Образцов']),
    simple('extends at the end', 40000101, 'Михаил ИП', 'Михаил', '', 'Михаил ИП', '01', ['Михаил ИП', '', '']),
    simple('extends in the middle (patronymic)', 40000103, 'Иван Петрович Сидоров', 'Иван', 'Сидоров', 'Иван Петрович Сидоров', '03', ['Иван', 'Петрович', 'Сидоров']),
    simple('extends in front', 40000104, 'ИП Кузнецова Ольга', 'Ольга', 'Кузнецова', 'ИП Кузнецова Ольга', '04', ['ИП Кузнецова Ольга', '', '']),
    simple('reorders', 40000105, 'Егоров Михаил', 'Михаил', 'Егоров', 'Егоров Михаил', '05', ['Егоров Михаил', '', '']),
    simple('unrelated', 40000106, 'Бухгалтерия (склад)', 'Ольга', 'Ким', 'Бухгалтерия (склад)', '06', ['Бухгалтерия (склад)', '', '']),
    simple('empty name, parts only', 40000107, '', 'Анна', 'Смирнова', 'Анна Смирнова', '07', ['Анна', '', 'Смирнова']),
    simple('equals the first name alone', 40000108, 'Светлана', 'Светлана', '', 'Светлана', '08', ['Светлана', '', '']),
    simple('bidi controls in every part', 40000109, '\u202eМария\u202c Кузнецова\u200f', '\u202eМария\u202c', 'Кузнецова\u200f', 'Мария Кузнецова', '09', ['Мария', '', 'Кузнецова']),
    {
      relation: 'extends at the end, with more than 5 of everything',
      record: rec(40000110, 'Михаил Егоров (ИП)', 'Михаил', 'Егоров', [
        multi(600001, 'PHONE', [
          ['8 (999) 100-00-01', 'MOB'], ['+7 999 100-00-02', 'MOB'], ['+7 495 100-00-03 доб. 12', 'WORK'],
          ['8 495 100-00-04', 'WORKDD'], ['+7 812 100-00-05', 'HOME'], ['+7 495 100-00-06', 'FAX'],
          ['+44 20 7946 0958', 'OTHER'], ['уточнить у секретаря', 'OTHER'], ['+7 (111) 000-00-00', 'WORK'],
        ]),
        multi(600003, 'EMAIL', [
          ['m1@example.com', 'WORK'], ['m2@example.com', 'PRIV'], ['m3@example.com', 'OTHER'],
          ['m4@example.com', 'WORK'], ['m5@example.com', 'PRIV'], ['m6@example.com', 'OTHER'],
        ]),
        multi(600004, 'IM', [['michael.skype', 'SKYPE'], ['m@jabber.example', 'JABBER'], ['123456789', 'ICQ']]),
        text(600005, 'Telegram', ['@mikhail_egorov7']),
        text(600006, 'WhatsApp', ['+7 999 123-45-67']),
        text(600007, 'Viber', ['+79991234568']),
        text(600008, 'VK', ['id777']),
      ]),
      shown: 'Михаил Егоров (ИП)',
      parts: ['Михаил Егоров (ИП)', '', ''],
      phones: [
        { text: '+7 999 100 00 01', kind: 'cell' }, { text: '+7 999 100 00 02', kind: 'cell' },
        { text: '+7 495 100 00 03 ext. 12', kind: 'work' }, { text: '+7 495 100 00 04', kind: 'work' },
        { text: '+7 812 100 00 05', kind: 'home' }, { text: '+7 495 100 00 06', kind: 'fax' },
        { text: '+44 20 7946 0958', kind: 'other' }, { text: '+7 (111) 000-00-00', kind: 'work' },
      ],
      phoneNotes: ['уточнить у секретаря'],
      emails: ['m1@example.com', 'm2@example.com', 'm3@example.com', 'm4@example.com', 'm5@example.com', 'm6@example.com'],
      messengers: [
        { service: 'Skype', handle: 'michael.skype' }, { service: 'Jabber', handle: 'm@jabber.example' }, { service: 'ICQ', handle: '123456789' },
        { service: 'Telegram', handle: '@mikhail_egorov7' }, { service: 'WhatsApp', handle: '+7 999 123-45-67' },
        { service: 'Viber', handle: '+79991234568' }, { service: 'VK', handle: 'id777' },
      ],
    },
  ];
}

export function importContacts(): Contact[] {
  return importCases().map((c) => contactFromApi(c.record, { accountId: ACCOUNT, defaultRegion: 'RU', companyName: () => undefined }));
}
