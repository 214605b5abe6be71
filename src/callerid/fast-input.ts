/**
 * A faster way through the common files for `build --input`: UTF-8 vCard 3.0/4.0 and CSV are
 * parsed synchronously a chunk at a time, keeping only what a caller-ID dataset needs (names,
 * company, position, phones, REV). vCard phones are normalized as src/contacts/phone.ts does
 * (minus the international formatting nobody reads here), on a worker thread for big files; CSV
 * rows go through the shared CSV mapping. Results equal the shared reader's for these fields (a
 * test checks it). Anything else — vCard 2.1, quoted-printable, legacy charsets, old-Mac line
 * ends, unknown CSV — is handed to the shared reader (src/contacts/readers), which handles every
 * case but costs several async hops per line: too slow for a million contacts.
 */
import { createReadStream, openSync, readSync, closeSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import type { Contact, Phone } from '../contacts/contact.js';
import { cleanPhoneText } from '../contacts/phone.js';
import { PhonePool, type Normalized } from './phone-pool.js';
import { readContactsFile } from '../contacts/readers/index.js';
import { contactFromCsv, csvDialect, splitRecord } from '../contacts/readers/csv.js';
import { splitEscaped, unescapeText } from '../contacts/readers/decode.js';
import { AppError } from '../errors.js';

type Kind = 'vcard' | 'csv' | 'other';

const CHUNK = 1 << 20;
// Byte patterns that need the shared reader's decoding (vCard 2.1 and its encodings).
const SLOW_MARKERS = ['QUOTED-PRINTABLE', 'quoted-printable', 'Quoted-Printable', 'CHARSET=', 'charset=', 'Charset=', 'VERSION:2.1', 'version:2.1'].map((s) => Buffer.from(s, 'latin1'));

/** One pass over the bytes: which kind of file, and whether it needs the shared reader. */
function inspect(path: string): { kind: Kind; slow: boolean } {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK + 64);
    let kind: Kind | undefined;
    let carry = 0;
    let slow = false;
    for (;;) {
      const n = readSync(fd, buf, carry, CHUNK, null);
      if (n === 0) break;
      const view = buf.subarray(0, carry + n);
      if (kind === undefined) {
        let text = view.toString('utf8', 0, Math.min(view.length, 4096)).replace(/^\ufeff/, '');
        text = text.replace(/^\s+/, '');
        const first = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
        kind = /^BEGIN:VCARD\s*$/i.test(first) ? 'vcard' : first.includes(',') ? 'csv' : 'other';
        const cr = view.indexOf(0x0d);
        if (cr >= 0 && cr + 1 < view.length && view[cr + 1] !== 0x0a) slow = true;
        if (kind === 'other') break;
      }
      if (kind === 'vcard' && SLOW_MARKERS.some((m) => view.indexOf(m) >= 0)) slow = true;
      if (slow || kind === 'csv') break;
      // Keep a tail so a marker split across two reads is still found.
      carry = Math.min(32, view.length);
      view.copy(buf, 0, view.length - carry);
    }
    return { kind: kind ?? 'other', slow };
  } finally {
    closeSync(fd);
  }
}

/** Physical lines of a UTF-8 file, delivered in synchronous batches. */
async function* lineBatches(path: string): AsyncGenerator<string[]> {
  const dec = new StringDecoder('utf8');
  let rest = '';
  let first = true;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK }) as AsyncIterable<Buffer>) {
    let text = rest + dec.write(chunk);
    if (first) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    const lines = text.split('\n');
    rest = lines.pop()!;
    yield lines;
  }
  const tail = rest + dec.end();
  if (tail) yield [tail];
}

const stripCr = (s: string) => (s.endsWith('\r') ? s.slice(0, -1) : s);

function fail(path: string, line: number, what: string): never {
  throw new AppError('input', `formats.read.vcard.${what}`, { path, line });
}

const BINARY = /^(?:[\w-]+\.)?(PHOTO|LOGO|SOUND|KEY)[;:]/i;

// Cards from this reader never carry these; one shared empty array saves three per contact.
const NONE: never[] = [];

class CardBuilder {
  fn = '';
  first = '';
  last = '';
  company = '';
  position = '';
  rev = 0;
  phones: Phone[] = [];
  /** Phone strings left for the worker pool to normalize (deferred mode). */
  raws: string[] = [];
  private keys: string[] = [];

  constructor(
    private readonly region: string,
    private readonly deferred = false,
  ) {}

  /** Deferred mode: takes the pool's results for this card's `raws`, starting at `at`. */
  settle(r: Normalized, at: number): void {
    for (let i = 0; i < this.raws.length; i++) {
      const p: Phone = { raw: this.raws[i]!, kind: 'other', valid: r.valid[at + i] === 1 };
      const e164 = r.e164[at + i]!;
      if (e164) {
        p.e164 = e164;
        const ext = r.ext[at + i]!;
        if (ext) p.ext = ext;
      }
      this.addPhone(p);
    }
  }

  prop(line: string, path: string, no: number): void {
    // Most lines of a card are neither names nor phones: decide from the first letter cheaply.
    const c0 = line.charCodeAt(0) | 0x20;
    if (c0 !== 0x66 && c0 !== 0x6e && c0 !== 0x6f && c0 !== 0x74 && c0 !== 0x72 && !line.includes('.')) {
      if (line.indexOf(':') < 0) fail(path, no, 'noColon');
      return;
    }
    let colon = -1;
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line.charCodeAt(i);
      if (ch === 0x22) quoted = !quoted;
      else if (ch === 0x3a && !quoted) {
        colon = i;
        break;
      }
    }
    if (colon < 0) fail(path, no, 'noColon');
    const head = line.slice(0, colon);
    const semi = head.indexOf(';');
    let name = (semi < 0 ? head : head.slice(0, semi)).trim().toUpperCase();
    const dot = name.lastIndexOf('.');
    if (dot >= 0) name = name.slice(dot + 1);
    const value = line.slice(colon + 1);
    switch (name) {
      case 'FN':
        this.fn ||= unescapeText(value).trim();
        break;
      case 'N': {
        const parts = splitEscaped(value, ';');
        this.last ||= unescapeText(parts[0] ?? '').trim();
        this.first ||= unescapeText(parts[1] ?? '').trim();
        break;
      }
      case 'ORG':
        this.company ||= unescapeText(splitEscaped(value, ';')[0] ?? '').trim();
        break;
      case 'TITLE':
        this.position ||= unescapeText(value).trim();
        break;
      case 'TEL': {
        const text = unescapeText(value).trim();
        const raw = /^tel:/i.test(text) || /;VALUE="?URI/i.test(head) ? telUri(text) : text;
        if (!raw) break;
        if (this.deferred) this.raws.push(raw);
        else this.addPhone(phoneForCallerId(raw, this.region));
        break;
      }
      case 'REV':
        this.rev = revToUnix(value);
        break;
      default:
    }
  }

  /** pushUniquePhone's rule (same e164 and ext, or same text) without a Set per card. */
  addPhone(p: Phone): void {
    const key = p.e164 ? `${p.e164};${p.ext ?? ''}` : cleanPhoneText(p.raw);
    if (!key || this.keys.includes(key)) return;
    this.keys.push(key);
    this.phones.push(p);
  }

  build(id: number): Contact {
    const c: Contact = {
      accountId: 0,
      id,
      name: this.fn || [this.first, this.last].filter(Boolean).join(' '),
      firstName: this.first,
      lastName: this.last,
      phones: this.phones,
      emails: NONE,
      messengers: NONE,
      tags: NONE,
      responsibleUserId: 0,
      groupId: 0,
      createdAt: this.rev,
      updatedAt: this.rev,
    };
    if (this.company) c.company = { id: 0, name: this.company };
    if (this.position) c.position = this.position;
    return c;
  }
}

/**
 * normalizePhone without `international`: the same parse, e164, ext and validity, minus the
 * formatting call that a caller-ID build never reads and that costs as much as the parse itself.
 */
export function phoneForCallerId(raw: string, region: string): Phone {
  const p: Phone = { raw, kind: 'other', valid: false };
  const text = cleanPhoneText(raw);
  if (!text) return p;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: region as CountryCode });
  if (!parsed || !parsed.isPossible()) return p;
  p.e164 = parsed.number;
  if (parsed.ext) p.ext = parsed.ext;
  p.valid = parsed.isValid();
  return p;
}

function telUri(v: string): string {
  const m = /^tel:([^;]*)(.*)$/i.exec(v.trim());
  if (!m) return v;
  const ext = /;ext=([^;]+)/i.exec(m[2] ?? '');
  return ext ? `${m[1]} ext. ${ext[1]}` : m[1]!;
}

const REV_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function revToUnix(v: string): number {
  if (v.length === 20 && REV_ISO.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return Math.floor(t / 1000);
  }
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?/.exec(v.trim());
  if (!m) return 0;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

/** Cards per message to the phone worker, and messages in flight before the reader waits. */
const POOL_BATCH = 2000;
const POOL_IN_FLIGHT = 4;

async function* fastVCards(path: string, region: string, pool?: PhonePool): AsyncGenerator<Contact> {
  let card: CardBuilder | undefined;
  const inFlight: { cards: CardBuilder[]; ids: number[]; result: Promise<Normalized> }[] = [];
  let batch: CardBuilder[] = [];
  let batchIds: number[] = [];
  const send = () => {
    if (!pool || batch.length === 0) return;
    const raws: string[] = [];
    for (const b of batch) for (const r of b.raws) raws.push(r);
    const result = pool.normalize(raws);
    // Awaited in order later; if the reader fails first, nobody awaits it and that is fine.
    result.catch(() => {});
    inFlight.push({ cards: batch, ids: batchIds, result });
    batch = [];
    batchIds = [];
  };
  async function* settleOldest(): AsyncGenerator<Contact> {
    const f = inFlight.shift()!;
    const r = await f.result;
    let at = 0;
    for (let i = 0; i < f.cards.length; i++) {
      const b = f.cards[i]!;
      b.settle(r, at);
      at += b.raws.length;
      yield b.build(f.ids[i]!);
    }
  }
  let start = 0;
  let id = 0;
  let no = 0;
  let logical = '';
  let logicalNo = 0;
  let skipping = false;
  const out: Contact[] = [];
  const flush = () => {
    if (!logical) return;
    const line = logical;
    logical = '';
    const b0 = line.charCodeAt(0) | 0x20;
    if (line.length <= 16 && (b0 === 0x62 || b0 === 0x65 || b0 === 0x20 || b0 === 0x29)) {
      const upper = line.trim().toUpperCase();
      if (upper === 'BEGIN:VCARD') {
        if (card) fail(path, logicalNo, 'nested');
        card = new CardBuilder(region, pool !== undefined);
        start = logicalNo;
        return;
      }
      if (upper === 'END:VCARD') {
        if (!card) fail(path, logicalNo, 'endWithoutBegin');
        if (pool) {
          batch.push(card);
          batchIds.push(++id);
          if (batch.length >= POOL_BATCH) send();
        } else out.push(card.build(++id));
        card = undefined;
        return;
      }
    }
    if (!card) fail(path, logicalNo, 'outside');
    card.prop(line, path, logicalNo);
  };
  for await (const lines of lineBatches(path)) {
    for (const physical of lines) {
      no++;
      const line = stripCr(physical);
      const c0 = line.charCodeAt(0);
      if ((c0 === 0x20 || c0 === 0x09) && (logical || skipping)) {
        if (!skipping) logical += line.slice(1);
        continue;
      }
      flush();
      skipping = false;
      if (line.length === 0) continue;
      if (BINARY.test(line)) {
        skipping = true;
        continue;
      }
      logical = line;
      logicalNo = no;
    }
    for (const c of out) yield c;
    out.length = 0;
    while (inFlight.length >= POOL_IN_FLIGHT) yield* settleOldest();
  }
  flush();
  if (card) fail(path, start, 'noEnd');
  send();
  while (inFlight.length > 0) yield* settleOldest();
  for (const c of out) yield c;
}

async function* fastCsv(path: string, region: string): AsyncGenerator<Contact> {
  let header: string[] | undefined;
  let dialect: ReturnType<typeof csvDialect>;
  let rec = '';
  let quotes = 0;
  let id = 0;
  const out: Contact[] = [];
  for await (const lines of lineBatches(path)) {
    for (const physical of lines) {
      const text = stripCr(physical);
      if (!rec) {
        if (!text.trim()) continue;
        rec = text;
      } else rec += `\n${text}`;
      for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes++;
      if (quotes % 2 !== 0) continue;
      const cells = splitRecord(rec);
      rec = '';
      quotes = 0;
      if (!header) {
        header = cells.map((c) => c.trim());
        dialect = csvDialect(header);
        continue;
      }
      out.push(contactFromCsv(dialect!, header, cells, ++id, region));
    }
    for (const c of out) yield c;
    out.length = 0;
  }
  if (rec) throw new AppError('input', 'formats.read.csv.unclosed', { path, line: 0 });
}

export async function* readContactsForCallerId(path: string, region: string, o: { worker?: boolean } = {}): AsyncIterable<Contact> {
  let plan: { kind: Kind; slow: boolean };
  try {
    plan = inspect(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new AppError('input', 'error.fileRead', { path, reason: err.code ?? err.message }, { cause: e });
  }
  if (plan.slow || plan.kind === 'other') {
    yield* readContactsFile(path, { defaultRegion: region });
    return;
  }
  if (plan.kind === 'csv') {
    // The header decides the dialect; an unknown one gets the shared reader's error message.
    const first = await firstRecordHeader(path);
    if (!first) {
      yield* readContactsFile(path, { defaultRegion: region });
      return;
    }
    yield* fastCsv(path, region);
    return;
  }
  // A second thread pays off only when there is a lot to parse; it also needs a second core.
  const pool = (o.worker ?? (statSync(path).size >= WORKER_MIN_BYTES && availableParallelism() > 1)) ? new PhonePool(region) : undefined;
  try {
    yield* fastVCards(path, region, pool);
  } finally {
    await pool?.close();
  }
}

const WORKER_MIN_BYTES = 4 << 20;

async function firstRecordHeader(path: string): Promise<boolean> {
  for await (const lines of lineBatches(path)) {
    for (const l of lines) {
      const t = stripCr(l);
      if (!t.trim()) continue;
      if (t.split('"').length % 2 === 0) return false;
      return csvDialect(splitRecord(t).map((c) => c.trim())) !== undefined;
    }
  }
  return false;
}
