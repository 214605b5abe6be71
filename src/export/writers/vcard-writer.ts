/** The properties vCard 3.0 and 4.0 write alike; each version adds its own around them. */
import type { Contact } from '../../contacts/contact.js';
import { BaseWriter } from './base-writer.js';
import { contactLink, displayName, nameParts, phoneNotes } from './display.js';
import { cleanLine, escapeText, foldLine, revStamp } from './vcard-text.js';

export abstract class VCardWriter extends BaseWriter {
  readonly extension = 'vcf';
  readonly mediaType = 'text/vcard; charset=utf-8';

  protected uid(c: Contact): string {
    return escapeText(`${this.o.uidPrefix}-${c.id}`);
  }

  protected abstract urlProperty(link: string): string;

  /** The amoCRM card link, text-only phone fields as NOTE, CATEGORIES, REV and END:VCARD. */
  protected closing(c: Contact): string {
    const notes = phoneNotes(c);
    return this.urlProperty(contactLink(this.o.linkBase, c)) + (notes.length ? foldLine(`NOTE:${escapeText(notes.join('\n'))}`) : '') + foldLine(`CATEGORIES:${this.categoriesOf(c).map(escapeText).join(',')}`) + `REV:${revStamp(c.updatedAt)}\r\nEND:VCARD\r\n`;
  }
}

export function fnProperty(c: Contact): string {
  return foldLine(`FN:${escapeText(displayName(c))}`);
}

/** The iPhone shows N (given middle family), so N spells amoCRM's name too (see nameParts). */
export function nProperty(c: Contact): string {
  const p = nameParts(c);
  return foldLine(`N:${escapeText(p.last)};${escapeText(p.first)};${escapeText(p.middle)};;`);
}

/** The company's name, '' when there is none (or only blanks). */
export function companyName(c: Contact): string {
  return c.company ? cleanLine(c.company.name) : '';
}

export function orgProperty(company: string): string {
  return company ? foldLine(`ORG:${escapeText(company)}`) : '';
}

export function titleProperty(c: Contact): string {
  const title = c.position ? cleanLine(c.position) : '';
  return title ? foldLine(`TITLE:${escapeText(title)}`) : '';
}
