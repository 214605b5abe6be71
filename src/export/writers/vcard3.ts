/** vCard 3.0 (RFC 2426) for phones: the default device format (contact-formats.md §0, §4). */
import type { Contact, Phone } from '../../contacts/contact.js';
import { categories, displayName, hasPersonName, phoneText } from './display.js';
import { SERVICES, messengerUri, serviceLabel } from './messengers.js';
import { DEFAULT_CATEGORY, type ContactWriter, type WriterOptions } from './types.js';
import { cleanLine, escapeText, foldLine, revStamp } from './vcard-text.js';

// Android: CELL → MOBILE, FAX+WORK → WORK_FAX (FAX alone would be HOME_FAX), OTHER → OTHER.
// Never `MOBILE`: Android turns unknown tokens into a custom label.
const TEL_TYPE: Record<Phone['kind'], string> = { cell: 'CELL', work: 'WORK', home: 'HOME', fax: 'FAX,WORK', other: 'OTHER' };
const EMAIL_TYPE = { work: 'INTERNET,WORK', home: 'INTERNET,HOME', other: 'INTERNET' } as const;

export class VCard3Writer implements ContactWriter {
  readonly extension = 'vcf';
  readonly mediaType = 'text/vcard; charset=utf-8';
  readonly warnings = { droppedPhones: 0 };
  private readonly category: string;
  private readonly labels: string[];

  constructor(private readonly o: WriterOptions) {
    this.category = o.category ?? DEFAULT_CATEGORY;
    this.labels = o.labels ?? [];
  }

  header(): string {
    return this.o.bom ? '\ufeff' : '';
  }

  footer(): string {
    return '';
  }

  write(c: Contact): string {
    const fn = displayName(c);
    const first = cleanLine(c.firstName);
    const last = cleanLine(c.lastName);
    let s = 'BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//amo-phonebook//amoCRM export//EN\r\n';
    s += foldLine(`UID:${escapeText(`${this.o.uidPrefix}-${c.id}`)}`);
    // With no first/last name, the whole name goes to the given name so sorting still works.
    s += foldLine(first || last ? `N:${escapeText(last)};${escapeText(first)};;;` : `N:;${escapeText(cleanLine(c.name))};;;`);
    s += foldLine(`FN:${escapeText(fn)}`);
    const company = c.company ? cleanLine(c.company.name) : '';
    if (company) s += foldLine(`ORG:${escapeText(company)}`);
    // No person name at all: Apple then lists the card under the company, as amoCRM shows it.
    if (company && !hasPersonName(c)) s += 'X-ABShowAs:COMPANY\r\n';
    const title = c.position ? cleanLine(c.position) : '';
    if (title) s += foldLine(`TITLE:${escapeText(title)}`);
    for (const p of c.phones) {
      const t = phoneText(p);
      if (t) s += foldLine(`TEL;TYPE=${TEL_TYPE[p.kind] ?? 'OTHER'}:${escapeText(t)}`);
    }
    for (const e of c.emails) {
      const v = cleanLine(e.value);
      if (v) s += foldLine(`EMAIL;TYPE=${EMAIL_TYPE[e.kind] ?? 'INTERNET'}:${escapeText(v)}`);
    }
    for (const m of c.messengers) {
      const h = cleanLine(m.handle);
      if (!h) continue;
      for (const prop of SERVICES[m.service]?.classic ?? []) s += foldLine(`${prop}:${escapeText(h)}`);
      s += foldLine(`IMPP;X-SERVICE-TYPE=${paramValue(serviceLabel(m.service))}:${messengerUri(m)}`);
    }
    s += foldLine(`CATEGORIES:${categories(c, this.category, this.labels).map(escapeText).join(',')}`);
    s += `REV:${revStamp(c.updatedAt)}\r\nEND:VCARD\r\n`;
    return s;
  }
}

/** A parameter value without quoting: only characters that cannot end or split a parameter. */
export function paramValue(s: string): string {
  return s.replace(/[^\p{L}\p{N} _.+-]/gu, '').trim() || 'Other';
}
