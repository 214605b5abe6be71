/**
 * Phone normalization. We use the `max` metadata build: `valid` drives what users see as
 * "invalid numbers" (export report) and what the caller-ID build drops, and with `min` isValid()
 * is little more than a length check (`+7 111 …` would pass). `max` costs ~20 % more per number,
 * which is well inside the budget (contact-formats.md §7).
 */
import type { Phone } from './contact.js';
import type { CountryCode } from 'libphonenumber-js/max';
import { lazy } from '../lazy.js';

const libphone = lazy<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');

export interface NormalizedPhone {
  /** Set when the string is a *possible* number (right length), even if not valid. */
  e164?: string;
  ext?: string;
  /** Length and digit patterns match a real numbering plan. */
  valid: boolean;
  /** `+7 495 000 00 02 ext. 123`; only for valid numbers. */
  international?: string;
}

// C0/C1 controls, DEL, and the Unicode line/paragraph separators: never part of a number.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

const regionCache = new Map<string, CountryCode | undefined>();

function region(code: string): CountryCode | undefined {
  let r = regionCache.get(code);
  if (r === undefined && !regionCache.has(code)) {
    const up = code.trim().toUpperCase();
    r = libphone().isSupportedCountry(up) ? (up as CountryCode) : undefined;
    regionCache.set(code, r);
  }
  return r;
}

export function cleanPhoneText(raw: string): string {
  return raw.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

/** `format: false` skips formatInternational() (≈25 % of the cost) where nobody displays it. */
export function normalizePhone(raw: string, defaultRegion: string, o: { format?: boolean } = {}): NormalizedPhone {
  const text = cleanPhoneText(raw);
  if (!text) return { valid: false };
  const parsed = libphone().parsePhoneNumberFromString(text, { defaultCountry: region(defaultRegion) });
  if (!parsed || !parsed.isPossible()) return { valid: false };
  const out: NormalizedPhone = { e164: parsed.number, valid: parsed.isValid() };
  if (parsed.ext) out.ext = parsed.ext;
  if (out.valid && o.format !== false) out.international = parsed.formatInternational();
  return out;
}

/** A domain Phone from a typed string. */
export function toPhone(raw: string, kind: Phone['kind'], defaultRegion: string, o: { format?: boolean } = {}): Phone {
  const n = normalizePhone(raw, defaultRegion, o);
  const p: Phone = { raw, kind, valid: n.valid };
  if (n.e164) p.e164 = n.e164;
  if (n.ext) p.ext = n.ext;
  if (n.international) p.international = n.international;
  return p;
}

/** Identity of a phone inside one contact: "8 999…" and "+7 999…" are the same number. */
export function phoneKey(p: Phone): string {
  return p.e164 ? `${p.e164};${p.ext ?? ''}` : cleanPhoneText(p.raw);
}

/** Appends unless the contact already has that number (the first kind wins). */
export function pushUniquePhone(phones: Phone[], seen: Set<string>, p: Phone): void {
  const key = phoneKey(p);
  if (!key || seen.has(key)) return;
  seen.add(key);
  phones.push(p);
}
