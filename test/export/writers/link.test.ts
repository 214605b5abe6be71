import { describe, expect, it } from 'vitest';
import { contactLink, linkBaseOf } from '../../../src/export/writers/display.js';
import { importContacts } from './import-cases.js';

describe('the link to the contact in amoCRM', () => {
  it("uses the account's own subdomain on amoCRM's domains, whatever API host served the export", () => {
    expect(linkBaseOf('shop', 'shop.amocrm.ru')).toBe('https://shop.amocrm.ru');
    expect(linkBaseOf('shop', 'api-b.amocrm.ru')).toBe('https://shop.amocrm.ru');
    expect(linkBaseOf('Shop', 'shop.kommo.com')).toBe('https://shop.kommo.com');
    expect(linkBaseOf('shop', 'shop.amocrm.com:443')).toBe('https://shop.amocrm.com');
  });

  it('uses the base URL host for a custom server (the sandbox, a proxy), http only on loopback', () => {
    expect(linkBaseOf('sandbox', '127.0.0.1:40559')).toBe('http://127.0.0.1:40559');
    expect(linkBaseOf('sandbox', 'localhost:8080')).toBe('http://localhost:8080');
    expect(linkBaseOf('shop', 'crm.example.com')).toBe('https://crm.example.com');
    // A subdomain that is not a host label never makes it into the link.
    expect(linkBaseOf('evil.example/x?', 'api-b.amocrm.ru')).toBe('https://api-b.amocrm.ru');
  });

  it('points at /contacts/detail/<id>, and is empty without a base', () => {
    const c = importContacts()[0]!;
    expect(contactLink('https://shop.amocrm.ru/', c)).toBe(`https://shop.amocrm.ru/contacts/detail/${c.id}`);
    expect(contactLink(undefined, c)).toBe('');
  });
});
