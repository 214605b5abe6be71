/**
 * Phone normalization on a second thread. On a 2-core machine reading a big vCard file and
 * parsing its phones take about the same time, so running them side by side nearly halves the
 * wall time of `build --input`. The worker is plain JavaScript evaluated from a string (it must
 * also run under tsx and vitest, which cannot load a .ts worker file) and does exactly what
 * src/contacts/phone.ts normalizePhone does, minus the international formatting.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { lazy } from '../lazy.js';
import type { Contact, Phone } from '../contacts/contact.js';
import { phoneKey, pushUniquePhone } from '../contacts/phone.js';

const libphone = lazy<typeof import('libphonenumber-js/max')>('libphonenumber-js/max');

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { parsePhoneNumberFromString } = require(workerData.lib);
const CONTROL = /[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]/g;
parentPort.on('message', ({ id, raws, region }) => {
  const n = raws.length;
  const e164 = new Array(n).fill('');
  const ext = new Array(n).fill('');
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const text = raws[i].replace(CONTROL, ' ').replace(/\\s+/g, ' ').trim();
    if (!text) continue;
    const p = parsePhoneNumberFromString(text, { defaultCountry: region });
    if (!p || !p.isPossible()) continue;
    e164[i] = p.number;
    if (p.ext) ext[i] = p.ext;
    valid[i] = p.isValid() ? 1 : 0;
  }
  parentPort.postMessage({ id, e164, ext, valid }, [valid.buffer]);
});
`;

interface Normalized {
  /** '' when the string is not a possible number. */
  e164: string[];
  ext: string[];
  valid: Uint8Array;
}

class PhonePool {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(r: Normalized): void; reject(e: unknown): void }>();
  private failure: unknown;

  /** normalizePhone's rule: an unknown region means numbers must carry their country code. */
  private readonly region: string | undefined;

  constructor(region: string) {
    const up = region.trim().toUpperCase();
    this.region = libphone().isSupportedCountry(up) ? up : undefined;
    const lib = createRequire(import.meta.url).resolve('libphonenumber-js/max');
    this.worker = new Worker(WORKER, { eval: true, workerData: { lib } });
    this.worker.on('message', (m: Normalized & { id: number }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      p?.resolve(m);
    });
    const fail = (e: unknown) => {
      this.failure ??= e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(new Error(`phone worker exited with code ${code}`));
    });
  }

  normalize(raws: string[]): Promise<Normalized> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, raws, region: this.region });
    });
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** What the reader does without `phones: 'raw'`: one entry per number, the first one written wins. */
function unique(phones: Phone[]): Phone[] {
  const out: Phone[] = [];
  const seen = new Set<string>();
  for (const p of phones) pushUniquePhone(out, seen, p);
  return out;
}

/** Contacts per message to the worker, and messages in flight before the reader waits. */
const BATCH_CONTACTS = 2000;
const IN_FLIGHT = 4;

/**
 * Contacts read with `phones: 'raw'` (see ReadOptions), with their phones normalized on a worker
 * and de-duplicated as the reader would have done; same contacts, same order. The reader keeps
 * going while the worker parses: up to IN_FLIGHT batches are out at a time. One async step per
 * contact, none per phone: at a million contacts every generator layer shows in the wall time.
 */
export async function* normalizedOnWorker(batches: AsyncIterable<Contact[]>, region: string): AsyncGenerator<Contact> {
  const pool = new PhonePool(region);
  const inFlight: { contacts: Contact[]; result: Promise<Normalized> }[] = [];
  let pending: Contact[] = [];
  const send = () => {
    const raws: string[] = [];
    for (const c of pending) for (const p of c.phones) raws.push(p.raw);
    const result = pool.normalize(raws);
    // Awaited in order below; if the reader fails first, nobody awaits it and that is fine.
    result.catch(() => {});
    inFlight.push({ contacts: pending, result });
    pending = [];
  };
  const settleOldest = async (): Promise<Contact[]> => {
    const f = inFlight.shift()!;
    settle(f.contacts, await f.result);
    return f.contacts;
  };
  try {
    for await (const batch of batches) {
      for (const c of batch) pending.push(c);
      if (pending.length >= BATCH_CONTACTS) send();
      while (inFlight.length >= IN_FLIGHT) for (const c of await settleOldest()) yield c;
    }
    if (pending.length) send();
    while (inFlight.length > 0) for (const c of await settleOldest()) yield c;
  } finally {
    await pool.close();
  }
}

/** Fills in the reader's phone objects in place (a million contacts: no copies) and de-duplicates. */
function settle(contacts: Contact[], r: Normalized): void {
  let at = 0;
  for (const c of contacts) {
    for (const p of c.phones) {
      p.valid = r.valid[at] === 1;
      const e164 = r.e164[at]!;
      if (e164) {
        p.e164 = e164;
        const ext = r.ext[at]!;
        if (ext) p.ext = ext;
      }
      at++;
    }
    if (c.phones.length !== 1 || !phoneKey(c.phones[0]!)) c.phones = unique(c.phones);
  }
}
