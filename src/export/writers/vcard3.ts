/** vCard 3.0 (RFC 2426) for phones: the default device format (contact-formats.md §0, §4). */
import type { Contact, Phone } from '../../contacts/contact.js';
import { dialablePhones, hasPersonName, phoneText } from './display.js';
import { SERVICES, messengerUri, serviceLabel } from './messengers.js';
import { cleanLine, escapeText, foldLine, paramValue } from './vcard-text.js';
import { VCardWriter, companyName, fnProperty, nProperty, orgProperty, titleProperty } from './vcard-writer.js';

// Android: CELL → MOBILE, FAX+WORK → WORK_FAX (FAX alone would be HOME_FAX), OTHER → OTHER.
// Never `MOBILE`: Android turns unknown tokens into a custom label.
const TEL_TYPE: Record<Phone['kind'], string> = { cell: 'CELL', work: 'WORK', home: 'HOME', fax: 'FAX,WORK', other: 'OTHER' };
const EMAIL_TYPE = { work: 'INTERNET,WORK', home: 'INTERNET,HOME', other: 'INTERNET' } as const;

export class VCard3Writer extends VCardWriter {
  write(c: Contact): string {
    let s = 'BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//amo-phonebook//amoCRM export//EN\r\n';
    s += foldLine(`UID:${this.uid(c)}`);
    s += nProperty(c);
    s += fnProperty(c);
    const company = companyName(c);
    s += orgProperty(company);
    // No person name at all: Apple then lists the card under the company, as amoCRM shows it.
    if (company && !hasPersonName(c)) s += 'X-ABShowAs:COMPANY\r\n';
    s += titleProperty(c);
    for (const p of dialablePhones(c)) {
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
    return s + this.closing(c);
  }

  // Apple shows the X-ABLabel next to the link; Android and Google read the URL itself.
  protected urlProperty(link: string): string {
    return link ? `${foldLine(`item1.URL:${link}`)}item1.X-ABLabel:amoCRM\r\n` : '';
  }
}
