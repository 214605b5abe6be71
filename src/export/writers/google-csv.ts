/**
 * Google Contacts CSV in the current export layout (contact-formats.md §5.1), with as many
 * `E-mail N`, `Phone N` and `IM N` groups as the file's largest contact needs (options.columns),
 * so every value keeps its own label; messengers go to Google's IM columns (service + handle), the
 * amoCRM card link to `Website 1` labelled amoCRM. Google imports by header name.
 */
import type { Contact, Phone } from '../../contacts/contact.js';
import { cleanLine } from './vcard-text.js';
import { dialablePhones, phoneNotes, phoneText, type ColumnNeeds } from './display.js';
import { serviceLabel } from './messengers.js';
import { noMultiSep } from './csv-text.js';
import { CsvWriter, type CsvRow } from './csv-writer.js';
import type { WriterOptions } from './types.js';

const SEP = ' ::: ';
export const LINK_LABEL = 'amoCRM';

function groups(prefix: string, n: number, parts: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) for (const p of parts) out.push(`${prefix} ${i} - ${p}`);
  return out;
}

export function googleHeader(n: ColumnNeeds = { phones: 1, emails: 1, messengers: 1 }): string[] {
  return [
    'First Name', 'Middle Name', 'Last Name', 'Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name',
    'Name Prefix', 'Name Suffix', 'Nickname', 'File As', 'Organization Name', 'Organization Title',
    'Organization Department', 'Birthday', 'Notes', 'Photo', 'Labels',
    ...groups('E-mail', Math.max(1, n.emails), ['Label', 'Value']),
    ...groups('Phone', Math.max(1, n.phones), ['Label', 'Value']),
    'Address 1 - Label', 'Address 1 - Formatted', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - PO Box',
    'Address 1 - Region', 'Address 1 - Postal Code', 'Address 1 - Country', 'Address 1 - Extended Address',
    'Website 1 - Label', 'Website 1 - Value', 'Event 1 - Label', 'Event 1 - Value',
    ...groups('IM', Math.max(1, n.messengers), ['Label', 'Service', 'Value']),
  ];
}

const PHONE_LABEL: Record<Phone['kind'], string> = { cell: 'Mobile', work: 'Work', home: 'Home', fax: 'Work Fax', other: 'Other' };
const EMAIL_LABEL = { work: 'Work', home: 'Home', other: 'Other' } as const;

interface Item {
  label: string;
  value: string;
  service?: string;
}

/**
 * Fills `prefix N - …` groups; a value past the last group (a contact the header was not sized
 * for) is joined into it with ` ::: `, which Google splits on import.
 */
function fillGroups(r: CsvRow, prefix: string, max: number, items: Item[]): void {
  for (let i = 0; i < Math.min(items.length, max); i++) {
    const last = i === max - 1 && items.length > max;
    const group = last ? items.slice(i) : [items[i]!];
    const n = i + 1;
    if (group[0]!.label) r.set(`${prefix} ${n} - Label`, group[0]!.label);
    if (group[0]!.service !== undefined) r.set(`${prefix} ${n} - Service`, group[0]!.service);
    r.set(`${prefix} ${n} - Value`, group.map((g) => g.value).join(SEP));
  }
}

export class GoogleCsvWriter extends CsvWriter {
  private readonly max: ColumnNeeds;

  constructor(o: WriterOptions) {
    const max = { phones: 1, emails: 1, messengers: 1, ...o.columns };
    super(o, googleHeader(max), { company: 'Organization Name', title: 'Organization Title', link: 'Website 1 - Value', linkLabel: ['Website 1 - Label', LINK_LABEL] });
    this.max = { phones: Math.max(1, max.phones), emails: Math.max(1, max.emails), messengers: Math.max(1, max.messengers) };
  }

  protected fill(c: Contact, r: CsvRow): void {
    // Our category first, Google's system group second (that is what makes the contact visible).
    const [cat, ...rest] = this.categoriesOf(c).map((v) => noMultiSep(v));
    r.set('Labels', [cat, '* myContacts', ...rest].filter(Boolean).join(SEP));
    fillGroups(r, 'E-mail', this.max.emails, c.emails.map((e, i) => ({
      label: `${i === 0 ? '* ' : ''}${EMAIL_LABEL[e.kind] ?? 'Other'}`, value: noMultiSep(cleanLine(e.value)),
    })).filter((e) => e.value));
    fillGroups(r, 'Phone', this.max.phones, dialablePhones(c).map((p) => ({
      label: PHONE_LABEL[p.kind] ?? 'Other', value: noMultiSep(phoneText(p)),
    })));
    fillGroups(r, 'IM', this.max.messengers, c.messengers.map((m) => ({
      label: '', service: serviceLabel(m.service), value: noMultiSep(cleanLine(m.handle)),
    })).filter((m) => m.value));
    const notes = phoneNotes(c);
    if (notes.length) r.set('Notes', notes.join('\n'));
  }
}
