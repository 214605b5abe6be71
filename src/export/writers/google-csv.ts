/**
 * Google Contacts CSV in the current export layout (contact-formats.md §5.1). Streaming means the
 * header is fixed before the first contact: 3 e-mail, 5 phone and 3 custom-field (messenger) column
 * pairs; more values are joined into the last pair with ` ::: `, which Google splits on import.
 */
import type { Contact, Phone } from '../../contacts/contact.js';
import { cleanLine } from './vcard-text.js';
import { categories, csvNames, isNormalizedPhone, phoneText } from './display.js';
import { serviceLabel } from './messengers.js';
import { noMultiSep, row, safeCell, textCell } from './csv-text.js';
import { DEFAULT_CATEGORY, type ContactWriter, type WriterOptions } from './types.js';

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
const COL = new Map(GOOGLE_HEADER.map((h, i) => [h, i]));

/** Fills Label/Value pairs; values beyond the last pair are joined into it with ` ::: `. */
function fill(cells: string[], prefix: string, max: number, items: { label: string; value: string; safe: boolean }[]): void {
  for (let i = 0; i < Math.min(items.length, max); i++) {
    const last = i === max - 1 && items.length > max;
    const group = last ? items.slice(i) : [items[i]!];
    const n = i + 1;
    cells[COL.get(`${prefix} ${n} - Label`)!] = textCell(group[0]!.label);
    const joined = group.map((g) => g.value).join(SEP);
    cells[COL.get(`${prefix} ${n} - Value`)!] = group.every((g) => g.safe) ? safeCell(joined) : textCell(joined);
  }
}

export class GoogleCsvWriter implements ContactWriter {
  readonly extension = 'csv';
  readonly mediaType = 'text/csv; charset=utf-8';
  readonly warnings = { droppedPhones: 0 };
  private readonly category: string;
  private readonly labels: string[];

  constructor(private readonly o: WriterOptions) {
    this.category = o.category ?? DEFAULT_CATEGORY;
    this.labels = o.labels ?? [];
  }

  header(): string {
    return (this.o.bom ? '\ufeff' : '') + row(GOOGLE_HEADER.map(safeCell));
  }

  footer(): string {
    return '';
  }

  write(c: Contact): string {
    const cells = new Array<string>(GOOGLE_HEADER.length).fill('');
    const set = (col: string, v: string): void => {
      cells[COL.get(col)!] = textCell(v);
    };
    const names = csvNames(c);
    set('First Name', names.first);
    set('Last Name', names.last);
    if (c.company) set('Organization Name', cleanLine(c.company.name));
    if (c.position) set('Organization Title', cleanLine(c.position));
    // Our category first, Google's system group second (that is what makes the contact visible).
    const [cat, ...rest] = categories(c, this.category, this.labels).map((v) => noMultiSep(v));
    set('Labels', [cat, '* myContacts', ...rest].filter(Boolean).join(SEP));
    fill(cells, 'E-mail', GOOGLE_MAX.emails, c.emails.map((e, i) => ({
      label: `${i === 0 ? '* ' : ''}${EMAIL_LABEL[e.kind] ?? 'Other'}`, value: noMultiSep(cleanLine(e.value)), safe: false,
    })).filter((e) => e.value));
    fill(cells, 'Phone', GOOGLE_MAX.phones, c.phones.map((p) => ({
      label: PHONE_LABEL[p.kind] ?? 'Other', value: noMultiSep(phoneText(p)), safe: isNormalizedPhone(p),
    })).filter((p) => p.value));
    fill(cells, 'Custom Field', GOOGLE_MAX.messengers, c.messengers.map((m) => ({
      label: serviceLabel(m.service), value: noMultiSep(cleanLine(m.handle)), safe: false,
    })).filter((m) => m.value));
    return row(cells);
  }
}
