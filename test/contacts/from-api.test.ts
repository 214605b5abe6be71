import { describe, expect, it } from 'vitest';
import type { ApiContact } from '../../src/amocrm/types.js';
import { contactFromApi, type FromApiContext } from '../../src/contacts/from-api.js';

/** The contacts page sample from amocrm-api.md §12. */
function sample(): ApiContact {
  return {
    id: 40000001, name: 'Пётр Образцов', first_name: 'Пётр', last_name: 'Образцов',
    responsible_user_id: 9000001, group_id: 0, created_by: 9000001, updated_by: 0,
    created_at: 1767280012, updated_at: 1767351234, closest_task_at: null,
    is_deleted: false, is_unsorted: false, account_id: 30000001,
    custom_fields_values: [
      { field_id: 600001, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext',
        values: [{ value: '8 (999) 000-00-01', enum_id: 700001, enum_code: 'MOB' }, { value: '+74950000002', enum_id: 700002, enum_code: 'WORKDD' }] },
      { field_id: 600003, field_code: 'EMAIL', field_name: 'Email', field_type: 'multitext',
        values: [{ value: 'petr@example.com', enum_id: 700010, enum_code: 'WORK' }] },
    ],
    _embedded: { tags: [{ id: 80001, name: 'VIP', color: null }], companies: [{ id: 50000001 }] },
  };
}

const ctx: FromApiContext = { accountId: 30000001, defaultRegion: 'RU', companyName: (id) => (id === 50000001 ? 'ООО «Ромашка»' : undefined) };

describe('contactFromApi', () => {
  it('maps the documented sample', () => {
    expect(contactFromApi(sample(), ctx)).toEqual({
      accountId: 30000001, id: 40000001, name: 'Пётр Образцов', firstName: 'Пётр', lastName: 'Образцов',
      company: { id: 50000001, name: 'ООО «Ромашка»' },
      phones: [
        { raw: '8 (999) 000-00-01', kind: 'cell', e164: '+79990000001', valid: true, international: '+7 999 000 00 01' },
        { raw: '+74950000002', kind: 'work', e164: '+74950000002', valid: true, international: '+7 495 000 00 02' },
      ],
      emails: [{ value: 'petr@example.com', kind: 'work' }],
      messengers: [], tags: ['VIP'], responsibleUserId: 9000001, groupId: 0, createdAt: 1767280012, updatedAt: 1767351234,
    });
  });

  it('reads legacy `enum`, and enum ids / field ids through the account field definitions', () => {
    const c = sample();
    c.custom_fields_values = [
      { field_id: 600001, field_name: 'Телефон', field_code: null, field_type: 'multitext',
        values: [{ value: '+7 999 000-00-01', enum: 'HOME' }, { value: '+7 999 000-00-02', enum_id: 700005 }, { value: '+7 999 000-00-03' }] },
      { field_id: 600003, field_name: 'Email', field_code: null, field_type: 'multitext', values: [{ value: 'a@example.com', enum_id: 700011 }] },
      { field_id: 600004, field_name: 'Должность', field_code: null, field_type: 'text', values: [{ value: 'Директор' }] },
    ];
    const r = contactFromApi(c, { ...ctx, fieldCodes: new Map([[600001, 'PHONE'], [600003, 'EMAIL'], [600004, 'POSITION']]), enumCodes: new Map([[700005, 'FAX'], [700011, 'PRIV']]) });
    expect(r.phones.map((p) => p.kind)).toEqual(['home', 'fax', 'other']);
    expect(r.emails).toEqual([{ value: 'a@example.com', kind: 'home' }]);
    expect(r.position).toBe('Директор');
  });

  it('collapses duplicate phones and e-mails within the contact, keeps invalid strings as typed', () => {
    const c = sample();
    c.custom_fields_values = [
      { field_id: 1, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext',
        values: [{ value: '8 999 000 00 01', enum_code: 'MOB' }, { value: '+7 (999) 000-00-01', enum_code: 'WORK' }, { value: 'спросить у секретаря', enum_code: 'OTHER' }, { value: '', enum_code: 'MOB' }, { value: null }] },
      { field_id: 2, field_name: 'Email', field_code: 'EMAIL', field_type: 'multitext', values: [{ value: 'A@example.com', enum_code: 'WORK' }, { value: 'a@EXAMPLE.com', enum_code: 'PRIV' }] },
    ];
    const r = contactFromApi(c, ctx);
    expect(r.phones).toEqual([
      { raw: '8 999 000 00 01', kind: 'cell', e164: '+79990000001', valid: true, international: '+7 999 000 00 01' },
      { raw: 'спросить у секретаря', kind: 'other', valid: false },
    ]);
    expect(r.emails).toEqual([{ value: 'A@example.com', kind: 'work' }]);
  });

  it('collects messengers from the IM field and from Telegram/WhatsApp user fields, handles as typed', () => {
    const c = sample();
    c.custom_fields_values = [
      { field_id: 3, field_name: 'Мгн. сообщения', field_code: 'IM', field_type: 'multitext',
        values: [{ value: 'petr.skype', enum_code: 'SKYPE' }, { value: 'petr@jabber.example', enum_code: 'JABBER' }, { value: 'https://t.me/petr_tg', enum_code: 'OTHER' }] },
      { field_id: 4, field_name: 'Telegram', field_code: null, field_type: 'text', values: [{ value: '@petr_tg' }] },
      { field_id: 5, field_name: 'WhatsApp', field_code: null, field_type: 'text', values: [{ value: '+7 (999) 000-00-01' }] },
    ];
    expect(contactFromApi(c, ctx).messengers).toEqual([
      { service: 'skype', handle: 'petr.skype' },
      { service: 'jabber', handle: 'petr@jabber.example' },
      { service: 'telegram', handle: 'petr_tg' },
      { service: 'whatsapp', handle: '+7 (999) 000-00-01' },
    ]);
    c.custom_fields_values = [{ field_id: 4, field_name: 'Telegram', field_code: null, field_type: 'text', values: [{ value: '@petr_tg' }, { value: 't.me/petr_tg' }] }];
    expect(contactFromApi(c, ctx).messengers).toEqual([{ service: 'telegram', handle: '@petr_tg' }]);
  });

  it('handles null custom fields, no company name and empty names', () => {
    const c = { ...sample(), name: '', first_name: '', last_name: '', custom_fields_values: null, _embedded: { companies: [{ id: 1 }] } };
    const r = contactFromApi(c, ctx);
    expect(r.phones).toEqual([]);
    expect(r.company).toBeUndefined();
    expect(r.tags).toEqual([]);
    expect(r.name).toBe('');
  });
});
