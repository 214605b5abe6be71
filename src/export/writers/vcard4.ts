/** vCard 4.0 (RFC 6350) for servers and archives: URI phones, PREF, KIND; strict-parser clean. */
import type { Contact, Phone } from '../../contacts/contact.js';
import { categories, displayName, hasPersonName, phoneText } from './display.js';
import { messengerUri, serviceLabel } from './messengers.js';
import { DEFAULT_CATEGORY, type ContactWriter, type WriterOptions } from './types.js';
import { paramValue } from './vcard3.js';
import { cleanLine, escapeText, foldLine, revStamp } from './vcard-text.js';

// RFC 6350 §6.4.1 TEL types; there is no "other", plain `voice` is the neutral choice.
const TEL_TYPE: Record<Phone['kind'], string> = { cell: 'cell', work: 'work,voice', home: 'home,voice', fax: 'work,fax', other: 'voice' };
const EMAIL_TYPE = { work: ';TYPE=work', home: ';TYPE=home', other: '' } as const;

export class VCard4Writer implements ContactWriter {
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
    const company = c.company ? cleanLine(c.company.name) : '';
    const kind = company && !hasPersonName(c) ? 'org' : 'individual';
    let s = `BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//amo-phonebook//amoCRM export//EN\r\nKIND:${kind}\r\n`;
    s += foldLine(`UID;VALUE=text:${escapeText(`${this.o.uidPrefix}-${c.id}`)}`);
    s += foldLine(`FN:${escapeText(fn)}`);
    s += foldLine(first || last ? `N:${escapeText(last)};${escapeText(first)};;;` : `N:;${escapeText(cleanLine(c.name))};;;`);
    if (company) s += foldLine(`ORG:${escapeText(company)}`);
    const title = c.position ? cleanLine(c.position) : '';
    if (title) s += foldLine(`TITLE:${escapeText(title)}`);
    let pref = ';PREF=1';
    for (const p of c.phones) {
      const type = TEL_TYPE[p.kind] ?? 'voice';
      if (p.valid && p.e164) {
        const ext = p.ext ? `;ext=${p.ext.replace(/[^\d]/g, '')}` : '';
        s += foldLine(`TEL;VALUE=uri;TYPE=${type}${pref}:tel:${p.e164}${ext}`);
      } else {
        const t = phoneText(p);
        if (!t) continue;
        s += foldLine(`TEL;VALUE=text;TYPE=${type}${pref}:${escapeText(t)}`);
      }
      pref = '';
    }
    pref = ';PREF=1';
    for (const e of c.emails) {
      const v = cleanLine(e.value);
      if (!v) continue;
      s += foldLine(`EMAIL${EMAIL_TYPE[e.kind] ?? ''}${pref}:${escapeText(v)}`);
      pref = '';
    }
    pref = ';PREF=1';
    for (const m of c.messengers) {
      if (!cleanLine(m.handle)) continue;
      s += foldLine(`IMPP${pref};X-SERVICE-TYPE=${paramValue(serviceLabel(m.service))}:${messengerUri(m)}`);
      pref = '';
    }
    s += foldLine(`CATEGORIES:${categories(c, this.category, this.labels).map(escapeText).join(',')}`);
    s += `REV:${revStamp(c.updatedAt)}\r\nEND:VCARD\r\n`;
    return s;
  }
}
