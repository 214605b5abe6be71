/**
 * Seeded contact content. Contact i is a pure function of (seed, i): nothing is stored per contact
 * except the few numbers the indexes need (see store.ts), so a million contacts cost a few MB.
 */
import { hash32, Rng } from './rng.js';
import {
  COMPANY_FORMS, COMPANY_WORDS, EMAIL_DOMAINS, HOSTILE, LATIN_FIRST, LATIN_LAST, NAME_ONLY, POSITIONS, RU_FEMALE_FIRST,
  RU_LAST, RU_MALE_FIRST, TAGS,
} from './names.js';
import { RESPONSIBLE_SLOTS } from './users.js';

/** Data lives in a fixed past, so tests do not depend on today's date. */
export const DATA_FROM = Date.UTC(2023, 0, 1) / 1000;
export const DATA_TO = Date.UTC(2026, 10, 1) / 1000;
/** The second of the seeded bulk edit (an import that touched many contacts at once). */
export const BULK_EDIT_AT = Date.UTC(2025, 2, 14, 12, 0, 0) / 1000;

export const CONTACT_ID_BASE = 40000001;
export const COMPANY_ID_BASE = 50000001;

export type PhoneCode = 'MOB' | 'WORK' | 'WORKDD' | 'HOME' | 'FAX' | 'OTHER';

export interface GeneratedPhone {
  value: string;
  code: PhoneCode | null;
  /** Old records carry the code under `enum` instead of `enum_code`. */
  legacy: boolean;
}

export interface GeneratedContact {
  first: string;
  last: string;
  name: string;
  /** null: `custom_fields_values: null` on the wire. */
  fields: null | {
    phones: GeneratedPhone[];
    emails: { value: string; code: 'WORK' | 'PRIV' | 'OTHER' }[];
    ims: { value: string; code: 'SKYPE' | 'JABBER' | 'ICQ' | 'OTHER' }[];
    position: string | null;
  };
  tags: number[];
  companyIndex: number | null;
}

export function isHostile(i: number): boolean {
  return i % 97 === 13;
}

export function hostileValue(i: number): string {
  return HOSTILE[Math.floor(i / 97) % HOSTILE.length]!;
}

export function companyCount(contacts: number): number {
  return Math.max(1, Math.ceil(contacts / 25));
}

/** The responsible user (index into USERS) of seeded contact i. */
export function seededResponsible(seed: number, i: number): number {
  return RESPONSIBLE_SLOTS[hash32(seed, i, 3) % RESPONSIBLE_SLOTS.length]!;
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

/** Ten national digits of a Russian number: mobile 9xx or a Moscow/St Petersburg line. */
function ruNational(rng: Rng): string {
  if (rng.chance(0.8)) return `9${pad(rng.int(100), 2)}${rng.digits(7)}`;
  return `${rng.pick(['495', '499', '812', '343'])}${rng.digits(7)}`;
}

/** Numbers that several contacts share (a switchboard, a shared mobile). */
function sharedNumber(seed: number, k: number): string {
  return ruNational(new Rng(seed, k, 0x5ea7));
}

function formatRu(nat: string, style: number): string {
  const a = nat.slice(0, 3);
  const b = nat.slice(3, 6);
  const c = nat.slice(6, 8);
  const d = nat.slice(8, 10);
  switch (style) {
    case 0: return `8 (${a}) ${b}-${c}-${d}`;
    case 1: return `+7 ${a} ${b}-${c}-${d}`;
    case 2: return `8${nat}`;
    case 3: return nat;
    case 4: return `+7(${a})${b}${c}${d}`;
    default: return `+7${nat}`;
  }
}

function foreignNumber(rng: Rng): string {
  switch (rng.int(4)) {
    case 0: return `+49 30 ${rng.digits(7)}`;
    case 1: return `+1 212-555-01${rng.digits(2)}`;
    case 2: return `+380 44 ${rng.digits(3)} ${rng.digits(4)}`;
    default: return `+7 701 ${rng.digits(3)} ${rng.digits(4)}`;
  }
}

const PHONE_CODES: readonly (readonly [PhoneCode, number])[] = [['MOB', 45], ['WORK', 20], ['WORKDD', 10], ['HOME', 10], ['FAX', 5], ['OTHER', 10]];

function phoneValue(seed: number, rng: Rng): string {
  const kind = rng.weighted([['ru', 78], ['shared', 3], ['ext', 5], ['foreign', 7], ['local', 4], ['garbage', 3]] as const);
  switch (kind) {
    case 'ru': return formatRu(ruNational(rng), rng.int(6));
    case 'shared': return formatRu(sharedNumber(seed, rng.int(40)), rng.int(6));
    case 'ext': return `+7 ${rng.pick(['495', '812'])} ${rng.digits(3)}-${rng.digits(2)}-${rng.digits(2)} доб. ${100 + rng.int(900)}`;
    case 'foreign': return foreignNumber(rng);
    case 'local': return `${1 + rng.int(9)}${rng.digits(2)}-${rng.digits(2)}-${rng.digits(2)}`;
    default: return rng.pick(['нет', '—', '000', 'call me']);
  }
}

function phones(seed: number, rng: Rng, mustHave: boolean): GeneratedPhone[] {
  const count = rng.weighted([[1, 60], [2, 25], [3, 10], [4, 5]] as const);
  const out: GeneratedPhone[] = [];
  for (let k = 0; k < count; k++) {
    const roll = rng.next();
    const code = roll < 0.02 ? null : rng.weighted(PHONE_CODES);
    const legacy = code !== null && roll > 0.97;
    let value: string;
    if (k === 0 && mustHave) value = formatRu(ruNational(rng), 1);
    else if (k > 0 && rng.chance(0.08)) {
      // The same number typed twice in different ways.
      const first = out[0]!.value.replace(/\D/g, '');
      value = first.length === 11 ? formatRu(first.slice(1), rng.int(6)) : out[0]!.value;
    } else value = phoneValue(seed, rng);
    out.push({ value, code, legacy });
  }
  return out;
}

function names(rng: Rng): { first: string; last: string; name: string } {
  const style = rng.weighted([['ru', 62], ['latin', 22], ['only', 10], ['lastFirst', 4], ['empty', 2]] as const);
  if (style === 'only') return { first: '', last: '', name: rng.pick(NAME_ONLY) };
  if (style === 'empty') return { first: '', last: '', name: '' };
  if (style === 'latin') {
    const first = rng.pick(LATIN_FIRST);
    const last = rng.pick(LATIN_LAST);
    return { first, last, name: `${first} ${last}` };
  }
  const female = rng.chance(0.5);
  const first = rng.pick(female ? RU_FEMALE_FIRST : RU_MALE_FIRST);
  const last = rng.pick(RU_LAST)[female ? 1 : 0];
  if (style === 'lastFirst') return { first, last, name: `${last} ${first}` };
  return { first, last, name: `${first} ${last}` };
}

const TRANSLIT: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k', л: 'l', м: 'm', н: 'n',
  о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'sch', ъ: '', ы: 'y', ь: '',
  э: 'e', ю: 'yu', я: 'ya',
};

function emailLocal(first: string, last: string, i: number): string {
  const raw = `${first}.${last}`.toLowerCase();
  let s = '';
  for (const ch of raw) s += TRANSLIT[ch] ?? (/[a-z0-9.]/.test(ch) ? ch : '');
  s = s.replace(/^\.+|\.+$/g, '');
  return s ? `${s}${i % 100}` : `client${i}`;
}

export function generateContact(seed: number, i: number, companies: number): GeneratedContact {
  const rng = new Rng(seed, i, 0xc0ffee);
  const hostile = isHostile(i);
  let { first, last, name } = names(rng);
  if (hostile) {
    const h = hostileValue(i);
    if (h.length >= 2000) {
      first = h;
      last = '';
      name = h;
    } else {
      first = h;
      last = 'Тестов';
      name = `${h} Тестов`;
    }
  }
  const companyIndex = rng.chance(0.2) ? rng.int(companies) : null;
  const tags: number[] = [];
  if (rng.chance(0.3)) tags.push(TAGS[rng.int(TAGS.length)]!.id);
  if (rng.chance(0.05)) tags.push(TAGS[0]!.id === tags[0] ? TAGS[1]!.id : TAGS[0]!.id);
  const fieldsRoll = rng.next();
  if (!hostile && fieldsRoll < 0.03) return { first, last, name, fields: null, tags, companyIndex };
  const hasPhones = hostile || fieldsRoll >= 0.1;
  const ph = hasPhones ? phones(seed, rng, hostile) : [];
  // Emails and IM handles share one local part; build it only when one of them needs it.
  let local: string | undefined;
  const localPart = () => (local ??= emailLocal(first, last, i));
  const emails: { value: string; code: 'WORK' | 'PRIV' | 'OTHER' }[] = [];
  if (rng.chance(0.5)) {
    const n = rng.chance(0.2) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      emails.push({ value: `${localPart()}${k ? '.work' : ''}@${rng.pick(EMAIL_DOMAINS)}`, code: rng.pick(['WORK', 'PRIV', 'OTHER'] as const) });
    }
  }
  const ims: { value: string; code: 'SKYPE' | 'JABBER' | 'ICQ' | 'OTHER' }[] = [];
  if (rng.chance(0.12)) {
    const kind = rng.int(5);
    const handle = localPart().replace(/\./g, '_');
    if (kind === 0) ims.push({ value: `live:${handle}`, code: 'SKYPE' });
    else if (kind === 1) ims.push({ value: `${handle}@jabber.ru`, code: 'JABBER' });
    else if (kind === 2) ims.push({ value: String(100000000 + rng.int(899999999)), code: 'ICQ' });
    else if (kind === 3) ims.push({ value: `@${handle}`, code: 'OTHER' });
    else ims.push({ value: `+7 9${rng.digits(2)} ${rng.digits(3)} ${rng.digits(4)}`, code: 'OTHER' });
  }
  const position = hostile ? hostileValue(i + 97) : rng.chance(0.3) ? rng.pick(POSITIONS) : null;
  return { first, last, name, fields: { phones: ph, emails, ims, position }, tags, companyIndex };
}

export interface GeneratedCompany {
  name: string;
  phone: string | null;
  responsible: number;
  createdAt: number;
  updatedAt: number;
}

export function generateCompany(seed: number, k: number): GeneratedCompany {
  const rng = new Rng(seed, k, 0xc0a1);
  const name = k % 53 === 7 ? 'ООО "Кавычки, запятые; и\nперевод строки"' : rng.pick(COMPANY_FORMS).replace('{w}', `${rng.pick(COMPANY_WORDS)}${k > 11 ? `-${k}` : ''}`);
  const createdAt = DATA_FROM + rng.int(DATA_TO - DATA_FROM);
  return {
    name,
    phone: rng.chance(0.7) ? formatRu(ruNational(rng), rng.int(6)) : null,
    responsible: RESPONSIBLE_SLOTS[rng.int(RESPONSIBLE_SLOTS.length)]!,
    createdAt,
    updatedAt: createdAt + rng.int(DATA_TO - createdAt),
  };
}

