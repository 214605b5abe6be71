/**
 * Streaming vCard 2.1 / 3.0 / 4.0 reader: one card in memory at a time. Handles folding, 2.1
 * quoted-printable soft breaks and CHARSET, bare 2.1 type params (`TEL;CELL;PREF`), repeated or
 * comma-listed TYPE, Apple item groups with X-ABLabel, `tel:` URIs and RFC escapes (also `\:`).
 */
import { AppError } from '../../errors.js';
import type { Contact, Email, EmailKind, Messenger, Phone, PhoneKind } from '../contact.js';
import { decodeValue, splitEscaped, unescapeText } from './decode.js';
import { CLASSIC_IM, canonicalMessenger, messengerFromImpp } from './messengers.js';
import { addPhone, type PhoneMode, type ReadOptions } from './options.js';

interface Prop {
  group: string;
  name: string;
  params: ReadonlyMap<string, string[]>;
  /** Bare 2.1 parameters and TYPE values, lower-case. */
  types: string[];
  value: string;
}

const MAX_LOGICAL_LINE = 1024 * 1024;

function fail(path: string, line: number, what: string): never {
  throw new AppError('input', `formats.read.vcard.${what}`, { path, line });
}

/** Splits `group.NAME;p=v;BARE:value` at the first colon outside a quoted parameter value. */
function parseLine(raw: string, path: string, no: number): { head: string; value: string } {
  const colon = raw.indexOf(':');
  const quote = raw.indexOf('"');
  if (colon >= 0 && (quote < 0 || quote > colon)) return { head: raw.slice(0, colon), value: raw.slice(colon + 1) };
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === 0x22) quoted = !quoted;
    else if (c === 0x3a && !quoted) return { head: raw.slice(0, i), value: raw.slice(i + 1) };
  }
  return fail(path, no, 'noColon');
}

function splitParams(head: string): string[] {
  if (!head.includes('"')) return head.split(';');
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of head) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

// Properties the domain Contact is built from; everything else is skipped before decoding.
const IDENTITY = ['FN', 'N', 'ORG', 'TITLE', 'TEL', 'REV', 'X-ABLABEL'];
const USED_ALL = new Set([...IDENTITY, 'EMAIL', 'IMPP', 'CATEGORIES', ...Object.keys(CLASSIC_IM)]);
const USED_IDENTITY = new Set(IDENTITY);

/** The text before the first `;` or `:`: `item1.TEL` in `item1.TEL;TYPE=cell:…`. */
function fullName(raw: string): string {
  let end = 0;
  while (end < raw.length) {
    const c = raw.charCodeAt(end);
    if (c === 0x3b || c === 0x3a) break;
    end++;
  }
  return raw.slice(0, end);
}

/** `item1.TEL` → `TEL`. */
function bareName(full: string): string {
  // Most names are already bare upper-case ASCII: no need for new strings.
  let plain = full.length > 0;
  for (let i = 0; i < full.length && plain; i++) {
    const c = full.charCodeAt(i);
    plain = (c >= 0x41 && c <= 0x5a) || c === 0x2d || (c >= 0x30 && c <= 0x39);
  }
  if (plain) return full;
  const dot = full.lastIndexOf('.');
  return (dot >= 0 ? full.slice(dot + 1) : full).trim().toUpperCase();
}

/** `item1.TEL` → `item1`. */
function groupOf(full: string): string {
  const dot = full.lastIndexOf('.');
  return dot >= 0 ? full.slice(0, dot).toLowerCase() : '';
}

function unquote(v: string): string {
  return v.charCodeAt(0) === 0x22 || v.charCodeAt(v.length - 1) === 0x22 ? v.replace(/^"|"$/g, '') : v;
}

const NO_PARAMS: ReadonlyMap<string, string[]> = new Map();

function toProp(raw: string, name: string, group: string, path: string, no: number): Prop {
  const { head, value } = parseLine(raw, path, no);
  const semi = head.indexOf(';');
  if (semi < 0) return { group, name, params: NO_PARAMS, types: [], value: decodeValue(value, undefined, false) };
  const params = new Map<string, string[]>();
  const types: string[] = [];
  for (const p of splitParams(head.slice(semi + 1))) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      if (p.trim()) types.push(p.trim().toLowerCase());
      continue;
    }
    const key = p.slice(0, eq).trim().toUpperCase();
    let vals = params.get(key);
    if (!vals) params.set(key, (vals = []));
    for (const each of p.slice(eq + 1).split(',')) {
      const v = unquote(each.trim());
      if (!v) continue;
      vals.push(v);
      if (key === 'TYPE') types.push(v.toLowerCase());
    }
  }
  const qp = params.get('ENCODING')?.[0]?.toUpperCase() === 'QUOTED-PRINTABLE' || types.includes('quoted-printable');
  return { group, name, params, types, value: decodeValue(value, params.get('CHARSET')?.[0], qp) };
}

const QP_HEAD = /^[^:]*QUOTED-PRINTABLE/i;

function isQuotedPrintableHead(raw: string): boolean {
  const colon = raw.indexOf(':');
  const eq = raw.indexOf('=');
  if (colon < 0 || eq < 0 || eq > colon) return false;
  return QP_HEAD.test(raw);
}

function phoneKind(types: string[], label: string): PhoneKind {
  const t = new Set(types);
  const l = label.toLowerCase();
  if (t.has('fax') || /fax/.test(l)) return 'fax';
  if (t.has('cell') || t.has('mobile') || t.has('iphone') || /mobile|iphone|cell/.test(l)) return 'cell';
  if (t.has('work') || /work/.test(l)) return 'work';
  if (t.has('home') || /home/.test(l)) return 'home';
  return 'other';
}

function emailKind(types: string[], label: string): EmailKind {
  const l = label.toLowerCase();
  if (types.includes('work') || /work/.test(l)) return 'work';
  if (types.includes('home') || /home/.test(l)) return 'home';
  return 'other';
}

/** `tel:+74950000002;ext=123` → `+74950000002 ext. 123` (what libphonenumber-js reads). */
function telUri(v: string): string {
  const m = /^tel:([^;]*)(.*)$/i.exec(v.trim());
  if (!m) return v;
  const ext = /;ext=([^;]+)/i.exec(m[2] ?? '');
  return ext ? `${m[1]} ext. ${ext[1]}` : m[1]!;
}

const REV_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function revToUnix(v: string): number {
  // The form every current phone and our own writer use, parsed natively.
  if (v.length === 20 && REV_ISO.test(v)) {
    const t = Date.parse(v);
    if (Number.isFinite(t)) return Math.floor(t / 1000);
  }
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?/.exec(v.trim());
  if (!m) return 0;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

function propLabel(p: Prop, labels: Map<string, string> | undefined): string {
  return p.group && labels ? (labels.get(p.group) ?? '') : '';
}

function addIm(messengers: Messenger[], found: Messenger | undefined): void {
  if (!found || !found.handle.trim()) return;
  const m = canonicalMessenger(found);
  const handle = m.handle.toLowerCase();
  if (messengers.some((x) => x.service === m.service && x.handle.toLowerCase() === handle)) return;
  messengers.push(m);
}

function buildContact(props: Prop[], id: number, defaultRegion: string, mode: PhoneMode): Contact {
  let labels: Map<string, string> | undefined;
  for (const p of props) if (p.name === 'X-ABLABEL' && p.group) (labels ??= new Map()).set(p.group, unescapeText(p.value));
  let fn = '';
  let first = '';
  let last = '';
  let company = '';
  let position = '';
  let rev = 0;
  const phones: Phone[] = [];
  const phoneKeys = new Set<string>();
  const emails: Email[] = [];
  const messengers: Messenger[] = [];
  const tags: string[] = [];
  for (const p of props) {
    switch (p.name) {
      case 'FN':
        fn ||= unescapeText(p.value).trim();
        break;
      case 'N': {
        const parts = splitEscaped(p.value, ';');
        last ||= unescapeText(parts[0] ?? '').trim();
        first ||= unescapeText(parts[1] ?? '').trim();
        break;
      }
      case 'ORG':
        company ||= unescapeText(splitEscaped(p.value, ';')[0] ?? '').trim();
        break;
      case 'TITLE':
        position ||= unescapeText(p.value).trim();
        break;
      case 'TEL': {
        const text = unescapeText(p.value).trim();
        const raw = p.params.get('VALUE')?.[0]?.toLowerCase() === 'uri' || /^tel:/i.test(text) ? telUri(text) : text;
        if (!raw) break;
        addPhone(phones, phoneKeys, raw, phoneKind(p.types, propLabel(p, labels)), defaultRegion, mode);
        break;
      }
      case 'EMAIL': {
        const value = unescapeText(p.value).trim();
        const lower = value.toLowerCase();
        if (value && !emails.some((e) => e.value.toLowerCase() === lower)) emails.push({ value, kind: emailKind(p.types, propLabel(p, labels)) });
        break;
      }
      case 'IMPP':
        addIm(messengers, messengerFromImpp(unescapeText(p.value), p.params.get('X-SERVICE-TYPE')?.[0]));
        break;
      case 'CATEGORIES':
        for (const c of splitEscaped(p.value, ',')) {
          const t = unescapeText(c).trim();
          if (t && !tags.includes(t)) tags.push(t);
        }
        break;
      case 'REV':
        rev = revToUnix(p.value);
        break;
      default: {
        const service = CLASSIC_IM[p.name];
        if (service) addIm(messengers, { service, handle: unescapeText(p.value).trim() });
      }
    }
  }
  const c: Contact = {
    accountId: 0,
    id,
    name: fn || [first, last].filter(Boolean).join(' '),
    firstName: first,
    lastName: last,
    phones,
    emails,
    messengers,
    tags,
    responsibleUserId: 0,
    groupId: 0,
    createdAt: rev,
    updatedAt: rev,
  };
  if (company) c.company = { id: 0, name: company };
  if (position) c.position = position;
  return c;
}

/**
 * Synchronous, line-fed parser (one call per physical line, no promise per line): physical lines
 * are unfolded into logical lines, logical lines into cards. A card comes out when its END:VCARD
 * line is complete, i.e. when the next physical line (or the end of the file) arrives.
 */
export class VCardParser {
  private parts: string[] = [];
  private size = 0;
  private first = 0;
  private qp = false;
  /** The current property is one we do not use (PHOTO, NOTE, ADR, …): its value is not kept. */
  private skip = false;
  /** The current property's name (upper case, no group) and its group (lower case). */
  private name = '';
  private group = '';
  private props: Prop[] | undefined;
  private start = 0;
  private id = 0;
  /** Depth of cards nested inside the current one (AOSP's v21_nest.vcf): their lines are skipped. */
  private nested = 0;
  private readonly used: ReadonlySet<string>;
  private readonly mode: PhoneMode;

  constructor(
    private readonly path: string,
    private readonly defaultRegion: string,
    private readonly o: Pick<ReadOptions, 'phones' | 'fields' | 'onWarning'> = {},
  ) {
    this.used = o.fields === 'identity' ? USED_IDENTITY : USED_ALL;
    this.mode = o.phones ?? 'format';
  }

  push(no: number, raw: string): Contact | undefined {
    const parts = this.parts;
    const n = parts.length;
    const c0 = raw.charCodeAt(0);
    if (n && this.qp && parts[n - 1]!.endsWith('=')) {
      // Quoted-printable soft break: the next physical line continues the value as is. For a
      // skipped property only the last line matters (does the soft break go on?).
      if (this.skip) parts[n - 1] = raw;
      else {
        parts[n - 1] = parts[n - 1]!.slice(0, -1);
        parts.push(raw);
      }
    } else if (n && (c0 === 0x20 || c0 === 0x09)) {
      if (this.skip) return undefined;
      parts.push(raw.slice(1));
    } else {
      const done = this.flush();
      if (raw.length > 0) {
        this.parts = [raw];
        this.first = no;
        this.qp = isQuotedPrintableHead(raw);
        const full = fullName(raw);
        const name = bareName(full);
        this.name = name;
        this.group = full.length === name.length ? '' : groupOf(full);
        this.skip = !this.used.has(name) && name !== 'BEGIN' && name !== 'END';
        // Checked now: a skipped property keeps no text to check later.
        if (this.skip && raw.indexOf(':') < 0) fail(this.path, no, this.props ? 'noColon' : 'outside');
        this.size = raw.length;
      }
      return done;
    }
    if (this.skip) return undefined;
    this.size += raw.length;
    if (this.size > MAX_LOGICAL_LINE) fail(this.path, this.first, 'tooLong');
    return undefined;
  }

  /** Call once after the last line: returns the last card, or throws if it was cut short. */
  end(): Contact | undefined {
    const done = this.flush();
    if (this.props) fail(this.path, this.start, 'noEnd');
    return done;
  }

  private flush(): Contact | undefined {
    const parts = this.parts;
    if (!parts.length) return undefined;
    const no = this.first;
    this.parts = [];
    this.size = 0;
    if (this.skip) {
      if (!this.props) fail(this.path, no, 'outside');
      return undefined;
    }
    const raw = parts.length === 1 ? parts[0]! : parts.join('');
    const name = this.name;
    if (name === 'BEGIN' || name === 'END') {
      const upper = raw.length <= 16 ? raw.trim().toUpperCase() : '';
      if (upper === 'BEGIN:VCARD') {
        if (this.props) {
          // One odd card must not cost the whole file: the outer card is kept, the inner skipped.
          if (this.nested++ === 0) this.o.onWarning?.('formats.read.vcard.nested', { path: this.path, line: no });
          return undefined;
        }
        this.props = [];
        this.start = no;
        return undefined;
      }
      if (upper === 'END:VCARD') {
        if (!this.props) fail(this.path, no, 'endWithoutBegin');
        if (this.nested > 0) {
          this.nested--;
          return undefined;
        }
        const props = this.props;
        this.props = undefined;
        return buildContact(props, ++this.id, this.defaultRegion, this.mode);
      }
    }
    if (!this.props) fail(this.path, no, 'outside');
    if (this.nested > 0) return undefined;
    // BEGIN/END of something else (an embedded AGENT card) carry nothing we use.
    if (name === 'BEGIN' || name === 'END') parseLine(raw, this.path, no);
    else this.props.push(toProp(raw, name, this.group, this.path, no));
    return undefined;
  }
}
