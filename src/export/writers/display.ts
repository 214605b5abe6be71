/** What every format shows for a contact: the name that is never empty, phone text, labels. */
import type { Contact, Phone } from '../../contacts/contact.js';
import { cleanLine } from './vcard-text.js';

/** The contact has a name of its own (not one borrowed from its company or a phone). */
export function hasPersonName(c: Contact): boolean {
  return Boolean(cleanLine(c.name) || cleanLine(c.firstName) || cleanLine(c.lastName));
}

/**
 * The structured name every target builds its displayed name from. Google Contacts, Outlook and
 * the iPhone show the parts joined with spaces (given, middle, family; the iPhone in the user's
 * display order), so the parts are amoCRM's first/last name only where they spell `name` exactly
 * (with what lies between them as the middle name: "Иван Петрович Сидоров"). Otherwise (`name`
 * extends, reorders or has nothing to do with them) the whole `name` is the given name and the rest
 * stays empty: the display is then `name` whatever order the user picked. No prefix or suffix is
 * ever written: Android joins a suffix with a comma.
 */
export interface NameParts {
  first: string;
  middle: string;
  last: string;
}

export function nameParts(c: Contact): NameParts {
  const first = cleanLine(c.firstName);
  const last = cleanLine(c.lastName);
  const name = cleanLine(c.name);
  if (!name) return { first, middle: '', last };
  if (first && last && name.startsWith(`${first} `) && name.endsWith(` ${last}`) && name.length >= first.length + last.length + 1) {
    return { first, middle: name.slice(first.length + 1, name.length - last.length - 1).trim(), last };
  }
  if (name === first && !last) return { first, middle: '', last: '' };
  if (name === last && !first) return { first: '', middle: '', last };
  return { first: name, middle: '', last: '' };
}

/** The name parts joined the way Google, Outlook and the iPhone join them. */
export function joinedName(p: NameParts): string {
  return [p.first, p.middle, p.last].filter(Boolean).join(' ');
}

const AMO_DOMAINS = /(?:^|\.)(amocrm\.ru|amocrm\.com|kommo\.com)$/i;

/**
 * `https://<subdomain>.amocrm.ru`, the account's own domain (the API host may be a regional one).
 * A custom base URL (the sandbox, a proxy) has no amoCRM domain: its own host is used.
 */
export function linkBaseOf(subdomain: string, apiHost: string): string {
  const domain = AMO_DOMAINS.exec(apiHost.replace(/:\d+$/, ''))?.[1];
  if (domain && /^[a-z0-9-]+$/i.test(subdomain)) return `https://${subdomain.toLowerCase()}.${domain.toLowerCase()}`;
  const loopback = /^(?:127\.|localhost(?::|$)|\[::1\])/.test(apiHost);
  return `${loopback ? 'http' : 'https'}://${apiHost}`;
}

/** The contact's card in amoCRM: what a salesperson taps on the phone, and the id for a re-import. */
export function contactLink(base: string | undefined, c: Contact): string {
  return base ? `${base.replace(/\/+$/, '')}/contacts/detail/${c.id}` : '';
}

/** A phone field with no digit at all ("уточнить у секретаря") is a note, not a number. */
export function isTextOnlyPhone(p: Phone): boolean {
  return !p.e164 && !/\d/.test(p.raw);
}

/** The numbers written as numbers (text-only fields go to the notes). */
export function dialablePhones(c: Contact): Phone[] {
  return c.phones.filter((p) => !isTextOnlyPhone(p) && phoneText(p));
}

/**
 * `Phone note (work): уточнить у секретаря` lines for NOTE / Notes. Not `Phone (work):`, which our
 * Outlook reader takes back as a number.
 */
export function phoneNotes(c: Contact): string[] {
  return c.phones.filter(isTextOnlyPhone).flatMap((p) => {
    const t = cleanLine(p.raw);
    return t ? [`Phone note (${p.kind}): ${t}`] : [];
  });
}

/** How many phone, e-mail and messenger columns a contact fills (CSV headers are sized by the largest). */
export interface ColumnNeeds {
  phones: number;
  emails: number;
  messengers: number;
}

export function columnNeeds(c: Contact): ColumnNeeds {
  return {
    phones: dialablePhones(c).length,
    emails: c.emails.filter((e) => cleanLine(e.value)).length,
    messengers: c.messengers.filter((m) => cleanLine(m.handle)).length,
  };
}

export function maxNeeds(a: ColumnNeeds, b: ColumnNeeds): ColumnNeeds {
  return { phones: Math.max(a.phones, b.phones), emails: Math.max(a.emails, b.emails), messengers: Math.max(a.messengers, b.messengers) };
}

/** Name as the CRM shows it, else first + last, else the company, else a phone, else an e-mail. */
export function displayName(c: Contact): string {
  const name = cleanLine(c.name);
  if (name) return name;
  const parts = cleanLine(`${c.firstName} ${c.lastName}`);
  if (parts) return parts;
  const company = c.company ? cleanLine(c.company.name) : '';
  if (company) return company;
  for (const p of c.phones) {
    const t = phoneText(p);
    if (t) return t;
  }
  for (const e of c.emails) {
    const t = cleanLine(e.value);
    if (t) return t;
  }
  return `amoCRM #${c.id}`;
}

/**
 * The text written for a phone: the international form with its extension when the number is
 * valid, otherwise the string exactly as typed (only cleaned of control characters), so nothing the
 * user entered is lost or "corrected" into a wrong number.
 */
export function phoneText(p: Phone): string {
  if (p.valid && p.e164) return p.international ?? (p.ext ? `${p.e164} ext. ${p.ext}` : p.e164);
  return cleanLine(p.raw);
}

/** The category first, then extra labels and tags, without duplicates or empty entries. */
export function categories(c: Contact, category: string, labels: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of [category, ...labels, ...c.tags]) {
    const v = cleanLine(raw);
    const key = v.toLowerCase();
    if (!v || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}
