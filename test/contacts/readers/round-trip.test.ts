/** Our own 3.0 / 4.0 / Google CSV / Outlook CSV output read back by our reader: nothing lost. */
import { describe, expect, it } from 'vitest';
import type { Contact, Phone } from '../../../src/contacts/contact.js';
import { readContactsFile } from '../../../src/contacts/readers/index.js';
import { EXPORT_FORMATS } from '../../../src/export/writers/index.js';
import { hostileCases } from '../../export/writers/hostile-contacts.js';
import { render } from '../../export/writers/render.js';

async function readAll(file: string): Promise<Contact[]> {
  const out: Contact[] = [];
  for await (const c of readContactsFile(file, { defaultRegion: 'RU' })) out.push(c);
  return out;
}

/** What identifies a phone after a round trip: its number, or the cleaned text when it is not one. */
const phoneId = (p: Phone): string => (p.valid && p.e164 ? `${p.e164};${p.ext ?? ''}` : p.raw.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').replace(/\s+/g, ' ').trim());

describe('round trip through our own writers', () => {
  const cases = hostileCases();

  for (const format of EXPORT_FORMATS) {
    it(`${format}: every contact, phone, e-mail and messenger comes back`, async () => {
      const { file } = render(format, cases.map((c) => c.contact), { bom: format === 'outlook-csv' });
      const back = await readAll(file);
      expect(back.map((c) => c.id)).toEqual(cases.map((_, i) => i + 1));
      back.forEach((got, i) => {
        const { contact, expect: want } = cases[i]!;
        const phones = got.phones.map(phoneId);
        const wantPhones = contact.phones.map(phoneId);
        if (format === 'outlook-csv') expect([...phones].sort()).toEqual([...wantPhones].sort());
        else expect(phones).toEqual(wantPhones);
        // Kinds survive wherever the format has a place for them (Google: values joined into the
        // last pair share its label; Outlook: spilled phones land in Other Phone).
        const kinds = (ps: Phone[]): string[] => ps.map((p) => p.kind).slice(0, format === 'google-csv' ? 4 : undefined);
        if (format !== 'outlook-csv') expect(kinds(got.phones)).toEqual(kinds(contact.phones));
        expect(got.emails.map((e) => e.value).sort()).toEqual([...want.emails].sort());
        expect(got.company?.name).toBe(want.company);
        if (format.startsWith('vcard')) {
          expect(got.name).toBe(want.fn);
          expect(got.emails.map((e) => e.kind)).toEqual(contact.emails.map((e) => e.kind));
          expect(got.messengers).toEqual(contact.messengers.map((m) => ({
            service: m.service,
            handle: m.service === 'whatsapp' ? m.handle.replace(/\D/g, '') : m.handle,
          })));
          expect(got.tags).toEqual(['amoCRM', ...contact.tags.map((t) => t.replace(/\t/g, ' ').trim())]);
        } else {
          expect(got.messengers.map((m) => m.handle).sort()).toEqual(
            contact.messengers.map((m) => (m.service === 'whatsapp' ? m.handle.replace(/\D/g, '') : m.handle)).sort(),
          );
        }
      });
    });
  }
});
