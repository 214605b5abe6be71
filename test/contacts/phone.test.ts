import { describe, expect, it } from 'vitest';
import { normalizePhone, phoneKey, pushUniquePhone, toPhone } from '../../src/contacts/phone.js';
import type { Phone } from '../../src/contacts/contact.js';

describe('normalizePhone (default region RU)', () => {
  it.each([
    ['8 999 000-00-01', '+79990000001'],
    ['89990000001', '+79990000001'],
    ['9990000001', '+79990000001'],
    ['79990000001', '+79990000001'],
    ['+7 (999) 000-00-01', '+79990000001'],
    ['8 10 49 30 1234567', '+49301234567'],
  ])('%s → %s', (raw, e164) => {
    const r = normalizePhone(raw, 'RU');
    expect(r.e164).toBe(e164);
    expect(r.valid).toBe(true);
    expect(r.ext).toBeUndefined();
  });

  it.each(['8 (495) 000-00-02 доб. 123', '8 (495) 000-00-02 доб.123', '8 (495) 000-00-02, доб 123', '8 (495) 000-00-02 (доб. 123)', '+7 495 000-00-02 ext. 123', '84950000002 x123'])(
    'keeps the extension of %s apart',
    (raw) => {
      expect(normalizePhone(raw, 'RU')).toEqual({ e164: '+74950000002', ext: '123', valid: true, international: '+7 495 000 00 02 ext. 123' });
    },
  );

  it('uses the max metadata: possible but not valid numbers are flagged invalid and keep their E.164', () => {
    expect(normalizePhone('+7 111 000 00 00', 'RU')).toEqual({ e164: '+71110000000', valid: false });
  });

  it('rejects strings that are not possible numbers', () => {
    for (const raw of ['123-45-67', 'abc', '', '   ', '\u0000\u0007', 'позвонить завтра']) expect(normalizePhone(raw, 'RU')).toEqual({ valid: false });
  });

  it('honours the default region and tolerates a bad or lower-case one', () => {
    expect(normalizePhone('(202) 555-0143', 'us').e164).toBe('+12025550143');
    expect(normalizePhone('8 999 000-00-01', 'KZ').e164).toBe('+79990000001');
    expect(normalizePhone('+7 999 000-00-01', 'XX').e164).toBe('+79990000001');
    expect(normalizePhone('8 999 000-00-01', 'XX').valid).toBe(false);
  });

  it('ignores control characters inside the string', () => {
    expect(normalizePhone('+7 999\r\n000-00-01\u0000', 'RU').e164).toBe('+79990000001');
  });
});

describe('phone identity inside a contact', () => {
  it('collapses the same number typed differently, keeps the first kind, keeps different extensions apart', () => {
    const phones: Phone[] = [];
    const seen = new Set<string>();
    for (const [raw, kind] of [['8 999 000-00-01', 'cell'], ['+79990000001', 'work'], ['+7 495 000-00-02 доб. 1', 'work'], ['+7 495 000-00-02 доб. 2', 'work'], ['внутр. 45', 'other'], ['  внутр.  45 ', 'other']] as const)
      pushUniquePhone(phones, seen, toPhone(raw, kind, 'RU'));
    expect(phones.map((p) => [p.raw, p.kind])).toEqual([['8 999 000-00-01', 'cell'], ['+7 495 000-00-02 доб. 1', 'work'], ['+7 495 000-00-02 доб. 2', 'work'], ['внутр. 45', 'other']]);
    expect(phoneKey(phones[3]!)).toBe('внутр. 45');
  });
});
