import type { Phone, PhoneKind } from '../contact.js';
import { pushUniquePhone, toPhone } from '../phone.js';

/** What a caller needs from a phone-book file; the less it asks for, the less the reader does. */
export interface ReadOptions {
  /** Region for numbers written without a country code (ISO 3166 alpha-2). */
  defaultRegion: string;
  /**
   * `format` (default): E.164, validity and the international form of valid numbers.
   * `e164`: the same minus the international form (about a quarter of the cost of a number).
   * `raw`: phones as written (`valid: false`, no E.164) and not de-duplicated, for a caller that
   * normalizes them itself, e.g. on another thread, and then de-duplicates with pushUniquePhone.
   */
  phones?: 'format' | 'e164' | 'raw';
  /**
   * `all` (default) or `identity`: names, company, position, phones and REV only; e-mails,
   * messengers and tags stay empty and their properties are skipped unparsed.
   */
  fields?: 'all' | 'identity';
  /** Something was skipped but the file is still read (a card nested inside another). */
  onWarning?(key: string, params: Record<string, string | number>): void;
}

export type PhoneMode = NonNullable<ReadOptions['phones']>;

/** Adds a phone read from a file as `mode` asks; `seen` holds the contact's phone keys. */
export function addPhone(phones: Phone[], seen: Set<string>, raw: string, kind: PhoneKind, region: string, mode: PhoneMode): void {
  if (mode === 'raw') phones.push({ raw, kind, valid: false });
  else pushUniquePhone(phones, seen, toPhone(raw, kind, region, { format: mode === 'format' }));
}
