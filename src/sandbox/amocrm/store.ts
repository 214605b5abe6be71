/**
 * The account's contacts: compact typed arrays (times, responsible, deleted flag), three sorted
 * indexes over live contacts (updated_at, created_at, id), an overlay of edits, and the event log.
 * Content is generated on demand from (seed, index), so memory does not grow with page reads.
 */
import type { ApiCompany, ApiContact, ApiCustomField, ApiCustomFieldDef } from '../../amocrm/types.js';
import { EventLog } from './events.js';
import {
  BULK_EDIT_AT, COMPANY_ID_BASE, CONTACT_ID_BASE, DATA_FROM, DATA_TO, companyCount, generateCompany, generateContact,
  isHostile, seededResponsible, type GeneratedContact, type GeneratedPhone,
} from './generate.js';
import { hash32, Rng } from './rng.js';
import { MAX_CONTACTS, SortedIndex, keyIndex, keyTime, packKey } from './sorted-index.js';
import { ACCOUNT_ID, USERS, userIndex, type SandboxUser } from './users.js';
import { TAGS } from './names.js';

export type TimeField = 'updated' | 'created';
export type OrderField = TimeField | 'id';

export interface ContactQuery {
  windows: { field: TimeField; from: number | null; to: number | null }[];
  ids: number[] | null;
  responsible: number[] | null;
  text: string | null;
  onlyDeleted: boolean;
  order: { field: OrderField; desc: boolean };
  /** The user whose view right applies. */
  viewer: SandboxUser;
  offset: number;
  limit: number;
}

interface Overlay {
  first?: string;
  last?: string;
  name?: string;
  phones?: string[];
}

const PHONE_ENUMS: Record<string, number> = { MOB: 700001, WORK: 700002, WORKDD: 700003, FAX: 700004, HOME: 700005, OTHER: 700006 };
const EMAIL_ENUMS: Record<string, number> = { WORK: 700010, PRIV: 700011, OTHER: 700012 };
const IM_ENUMS: Record<string, number> = { SKYPE: 700020, ICQ: 700021, JABBER: 700022, GTALK: 700023, MSN: 700024, OTHER: 700025 };

const enums = (m: Record<string, number>) => Object.entries(m).map(([code, id]) => ({ id, value: code, enum_code: code }));
// One table for both the definitions endpoint and each contact's values, so names and ids cannot drift apart.
const FIELDS = {
  phone: { id: 600001, name: 'Телефон', code: 'PHONE', type: 'multitext', enums: enums(PHONE_ENUMS) },
  email: { id: 600003, name: 'Email', code: 'EMAIL', type: 'multitext', enums: enums(EMAIL_ENUMS) },
  position: { id: 600005, name: 'Должность', code: 'POSITION', type: 'text', enums: null },
  im: { id: 600007, name: 'Мгнов. сообщения', code: 'IM', type: 'multitext', enums: enums(IM_ENUMS) },
} satisfies Record<string, ApiCustomFieldDef>;

/**
 * An account's own fields, beside the predefined ones: real accounts collect dozens over the years,
 * so their definitions take more than one page of 50.
 */
const USER_FIELD_NAMES = [
  'Источник', 'Город', 'День рождения', 'Сайт', 'Адрес', 'ИНН', 'Отрасль', 'Размер компании', 'Канал связи', 'Согласие на рассылку',
  'Telegram', 'WhatsApp', 'Комментарий менеджера', 'Дата первой покупки', 'Сумма покупок', 'Скидка', 'Менеджер до 2024', 'utm_source',
  'utm_medium', 'utm_campaign', 'roistat', 'Пол', 'Язык', 'Часовой пояс', 'Тип клиента', 'Статус договора', 'Номер договора',
  'Дата договора', 'Партнёр', 'Рекомендовал', 'Интересы', 'Продукт', 'Тариф', 'Дата продления', 'Причина отказа', 'Повторный клиент',
  'Оценка NPS', 'Должность (старое поле)', 'Отдел', 'Филиал', 'Регион', 'Страна', 'Индекс', 'Мессенджер (старое)', 'ВКонтакте',
  'Skype (старое)', 'Доп. телефон (импорт)', 'Email (импорт 2023)', 'Карта лояльности', 'Бонусы', 'Способ оплаты', 'Реквизиты',
  'Ответственный юрист', 'Заметка', 'Черновик', 'Тест',
];
const USER_FIELDS: ApiCustomFieldDef[] = USER_FIELD_NAMES.map((name, k) => ({ id: 610001 + k, name, code: null, type: k % 7 === 3 ? 'date' : k % 5 === 1 ? 'select' : 'text', enums: null }));

export function customFieldDefs(): ApiCustomFieldDef[] {
  return [FIELDS.phone, FIELDS.email, FIELDS.position, FIELDS.im, ...USER_FIELDS];
}

/** Definitions per page at most (one RU doc version; amocrm-api.md §3.4). */
export const CUSTOM_FIELDS_PAGE = 50;

/** The field header a contact's value list carries. */
const fieldOf = (d: ApiCustomFieldDef) => ({ field_id: d.id, field_name: d.name, field_code: d.code, field_type: d.type });

/** "First Last…" as amoCRM splits a full name typed into one box. */
function splitName(name: string): { name: string; first: string; last: string } {
  const [first = '', ...rest] = name.split(' ');
  return { name, first, last: rest.join(' ') };
}

const ROBOT = 255;

const YEAR = 365 * 86_400;

/**
 * An age in [0, span) from a uniform 32-bit hash: exponentially distributed with mean `scale`
 * (truncated at `span`), so most contacts are recent and the oldest years are sparse.
 */
export function recentAge(h: number, span: number, scale: number): number {
  const u = h / 2 ** 32;
  const age = -Math.log1p(-u * -Math.expm1(-span / scale)) * scale;
  return Math.min(span - 1, Math.floor(age));
}

export class ContactStore {
  readonly seed: number;
  readonly baseCount: number;
  readonly companies: number;
  count: number;
  private created: Uint32Array;
  private updated: Uint32Array;
  private responsible: Uint8Array;
  private updatedBy: Uint8Array;
  private deleted: Uint8Array;
  private readonly deletedSet = new Set<number>();
  readonly byUpdated: SortedIndex;
  readonly byCreated: SortedIndex;
  readonly byId: SortedIndex;
  private readonly overlay = new Map<number, Overlay>();
  readonly events = new EventLog();

  constructor(seed: number, contacts: number, bulkEditSize: number) {
    if (!Number.isInteger(contacts) || contacts < 0 || contacts > 1_000_000) throw new RangeError(`contacts must be 0..1000000, got ${contacts}`);
    this.seed = seed;
    this.baseCount = contacts;
    this.count = contacts;
    this.companies = companyCount(contacts);
    const cap = contacts + 64;
    this.created = new Uint32Array(cap);
    this.updated = new Uint32Array(cap);
    this.responsible = new Uint8Array(cap);
    this.updatedBy = new Uint8Array(cap);
    this.deleted = new Uint8Array(cap);
    const bulkSize = Math.min(Math.max(0, bulkEditSize), contacts);
    const bulkStart = Math.floor((contacts - bulkSize) / 2);
    const bulkEnd = bulkStart + bulkSize;
    const span = DATA_TO - DATA_FROM;
    for (let i = 0; i < contacts; i++) {
      this.responsible[i] = seededResponsible(seed, i);
      this.updatedBy[i] = hash32(seed, i, 4) % 4 === 0 ? ROBOT : this.responsible[i]!;
      if (i >= bulkStart && i < bulkEnd) {
        this.created[i] = DATA_FROM + (hash32(seed, i, 1) % (BULK_EDIT_AT - DATA_FROM));
        this.updated[i] = BULK_EDIT_AT;
        continue;
      }
      // Real accounts are mostly recent: a contact's age and the time since its last edit are skewed towards now.
      const c = DATA_TO - 1 - recentAge(hash32(seed, i, 1), span, YEAR);
      this.created[i] = c;
      const h2 = hash32(seed, i, 2);
      // An edit is likelier the later it is (density rising linearly up to the end of the data).
      this.updated[i] = h2 % 10 < 4 ? c : c + Math.floor(Math.sqrt(hash32(seed, i, 7) / 2 ** 32) * (DATA_TO - c + 1));
      if (!isHostile(i)) this.seedFate(i);
    }
    const live = contacts - this.deletedSet.size;
    const u = new Float64Array(cap);
    const cr = new Float64Array(cap);
    const id = new Float64Array(cap);
    let k = 0;
    for (let i = 0; i < contacts; i++) {
      if (this.deleted[i]) continue;
      u[k] = packKey(this.updated[i]!, i);
      cr[k] = packKey(this.created[i]!, i);
      id[k] = i;
      k++;
    }
    this.byUpdated = SortedIndex.fromUnsorted(u, live);
    this.byCreated = SortedIndex.fromUnsorted(cr, live);
    // Its keys are packKey(0, i) = i, so keyIndex decodes all three indexes alike.
    this.byId = new SortedIndex(id, live);
  }

  /**
   * About 1 % of seeded contacts were deleted or merged away before "now" (one event each), and
   * 0.1 % deleted and restored (two events).
   */
  private seedFate(i: number): void {
    const fate = hash32(this.seed, i, 5) % 1000;
    if (fate >= 11) return;
    const c = this.created[i]!;
    const u = this.updated[i]!;
    const by = USERS[this.responsible[i]!]!.id;
    if (fate < 10) {
      const at = u + (hash32(this.seed, i, 6) % (DATA_TO - u + 1));
      this.updated[i] = at;
      this.deleted[i] = 1;
      this.deletedSet.add(i);
      if (fate < 7) this.events.push('contact_deleted', CONTACT_ID_BASE + i, at, by);
      else {
        const into = CONTACT_ID_BASE + ((i + 1) % this.baseCount);
        this.events.push('entity_merged', CONTACT_ID_BASE + i, at, by, [{ merged_into: { id: into, entity_type: 'contacts' } }]);
      }
    } else if (u - c >= 3) {
      const d = u - c;
      this.events.push('contact_deleted', CONTACT_ID_BASE + i, c + Math.floor(d / 3), by);
      this.events.push('contact_restored', CONTACT_ID_BASE + i, c + Math.floor((2 * d) / 3), by);
    }
  }

  /** Mutations stamp "now", which is always after the seeded data. */
  now(): number {
    return Math.max(Math.floor(Date.now() / 1000), DATA_TO + 1);
  }

  indexOf(contactId: number): number | null {
    const i = contactId - CONTACT_ID_BASE;
    return Number.isInteger(i) && i >= 0 && i < this.count ? i : null;
  }

  isLive(i: number): boolean {
    return this.deleted[i] === 0;
  }

  private grow(): void {
    const cap = this.created.length * 2;
    const grown = <T extends Uint32Array | Uint8Array>(a: T, make: new (n: number) => T): T => {
      const n = new make(cap);
      n.set(a);
      return n;
    };
    this.created = grown(this.created, Uint32Array);
    this.updated = grown(this.updated, Uint32Array);
    this.responsible = grown(this.responsible, Uint8Array);
    this.updatedBy = grown(this.updatedBy, Uint8Array);
    this.deleted = grown(this.deleted, Uint8Array);
  }

  edit(i: number, patch: { name?: string; phones?: string[] } = {}, byUserIndex = 0): boolean {
    if (!this.isLive(i)) return false;
    const o: Overlay = { ...this.overlay.get(i), ...(patch.name !== undefined ? splitName(patch.name) : {}) };
    if (patch.phones !== undefined) o.phones = [...patch.phones];
    this.overlay.set(i, o);
    const at = this.now();
    this.byUpdated.remove(packKey(this.updated[i]!, i));
    this.updated[i] = at;
    this.updatedBy[i] = byUserIndex;
    this.byUpdated.insert(packKey(at, i));
    return true;
  }

  remove(i: number, byUserIndex = 0): boolean {
    if (!this.isLive(i)) return false;
    this.byUpdated.remove(packKey(this.updated[i]!, i));
    this.byCreated.remove(packKey(this.created[i]!, i));
    this.byId.remove(i);
    const at = this.now();
    this.updated[i] = at;
    this.updatedBy[i] = byUserIndex;
    this.deleted[i] = 1;
    this.deletedSet.add(i);
    this.events.push('contact_deleted', CONTACT_ID_BASE + i, at, USERS[byUserIndex]!.id);
    return true;
  }

  restore(i: number, byUserIndex = 0): boolean {
    if (this.isLive(i)) return false;
    const at = this.now();
    this.deleted[i] = 0;
    this.deletedSet.delete(i);
    this.updated[i] = at;
    this.updatedBy[i] = byUserIndex;
    this.byUpdated.insert(packKey(at, i));
    this.byCreated.insert(packKey(this.created[i]!, i));
    this.byId.insert(i);
    this.events.push('contact_restored', CONTACT_ID_BASE + i, at, USERS[byUserIndex]!.id);
    return true;
  }

  add(fields: { name: string; phones: string[]; responsibleUserId?: number }): number {
    if (this.count >= MAX_CONTACTS) throw new RangeError('sandbox is full');
    // Checked before anything changes, so a refused add leaves no hole behind.
    const r = fields.responsibleUserId === undefined ? 0 : userIndex(fields.responsibleUserId);
    if (r < 0) throw new RangeError(`unknown sandbox user ${fields.responsibleUserId}`);
    if (this.count === this.created.length) this.grow();
    const i = this.count++;
    const at = this.now();
    this.created[i] = at;
    this.updated[i] = at;
    this.responsible[i] = r;
    this.updatedBy[i] = r;
    this.overlay.set(i, { ...splitName(fields.name), phones: [...fields.phones] });
    this.byUpdated.insert(packKey(at, i));
    this.byCreated.insert(packKey(at, i));
    this.byId.insert(i);
    this.events.push('contact_added', CONTACT_ID_BASE + i, at, USERS[r]!.id);
    return CONTACT_ID_BASE + i;
  }

  /** Random live contacts; churn picks its victims with this. */
  randomLive(rng: Rng): number | null {
    for (let tries = 0; tries < 64 && this.count > 0; tries++) {
      const i = rng.int(this.count);
      if (this.isLive(i)) return i;
    }
    return null;
  }

  private content(i: number): GeneratedContact {
    const empty = () => ({ phones: [], emails: [], ims: [], position: null });
    const base: GeneratedContact =
      i < this.baseCount ? generateContact(this.seed, i, this.companies) : { first: '', last: '', name: '', fields: empty(), tags: [], companyIndex: null };
    const o = this.overlay.get(i);
    if (!o) return base;
    const phones: GeneratedPhone[] | undefined = o.phones?.map((value) => ({ value, code: 'MOB', legacy: false }));
    const fields = base.fields ?? empty();
    return {
      ...base,
      first: o.first ?? base.first,
      last: o.last ?? base.last,
      name: o.name ?? base.name,
      fields: phones ? { ...fields, phones } : base.fields,
    };
  }

  phonesOf(i: number): string[] {
    return this.content(i).fields?.phones.map((p) => p.value) ?? [];
  }

  render(i: number, baseUrl: string): ApiContact {
    const id = CONTACT_ID_BASE + i;
    const self = { href: `${baseUrl}/api/v4/contacts/${id}` };
    const by = this.updatedBy[i]!;
    const updatedBy = by === ROBOT ? 0 : USERS[by]!.id;
    if (!this.isLive(i)) {
      // Deleted records keep only their identity and the deletion stamp (amocrm-api.md §7).
      return {
        id, name: null, first_name: null, last_name: null, responsible_user_id: null, group_id: null, created_by: null,
        updated_by: updatedBy, created_at: null, updated_at: this.updated[i]!, closest_task_at: null, is_deleted: true,
        is_unsorted: null, account_id: ACCOUNT_ID, custom_fields_values: null, _links: { self },
      } as unknown as ApiContact;
    }
    const c = this.content(i);
    const resp = USERS[this.responsible[i]!]!;
    const embedded: NonNullable<ApiContact['_embedded']> = { tags: c.tags.map((t) => TAGS.find((x) => x.id === t)!) };
    if (c.companyIndex !== null) {
      const cid = COMPANY_ID_BASE + c.companyIndex;
      embedded.companies = [{ id: cid, _links: { self: { href: `${baseUrl}/api/v4/companies/${cid}` } } }];
    } else embedded.companies = [];
    return {
      id,
      name: c.name,
      first_name: c.first,
      last_name: c.last,
      responsible_user_id: resp.id,
      group_id: resp.groupId,
      created_by: i % 5 === 0 ? 0 : resp.id,
      updated_by: updatedBy,
      created_at: this.created[i]!,
      updated_at: this.updated[i]!,
      closest_task_at: i % 11 === 0 ? this.updated[i]! + 86400 : null,
      is_deleted: false,
      is_unsorted: false,
      account_id: ACCOUNT_ID,
      custom_fields_values: renderFields(c),
      _links: { self },
      _embedded: embedded,
    };
  }

  renderCompany(k: number, baseUrl: string): ApiCompany & { _links: { self: { href: string } } } {
    const g = generateCompany(this.seed, k);
    const resp = USERS[g.responsible]!;
    const id = COMPANY_ID_BASE + k;
    return {
      id,
      name: g.name,
      responsible_user_id: resp.id,
      group_id: resp.groupId,
      created_at: g.createdAt,
      updated_at: g.updatedAt,
      account_id: ACCOUNT_ID,
      custom_fields_values: g.phone
        ? [{ field_id: 600101, field_name: 'Телефон', field_code: 'PHONE', field_type: 'multitext', values: [{ value: g.phone, enum_id: 700101, enum_code: 'WORK' }] }]
        : null,
      _links: { self: { href: `${baseUrl}/api/v4/companies/${id}` } },
      _embedded: { tags: [] },
    };
  }

  /** Whether `viewer`'s contacts view right shows contact i. */
  private visibility(viewer: SandboxUser): ((i: number) => boolean) | null | 'none' {
    if (viewer.isAdmin || viewer.view === 'A') return null;
    if (viewer.view === 'D') return 'none';
    const me = userIndex(viewer.id);
    if (viewer.view === 'M') return (i) => this.responsible[i] === me;
    const inGroup = new Uint8Array(USERS.length);
    USERS.forEach((u, k) => (inGroup[k] = u.groupId === viewer.groupId ? 1 : 0));
    return (i) => inGroup[this.responsible[i]!] === 1;
  }

  /** A predicate over contact ids for `viewer`, or null when everything is visible. */
  contactFilter(viewer: SandboxUser): ((contactId: number) => boolean) | null {
    const vis = this.visibility(viewer);
    if (vis === null) return null;
    if (vis === 'none') return () => false;
    return (contactId) => {
      const i = this.indexOf(contactId);
      return i !== null && vis(i);
    };
  }

  private timeOf(field: OrderField, i: number): number {
    return field === 'updated' ? this.updated[i]! : field === 'created' ? this.created[i]! : 0;
  }

  private textMatcher(text: string): (i: number) => boolean {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 3 && /^[\d\s()+\-.]+$/.test(text.trim())) {
      const tail = digits.slice(-7);
      return (i) => this.phonesOf(i).some((p) => {
        const d = p.replace(/\D/g, '');
        return tail.length === 7 ? d.slice(-7) === tail : d.includes(tail);
      });
    }
    const needle = text.toLowerCase();
    return (i) => this.content(i).name.toLowerCase().includes(needle);
  }

  /** Contact indexes of one page; the workhorse behind GET /api/v4/contacts. */
  query(q: ContactQuery): number[] {
    const vis = this.visibility(q.viewer);
    if (vis === 'none') return [];
    const respIdx = q.responsible ? new Set(q.responsible.map(userIndex).filter((k) => k >= 0)) : null;
    const windowOk = (i: number, skip: TimeField | null) =>
      q.windows.every((w) => w.field === skip || ((w.from === null || this.timeOf(w.field, i) >= w.from) && (w.to === null || this.timeOf(w.field, i) <= w.to)));
    const text = q.text ? this.textMatcher(q.text) : null;
    const extra = (i: number) => (!vis || vis(i)) && (!respIdx || respIdx.has(this.responsible[i]!)) && (!text || text(i));
    const hasExtra = Boolean(vis || respIdx || text);

    const sortAndSlice = (cands: number[]): number[] => {
      const f = q.order.field;
      const keys = Float64Array.from(cands, (i) => packKey(this.timeOf(f, i), i));
      keys.sort();
      if (q.order.desc) {
        // Ties stay id-ascending in both directions, as the real API pages them.
        keys.reverse();
        if (f !== 'id') reverseTies(keys);
      }
      return Array.from(keys.subarray(q.offset, q.offset + q.limit), keyIndex);
    };

    if (q.onlyDeleted) {
      const cands = [...this.deletedSet].filter((i) => windowOk(i, null) && (!q.ids || q.ids.includes(CONTACT_ID_BASE + i)) && extra(i));
      return sortAndSlice(cands);
    }
    if (q.ids) {
      const cands = [...new Set(q.ids)].map((id) => this.indexOf(id)).filter((i): i is number => i !== null && this.isLive(i) && windowOk(i, null) && extra(i));
      return sortAndSlice(cands);
    }
    const drive = q.windows.find((w) => w.field === q.order.field) ?? (q.windows.length === 0 ? null : undefined);
    if (drive === undefined) {
      // A window on a different field than the order: collect the window, then sort.
      const w = q.windows[0]!;
      const idx = w.field === 'updated' ? this.byUpdated : this.byCreated;
      const [lo, hi] = range(idx, w.from, w.to);
      const cands: number[] = [];
      for (let p = lo; p < hi; p++) {
        const i = keyIndex(idx.at(p));
        if (windowOk(i, w.field) && extra(i)) cands.push(i);
      }
      return sortAndSlice(cands);
    }
    const index = q.order.field === 'updated' ? this.byUpdated : q.order.field === 'created' ? this.byCreated : this.byId;
    const [lo, hi] = drive ? range(index, drive.from, drive.to) : [0, index.length];
    const others = q.windows.some((w) => w !== drive);
    const out: number[] = [];
    if (!hasExtra && !others && !q.order.desc) {
      for (let p = lo + q.offset; p < hi && out.length < q.limit; p++) out.push(keyIndex(index.at(p)));
      return out;
    }
    if (q.order.desc && q.order.field === 'id') {
      const direct = !hasExtra && !others;
      let skipped = direct ? q.offset : 0;
      for (let p = direct ? hi - 1 - q.offset : hi - 1; p >= lo && out.length < q.limit; p--) {
        const i = keyIndex(index.at(p));
        if ((others && !windowOk(i, null)) || !extra(i)) continue;
        if (skipped < q.offset) skipped++;
        else out.push(i);
      }
      return out;
    }
    if (q.order.desc && !hasExtra && !others) {
      // Descending by time with id-ascending ties: each second keeps its slots in the reversed
      // order, only reordered inside, so position j maps straight to an index position.
      let blockStart = -1;
      let blockEnd = -1;
      for (let j = q.offset; j < q.offset + q.limit; j++) {
        const rev = hi - 1 - j;
        if (rev < lo) break;
        if (rev < blockStart || rev > blockEnd) {
          const t = keyTime(index.at(rev));
          blockStart = Math.max(lo, index.lowerBound(packKey(t, 0)));
          blockEnd = Math.min(hi, index.lowerBound(packKey(t + 1, 0))) - 1;
        }
        out.push(keyIndex(index.at(blockStart + (j - (hi - 1 - blockEnd)))));
      }
      return out;
    }
    if (q.order.desc) {
      // The same order with predicates: walk seconds from the top.
      const matched: number[] = [];
      const need = q.offset + q.limit;
      let p = hi - 1;
      while (p >= lo && matched.length < need) {
        const t = keyTime(index.at(p));
        let start = p;
        while (start - 1 >= lo && keyTime(index.at(start - 1)) === t) start--;
        for (let s = start; s <= p; s++) {
          const i = keyIndex(index.at(s));
          if ((!others || windowOk(i, drive?.field ?? null)) && extra(i)) matched.push(i);
        }
        p = start - 1;
      }
      return matched.slice(q.offset, need);
    }
    let skipped = 0;
    for (let p = lo; p < hi && out.length < q.limit; p++) {
      const i = keyIndex(index.at(p));
      if (others && !windowOk(i, drive?.field ?? null)) continue;
      if (!extra(i)) continue;
      if (skipped < q.offset) skipped++;
      else out.push(i);
    }
    return out;
  }

  /** Ids of live contacts whose updated_at/created_at lies in [from, to]; the test oracle. */
  idsInWindow(from: number, to: number, by: TimeField): number[] {
    const idx = by === 'updated' ? this.byUpdated : this.byCreated;
    const [lo, hi] = range(idx, from, to);
    const out = new Float64Array(hi - lo);
    for (let p = lo; p < hi; p++) out[p - lo] = CONTACT_ID_BASE + keyIndex(idx.at(p));
    return Array.from(out.sort());
  }

}

function range(idx: SortedIndex, from: number | null, to: number | null): [number, number] {
  const lo = from === null ? 0 : idx.lowerBound(packKey(Math.max(0, from), 0));
  const hi = to === null ? idx.length : idx.lowerBound(packKey(Math.max(0, to + 1), 0));
  return [lo, Math.max(lo, hi)];
}

/** After reversing an ascending (time, id) list, puts each run of equal times back in id order. */
function reverseTies(keys: Float64Array): void {
  let s = 0;
  while (s < keys.length) {
    const t = keyTime(keys[s]!);
    let e = s + 1;
    while (e < keys.length && keyTime(keys[e]!) === t) e++;
    if (e - s > 1) keys.subarray(s, e).reverse();
    s = e;
  }
}

function renderFields(c: GeneratedContact): ApiCustomField[] | null {
  if (!c.fields) return null;
  const out: ApiCustomField[] = [];
  const f = c.fields;
  if (f.phones.length) {
    out.push({
      ...fieldOf(FIELDS.phone),
      values: f.phones.map((p) =>
        p.code === null ? { value: p.value } : p.legacy ? { value: p.value, enum_id: PHONE_ENUMS[p.code]!, enum: p.code } : { value: p.value, enum_id: PHONE_ENUMS[p.code]!, enum_code: p.code },
      ),
    });
  }
  if (f.emails.length) {
    out.push({ ...fieldOf(FIELDS.email), values: f.emails.map((e) => ({ value: e.value, enum_id: EMAIL_ENUMS[e.code]!, enum_code: e.code })) });
  }
  if (f.position !== null) out.push({ ...fieldOf(FIELDS.position), values: [{ value: f.position }] });
  if (f.ims.length) {
    out.push({ ...fieldOf(FIELDS.im), values: f.ims.map((m) => ({ value: m.value, enum_id: IM_ENUMS[m.code]!, enum_code: m.code })) });
  }
  return out.length ? out : null;
}
