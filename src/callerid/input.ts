/**
 * Where a build's contacts and exclusions come from besides the account: vCard/CSV files, read
 * by the shared reader (src/contacts/readers) asking only for what a dataset uses. Big files
 * have their phones normalized on a second thread while the reader goes on (phone-pool.ts).
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Contact } from '../contacts/contact.js';
import { readContactBatches, readContactsFile } from '../contacts/readers/index.js';
import { normalizedOnWorker } from './phone-pool.js';

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
export function readContacts(path: string, region: string, o: { worker?: boolean } = {}): AsyncIterable<Contact> {
  const worker = o.worker ?? (fileSize(path) >= WORKER_MIN_BYTES && availableParallelism() > 1);
  if (!worker) return readContactsFile(path, { defaultRegion: region, phones: 'e164', fields: 'identity' });
  return normalizedOnWorker(readContactBatches(path, { defaultRegion: region, phones: 'raw', fields: 'identity' }), region);
}

/**
 * Every number in a phone's export, valid or merely possible: a number the phone already knows
 * is one iOS and Android would never show our label for, whatever libphonenumber thinks of it.
 */
export async function readExcludedNumbers(path: string, region: string): Promise<number[]> {
  const out: number[] = [];
  for await (const c of readContacts(path, region)) {
    for (const p of c.phones) if (p.e164) out.push(Number(p.e164.slice(1)));
  }
  return out;
}
