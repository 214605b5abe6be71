/**
 * The contact source: every contact whose updated_at (or created_at) lies in [since, until],
 * exactly once, while the account keeps changing (amocrm-api.md §11).
 *
 * - The window is cut into gaps of time read concurrently, so a few slow requests (800 ms) keep the
 *   rate limiter saturated. The cut follows the data: the oldest and the newest page are read
 *   first, and the space between them is shared out by the densities they show.
 * - A gap is read from both ends towards each other, oldest-first from below and newest-first from
 *   above: its two readers meet wherever the data puts the meeting, so each gap ends with one
 *   partial page however many readers it had (a slice read from one end only ends with a short
 *   page at a fixed bound, so every reader added that way cost one).
 *   An idle worker reads the free end of a gap, or cuts the gap with the most left in two; cuts
 *   are rationed because each adds a meeting.
 * - Each end is read keyset-style: page 1 between the two cursors, the cursor moves to the last
 *   second seen (not past it), ids already emitted are dropped. No offsets, so nothing shifts under us.
 *   A second with half a page or more (a bulk edit) is read by id with overlapping offset pages,
 *   which prove in one pass that nothing slipped between them (see readSecond).
 * - Company names are looked up in full batches, in turn with the pages (company-wait.ts).
 * - Any record outside the requested bounds means the account ignores the date filter; the source
 *   then walks the whole list newest-first without a filter and stops below `since`.
 * - Contacts without phones and those the export right excludes are counted, not yielded.
 */
import { DEFAULT_CONCURRENCY } from '../amocrm/rates.js';
import { LIMIT_LADDER, type AmoClient, type ContactsQuery } from '../amocrm/client.js';
import type { ApiContact, ApiCustomFieldDef } from '../amocrm/types.js';
import type { Contact } from './contact.js';
import { contactFromApi, needsFieldDefinitions, type FromApiContext } from './from-api.js';
import { allowedByRights, type RightsFilter } from './rights.js';
import { companyNames } from './companies.js';
import { companyWait } from './company-wait.js';
import { AppError } from '../errors.js';

export const PAGE_LIMIT = 250;
export { DEFAULT_CONCURRENCY };
/** Recent writes may still land in "now" (§11 pitfall 4). */
export const SETTLE_SECONDS = 60;
/** Page sizes tried when a page must start just before an offset (see overlappingPage). */
const MIN_OVERLAP_LIMIT = 125;
/** Walks of an account that ignores the filter, while deletions keep shifting its pages. */
const MAX_WALK_PASSES = 3;
/** Only these shift a later offset page up and so can hide a contact from the walk. */
const SHIFTING_EVENTS = ['contact_deleted', 'entity_merged'];

export interface SourceCounters {
  /** Records received from the API, duplicates included. */
  received: number;
  /** Contacts yielded. */
  yielded: number;
  skippedNoPhone: number;
  skippedByRights: number;
  /** The account ignored filter[updated_at]; the slower newest-first walk was used. */
  filterIgnored: boolean;
  requests: number;
}

/** Field and enum codes from contacts/custom_fields, for records that leave them out. */
export interface FieldCodes {
  fieldCodes?: Map<number, string>;
  enumCodes?: Map<number, string>;
}

export interface SourceOptions {
  since?: number;
  until?: number;
  by: 'updated' | 'created';
  /** A promise lets the pages be asked for while the rights are still being read. */
  rights: RightsFilter | Promise<RightsFilter>;
  /** Promises let the pages be asked for while the account is still being read. */
  defaultRegion: string | Promise<string>;
  accountId: number | Promise<number>;
  concurrency?: number;
  signal?: AbortSignal;
  /** Filled while the source runs (an addition to the shared contract; optional). */
  counters?: SourceCounters;
  /** Clock for the default window end, unix seconds. */
  nowSec?: () => number;
  /**
   * The field definitions, called only when a record leaves out a code they could give (v4 records
   * carry their codes, so most runs save the definitions' requests).
   */
  fields?: () => Promise<FieldCodes>;
  /** Told about each contact counted but not yielded (a sync removes its card). */
  onSkipped?(id: number, reason: 'noPhone' | 'rights'): void;
}

/** Field and enum codes by id, from the account's definitions. */
export function fieldMaps(defs: readonly ApiCustomFieldDef[]): FieldCodes {
  const fieldCodes = new Map<number, string>();
  const enumCodes = new Map<number, string>();
  for (const d of defs) {
    if (d.code) fieldCodes.set(d.id, d.code);
    for (const e of d.enums ?? []) if (e.enum_code) enumCodes.set(e.id, e.enum_code);
  }
  return { fieldCodes, enumCodes };
}

/** The definitions as a source's `fields`: read once, and only if a record needs them. */
export function definitionsOnDemand(client: AmoClient): () => Promise<FieldCodes> {
  let read: Promise<FieldCodes> | undefined;
  return () => (read ??= client.contactCustomFields().then(fieldMaps));
}

export function newCounters(): SourceCounters {
  return { received: 0, yielded: 0, skippedNoPhone: 0, skippedByRights: 0, filterIgnored: false, requests: 0 };
}

function nowOf(o: Pick<SourceOptions, 'nowSec'>): number {
  return o.nowSec ? o.nowSec() : Math.floor(Date.now() / 1000);
}

/** The window the source will cover for these options: what the caller stores as its watermark. */
export function sourceWindow(o: Pick<SourceOptions, 'since' | 'until' | 'nowSec'>): { since: number; until: number } {
  const settled = nowOf(o) - SETTLE_SECONDS;
  const until = o.until === undefined ? settled : Math.min(o.until, settled);
  return { since: Math.max(0, o.since ?? 0), until };
}

/**
 * The page, at most PAGE_LIMIT long, that starts at or before offset `end - back` and reaches
 * furthest past `end`. Offsets are multiples of the page size, so the size is what moves the start.
 */
export function overlappingPage(end: number, back: number): { page: number; limit: number } {
  const target = end - back;
  let best = { page: 1, limit: PAGE_LIMIT, reach: PAGE_LIMIT };
  if (target <= 0) return best;
  for (let limit = PAGE_LIMIT; limit >= MIN_OVERLAP_LIMIT; limit--) {
    const start = Math.floor(target / limit) * limit;
    if (start + limit > best.reach) best = { page: start / limit + 1, limit, reach: start + limit };
  }
  return best;
}

class FilterIgnored extends Error {}
class Cancelled extends Error {}

/** A bounded hand-over between the page workers and the consumer, so memory stays flat. */
class Channel<T> {
  private items: T[] = [];
  private waitingConsumer: (() => void) | null = null;
  private waitingProducers: (() => void)[] = [];
  private closed = false;
  private failure: unknown = null;
  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) {
      await new Promise<void>((r) => this.waitingProducers.push(r));
    }
    if (this.closed) return;
    this.items.push(item);
    this.wakeConsumer();
  }
  close(failure?: unknown): void {
    if (failure !== undefined && this.failure === null) this.failure = failure ?? new Error('source failed');
    this.closed = true;
    this.wakeConsumer();
    for (const p of this.waitingProducers.splice(0)) p();
  }
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      if (this.failure !== null) throw this.failure;
      const item = this.items.shift();
      if (item !== undefined) {
        this.waitingProducers.shift()?.();
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((r) => (this.waitingConsumer = r));
    }
  }
  private wakeConsumer(): void {
    const w = this.waitingConsumer;
    this.waitingConsumer = null;
    w?.();
  }
}

/** Append-only list of ids, 8 bytes each (a Set costs several times that). */
class IdLog {
  private buf = new Float64Array(1024);
  private n = 0;
  push(id: number): void {
    if (this.n === this.buf.length) {
      const next = new Float64Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.n++] = id;
  }
  toSet(): Set<number> {
    return new Set(this.buf.subarray(0, this.n));
  }
}

/**
 * Seconds [lo, hi] not read yet, read from both ends towards each other: the two readers meet
 * wherever the data puts the meeting, so a gap ends with one short page however many readers it
 * had. Of second lo the ids in loSet, of second hi those in hiSet, were emitted already (the keyset
 * cursor re-reads its own second). When lo === hi the two sets are one.
 */
interface Gap {
  lo: number;
  hi: number;
  loSet: Set<number>;
  hiSet: Set<number>;
  /** Records per second near each end, from its last full page (0: not known yet). */
  dLo: number;
  dHi: number;
  closed: boolean;
  up: Reader | null;
  down: Reader | null;
}

interface Reader {
  gap: Gap;
  side: 'up' | 'down';
  /** A page of it is on its way. */
  inFlight: boolean;
  /** Its first page, asked for before the window was cut (the probe from the window start), and that request's bounds. */
  first?: { page: Promise<Page>; from: number; to: number };
}

type Page = { items: ApiContact[]; limit: number };

/**
 * Part ends that share the records out evenly under a density running exponentially from `dFrom`
 * records/s at `from` to `dTo` at `to` (what the pages at the two ends showed): real accounts are
 * dense where they are recent, and sparse, or empty, far back. `dEnd` is the density at each end.
 */
export function cutByDensity(from: number, to: number, dFrom: number, dTo: number, parts: number): { to: number; dEnd: number }[] {
  const ratio = Math.min(1e9, Math.max(1e-9, dTo / dFrom));
  const r = Math.log(ratio);
  const x = (q: number) => (Math.abs(r) < 1e-6 ? q : Math.log1p(q * Math.expm1(r)) / r);
  const out: { to: number; dEnd: number }[] = [];
  for (let i = 1; i <= parts; i++) {
    const end = i === parts ? to : Math.floor(from + x(i / parts) * (to - from));
    if (out.length && end <= out[out.length - 1]!.to) continue;
    out.push({ to: end, dEnd: dFrom * Math.exp((r * (end - from)) / Math.max(1, to - from)) });
  }
  return out;
}

/** Records expected over `seconds` when the density runs exponentially from `dFrom` to `dTo`. */
export function recordsBetween(seconds: number, dFrom: number, dTo: number): number {
  const ratio = dTo / dFrom;
  return Math.abs(ratio - 1) < 1e-6 ? dFrom * seconds : ((dTo - dFrom) * seconds) / Math.log(ratio);
}

/**
 * A gap is cut in two for idle workers only if this much seems left: each cut adds a meeting, about
 * half a page lost, and a gap its two readers finish in one round gains nothing from more readers.
 */
const SPLIT_MIN_RECORDS = 2 * 250;
/**
 * A second reader for a gap read from one end only costs no short page, but a page beside one that
 * may end the gap would only repeat it: below this much left, a gap is left to the reader it has.
 */
const SECOND_READER_MIN_RECORDS = 1.25 * 250;
/** Contacts of one second on a page from which that second is read by id straight away. */
const BULK_HINT = 125;

export function contactSource(client: AmoClient, o: SourceOptions): AsyncIterable<Contact> {
  return { [Symbol.asyncIterator]: () => run(client, o) };
}

async function* run(client: AmoClient, o: SourceOptions): AsyncGenerator<Contact> {
  const counters = o.counters ?? newCounters();
  const { since, until } = sourceWindow(o);
  if (since > until) return;
  const field: 'created_at' | 'updated_at' = o.by === 'created' ? 'created_at' : 'updated_at';
  const stamp = (c: ApiContact) => (o.by === 'created' ? c.created_at : c.updated_at);
  const concurrency = Math.max(1, o.concurrency ?? DEFAULT_CONCURRENCY);
  const companies = companyNames(client);
  // Duplicates can only come from re-reading one second (the keyset cursor, a bulk second), so
  // dedupe sets are kept per second, not per run: memory stays flat on a million contacts. The
  // ids emitted are logged compactly in case the run must fall back to the unfiltered walk.
  const emitted = new IdLog();
  let walkSeen: Set<number> | null = null;
  // Pages handed over but not yet converted; two per reader at six readers, so memory stays flat.
  const channel = new Channel<ApiContact[]>(Math.min(concurrency * 2, 12));
  // 'keyset' until a record shows the date filter is ignored; 'cancelled' once the consumer left or a worker failed.
  let mode: 'keyset' | 'walk' | 'cancelled' = 'keyset';
  const onAbort = () => {
    mode = 'cancelled';
    channel.close(o.signal?.reason ?? new Error('aborted'));
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const fetchPage = async (q: ContactsQuery) => {
    if (mode === 'cancelled') throw new Cancelled();
    counters.requests++;
    const r = await client.contactsPage(q);
    counters.received += r.items.length;
    return r;
  };
  const windowQuery = (from: number, to: number, page: number, order: 'field' | 'id'): ContactsQuery => ({
    page,
    limit: PAGE_LIMIT,
    ...(o.by === 'created' ? { createdAt: { from, to } } : { updatedAt: { from, to } }),
    order: order === 'id' ? { field: 'id', dir: 'asc' } : { field, dir: 'asc' },
  });

  const companyGate = companyWait(companies, (ready) => channel.push(ready), (e) => {
    if (mode !== 'cancelled') {
      mode = 'cancelled';
      channel.close(e);
    }
  });

  /**
   * Hands over the in-window contacts not emitted yet, with their companies known. `scope`
   * dedupes the contacts of one second (`stamp`) that may have been emitted already (without it,
   * the caller has dropped those); in the unfiltered walk every id is checked.
   */
  const emit = async (items: readonly ApiContact[], scope?: { set: Set<number>; stamp: number } | 'walk') => {
    if (scope !== 'walk' && mode !== 'keyset') return; // the walk re-reads everything
    const accepted: ApiContact[] = [];
    for (const c of items) {
      const t = stamp(c);
      if (t < since || t > until || c.is_deleted) continue;
      if (scope === 'walk') {
        if (walkSeen!.has(c.id)) continue;
        walkSeen!.add(c.id);
      } else {
        if (scope && t === scope.stamp) {
          if (scope.set.has(c.id)) continue;
          scope.set.add(c.id);
        }
        emitted.push(c.id);
      }
      accepted.push(c);
    }
    await companyGate.add(accepted);
  };
  /** Records outside the requested window, or not in the order asked for, mean the filter/order is ignored. */
  const checkBounds = (items: readonly ApiContact[], from: number, to: number, dir: 'asc' | 'desc' = 'asc') => {
    if (mode !== 'keyset') throw new FilterIgnored();
    let prev = dir === 'asc' ? -Infinity : Infinity;
    for (const c of items) {
      const t = stamp(c);
      if (t < from || t > to || (dir === 'asc' ? t < prev : t > prev)) throw new FilterIgnored();
      prev = t;
    }
  };

  /**
   * The records at offsets [offset, offset + PAGE_LIMIT) of the unfiltered listing. The client may
   * answer with a smaller page after a 504 (at the same offset), so the rest of the chunk is fetched
   * with page sizes that divide the offset reached.
   */
  const chunk = async (q: ContactsQuery, offset: number) => {
    const items: ApiContact[] = [];
    let at = offset;
    let limit = PAGE_LIMIT;
    while (at < offset + PAGE_LIMIT) {
      while (at % limit !== 0) limit = LIMIT_LADDER.find((l) => l < limit) ?? LIMIT_LADDER.at(-1)!;
      const r = await fetchPage({ ...q, page: at / limit + 1, limit });
      items.push(...r.items);
      if (r.items.length < r.limit || r.items.length === 0) return { items, end: true };
      at += r.items.length;
      limit = r.limit;
    }
    return { items, end: false };
  };

  /**
   * All contacts of one bulk second, by id in offset pages. A past second only loses contacts (an
   * edit moves one to "now"), and offset paging skips a contact only when one before the read
   * position leaves. So each page starts a little before the previous one ended (its size is
   * chosen so that an offset lands there): if its first contact was read already, the page
   * continues the list right after it and nothing was skipped; if not, contacts left in between
   * and the next try starts further back. One pass, no re-reading to prove it complete.
   */
  const readSecond = async (t: number, known: Set<number>) => {
    const base = windowQuery(t, t, 1, 'id');
    let end = 0; // list position just after the last contact read, as of that read
    let lastId = -Infinity;
    let back = 1;
    for (;;) {
      const { page, limit } = overlappingPage(end, back);
      const r = await fetchPage({ ...base, page, limit });
      checkBounds(r.items, t, t);
      for (let i = 1; i < r.items.length; i++) if (r.items[i]!.id <= r.items[i - 1]!.id) throw new FilterIgnored();
      const first = r.items[0];
      if (page > 1 && (first === undefined || first.id > lastId)) {
        back = Math.min(end, back * 4);
        continue;
      }
      await emit(r.items, { set: known, stamp: t });
      if (r.items.length < r.limit) return;
      end = (page - 1) * limit + r.items.length;
      lastId = r.items[r.items.length - 1]!.id;
      back = 1;
    }
  };

  /** Readers, one page after another each, that keep the rate limiter busy (at least one). */
  const readersToSaturate = () => Math.max(1, Math.ceil((client.rate * client.stats.answerMs) / 1000));

  // Open gaps and the readers not started yet; an idle worker reads the free end of a gap, or cuts one.
  const gaps = new Set<Gap>();
  const fresh: Reader[] = [];
  // A gap no page has shown the density of yet is not assumed small.
  const left = (g: Gap) => (g.dLo || g.dHi ? recordsBetween(g.hi - g.lo + 1, g.dLo || g.dHi, g.dHi || g.dLo) : Infinity);
  let idle = 0;
  let busy = 0;
  const wakers: (() => void)[] = [];
  const wakeAll = () => {
    for (const w of wakers.splice(0)) w();
  };
  const close = (g: Gap) => {
    g.closed = true;
    gaps.delete(g);
  };
  const newGap = (lo: number, hi: number, dLo: number, dHi: number, loSet = new Set<number>(), hiSet = new Set<number>()): Gap => {
    if (lo === hi) for (const id of hiSet) loSet.add(id);
    const g: Gap = { lo, hi, loSet, hiSet: lo === hi ? loSet : hiSet, dLo, dHi, closed: false, up: null, down: null };
    gaps.add(g);
    return g;
  };
  /** In every gap, what seems left is no more than its pages on their way bring: no more will be asked for. */
  const lastPagesOnTheWay = () => {
    if (fresh.length) return false;
    for (const g of gaps) {
      const flying = (g.up?.inFlight ? 1 : 0) + (g.down?.inFlight ? 1 : 0);
      if (left(g) > flying * PAGE_LIMIT) return false;
    }
    return true;
  };
  const attach = (g: Gap, side: 'up' | 'down'): Reader => (g[side] = { gap: g, side, inFlight: false });
  /**
   * Moves one end's cursor to second t. Sets are changed in place, never replaced, while anyone may
   * still be adding to them (a bulk second read by id); a second both ends stand on has one set.
   */
  const move = (g: Gap, side: 'up' | 'down', t: number) => {
    if (side === 'up' && t !== g.lo) {
      g.lo = t;
      g.loSet = t === g.hi ? g.hiSet : new Set();
    } else if (side === 'down' && t !== g.hi) {
      g.hi = t;
      g.hiSet = t === g.lo ? g.loSet : new Set();
    }
  };

  /**
   * Work for an idle worker, if that is worth its requests: the free end of a gap read from one end
   * (the two readers then meet, no short page is added), else a cut of the gap with the most left,
   * where half of what its pages on their way leave lies. The lower half keeps the lower reader and
   * this worker reads it down from the cut; the upper half keeps the upper reader, and its lower
   * end falls free for the next idle worker.
   */
  const moreWork = (): Reader | undefined => {
    const next = fresh.shift();
    if (next) return next;
    // Requests waiting for the rate limiter, or readers enough to keep it busy through a round
    // trip: another reader would only add requests.
    if (client.waiting > 0 || busy >= readersToSaturate()) return undefined;
    let open: Gap | undefined;
    let largest: Gap | undefined;
    for (const g of gaps) {
      if (!g.up !== !g.down) {
        if (!open || left(g) > left(open)) open = g;
      } else if (g.up && g.hi - g.lo >= 2 && (!largest || left(g) > left(largest))) largest = g;
    }
    if (open && left(open) >= SECOND_READER_MIN_RECORDS) return attach(open, open.up ? 'down' : 'up');
    if (!largest || left(largest) < SPLIT_MIN_RECORDS) return undefined;
    const g = largest;
    const dLo = g.dLo || g.dHi;
    const dHi = g.dHi || g.dLo;
    // Where half of what the pages on their way leave lies, the density running from one end's to the other's.
    const lo = g.up!.inFlight && dLo > 0 ? g.lo + PAGE_LIMIT / dLo : g.lo;
    const hi = g.down!.inFlight && dHi > 0 ? g.hi - PAGE_LIMIT / dHi : g.hi;
    const half = lo < hi && dLo > 0 ? cutByDensity(lo, hi, dLo, dHi, 2)[0]! : { to: (g.lo + g.hi) / 2, dEnd: dLo };
    const mid = Math.min(g.hi - 1, Math.max(g.lo + 1, Math.floor(half.to)));
    const lower = newGap(g.lo, mid, g.dLo, half.dEnd, g.loSet);
    g.dLo = half.dEnd;
    lower.up = g.up;
    lower.up!.gap = lower;
    g.up = null;
    g.loSet = new Set(); // of second mid + 1: nothing emitted there yet
    g.lo = mid + 1;
    if (g.lo === g.hi) g.loSet = g.hiSet;
    return attach(lower, 'down');
  };

  /**
   * Reads one end of a gap, keyset-style, towards the other: page 1 between the two cursors, in
   * this end's direction; the cursor moves to the last second seen (not past it). A page reaching
   * the other reader's cursor ends the gap. Every state change is made before anything waits, so
   * the other reader (and a cut) always sees where this one stands.
   */
  const readEnd = async (rd: Reader) => {
    const up = rd.side === 'up';
    for (;;) {
      let g = rd.gap;
      if (g.closed || g.lo > g.hi) return close(g);
      const other = up ? g.down : g.up;
      // Its page on the way may well end the gap: a page of ours beside it would only repeat it.
      if (!rd.first && other?.inFlight && left(g) < SECOND_READER_MIN_RECORDS) return;
      const prefetched = rd.first;
      rd.first = undefined;
      const from = prefetched ? prefetched.from : g.lo;
      const to = prefetched ? prefetched.to : g.hi;
      rd.inFlight = true;
      let r: Page;
      try {
        r = await (prefetched ? prefetched.page : fetchPage({ ...windowQuery(from, to, 1, 'field'), order: { field, dir: up ? 'asc' : 'desc' } }));
      } finally {
        rd.inFlight = false;
      }
      checkBounds(r.items, from, to, up ? 'asc' : 'desc');
      // A cut meanwhile may have moved this reader into the lower half: it lies within what was asked.
      g = rd.gap;
      if (g.closed) return;
      const items = r.items;
      const full = items.length > 0 && items.length >= r.limit;
      // The second this page reached last (read in part); none when the page was short.
      const edge = full ? stamp(items[items.length - 1]!) : up ? Infinity : -Infinity;
      const accepted: ApiContact[] = [];
      for (const c of items) {
        const t = stamp(c);
        if (t < g.lo || t > g.hi) continue;
        if ((t === g.lo && g.loSet.has(c.id)) || (t === g.hi && g.hiSet.has(c.id))) continue;
        if (t === g.lo) g.loSet.add(c.id);
        if (t === g.hi) g.hiSet.add(c.id);
        accepted.push(c);
      }
      let bulk = false;
      if (up ? edge > g.hi : edge < g.lo) close(g);
      else {
        move(g, rd.side, edge);
        const seen = up ? g.loSet : g.hiSet;
        for (const c of items) if (stamp(c) === edge) seen.add(c.id);
        const start = stamp(items[0]!);
        if (start !== edge) g[up ? 'dLo' : 'dHi'] = items.length / (Math.abs(edge - start) + 1);
        // Half a page in one second is most likely a bulk edit: reading it by id at once saves the
        // page by date that would only repeat those contacts.
        const onEdge = items.length - items.findIndex((c) => stamp(c) === edge);
        bulk = start === edge || onEdge >= BULK_HINT;
      }
      await emit(accepted);
      if (lastPagesOnTheWay()) companyGate.askEarly();
      // A cut or the other reader may have moved things while the contacts were handed over.
      g = rd.gap;
      if (bulk && !g.closed && (up ? g.lo : g.hi) === edge) {
        await readSecond(edge, up ? g.loSet : g.hiSet);
        g = rd.gap;
        if (!g.closed && (up ? g.lo : g.hi) === edge) {
          move(g, rd.side, up ? edge + 1 : edge - 1);
          if (g.lo > g.hi) close(g);
        }
      }
      if (idle > 0) wakeAll();
    }
  };

  const worker = async () => {
    for (;;) {
      const rd = moreWork();
      if (!rd) {
        if (busy === 0) {
          wakeAll();
          return;
        }
        idle++;
        await new Promise<void>((r) => wakers.push(r));
        idle--;
        continue;
      }
      busy++;
      try {
        await readEnd(rd);
      } finally {
        const g = rd.gap;
        if (g[rd.side] === rd) g[rd.side] = null;
        busy--;
        wakeAll();
      }
    }
  };

  /** Newest-first walk without a filter, for accounts that ignore it (§11 self-check). */
  const walkUnfiltered = async () => {
    const order = { field, dir: 'desc' as const };
    let next = 0;
    let done = false;
    let ordered = true;
    const walker = async () => {
      while (!done) {
        const offset = PAGE_LIMIT * next++;
        const { items, end } = await chunk({ order }, offset);
        await emit(items, 'walk');
        // Stopping below `since` relies on the order; an account that ignores it is read to the end.
        for (let i = 1; i < items.length; i++) if (stamp(items[i]!) > stamp(items[i - 1]!)) ordered = false;
        const oldest = items.length ? stamp(items[items.length - 1]!) : -1;
        if (end || (ordered && oldest < since)) done = true;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, walker));
  };

  /**
   * Offset pages cannot overlap (the API's pages tile the list exactly), so a deletion above the
   * read position during a walk can push an unread contact into a page already read. Edits and
   * additions only push contacts down (duplicates, dropped by walkSeen), so a walk during which the
   * event log shows no deletion or merge missed nothing; otherwise walk again, a bounded number of
   * times, then refuse rather than risk a silent gap (the watermark stays where it was).
   */
  const walkUntilNothingShifted = async () => {
    for (let pass = 0; pass < MAX_WALK_PASSES; pass++) {
      const started = nowOf(o) - 1; // event times are whole seconds
      await walkUnfiltered();
      let shifted = false;
      for await (const page of client.events({ types: SHIFTING_EVENTS, createdFrom: started, entity: 'contact' })) {
        if (page.length > 0) shifted = true;
        break;
      }
      if (!shifted) return;
    }
    throw new AppError('api', 'export.error.changedTooFast', { passes: MAX_WALK_PASSES });
  };

  /**
   * Cuts the window where the data is. Two probes go out first: the oldest page (the first page of
   * the first gap, read upwards) and the newest page, read newest-first (the first page of the last
   * gap's upper end). The space between the two pages is cut by the densities they show, so no
   * worker starts on an empty stretch of history, into half as many gaps as readers: two readers
   * share each gap from its ends.
   */
  const cutWindow = async () => {
    const first = newGap(since, until, 0, 0);
    const oldest = fetchPage(windowQuery(since, until, 1, 'field'));
    oldest.catch(() => undefined); // awaited by the head's reader; a failure surfaces there
    attach(first, 'up').first = { page: oldest, from: since, to: until };
    fresh.push(first.up!);
    const top = await fetchPage({ ...windowQuery(since, until, 1, 'field'), order: { field, dir: 'desc' } });
    checkBounds(top.items, since, until, 'desc');
    if (top.items.length < top.limit) {
      // The whole window fits in one page; the oldest page read the same records again.
      fresh.length = 0;
      close(first);
      await oldest.catch(() => undefined);
      await emit(top.items);
      return;
    }
    const low = stamp(top.items[top.items.length - 1]!);
    const high = stamp(top.items[0]!);
    // Its lowest second may go on below the page: the last gap's upper reader goes on from there.
    first.hi = low;
    first.hiSet = new Set(top.items.filter((c) => stamp(c) === low).map((c) => c.id));
    if (first.lo === first.hi) first.loSet = first.hiSet;
    await emit(top.items);
    const downFrom = (g: Gap) => {
      if (fresh.length < concurrency) fresh.push(attach(g, 'down'));
    };
    const bottom = await oldest.catch(() => null);
    const items = bottom?.items ?? [];
    if (!bottom || items.length < bottom.limit) return;
    const a = stamp(items[0]!);
    const b = stamp(items[items.length - 1]!);
    // Odd records: the head's reader checks them.
    if (a < since || b < a || b >= low) return downFrom(first);
    const dLow = items.length / (b - a + 1);
    const dHigh = top.items.length / (high - low + 1);
    const estimate = recordsBetween(low - b, dLow, dHigh);
    // Enough readers to keep the rate limiter busy through a round trip, and no more: each gap
    // ends with a short page. Idle workers add readers later if the answers slow down.
    const readers = Math.min(concurrency, readersToSaturate() + 1, Math.max(1, Math.ceil(estimate / SPLIT_MIN_RECORDS)));
    const cuts = cutByDensity(b, low, dLow, dHigh, Math.ceil(readers / 2));
    const hiSet = first.hiSet;
    first.hi = cuts[0]!.to;
    first.dLo = dLow;
    first.dHi = cuts[0]!.dEnd;
    if (cuts.length > 1) first.hiSet = first.lo === first.hi ? first.loSet : new Set();
    const all = [first];
    for (let i = 1; i < cuts.length; i++) {
      all.push(newGap(cuts[i - 1]!.to + 1, cuts[i]!.to, cuts[i - 1]!.dEnd, cuts[i]!.dEnd, new Set(), i === cuts.length - 1 ? hiSet : new Set()));
    }
    // The newest-first reader first (it goes on from the probe), then the others from the top down;
    // with an odd count, the first gap's upper end stays free for a later reader.
    for (let i = all.length - 1; i >= 0 && fresh.length < readers; i--) {
      downFrom(all[i]!);
      if (i > 0 && fresh.length < readers) fresh.push(attach(all[i]!, 'up'));
    }
  };

  const produce = async () => {
    try {
      try {
        await cutWindow();
        await Promise.all(Array.from({ length: concurrency }, worker));
      } catch (e) {
        if (!(e instanceof FilterIgnored) || mode !== 'keyset') throw e;
        counters.filterIgnored = true;
        mode = 'walk';
        walkSeen = emitted.toSet();
        fresh.length = 0;
        gaps.clear();
        wakeAll();
        // Keyset workers still mid-request stop at their next bounds check; wait for them.
        while (busy > 0) await new Promise((r) => setTimeout(r, 5));
        await walkUntilNothingShifted();
      }
      await companyGate.finish();
      channel.close();
    } catch (e) {
      if (mode !== 'cancelled') {
        mode = 'cancelled';
        channel.close(e);
      }
    }
  };

  const producing = produce();
  try {
    // Start-up requests run beside the first pages; records wait in the channel meanwhile.
    const [rights, accountId, defaultRegion] = await Promise.all([o.rights, o.accountId, o.defaultRegion]);
    const ctx: FromApiContext = { accountId, defaultRegion, companyName: (id) => companies.name(id) };
    let definitions = o.fields;
    for await (const batch of channel.drain()) {
      for (const api of batch) {
        if (definitions && needsFieldDefinitions(api)) {
          Object.assign(ctx, await definitions());
          definitions = undefined;
        }
        const c = contactFromApi(api, ctx);
        if (c.phones.length === 0) {
          counters.skippedNoPhone++;
          o.onSkipped?.(c.id, 'noPhone');
          continue;
        }
        if (!allowedByRights(c, rights)) {
          counters.skippedByRights++;
          o.onSkipped?.(c.id, 'rights');
          continue;
        }
        counters.yielded++;
        yield c;
      }
    }
    await producing;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    mode = 'cancelled';
    channel.close();
  }
}
