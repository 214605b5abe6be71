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

class Arena {
  private buf = Buffer.allocUnsafe(1 << 20);
  private len = 0;
  private offs = new Uint32Array(1 << 16);
  private count = 0;

  add(s: string): number {
    const need = Buffer.byteLength(s, 'utf8');
    if (this.len + need > this.buf.length) {
      const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + need));
      this.buf.copy(next, 0, 0, this.len);
      this.buf = next;
    }
    if (this.count + 2 > this.offs.length) {
      const next = new Uint32Array(this.offs.length * 2);
      next.set(this.offs);
      this.offs = next;
    }
    this.offs[this.count] = this.len;
    this.len += this.buf.write(s, this.len, 'utf8');
    this.offs[this.count + 1] = this.len;
    return this.count++;
  }

  get(i: number): string {
    return this.buf.toString('utf8', this.offs[i]!, this.offs[i + 1]!);
  }
}

function grow<T extends Float64Array | Int32Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const next = new (a.constructor as new (n: number) => T)(Math.max(a.length * 2, need));
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

  private readonly slots = new Map<number, number>();
  private sNumber = new Float64Array(1 << 14);
  private sBest = new Int32Array(1 << 14);
  private sCount = new Int32Array(1 << 14);
  private sCompany = new Int32Array(1 << 14);
  private nSlots = 0;
  readonly fallbackText: string;
  private readonly seenInContact = new Set<number>();

  constructor(private readonly o: CollectOptions) {
    this.fallbackText = o.fallback ? cleanLabel(o.fallback) || fallbackLabel(o.region) : fallbackLabel(o.region);
  }

  add(c: Contact): void {
    this.contacts++;
    if (c.updatedAt > this.updatedAtMax) this.updatedAtMax = c.updatedAt;
    this.seenInContact.clear();
    let idx = -1;
    for (const p of c.phones) {
      this.phonesSeen++;
      if (!p.valid || !p.e164) {
        this.phonesInvalid++;
        if (this.o.keepInvalid) this.invalid.push({ contactId: c.id, name: c.name, raw: p.raw });
        continue;
      }
      const num = Number(p.e164.slice(1));
      if (!Number.isSafeInteger(num) || num <= 0) {
        this.phonesInvalid++;
        if (this.o.keepInvalid) this.invalid.push({ contactId: c.id, name: c.name, raw: p.raw });
        continue;
      }
      if (this.seenInContact.has(num)) continue;
      this.seenInContact.add(num);
      if (idx < 0) idx = this.store(c);
      this.attach(num, idx);
    }
  }

  private store(c: Contact): number {
    const i = this.stored++;
    this.cId = grow(this.cId, this.stored);
    this.cRecency = grow(this.cRecency, this.stored);
    this.cCompany = grow(this.cCompany, this.stored);
    const company = cleanText(c.company?.name ?? '');
    const name = cleanText(c.name || `${c.firstName} ${c.lastName}`);
    let label = cleanLabel(
      renderTemplate(this.o.template, { name, first: c.firstName, last: c.lastName, company, position: c.position ?? '' }),
    );
    if (label === '') label = cleanLabel(company) || this.fallbackText;
    this.cId[i] = c.id;
    this.cRecency[i] = Math.max(c.updatedAt || 0, c.createdAt || 0);
    this.cCompany[i] = company === '' ? NONE : this.companyKey(company);
    const at = this.strings.add(label);
    this.strings.add(name);
    this.strings.add(company);
    if (at !== i * 3) throw new Error('callerid arena out of step');
    return i;
  }

  private companyKey(name: string): number {
    let k = this.companies.get(name);
    if (k === undefined) {
      k = this.companyNames.length;
      this.companyNames.push(name);
      this.companies.set(name, k);
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
      if (excluded.has(this.sNumber[i]!)) excludedCount++;
      else idx[n++] = i;
    }
    idx = idx.subarray(0, n);
    let dropped = 0;
    let cutoff: number | null = null;
    if (n > limit) {
      idx.sort((a, b) => {
        const ca = this.sBest[a]!;
        const cb = this.sBest[b]!;
        const d = this.cRecency[cb]! - this.cRecency[ca]!;
        if (d !== 0) return d;
        const e = this.cId[ca]! - this.cId[cb]!;
        if (e !== 0) return e;
        return this.sNumber[a]! - this.sNumber[b]!;
      });
      cutoff = this.cRecency[this.sBest[idx[limit - 1]!]!]!;
      dropped = n - limit;
      idx = idx.subarray(0, limit);
    }
    idx.sort((a, b) => this.sNumber[a]! - this.sNumber[b]!);
    return { slots: idx, excluded: excludedCount, dropped, cutoff };
  }

  record(slot: number): NumberRecord {
    const c = this.sBest[slot]!;
    const count = this.sCount[slot]!;
    const k = this.sCompany[slot]!;
    const label = this.strings.get(c * 3);
    const company = this.strings.get(c * 3 + 2);
    const shared = count > 1 && k >= 0 ? this.companyNames[k]! : null;
    return {
      number: this.sNumber[slot]!,
      label: mergeOrKeep(label, count, shared),
      name: this.strings.get(c * 3 + 1),
      company,
      contactId: this.cId[c]!,
      recency: this.cRecency[c]!,
      contacts: count,
      merged: count > 1,
    };
  }
}

function mergeOrKeep(label: string, count: number, shared: string | null): string {
  return count > 1 ? mergedLabel(label, count, shared) : label;
}

export interface Selection {
  /** Slot indices in ascending number order. */
  slots: Uint32Array;
  excluded: number;
  dropped: number;
  /** Unix seconds of the last number that made it, when some were dropped. */
  cutoff: number | null;
}
