/**
 * Where a build's contacts and exclusions come from besides the account: vCard/CSV files.
 */
import type { Contact } from '../contacts/contact.js';
import { readContactsForCallerId } from './fast-input.js';

/** Contacts for `build --input`: the fast path for plain UTF-8 files, the shared reader for the rest. */
export function readContacts(path: string, region: string): AsyncIterable<Contact> {
  return readContactsForCallerId(path, region);
}

/**
 * Every number in a phone's export, valid or merely possible: a number the phone already knows
 * is one iOS and Android would never show our label for, whatever libphonenumber thinks of it.
 */
export async function readExcludedNumbers(path: string, region: string): Promise<number[]> {
  const out: number[] = [];
  for await (const c of readContactsForCallerId(path, region)) {
    for (const p of c.phones) if (p.e164) out.push(Number(p.e164.slice(1)));
  }
  return out;
}
