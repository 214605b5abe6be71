/**
 * Number helpers on the caller-ID side: raw strings from a phone (adb) to E.164 digits, and the
 * split of E.164 digits into country calling code and national significant number.
 */
import type { CountryCode } from 'libphonenumber-js';
import { lazy } from '../lazy.js';

const libphone = lazy<typeof import('libphonenumber-js')>('libphonenumber-js');

let callingCodes: Set<string> | undefined;

/** Country calling codes are prefix-free, so the first 1–3 digits that form one are it. */
export function splitE164(digits: string): { cc: string; nsn: string } {
  callingCodes ??= new Set(libphone().getCountries().map((c) => libphone().getCountryCallingCode(c)));
  for (let n = 1; n <= 3; n++) {
    const cc = digits.slice(0, n);
    if (callingCodes.has(cc)) return { cc, nsn: digits.slice(n) };
  }
  return { cc: '', nsn: digits };
}

/** E.164 digits as a number, or null when the string is not a possible phone number for `region`. */
export function toDigits(raw: string, region: string): number | null {
  const p = libphone().parsePhoneNumberFromString(raw, { defaultCountry: region as CountryCode });
  if (!p || !p.isPossible()) return null;
  const n = Number(p.number.slice(1));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export function isRegion(region: string): boolean {
  return (libphone().getCountries() as string[]).includes(region.toUpperCase());
}
