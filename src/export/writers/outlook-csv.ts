/**
 * Outlook CSV (outlook.live.com header, contact-formats.md §5.3) plus `Categories`, which desktop
 * Outlook imports and which marks the contacts as ours. One fixed column per phone type: a phone
 * with no free column of its kind goes to `Other Phone`, and when that is taken too, to `Notes` as
 * `Phone (work): …` (never silently lost) and is counted in warnings.droppedPhones. E-mails past
 * the third go to Notes as `E-mail: …`; every messenger is listed there as `Telegram: handle`
 * (Outlook has one untyped IMAddress column, which gets the first).
 */
import type { Contact, Phone } from '../../contacts/contact.js';
import { isNormalizedPhone, phoneText } from './display.js';
import { safeCell, textCell } from './csv-text.js';
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

const SLOTS: Record<Phone['kind'], string[]> = {
  cell: ['Mobile Phone'],
  work: ['Business Phone', 'Business Phone 2'],
  home: ['Home Phone', 'Home Phone 2'],
  fax: ['Business Fax'],
  other: [],
};
const EMAIL_COLS = ['E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address'];

export class OutlookCsvWriter extends CsvWriter {
  constructor(o: WriterOptions) {
    super(o, OUTLOOK_HEADER, { company: 'Company', title: 'Job Title' });
  }

  protected fill(c: Contact, r: CsvRow): void {
    const notes: string[] = [];
    const used = new Set<string>();
    for (const p of c.phones) {
      const text = phoneText(p);
      if (!text) continue;
      const col = [...SLOTS[p.kind], 'Other Phone'].find((s) => !used.has(s));
      if (col) {
        used.add(col);
        r.put(col, isNormalizedPhone(p) ? safeCell(text) : textCell(text));
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
    if (notes.length) r.set('Notes', notes.join('\n'));
    r.set('Categories', this.categoriesOf(c).map((v) => v.replace(/;/g, ',')).join(';'));
  }
}
