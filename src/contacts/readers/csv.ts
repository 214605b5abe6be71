/**
 * Streaming reader for Google and Outlook CSV exports (ours and theirs): RFC 4180 records that may
 * span lines, a leading BOM, ` ::: ` multi-values, and our own formula guard (`'=…`) undone.
 */
import { AppError } from '../../errors.js';
import type { Contact, Email, EmailKind, Messenger, Phone, PhoneKind } from '../contact.js';
import { pushUniquePhone, toPhone } from '../phone.js';
import type { Line } from './lines.js';

export type CsvDialect = 'google' | 'outlook';
const MAX_RECORD = 1024 * 1024;

function fail(path: string, line: number, what: string): never {
  throw new AppError('input', `formats.read.csv.${what}`, { path, line });
}

function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

export function splitRecord(rec: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < rec.length; i++) {
    const ch = rec[i]!;
    if (quoted) {
      if (ch === '"') {
        if (rec[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Records as cell arrays; a quoted cell may hold line breaks (an even quote count ends a record). */
export async function* csvRecords(lines: AsyncIterable<Line>, path: string): AsyncGenerator<{ no: number; cells: string[] }> {
  let rec = '';
  let start = 0;
  let quotes = 0;
  for await (const { no, bytes } of lines) {
    let text = bytes.toString('utf8');
    if (no === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!rec) {
      if (!text.trim()) continue;
      start = no;
      rec = text;
    } else rec += `\n${text}`;
    quotes += quoteCount(text);
    if (rec.length > MAX_RECORD) fail(path, start, 'tooLong');
    if (quotes % 2 === 0) {
      yield { no: start, cells: splitRecord(rec) };
      rec = '';
      quotes = 0;
    }
  }
  if (rec) fail(path, start, 'unclosed');
}

export function csvDialect(header: string[]): CsvDialect | undefined {
  const h = new Set(header.map((c) => c.trim()));
  if ([...h].some((c) => /^(Phone|E-mail) \d+ - Value$/.test(c))) return 'google';
  if (h.has('Mobile Phone') || h.has('Business Phone') || h.has('E-mail Address')) return 'outlook';
  return undefined;
}

/** Undo the spreadsheet guard our writer (and many others) put before `= + - @`. */
function unguard(s: string): string {
  return /^'[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

const GOOGLE_PHONE: [RegExp, PhoneKind][] = [[/fax/i, 'fax'], [/mobile|cell|iphone/i, 'cell'], [/work/i, 'work'], [/home/i, 'home']];
const OUTLOOK_PHONES: [string, PhoneKind][] = [
  ['Mobile Phone', 'cell'], ['Business Phone', 'work'], ['Business Phone 2', 'work'], ['Company Main Phone', 'work'],
  ["Assistant's Phone", 'work'], ['Home Phone', 'home'], ['Home Phone 2', 'home'], ['Business Fax', 'fax'],
  ['Home Fax', 'fax'], ['Other Fax', 'fax'], ['Other Phone', 'other'], ['Primary Phone', 'other'], ['Car Phone', 'other'],
  ['Pager', 'other'], ['Callback', 'other'], ['Radio Phone', 'other'], ['Telex', 'other'], ['TTY/TDD Phone', 'other'],
];
const SERVICE_NAMES: Record<string, string> = { skype: 'skype', jabber: 'jabber', icq: 'icq', telegram: 'telegram', whatsapp: 'whatsapp', viber: 'viber', vk: 'vk' };

function kindOf(label: string, table: [RegExp, PhoneKind][]): PhoneKind {
  return table.find(([re]) => re.test(label))?.[1] ?? 'other';
}

function emailKind(label: string): EmailKind {
  return /work/i.test(label) ? 'work' : /home|personal/i.test(label) ? 'home' : 'other';
}

class Builder {
  readonly phones: Phone[] = [];
  readonly emails: Email[] = [];
  readonly messengers: Messenger[] = [];
  private readonly seenPhones = new Set<string>();
  private readonly seenEmails = new Set<string>();
  constructor(private readonly region: string) {}
  phone(raw: string, kind: PhoneKind): void {
    const v = raw.trim();
    if (v) pushUniquePhone(this.phones, this.seenPhones, toPhone(v, kind, this.region));
  }
  email(raw: string, kind: EmailKind): void {
    const v = raw.trim();
    if (!v || this.seenEmails.has(v.toLowerCase())) return;
    this.seenEmails.add(v.toLowerCase());
    this.emails.push({ value: v, kind });
  }
  im(service: string, handle: string): void {
    const h = handle.trim();
    if (h && !this.messengers.some((m) => m.service === service && m.handle === h)) this.messengers.push({ service, handle: h });
  }
}

const MULTI = / ::: /;

export function contactFromCsv(dialect: CsvDialect, header: string[], cells: string[], id: number, region: string): Contact {
  const get = (name: string): string => {
    const i = header.indexOf(name);
    return i >= 0 ? unguard(cells[i] ?? '').trim() : '';
  };
  const b = new Builder(region);
  let first: string;
  let last: string;
  let name: string;
  let company: string;
  let position: string;
  const tags: string[] = [];
  if (dialect === 'google') {
    first = get('First Name') || get('Given Name');
    last = get('Last Name') || get('Family Name');
    name = get('Name') || [first, get('Middle Name') || get('Additional Name'), last].filter(Boolean).join(' ');
    company = get('Organization Name') || get('Organization 1 - Name');
    position = get('Organization Title') || get('Organization 1 - Title');
    header.forEach((h, i) => {
      const m = /^(Phone|E-mail|Custom Field|IM) (\d+) - (Value)$/.exec(h);
      if (!m) return;
      const what = m[1]!;
      const label = get(`${what} ${m[2]} - Label`) || get(`${what} ${m[2]} - Type`) || get(`${what} ${m[2]} - Service`);
      for (const v of unguard(cells[i] ?? '').split(MULTI)) {
        const value = unguard(v);
        if (what === 'Phone') b.phone(value, kindOf(label, GOOGLE_PHONE));
        else if (what === 'E-mail') b.email(value, emailKind(label));
        else {
          const service = SERVICE_NAMES[label.replace(/^\*\s*/, '').toLowerCase()];
          if (service || what === 'IM') b.im(service ?? (label.toLowerCase() || 'other'), value);
        }
      }
    });
    for (const t of (get('Labels') || get('Group Membership')).split(MULTI)) {
      const tag = t.trim();
      // Google's system groups are not the user's tags.
      if (tag && !tag.startsWith('* ')) tags.push(tag);
    }
  } else {
    first = get('First Name');
    last = get('Last Name');
    name = [first, get('Middle Name'), last].filter(Boolean).join(' ');
    company = get('Company');
    position = get('Job Title');
    for (const [col, kind] of OUTLOOK_PHONES) b.phone(get(col), kind);
    for (const col of ['E-mail Address', 'E-mail 2 Address', 'E-mail 3 Address']) b.email(get(col), 'other');
    // Our Outlook writer puts phones and e-mails that had no column into Notes as `kind: value`.
    for (const line of get('Notes').split(/\r?\n/)) {
      const m = /^(cell|work|home|fax|other|e-mail): (.+)$/.exec(line.trim());
      if (m) m[1] === 'e-mail' ? b.email(m[2]!, 'other') : b.phone(m[2]!, m[1] as PhoneKind);
      const im = /^([A-Za-z]+): (.+)$/.exec(line.trim());
      const service = im ? SERVICE_NAMES[im[1]!.toLowerCase()] : undefined;
      if (service) b.im(service, im![2]!);
    }
    const im = get('IMAddress');
    if (im && !b.messengers.some((m) => m.handle === im)) b.im('other', im);
    for (const t of get('Categories').split(';')) if (t.trim()) tags.push(t.trim());
  }
  const c: Contact = {
    accountId: 0,
    id,
    name,
    firstName: first,
    lastName: last,
    phones: b.phones,
    emails: b.emails,
    messengers: b.messengers,
    tags,
    responsibleUserId: 0,
    groupId: 0,
    createdAt: 0,
    updatedAt: 0,
  };
  if (company) c.company = { id: 0, name: company };
  if (position) c.position = position;
  return c;
}

export async function* readCsv(lines: AsyncIterable<Line>, path: string, o: { defaultRegion: string }): AsyncGenerator<Contact> {
  let header: string[] | undefined;
  let dialect: CsvDialect | undefined;
  let id = 0;
  for await (const { cells } of csvRecords(lines, path)) {
    if (!header) {
      header = cells.map((c) => c.trim());
      dialect = csvDialect(header);
      if (!dialect) throw new AppError('input', 'formats.read.unknown', { path });
      continue;
    }
    if (cells.every((c) => !c.trim())) continue;
    yield contactFromCsv(dialect!, header, cells, ++id, o.defaultRegion);
  }
  if (!header) throw new AppError('input', 'formats.read.empty', { path });
}
