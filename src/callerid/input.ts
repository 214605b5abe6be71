/**
 * Where a build's contacts and exclusions come from besides the account: vCard/CSV files, read
 * by the shared reader (src/contacts/readers) asking only for what a dataset uses. Big files
 * have their phones normalized on a second thread while the reader goes on (phone-pool.ts).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Contact, Phone } from '../contacts/contact.js';
import { readContactBatches, readContactsFile, type ReadOptions } from '../contacts/readers/index.js';
import { normalizedOnWorker } from './phone-pool.js';

// Countries whose international prefix is 8 10 (Russia and its neighbours on +7 / former trunk).
const IDD_810 = new Set(['RU', 'KZ', 'BY', 'UZ', 'TJ', 'TM']);

/**
 * Numbers of one file that got their country from the assumed region (written without `+` or an
 * international prefix), and how many of those do not fit it: not a valid number there, or one of
 * another country sharing the calling code (Kazakhstan on +7, Canada on +1). `(905) 555-1234`
 * read as RU is a valid Russian mobile, so the count itself is reported, not only the misfits.
 */
export class RegionTally {
  national = 0;
  misfit = 0;
  private readonly countryOf = new Map<string, string | undefined>();

  constructor(readonly path: string, readonly region: string) {}

  observe(p: Phone): void {
    if (!p.e164) return;
    const raw = p.raw.replace(/[^\d+]/g, '');
    if (raw.startsWith('+') || raw.startsWith('00') || (IDD_810.has(this.region) && raw.startsWith('810'))) return;
    this.national++;
    if (!p.valid || this.country(p.e164) !== this.region) this.misfit++;
  }

  /** Misfits are at least a tenth of the numbers read with the region: the file is likely from elsewhere. */
  get doubtful(): boolean {
    return this.misfit > 0 && this.misfit * 10 >= this.national;
  }

  // The country follows from the first digits (area code for +1 and +7): cached by them.
  private country(e164: string): string | undefined {
    const key = e164.slice(0, 5);
    if (!this.countryOf.has(key)) this.countryOf.set(key, parsePhoneNumberFromString(e164)?.country);
    return this.countryOf.get(key);
  }
}

/** What to tell the user about the assumed region, per file: info lines, and a warning naming --region. */
export function regionNotes(tallies: readonly RegionTally[]): { warn: boolean; key: string; params: Record<string, string | number> }[] {
  return tallies.flatMap((t) => {
    if (!t.national) return [];
    const params = { path: t.path, region: t.region, national: t.national, misfit: t.misfit };
    const out = [{ warn: false, key: 'formats.region.assumed', params }];
    if (t.doubtful) out.push({ warn: true, key: 'formats.region.misfit', params });
    return out;
  });
}

async function* tallied(contacts: AsyncIterable<Contact>, tally: RegionTally | undefined): AsyncIterable<Contact> {
  for await (const c of contacts) {
    if (tally) for (const p of c.phones) tally.observe(p);
    yield c;
  }
}

// Below this a worker's start-up (~50 ms) costs more than it saves.
const WORKER_MIN_BYTES = 4 << 20;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // The reader reports a missing or unreadable file with its own message.
    return 0;
  }
}

/**
 * Contacts for `build --input`. `worker` forces the second thread on or off (tests); by default
 * it is used for big files when there is a second core.
 */
export function readContacts(
  path: string,
  region: string,
  o: { worker?: boolean; tally?: RegionTally; onWarning?: ReadOptions['onWarning'] } = {},
): AsyncIterable<Contact> {
  const worker = o.worker ?? (fileSize(path) >= WORKER_MIN_BYTES && availableParallelism() > 1);
  const read = { defaultRegion: region, fields: 'identity', onWarning: o.onWarning } as const;
  if (!worker) return tallied(readContactsFile(path, { ...read, phones: 'e164' }), o.tally);
  return tallied(normalizedOnWorker(readContactBatches(path, { ...read, phones: 'raw' }), region), o.tally);
}

/**
 * Every number in a phone's export, valid or merely possible: a number the phone already knows
 * is one iOS and Android would never show our label for, whatever libphonenumber thinks of it.
 */
export async function readExcludedNumbers(path: string, region: string, o: Parameters<typeof readContacts>[2] = {}): Promise<number[]> {
  const out: number[] = [];
  for await (const c of readContacts(path, region, o)) {
    for (const p of c.phones) if (p.e164) out.push(Number(p.e164.slice(1)));
  }
  return out;
}
