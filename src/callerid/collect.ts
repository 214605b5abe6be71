/**
 * Folds a stream of contacts into one record per E.164 number, keeping only what the datasets
 * need. Built for a million contacts under a modest heap: per-contact strings go into one UTF-8
 * arena (no retained slices of the reader's chunks), numbers and winners into typed arrays.
 */
import type { Contact } from '../contacts/contact.js';
import { cleanLabel, cleanText, fallbackLabel, mergedLabel, renderTemplate, type LabelTemplate } from './label.js';

export interface InvalidPhone {
  contactId: number;
  name: string;
  raw: string;
}

/**
 * Strings stored as UTF-8 in fixed-size blocks: no copy when it grows (a doubling buffer would
 * briefly need three times the data), and no reference back to the reader's big chunk strings.
 */
class Arena {
  private static readonly BLOCK = 8 << 20;
  private readonly blocks: Buffer[] = [];
  private block = Buffer.alloc(0);
  private pos = 0;
  /** Per string: block index, start, byte length. */
  private refs = new Uint32Array(3 << 14);
  private count = 0;

  add(s: string): number {
    const need = Buffer.byteLength(s, 'utf8');
    if (this.pos + need > this.block.length) {
      this.block = Buffer.allocUnsafe(Math.max(Arena.BLOCK, need));
      this.blocks.push(this.block);
      this.pos = 0;
    }
    if ((this.count + 1) * 3 > this.refs.length) {
      const next = new Uint32Array(this.refs.length * 2);
      next.set(this.refs);
      this.refs = next;
    }
    const written = need === 0 ? 0 : this.block.write(s, this.pos, 'utf8');
    this.refs[this.count * 3] = this.blocks.length - 1;
    this.refs[this.count * 3 + 1] = this.pos;
    this.refs[this.count * 3 + 2] = written;
    this.pos += written;
    return this.count++;
  }

  get(i: number): string {
    const len = this.refs[i * 3 + 2]!;
    if (len === 0) return '';
    const start = this.refs[i * 3 + 1]!;
    return this.blocks[this.refs[i * 3]!]!.toString('utf8', start, start + len);
  }
}

/** number → slot, open addressing over typed arrays: a JS Map would box every 11-digit key. */
class NumberIndex {
  private keys = new Float64Array(1 << 16);
  private vals = new Int32Array(1 << 16);
  private size = 0;

  private find(k: number): number {
    const mask = this.keys.length - 1;
    // Multiplicative hash of the low and high halves; E.164 digits differ mostly in the low ones.
    let h = (Math.imul(k % 4294967296 | 0, 0x9e3779b1) ^ Math.imul((k / 4294967296) | 0, 0x85ebca6b)) & mask;
    for (;;) {
      const v = this.keys[h]!;
      if (v === k || v === 0) return h;
      h = (h + 1) & mask;
    }
  }

  get(k: number): number | undefined {
    const h = this.find(k);
    return this.keys[h] === k ? this.vals[h] : undefined;
  }

  set(k: number, v: number): void {
    // Load factor up to 3/4: linear probing stays short and 1.3M numbers fit 2M slots (24 MB).
    if ((this.size + 1) * 4 > this.keys.length * 3) this.rehash();
    const h = this.find(k);
    if (this.keys[h] === 0) this.size++;
    this.keys[h] = k;
    this.vals[h] = v;
  }

  private rehash(): void {
    const oldK = this.keys;
    const oldV = this.vals;
    this.keys = new Float64Array(oldK.length * 2);
    this.vals = new Int32Array(oldK.length * 2);
    for (let i = 0; i < oldK.length; i++) {
      const k = oldK[i]!;
      if (k !== 0) {
        const h = this.find(k);
        this.keys[h] = k;
        this.vals[h] = oldV[i]!;
      }
    }
  }
}

function grow<T extends Float64Array | Int32Array | Uint32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(Math.ceil(a.length * 1.5), need));
  next.set(a);
  return next;
}

const NONE = -1;
const MIXED = -2;

export interface CollectOptions {
  template: LabelTemplate;
  region: string;
  fallback?: string;
  /** Keep invalid phones for --invalid-report (counted either way). */
  keepInvalid: boolean;
}

export interface NumberRecord {
  /** E.164 digits without `+`. */
  number: number;
  label: string;
  name: string;
  company: string;
  contactId: number;
  /** Unix seconds: the winner's newest of created/updated. */
  recency: number;
  contacts: number;
  merged: boolean;
}

export class Collector {
  contacts = 0;
  phonesSeen = 0;
  phonesInvalid = 0;
  readonly invalid: InvalidPhone[] = [];
  updatedAtMax = 0;

  private readonly strings = new Arena();
  private cId = new Float64Array(1 << 14);
  private cRecency = new Float64Array(1 << 14);
  private cCompany = new Int32Array(1 << 14);
  private stored = 0;
  private readonly companies = new Map<string, number>();
  private readonly companyNames: string[] = [];

  private readonly slots = new NumberIndex();
  private sNumber = new Float64Array(1 << 14);
  private sBest = new Int32Array(1 << 14);
  private sCount = new Int32Array(1 << 14);
  private sCompany = new Int32Array(1 << 14);
  private nSlots = 0;
  readonly fallbackText: string;
  private readonly seenInContact = new Set<number>();
  private readonly extraFields: ('first' | 'last' | 'position')[];
  private readonly perContact: number;

  constructor(private readonly o: CollectOptions) {
    this.fallbackText = o.fallback ? cleanLabel(o.fallback) || fallbackLabel(o.region) : fallbackLabel(o.region);
    const used = new Set(o.template.parts.flatMap((p) => ('field' in p ? [p.field] : [])));
    this.extraFields = (['first', 'last', 'position'] as const).filter((f) => used.has(f));
    this.perContact = 1 + this.extraFields.length;
  }

  add(c: Contact): void {
    this.contacts++;
    if (c.updatedAt > this.updatedAtMax) this.updatedAtMax = c.updatedAt;
    this.seenInContact.clear();
    let idx = -1;
    for (const p of c.phones) {
      this.phonesSeen++;
      const num = p.valid && p.e164 ? Number(p.e164.slice(1)) : Number.NaN;
      if (!Number.isSafeInteger(num) || num <= 0) {
        this.phonesInvalid++;
        if (this.o.keepInvalid) this.keepInvalid(c, p.raw);
        continue;
      }
      if (this.seenInContact.has(num)) continue;
      this.seenInContact.add(num);
      if (idx < 0) idx = this.store(c);
      this.attach(num, idx);
    }
  }

  private keepInvalid(c: Contact, raw: string): void {
    this.invalid.push({ contactId: c.id, name: ownCopy(cap(c.name)), raw: ownCopy(cap(raw)) });
  }

  private store(c: Contact): number {
    const i = this.stored++;
    this.cId = grow(this.cId, this.stored);
    this.cRecency = grow(this.cRecency, this.stored);
    this.cCompany = grow(this.cCompany, this.stored);
    const company = cleanText(c.company?.name ?? '');
    this.cId[i] = c.id;
    this.cRecency[i] = Math.max(c.updatedAt || 0, c.createdAt || 0);
    this.cCompany[i] = company === '' ? NONE : this.companyKey(company);
    // Only what the template can use; labels are rendered for the selected numbers at the end.
    const at = this.strings.add(cap(c.name || `${c.firstName} ${c.lastName}`));
    for (const f of this.extraFields) this.strings.add(cap(f === 'first' ? c.firstName : f === 'last' ? c.lastName : (c.position ?? '')));
    if (at !== i * this.perContact) throw new Error('callerid arena out of step');
    return i;
  }

  private fieldsOf(c: number): { name: string; first: string; last: string; position: string; company: string } {
    const base = c * this.perContact;
    const f = { name: cleanText(this.strings.get(base)), first: '', last: '', position: '', company: '' };
    this.extraFields.forEach((k, j) => (f[k] = this.strings.get(base + 1 + j)));
    const k = this.cCompany[c]!;
    f.company = k >= 0 ? this.companyNames[k]! : '';
    return f;
  }

  private labelOf(c: number): { label: string; name: string; company: string } {
    const f = this.fieldsOf(c);
    let label = cleanLabel(renderTemplate(this.o.template, f));
    if (label === '') label = cleanLabel(f.company) || this.fallbackText;
    return { label, name: f.name, company: f.company };
  }

  private companyKey(name: string): number {
    let k = this.companies.get(name);
    if (k === undefined) {
      const own = ownCopy(name);
      k = this.companyNames.length;
      this.companyNames.push(own);
      this.companies.set(own, k);
    }
    return k;
  }

  /** Newer wins, then the lower contact id, then the earlier in the input. */
  private better(a: number, b: number): boolean {
    const ra = this.cRecency[a]!;
    const rb = this.cRecency[b]!;
    if (ra !== rb) return ra > rb;
    const ia = this.cId[a]!;
    const ib = this.cId[b]!;
    if (ia !== ib) return ia < ib;
    return a < b;
  }

  private attach(num: number, contact: number): void {
    const s = this.slots.get(num);
    if (s === undefined) {
      const n = this.nSlots++;
      this.sNumber = grow(this.sNumber, this.nSlots);
      this.sBest = grow(this.sBest, this.nSlots);
      this.sCount = grow(this.sCount, this.nSlots);
      this.sCompany = grow(this.sCompany, this.nSlots);
      this.sNumber[n] = num;
      this.sBest[n] = contact;
      this.sCount[n] = 1;
      this.sCompany[n] = this.cCompany[contact]!;
      this.slots.set(num, n);
      return;
    }
    this.sCount[s]!++;
    if (this.better(contact, this.sBest[s]!)) this.sBest[s] = contact;
    const k = this.cCompany[contact]!;
    if (this.sCompany[s] !== k) this.sCompany[s] = MIXED;
  }

  get numbers(): number {
    return this.nSlots;
  }

  get duplicatesMerged(): number {
    let n = 0;
    for (let i = 0; i < this.nSlots; i++) if (this.sCount[i]! > 1) n++;
    return n;
  }

  /**
   * The numbers one platform gets: without `excluded`, over-limit ones cut by priority (newest
   * winner first, then lower contact id, then lower number), the rest in ascending number order.
   */
  select(limit: number, excluded: ReadonlySet<number>): Selection {
    let idx = new Uint32Array(this.nSlots);
    let n = 0;
    let excludedCount = 0;
    for (let i = 0; i < this.nSlots; i++) {
      if (excluded.size > 0 && excluded.has(this.sNumber[i]!)) excludedCount++;
      else idx[n++] = i;
    }
    idx = idx.subarray(0, n);
    let dropped = 0;
    let cutoff: number | null = null;
    if (n > limit) {
      // The limit-th highest recency is the cut: everything newer stays, only the numbers at
      // exactly that recency need the full (id, number) tie-break. Native numeric sorts keep a
      // million-number cut well under a second.
      const rec = new Float64Array(n);
      for (let i = 0; i < n; i++) rec[i] = this.cRecency[this.sBest[idx[i]!]!]!;
      const sorted = rec.slice().sort();
      const t = sorted[n - limit]!;
      const kept: number[] = [];
      const ties: number[] = [];
      for (let i = 0; i < n; i++) {
        if (rec[i]! > t) kept.push(idx[i]!);
        else if (rec[i] === t) ties.push(idx[i]!);
      }
      ties.sort((a, b) => {
        const e = this.cId[this.sBest[a]!]! - this.cId[this.sBest[b]!]!;
        return e !== 0 ? e : this.sNumber[a]! - this.sNumber[b]!;
      });
      for (let i = 0; kept.length < limit; i++) kept.push(ties[i]!);
      cutoff = t;
      dropped = n - limit;
      idx = Uint32Array.from(kept);
    }
    // Ascending by number: sort the numbers natively, then map them back to their slots.
    const nums = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) nums[i] = this.sNumber[idx[i]!]!;
    nums.sort();
    for (let i = 0; i < nums.length; i++) idx[i] = this.slots.get(nums[i]!)!;
    return { slots: idx, excluded: excludedCount, dropped, cutoff };
  }

  record(slot: number): NumberRecord {
    const c = this.sBest[slot]!;
    const count = this.sCount[slot]!;
    const k = this.sCompany[slot]!;
    const { label, name, company } = this.labelOf(c);
    const shared = count > 1 && k >= 0 ? this.companyNames[k]! : null;
    return {
      number: this.sNumber[slot]!,
      label: count > 1 ? mergedLabel(label, count, shared) : label,
      name,
      company,
      contactId: this.cId[c]!,
      recency: this.cRecency[c]!,
      contacts: count,
      merged: count > 1,
    };
  }
}

/** A fresh copy: the reader's strings may be slices that keep a whole file chunk alive. */
function ownCopy(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

/** Hostile 2,000-character names need not be kept whole: labels and names are cut far shorter. */
function cap(s: string): string {
  return s.length > 1000 ? s.slice(0, 1000) : s;
}

export interface Selection {
  /** Slot indices in ascending number order. */
  slots: Uint32Array;
  excluded: number;
  dropped: number;
  /** Unix seconds of the last number that made it, when some were dropped. */
  cutoff: number | null;
}
