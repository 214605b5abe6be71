/**
 * Outlook CSV (outlook.live.com header, contact-formats.md §5.3) plus `Categories`, which desktop
 * Outlook's own CSV export carries and its importer maps (Google's "Outlook CSV" ends with it too).
 * One fixed column per phone type: a number first takes a free column of its own type, then a
 * general one (Other, Primary, Callback), then any free voice column, so Outlook can dial and
 * recognise it; only when all 15 are taken does it go to `Notes` as `Phone (work): …` (counted in
 * warnings.droppedPhones). E-mails past the third go to Notes as `E-mail: …`; every messenger is
 * listed there as `Telegram: handle` (Outlook has one untyped IMAddress column, which gets the
 * first). The amoCRM card link goes to `Web Page`.
 */
import type { Contact, Phone } from '../../contacts/contact.js';
import { dialablePhones, phoneNotes, phoneText } from './display.js';
import { CsvWriter, type CsvRow } from './csv-writer.js';
import { serviceLabel } from './messengers.js';
import type { WriterOptions } from './types.js';
import { cleanLine } from './vcard-text.js';

export const OUTLOOK_HEADER: readonly string[] = [
  'First Name', 'Middle Name', 'Last Name', 'Title', 'Suffix', 'Nickname', 'Given Yomi', 'Surname Yomi',
  'E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address', 'Home Phone', 'Home Phone 2', 'Business Phone',
  'Business Phone 2', 'Mobile Phone', 'Car Phone', 'Other Phone', 'Primary Phone', 'Pager', 'Business Fax',
  'Home Fax', 'Other Fax', 'Company Main Phone', 'Callback', 'Radio Phone', 'Telex', 'TTY/TDD Phone',
  'IMAddress', 'Job Title', 'Department', 'Company', 'Office Location', "Manager's Name", "Assistant's Name",
  "Assistant's Phone", 'Company Yomi', 'Business Street', 'Business City', 'Business State',
  'Business Postal Code', 'Business Country/Region', 'Home Street', 'Home City', 'Home State',
  'Home Postal Code', 'Home Country/Region', 'Other Street', 'Other City', 'Other State', 'Other Postal Code',
  'Other Country/Region', 'Personal Web Page', 'Spouse', 'Schools', 'Hobby', 'Location', 'Web Page',
  'Birthday', 'Anniversary', 'Notes', 'Categories',
];

const OWN: Record<Phone['kind'], string[]> = {
  cell: ['Mobile Phone', 'Car Phone', 'Radio Phone'],
  work: ['Business Phone', 'Business Phone 2', 'Company Main Phone'],
  home: ['Home Phone', 'Home Phone 2'],
  fax: ['Business Fax', 'Other Fax', 'Home Fax'],
  other: ['Other Phone'],
};
const GENERAL = ['Other Phone', 'Primary Phone', 'Callback'];
// Pager, Telex and TTY/TDD are left out: Outlook would not offer them for a voice call.
const VOICE = [...OWN.cell, ...OWN.work, ...OWN.home, "Assistant's Phone"];
const SLOTS = Object.fromEntries(
  Object.entries(OWN).map(([kind, own]) => [kind, [...new Set([...own, ...GENERAL, ...VOICE, ...OWN.fax])]]),
) as Record<Phone['kind'], string[]>;
const EMAIL_COLS = ['E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address'];

export class OutlookCsvWriter extends CsvWriter {
  constructor(o: WriterOptions) {
    super(o, OUTLOOK_HEADER, { company: 'Company', title: 'Job Title', link: 'Web Page' });
  }

  protected fill(c: Contact, r: CsvRow): void {
    const notes: string[] = [];
    const used = new Set<string>();
    for (const p of dialablePhones(c)) {
      const text = phoneText(p);
      const col = (SLOTS[p.kind] ?? SLOTS.other).find((s) => !used.has(s));
      if (col) {
        used.add(col);
        r.set(col, text);
      } else {
        this.warnings.droppedPhones++;
        notes.push(`Phone (${p.kind}): ${text}`);
      }
    }
    const emails = c.emails.map((e) => cleanLine(e.value)).filter(Boolean);
    emails.slice(0, EMAIL_COLS.length).forEach((e, i) => r.set(EMAIL_COLS[i]!, e));
    for (const e of emails.slice(EMAIL_COLS.length)) notes.push(`E-mail: ${e}`);
    const ims = c.messengers
      .map((m) => ({ label: m.service === 'other' ? 'IM' : serviceLabel(m.service), handle: cleanLine(m.handle) }))
      .filter((m) => m.handle);
    if (ims[0]) r.set('IMAddress', ims[0].handle);
    for (const m of ims) notes.push(`${m.label}: ${m.handle}`);
    notes.push(...phoneNotes(c));
    if (notes.length) r.set('Notes', notes.join('\n'));
    r.set('Categories', this.categoriesOf(c).map((v) => v.replace(/;/g, ',')).join(';'));
  }
}
