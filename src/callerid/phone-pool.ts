/**
 * Phone normalization on a second thread. On a 2-core machine reading a big vCard file and
 * parsing its phones take about the same time, so running them side by side nearly halves the
 * wall time of `build --input`. The worker is plain JavaScript evaluated from a string (it must
 * also run under tsx and vitest, which cannot load a .ts worker file) and does exactly what
 * src/contacts/phone.ts normalizePhone does, minus the international formatting.
 */
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';

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

export interface Normalized {
  /** '' when the string is not a possible number. */
  e164: string[];
  ext: string[];
  valid: Uint8Array;
}

export class PhonePool {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(r: Normalized): void; reject(e: unknown): void }>();
  private failure: unknown;

  constructor(private readonly region: string) {
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
