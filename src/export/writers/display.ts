/** What every format shows for a contact: the name that is never empty, phone text, labels. */
import type { Contact, Phone } from '../../contacts/contact.js';
import { cleanLine } from './vcard-text.js';

/** The contact has a name of its own (not one borrowed from its company or a phone). */
export function hasPersonName(c: Contact): boolean {
  return Boolean(cleanLine(c.name) || cleanLine(c.firstName) || cleanLine(c.lastName));
}

/** First/Last Name cells for the CSV formats: a CSV row without a name shows its company or phone. */
export function csvNames(c: Contact): { first: string; last: string } {
  const first = cleanLine(c.firstName);
  const last = cleanLine(c.lastName);
  return first || last ? { first, last } : { first: cleanLine(c.name), last: '' };
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

/** True when phoneText() is our own normalized output (digits, spaces, `+`, ` ext. `). */
export function isNormalizedPhone(p: Phone): boolean {
  return p.valid && p.e164 !== undefined;
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
