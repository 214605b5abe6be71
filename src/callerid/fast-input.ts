/**
 * A faster way through the common files for `build --input`: UTF-8 vCard 3.0/4.0 and CSV are
 * parsed synchronously a chunk at a time, keeping only what a caller-ID dataset needs (names,
 * company, position, phones, REV). Phones go through the shared normalizer, CSV rows through the
 * shared CSV mapping, so results equal the shared reader's for these fields. Anything else — vCard
 * 2.1, quoted-printable, legacy charsets, old-Mac line ends, unknown CSV — is handed to the shared
 * reader (src/contacts/readers), which handles every case but costs several async hops per line.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Contact, Phone } from '../contacts/contact.js';
import { cleanPhoneText, pushUniquePhone } from '../contacts/phone.js';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
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

class CardBuilder {
  fn = '';
  first = '';
  last = '';
  company = '';
  position = '';
  rev = 0;
  phones: Phone[] = [];
  seen = new Set<string>();

  constructor(private readonly region: string) {}

  prop(line: string, path: string, no: number): void {
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
        if (raw) pushUniquePhone(this.phones, this.seen, phoneForCallerId(raw, this.region));
        break;
      }
      case 'REV':
        this.rev = revToUnix(value);
        break;
      default:
    }
  }

  build(id: number): Contact {
    const c: Contact = {
      accountId: 0,
      id,
      name: this.fn || [this.first, this.last].filter(Boolean).join(' '),
      firstName: this.first,
      lastName: this.last,
      phones: this.phones,
      emails: [],
      messengers: [],
      tags: [],
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

function revToUnix(v: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?/.exec(v.trim());
  if (!m) return 0;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

async function* fastVCards(path: string, region: string): AsyncGenerator<Contact> {
  let card: CardBuilder | undefined;
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
    if (line.length <= 16) {
      const upper = line.trim().toUpperCase();
      if (upper === 'BEGIN:VCARD') {
        if (card) fail(path, logicalNo, 'nested');
        card = new CardBuilder(region);
        start = logicalNo;
        return;
      }
      if (upper === 'END:VCARD') {
        if (!card) fail(path, logicalNo, 'endWithoutBegin');
        out.push(card.build(++id));
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
  }
  flush();
  for (const c of out) yield c;
  if (card) fail(path, start, 'noEnd');
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

export async function* readContactsForCallerId(path: string, region: string): AsyncIterable<Contact> {
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
  yield* fastVCards(path, region);
}

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
