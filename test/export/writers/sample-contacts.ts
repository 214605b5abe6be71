/** Invented amoCRM records behind examples/sample-export.* (what a user looks at before exporting). */
import type { ApiContact } from '../../../src/amocrm/types.js';
import type { Contact } from '../../../src/contacts/contact.js';
import { contactFromApi } from '../../../src/contacts/from-api.js';

const base = { responsible_user_id: 9000001, group_id: 0, created_by: 9000001, updated_by: 0, closest_task_at: null, is_deleted: false, account_id: 30000001 };
const phone = (values: [string, string][]) => ({ field_id: 600001, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext', values: values.map(([value, enum_code]) => ({ value, enum_code })) });
const email = (values: [string, string][]) => ({ field_id: 600003, field_name: 'Email', field_code: 'EMAIL', field_type: 'multitext', values: values.map(([value, enum_code]) => ({ value, enum_code })) });

const records: ApiContact[] = [
  {
    ...base, id: 40000001, name: 'Пётр Образцов', first_name: 'Пётр', last_name: 'Образцов', created_at: 1767280012, updated_at: 1795169700,
    custom_fields_values: [
      phone([['8 (999) 000-00-01', 'MOB'], ['+7 495 000-00-02 доб. 123', 'WORKDD'], ['+7 (999) 000-00-01', 'WORK']]),
      email([['petr@example.com', 'WORK']]),
      { field_id: 600002, field_name: 'Должность', field_code: 'POSITION', field_type: 'text', values: [{ value: 'Коммерческий директор' }] },
      { field_id: 600005, field_name: 'Telegram', field_code: null, field_type: 'text', values: [{ value: '@petr_obraztsov' }] },
    ],
    _embedded: { tags: [{ id: 80001, name: 'VIP', color: null }], companies: [{ id: 50000001 }] },
  },
  {
    ...base, id: 40000002, name: 'Анна Смирнова', first_name: 'Анна', last_name: 'Смирнова', created_at: 1767280100, updated_at: 1795170000,
    custom_fields_values: [
      phone([['+7 912 000-00-03', 'MOB'], ['8 495 000-00-04', 'FAX'], ['уточнить у секретаря', 'OTHER']]),
      email([['anna@example.com', 'PRIV'], ['a.smirnova@example.org', 'WORK']]),
      { field_id: 600004, field_name: 'Мгн. сообщения', field_code: 'IM', field_type: 'multitext', values: [{ value: 'anna.smirnova', enum_code: 'SKYPE' }] },
    ],
    _embedded: { tags: [{ id: 80002, name: 'Поставщики', color: null }], companies: [{ id: 50000002 }] },
  },
  {
    ...base, id: 40000003, name: '', first_name: '', last_name: '', created_at: 1767281000, updated_at: 1795171000,
    custom_fields_values: [phone([['8 800 000-00-05', 'WORK']])],
    _embedded: { companies: [{ id: 50000002 }] },
  },
];

const companies = new Map([[50000001, 'ООО «Ромашка»'], [50000002, 'ИП Сидоров; склад №2']]);

export function sampleContacts(): Contact[] {
  return records.map((r) => contactFromApi(r, { accountId: 30000001, defaultRegion: 'RU', companyName: (id) => companies.get(id) }));
}

export const SAMPLE_FILES = {
  vcard: 'sample-export.vcf',
  vcard4: 'sample-export.v4.vcf',
  'google-csv': 'sample-export.google.csv',
  'outlook-csv': 'sample-export.outlook.csv',
} as const;
