/**
 * Google Contacts CSV in the current export layout (contact-formats.md §5.1). Streaming means the
 * header is fixed before the first contact: 3 e-mail, 5 phone and 3 custom-field (messenger) column
 * pairs; more values are joined into the last pair with ` ::: `, which Google splits on import.
 */
import type { Contact, Phone } from '../../contacts/contact.js';
import { cleanLine } from './vcard-text.js';
import { isNormalizedPhone, phoneText } from './display.js';
import { serviceLabel } from './messengers.js';
import { noMultiSep, safeCell, textCell } from './csv-text.js';
import { CsvWriter, type CsvRow } from './csv-writer.js';
import type { WriterOptions } from './types.js';

export const GOOGLE_MAX = { emails: 3, phones: 5, messengers: 3 } as const;
const SEP = ' ::: ';

function pairs(prefix: string, n: number, second: string): string[] {
  const out: string[] = [];
  for (let i = 1; i <= n; i++) out.push(`${prefix} ${i} - Label`, `${prefix} ${i} - ${second}`);
  return out;
}

export const GOOGLE_HEADER: readonly string[] = [
  'First Name', 'Middle Name', 'Last Name', 'Phonetic First Name', 'Phonetic Middle Name', 'Phonetic Last Name',
  'Name Prefix', 'Name Suffix', 'Nickname', 'File As', 'Organization Name', 'Organization Title',
  'Organization Department', 'Birthday', 'Notes', 'Photo', 'Labels',
  ...pairs('E-mail', GOOGLE_MAX.emails, 'Value'),
  ...pairs('Phone', GOOGLE_MAX.phones, 'Value'),
  'Address 1 - Label', 'Address 1 - Formatted', 'Address 1 - Street', 'Address 1 - City', 'Address 1 - PO Box',
  'Address 1 - Region', 'Address 1 - Postal Code', 'Address 1 - Country', 'Address 1 - Extended Address',
  'Website 1 - Label', 'Website 1 - Value', 'Event 1 - Label', 'Event 1 - Value',
  ...pairs('Custom Field', GOOGLE_MAX.messengers, 'Value'),
];

const PHONE_LABEL: Record<Phone['kind'], string> = { cell: 'Mobile', work: 'Work', home: 'Home', fax: 'Work Fax', other: 'Other' };
const EMAIL_LABEL = { work: 'Work', home: 'Home', other: 'Other' } as const;

/** Fills Label/Value pairs; values beyond the last pair are joined into it with ` ::: `. */
function fillPairs(r: CsvRow, prefix: string, max: number, items: { label: string; value: string; safe: boolean }[]): void {
  for (let i = 0; i < Math.min(items.length, max); i++) {
    const last = i === max - 1 && items.length > max;
    const group = last ? items.slice(i) : [items[i]!];
    const n = i + 1;
    r.put(`${prefix} ${n} - Label`, textCell(group[0]!.label));
    const joined = group.map((g) => g.value).join(SEP);
    r.put(`${prefix} ${n} - Value`, group.every((g) => g.safe) ? safeCell(joined) : textCell(joined));
  }
}

export class GoogleCsvWriter extends CsvWriter {
  constructor(o: WriterOptions) {
    super(o, GOOGLE_HEADER, { company: 'Organization Name', title: 'Organization Title' });
  }

  protected fill(c: Contact, r: CsvRow): void {
    // Our category first, Google's system group second (that is what makes the contact visible).
    const [cat, ...rest] = this.categoriesOf(c).map((v) => noMultiSep(v));
    r.set('Labels', [cat, '* myContacts', ...rest].filter(Boolean).join(SEP));
    fillPairs(r, 'E-mail', GOOGLE_MAX.emails, c.emails.map((e, i) => ({
      label: `${i === 0 ? '* ' : ''}${EMAIL_LABEL[e.kind] ?? 'Other'}`, value: noMultiSep(cleanLine(e.value)), safe: false,
    })).filter((e) => e.value));
    fillPairs(r, 'Phone', GOOGLE_MAX.phones, c.phones.map((p) => ({
      label: PHONE_LABEL[p.kind] ?? 'Other', value: noMultiSep(phoneText(p)), safe: isNormalizedPhone(p),
    })).filter((p) => p.value));
    fillPairs(r, 'Custom Field', GOOGLE_MAX.messengers, c.messengers.map((m) => ({
      label: serviceLabel(m.service), value: noMultiSep(cleanLine(m.handle)), safe: false,
    })).filter((m) => m.value));
  }
}
