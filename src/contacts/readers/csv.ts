/**
 * Streaming reader for Google and Outlook CSV exports (ours and theirs): RFC 4180 records that may
 * span lines, a leading BOM, ` ::: ` multi-values, and our own formula guard (`'=…`) undone.
 */
import { AppError } from '../../errors.js';
import type { Contact, Email, EmailKind, Messenger, Phone, PhoneKind } from '../contact.js';
import { utf8 } from './lines.js';
import { canonicalMessenger } from './messengers.js';
import { addPhone, type PhoneMode, type ReadOptions } from './options.js';

type CsvDialect = 'google' | 'outlook';
const MAX_RECORD = 1024 * 1024;

function fail(path: string, line: number, what: string): never {
  throw new AppError('input', `formats.read.csv.${what}`, { path, line });
}

function quoteCount(s: string): number {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n;
}

function splitRecord(rec: string): string[] {
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

function csvDialect(header: string[]): CsvDialect | undefined {
  const h = new Set(header.map((c) => c.trim()));
  if ([...h].some((c) => /^(Phone|E-mail) \d+ - Value$/.test(c))) return 'google';
  if (h.has('Mobile Phone') || h.has('Business Phone') || h.has('E-mail Address')) return 'outlook';
  return undefined;
}

/** What the header says, worked out once per file instead of once per row. */
interface CsvLayout {
  dialect: CsvDialect;
  /** Column name → index of its first occurrence. */
  index: ReadonlyMap<string, number>;
  /** Google's `Phone 1 - Value`-style columns, in header order, with the columns that may label them. */
  values: { col: number; what: string; labels: (number | undefined)[] }[];
}

function csvLayout(header: string[]): CsvLayout | undefined {
  const dialect = csvDialect(header);
  if (!dialect) return undefined;
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const values: CsvLayout['values'] = [];
  if (dialect === 'google') {
    header.forEach((h, col) => {
      const m = /^(Phone|E-mail|Custom Field|IM) (\d+) - Value$/.exec(h);
      if (!m) return;
      const what = m[1]!;
      values.push({ col, what, labels: ['Label', 'Type', 'Service'].map((l) => index.get(`${what} ${m[2]} - ${l}`)) });
    });
  }
  return { dialect, index, values };
}

/** Undo the spreadsheet guard our writer (and many others) put before `= + - @`. */
function unguard(s: string): string {
  return /^'+[=+\-@\t\r]/.test(s) ? s.slice(1) : s;
}

const GOOGLE_PHONE: [RegExp, PhoneKind][] = [[/fax/i, 'fax'], [/mobile|cell|iphone/i, 'cell'], [/work/i, 'work'], [/home/i, 'home']];
const OUTLOOK_PHONES: [string, PhoneKind][] = [
  ['Mobile Phone', 'cell'], ['Business Phone', 'work'], ['Business Phone 2', 'work'], ['Company Main Phone', 'work'],
  ["Assistant's Phone", 'work'], ['Home Phone', 'home'], ['Home Phone 2', 'home'], ['Business Fax', 'fax'],
  ['Home Fax', 'fax'], ['Other Fax', 'fax'], ['Other Phone', 'other'], ['Primary Phone', 'other'], ['Car Phone', 'cell'],
  ['Pager', 'other'], ['Callback', 'other'], ['Radio Phone', 'cell'], ['Telex', 'other'], ['TTY/TDD Phone', 'other'],
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
  constructor(
    private readonly region: string,
    private readonly mode: PhoneMode,
    readonly identityOnly: boolean,
  ) {}
  phone(raw: string, kind: PhoneKind): void {
    const v = raw.trim();
    if (v) addPhone(this.phones, this.seenPhones, v, kind, this.region, this.mode);
  }
  email(raw: string, kind: EmailKind): void {
    if (this.identityOnly) return;
    const v = raw.trim();
    if (!v || this.seenEmails.has(v.toLowerCase())) return;
    this.seenEmails.add(v.toLowerCase());
    this.emails.push({ value: v, kind });
  }
  im(service: string, handle: string): void {
    if (this.identityOnly) return;
    const m = canonicalMessenger({ service, handle });
    if (m.handle && !this.messengers.some((x) => x.service === m.service && x.handle === m.handle)) this.messengers.push(m);
  }
}

const MULTI = / ::: /;

function contactFromCsv(layout: CsvLayout, cells: string[], id: number, region: string, o: Pick<ReadOptions, 'phones' | 'fields'>): Contact {
  const cell = (i: number | undefined): string => (i === undefined ? '' : unguard(cells[i] ?? '').trim());
  const get = (name: string): string => cell(layout.index.get(name));
  const b = new Builder(region, o.phones ?? 'format', o.fields === 'identity');
  let first: string;
  let last: string;
  let name: string;
  let company: string;
  let position: string;
  const tags: string[] = [];
  if (layout.dialect === 'google') {
    first = get('First Name') || get('Given Name');
    last = get('Last Name') || get('Family Name');
    name = get('Name') || [first, get('Middle Name') || get('Additional Name'), last].filter(Boolean).join(' ');
    company = get('Organization Name') || get('Organization 1 - Name');
    position = get('Organization Title') || get('Organization 1 - Title');
    for (const { col, what, labels } of layout.values) {
      let label = '';
      for (const l of labels) if ((label = cell(l))) break;
      for (const v of unguard(cells[col] ?? '').split(MULTI)) {
        const value = unguard(v);
        if (what === 'Phone') b.phone(value, kindOf(label, GOOGLE_PHONE));
        else if (what === 'E-mail') b.email(value, emailKind(label));
        else {
          const service = SERVICE_NAMES[label.replace(/^\*\s*/, '').toLowerCase()];
          if (service || what === 'IM') b.im(service ?? (label.toLowerCase() || 'other'), value);
        }
      }
    }
    for (const t of b.identityOnly ? [] : (get('Labels') || get('Group Membership')).split(MULTI)) {
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
    const notes = get('Notes').split(/\r?\n/);
    for (const line of notes) {
      const phone = /^Phone \((cell|work|home|fax|other)\): (.+)$/.exec(line.trim());
      if (phone) b.phone(phone[2]!, phone[1] as PhoneKind);
      const email = /^E-mail: (.+)$/.exec(line.trim());
      if (email) b.email(email[1]!, 'other');
      const im = /^([A-Za-z]+): (.+)$/.exec(line.trim());
      const service = im ? (im[1] === 'IM' ? 'other' : SERVICE_NAMES[im[1]!.toLowerCase()]) : undefined;
      if (service) b.im(service, im![2]!);
    }
    // Our writer repeats the first messenger of Notes in IMAddress; a foreign file has only IMAddress.
    const im = get('IMAddress');
    if (im && !notes.some((l) => l.endsWith(`: ${im}`))) b.im('other', im);
    if (!b.identityOnly) for (const t of get('Categories').split(';')) if (t.trim()) tags.push(t.trim());
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

/**
 * Synchronous, line-fed reader: a record may span lines (a quoted cell with line breaks); an even
 * number of quotes so far ends it. The first record is the header and decides the dialect.
 */
export class CsvParser {
  private rec = '';
  private start = 0;
  private quotes = 0;
  private layout: CsvLayout | undefined;
  private id = 0;

  constructor(
    private readonly path: string,
    private readonly defaultRegion: string,
    private readonly o: Pick<ReadOptions, 'phones' | 'fields'> = {},
  ) {}

  push(no: number, raw: string): Contact | undefined {
    let text = utf8(raw);
    if (!this.layout && !this.rec && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (!this.rec) {
      if (!text.trim()) return undefined;
      this.start = no;
      this.rec = text;
    } else this.rec += `\n${text}`;
    this.quotes += quoteCount(text);
    if (this.rec.length > MAX_RECORD) fail(this.path, this.start, 'tooLong');
    if (this.quotes % 2 !== 0) return undefined;
    const cells = splitRecord(this.rec);
    this.rec = '';
    this.quotes = 0;
    if (!this.layout) {
      this.layout = csvLayout(cells.map((c) => c.trim()));
      if (!this.layout) throw new AppError('input', 'formats.read.unknown', { path: this.path });
      return undefined;
    }
    if (cells.every((c) => !c.trim())) return undefined;
    return contactFromCsv(this.layout, cells, ++this.id, this.defaultRegion, this.o);
  }

  end(): void {
    if (this.rec) fail(this.path, this.start, 'unclosed');
    if (!this.layout) throw new AppError('input', 'formats.read.empty', { path: this.path });
  }
}
