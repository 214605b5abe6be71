/** vCard 4.0 (RFC 6350) for servers and archives: URI phones, PREF, KIND; strict-parser clean. */
import type { Contact, Phone } from '../../contacts/contact.js';
import { dialablePhones, hasPersonName, phoneText } from './display.js';
import { messengerUri, serviceLabel } from './messengers.js';
import { cleanLine, escapeText, foldLine, paramValue } from './vcard-text.js';
import { VCardWriter, companyName, fnProperty, nProperty, orgProperty, titleProperty } from './vcard-writer.js';

// RFC 6350 §6.4.1 TEL types; there is no "other", plain `voice` is the neutral choice.
const TEL_TYPE: Record<Phone['kind'], string> = { cell: 'cell', work: 'work,voice', home: 'home,voice', fax: 'work,fax', other: 'voice' };
const EMAIL_TYPE = { work: ';TYPE=work', home: ';TYPE=home', other: '' } as const;

export class VCard4Writer extends VCardWriter {
  write(c: Contact): string {
    const company = companyName(c);
    const kind = company && !hasPersonName(c) ? 'org' : 'individual';
    let s = `BEGIN:VCARD\r\nVERSION:4.0\r\nPRODID:-//amo-phonebook//amoCRM export//EN\r\nKIND:${kind}\r\n`;
    s += foldLine(`UID;VALUE=text:${this.uid(c)}`);
    s += fnProperty(c);
    s += nProperty(c);
    s += orgProperty(company);
    s += titleProperty(c);
    let pref = ';PREF=1';
    for (const p of dialablePhones(c)) {
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
    return s + this.closing(c);
  }

  protected urlProperty(link: string): string {
    return link ? foldLine(`URL:${link}`) : '';
  }
}
