/**
 * Streaming vCard 2.1 / 3.0 / 4.0 reader: one card in memory at a time. Handles folding, 2.1
 * quoted-printable soft breaks and CHARSET, bare 2.1 type params (`TEL;CELL;PREF`), repeated or
 * comma-listed TYPE, Apple item groups with X-ABLabel, `tel:` URIs and RFC escapes (also `\:`).
 */
import { AppError } from '../../errors.js';
import type { Contact, Email, EmailKind, Messenger, Phone, PhoneKind } from '../contact.js';
import { pushUniquePhone, toPhone } from '../phone.js';
import { decodeCharset, decodeQuotedPrintable, splitEscaped, unescapeText } from './decode.js';
import type { Line } from './lines.js';
import { CLASSIC_IM, messengerFromImpp } from './messengers.js';

interface Prop {
  group: string;
  name: string;
  params: Map<string, string[]>;
  /** Bare 2.1 parameters and TYPE values, lower-case. */
  types: string[];
  value: string;
}

// Binary properties: their (often huge) values are never needed, so they are not even collected.
const BINARY = new Set(['PHOTO', 'LOGO', 'SOUND', 'KEY']);
const MAX_LOGICAL_LINE = 1024 * 1024;

function fail(path: string, line: number, what: string): never {
  throw new AppError('input', `formats.read.vcard.${what}`, { path, line });
}

/** Splits `group.NAME;p=v;BARE:value` at the first colon outside a quoted parameter value. */
function parseLine(raw: Buffer, path: string, no: number): { head: string; value: Buffer } {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i];
    if (b === 0x22) quoted = !quoted;
    else if (b === 0x3a && !quoted) return { head: raw.subarray(0, i).toString('latin1'), value: raw.subarray(i + 1) };
  }
  return fail(path, no, 'noColon');
}

function splitParams(head: string): string[] {
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

function toProp(raw: Buffer, path: string, no: number): Prop {
  const { head, value } = parseLine(raw, path, no);
  const [nameWithGroup = '', ...rawParams] = splitParams(head);
  const dot = nameWithGroup.lastIndexOf('.');
  const group = dot >= 0 ? nameWithGroup.slice(0, dot).toLowerCase() : '';
  const name = (dot >= 0 ? nameWithGroup.slice(dot + 1) : nameWithGroup).trim().toUpperCase();
  const params = new Map<string, string[]>();
  const types: string[] = [];
  for (const p of rawParams) {
    const eq = p.indexOf('=');
    if (eq < 0) {
      if (p.trim()) types.push(p.trim().toLowerCase());
      continue;
    }
    const key = p.slice(0, eq).trim().toUpperCase();
    const vals = p
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim().replace(/^"|"$/g, ''))
      .filter(Boolean);
    params.set(key, [...(params.get(key) ?? []), ...vals]);
    if (key === 'TYPE') types.push(...vals.map((v) => v.toLowerCase()));
  }
  if (BINARY.has(name)) return { group, name, params, types, value: '' };
  const encoding = params.get('ENCODING')?.[0]?.toUpperCase();
  const bytes = encoding === 'QUOTED-PRINTABLE' || types.includes('quoted-printable') ? decodeQuotedPrintable(value) : value;
  // Header bytes were read as latin1 (ASCII in practice); the value gets its declared charset.
  return { group, name, params, types, value: decodeCharset(bytes, params.get('CHARSET')?.[0]) };
}

function isQuotedPrintableHead(raw: Buffer): boolean {
  const colon = raw.indexOf(0x3a);
  const head = (colon >= 0 ? raw.subarray(0, colon) : raw).toString('latin1').toUpperCase();
  return head.includes('QUOTED-PRINTABLE');
}

function isBinaryHead(raw: Buffer): boolean {
  const end = raw.findIndex((b) => b === 0x3a || b === 0x3b);
  const name = raw.subarray(0, end < 0 ? raw.length : end).toString('latin1').toUpperCase();
  return BINARY.has(name.slice(name.lastIndexOf('.') + 1));
}

/** Physical lines → logical (unfolded) lines with the number of their first physical line. */
async function* logicalLines(lines: AsyncIterable<Line>, path: string): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let first = 0;
  let qp = false;
  let binary = false;
  const flush = (): Line | undefined => {
    if (!parts.length) return undefined;
    const out = { no: first, bytes: parts.length === 1 ? parts[0]! : Buffer.concat(parts) };
    parts = [];
    size = 0;
    return out;
  };
  for await (const { no, bytes } of lines) {
    const last = parts[parts.length - 1];
    if (last && qp && last.length > 0 && last[last.length - 1] === 0x3d) {
      // Quoted-printable soft break: the next physical line continues the value as is.
      parts[parts.length - 1] = last.subarray(0, last.length - 1);
      parts.push(bytes);
    } else if (parts.length && bytes.length > 0 && (bytes[0] === 0x20 || bytes[0] === 0x09)) {
      if (binary) continue;
      parts.push(bytes.subarray(1));
    } else {
      const done = flush();
      if (done) yield done;
      if (bytes.length === 0) continue;
      parts = [bytes];
      first = no;
      qp = isQuotedPrintableHead(bytes);
      binary = isBinaryHead(bytes);
    }
    size += bytes.length;
    if (size > MAX_LOGICAL_LINE) fail(path, first, 'tooLong');
  }
  const done = flush();
  if (done) yield done;
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

function revToUnix(v: string): number {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:T(\d{2}):?(\d{2}):?(\d{2}))?/.exec(v.trim());
  if (!m) return 0;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0));
  return Number.isFinite(t) ? Math.floor(t / 1000) : 0;
}

function buildContact(props: Prop[], id: number, defaultRegion: string): Contact {
  const labels = new Map<string, string>();
  for (const p of props) if (p.name === 'X-ABLABEL' && p.group) labels.set(p.group, unescapeText(p.value));
  const label = (p: Prop): string => (p.group ? (labels.get(p.group) ?? '') : '');
  let fn = '';
  let first = '';
  let last = '';
  let company = '';
  let position = '';
  let rev = 0;
  const phones: Phone[] = [];
  const seenPhones = new Set<string>();
  const emails: Email[] = [];
  const seenEmails = new Set<string>();
  const messengers: Messenger[] = [];
  const seenIm = new Set<string>();
  const tags: string[] = [];
  const addIm = (m: Messenger | undefined): void => {
    if (!m || !m.handle.trim()) return;
    const key = `${m.service}\u0000${m.handle.toLowerCase()}`;
    if (seenIm.has(key)) return;
    seenIm.add(key);
    messengers.push(m);
  };
  for (const p of props) {
    switch (p.name) {
      case 'FN':
        fn ||= unescapeText(p.value).trim();
        break;
      case 'N': {
        const parts = splitEscaped(p.value, ';').map((s) => unescapeText(s).trim());
        last ||= parts[0] ?? '';
        first ||= parts[1] ?? '';
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
        if (raw) pushUniquePhone(phones, seenPhones, toPhone(raw, phoneKind(p.types, label(p)), defaultRegion));
        break;
      }
      case 'EMAIL': {
        const value = unescapeText(p.value).trim();
        if (value && !seenEmails.has(value.toLowerCase())) {
          seenEmails.add(value.toLowerCase());
          emails.push({ value, kind: emailKind(p.types, label(p)) });
        }
        break;
      }
      case 'IMPP':
        addIm(messengerFromImpp(unescapeText(p.value), p.params.get('X-SERVICE-TYPE')?.[0]));
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
        if (service) addIm({ service, handle: unescapeText(p.value).trim() });
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

export async function* readVCards(lines: AsyncIterable<Line>, path: string, o: { defaultRegion: string }): AsyncGenerator<Contact> {
  let props: Prop[] | undefined;
  let start = 0;
  let id = 0;
  for await (const { no, bytes } of logicalLines(lines, path)) {
    const upper = bytes.length <= 16 ? bytes.toString('latin1').trim().toUpperCase() : '';
    if (upper === 'BEGIN:VCARD') {
      if (props) fail(path, no, 'nested');
      props = [];
      start = no;
    } else if (upper === 'END:VCARD') {
      if (!props) fail(path, no, 'endWithoutBegin');
      yield buildContact(props, ++id, o.defaultRegion);
      props = undefined;
    } else if (!props) {
      fail(path, no, 'outside');
    } else {
      props.push(toProp(bytes, path, no));
    }
  }
  if (props) fail(path, start, 'noEnd');
}
