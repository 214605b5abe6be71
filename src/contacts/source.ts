/**
 * The contact source: every contact whose updated_at (or created_at) lies in [since, until],
 * exactly once, while the account keeps changing (amocrm-api.md §11).
 *
 * - The window is cut into time slices worked on concurrently, so a few slow requests (800 ms)
 *   keep the rate limiter saturated. The cut follows the data: the oldest and the newest page are
 *   read first, and the space between them is shared out by the densities they show. An idle worker takes the later part of the slice with the
 *   most left, even while that slice has a page on its way; splits are rationed because every
 *   slice ends with a short page, a request that brings fewer contacts.
 * - Each slice is read keyset-style: page 1 from the cursor, the cursor moves to the last second
 *   seen (not past it), ids already emitted are dropped. No offsets, so nothing shifts under us.
 *   A second with half a page or more (a bulk edit) is read by id with overlapping offset pages,
 *   which prove in one pass that nothing slipped between them (see readSecond).
 * - Company names are looked up in full batches, in turn with the pages (company-wait.ts).
 * - Any record outside the requested bounds means the account ignores the date filter; the source
 *   then walks the whole list newest-first without a filter and stops below `since`.
 * - Contacts without phones and those the export right excludes are counted, not yielded.
 */
import { DEFAULT_CONCURRENCY } from '../amocrm/rates.js';
import { LIMIT_LADDER, type AmoClient, type ContactsQuery } from '../amocrm/client.js';
import type { ApiContact } from '../amocrm/types.js';
import type { Contact } from './contact.js';
import { contactFromApi, type FromApiContext } from './from-api.js';
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
  /** A promise lets the pages be asked for while the definitions are still being read. */
  fields?: FieldCodes | Promise<FieldCodes>;
  /** Told about each contact counted but not yielded (a sync removes its card). */
  onSkipped?(id: number, reason: 'noPhone' | 'rights'): void;
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

interface Slice {
  from: number;
  to: number;
  cursor: number;
  /** Records per second on its last full page: with `to - cursor`, an estimate of what is left. */
  density: number;
  /** A page of it is on its way. */
  inFlight: boolean;
  /** Its first page, asked for before the slice was cut (the probe from the window start), and that request's end. */
  first?: { page: Promise<Page>; to: number };
}

type Page = { items: ApiContact[]; limit: number };

/**
 * Slice ends that share `records` out evenly under a density running exponentially from `dFrom`
 * records/s at `from` to `dTo` at `to` (the two ends the probes measured): real accounts are
 * dense where they are recent, and sparse, or empty, far back.
 */
export function cutByDensity(from: number, to: number, dFrom: number, dTo: number, parts: number): { to: number; density: number }[] {
  const ratio = Math.min(1e9, Math.max(1e-9, dTo / dFrom));
  const r = Math.log(ratio);
  const x = (q: number) => (Math.abs(r) < 1e-6 ? q : Math.log1p(q * Math.expm1(r)) / r);
  const out: { to: number; density: number }[] = [];
  for (let i = 1; i <= parts; i++) {
    const end = i === parts ? to : Math.floor(from + x(i / parts) * (to - from));
    const mid = x((i - 0.5) / parts);
    if (out.length && end <= out[out.length - 1]!.to) continue;
    out.push({ to: end, density: dFrom * Math.exp(r * mid) });
  }
  return out;
}

/**
 * A slice is split for an idle worker only if this much seems left: each split adds a short page,
 * a request lost while the rate limiter is the bottleneck. With two workers idle it no longer is,
 * and a split only has to save a round trip.
 */
const SPLIT_MIN_RECORDS = 2 * 250;
const SPLIT_MIN_RECORDS_UNSATURATED = 1.2 * 250;
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
  // Pages handed over but not yet converted; as many as with six slices, so memory stays where it was.
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
   * dedupes the contacts of one second (`stamp`) that may have been emitted already; in the
   * unfiltered walk every id is checked.
   */
  const emit = async (items: readonly ApiContact[], scope: { set: Set<number>; stamp: number } | 'walk') => {
    if (scope !== 'walk' && mode !== 'keyset') return; // the walk re-reads everything
    const accepted: ApiContact[] = [];
    for (const c of items) {
      const t = stamp(c);
      if (t < since || t > until || c.is_deleted) continue;
      if (scope === 'walk') {
        if (walkSeen!.has(c.id)) continue;
        walkSeen!.add(c.id);
      } else {
        if (t === scope.stamp) {
          if (scope.set.has(c.id)) continue;
          scope.set.add(c.id);
        }
        emitted.push(c.id);
      }
      accepted.push(c);
    }
    await companyGate.add(accepted);
  };
  /** Records outside the requested window, or not in time order, mean the filter/order is ignored. */
  const checkBounds = (items: readonly ApiContact[], from: number, to: number) => {
    if (mode !== 'keyset') throw new FilterIgnored();
    let prev = -Infinity;
    for (const c of items) {
      const t = stamp(c);
      if (t < from || t > to || t < prev) throw new FilterIgnored();
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

  /** Slices read one page after another that keep the rate limiter busy (at least one). */
  const slicesToSaturate = () => Math.max(1, Math.ceil((client.rate * client.stats.answerMs) / 1000));

  // Work queue of slices; an idle worker asks the busy ones to split what they have left.
  const queue: Slice[] = [];
  const reading = new Set<Slice>();
  const left = (s: Slice) => s.density * (s.to - s.cursor);
  let idle = 0;
  let busy = 0;
  const wakers: (() => void)[] = [];
  const wakeAll = () => {
    for (const w of wakers.splice(0)) w();
  };

  /**
   * Gives an idle worker the later part of the slice with the most left, if that is worth the short
   * page a split adds. The slice may have a page on its way: that page counts as its own, and
   * whatever it returns past the new end is dropped there (the new slice reads it).
   */
  const splitLargest = (): boolean => {
    // Requests waiting for the rate limiter, or slices enough to keep it busy through a round trip:
    // a split would only add its short page.
    if (client.waiting > 0 || busy >= slicesToSaturate()) return false;
    let largest: Slice | undefined;
    for (const s of reading) if (s.to - s.cursor >= 2 && (!largest || left(s) > left(largest))) largest = s;
    if (!largest || left(largest) < (idle >= 2 ? SPLIT_MIN_RECORDS_UNSATURATED : SPLIT_MIN_RECORDS)) return false;
    const share = largest.inFlight ? Math.min(0.9, 0.5 + PAGE_LIMIT / 2 / left(largest)) : 0.5;
    const mid = largest.cursor + Math.floor((largest.to - largest.cursor) * share);
    queue.push({ from: mid + 1, to: largest.to, cursor: mid + 1, density: largest.density, inFlight: false });
    largest.to = mid;
    return true;
  };

  const readSlice = async (slice: Slice) => {
    // Ids emitted with updated_at == cursor: the only ones the next page can repeat.
    let atCursor = new Set<number>();
    while (slice.cursor <= slice.to) {
      const cursor = slice.cursor;
      const prefetched = slice.first;
      slice.first = undefined;
      const to = prefetched ? prefetched.to : slice.to;
      slice.inFlight = true;
      const r = await (prefetched ? prefetched.page : fetchPage(windowQuery(cursor, to, 1, 'field')));
      slice.inFlight = false;
      checkBounds(r.items, cursor, to);
      const items = slice.to < to ? r.items.filter((c) => stamp(c) <= slice.to) : r.items;
      const scope = { set: atCursor, stamp: cursor };
      // The page ended the slice: it was short, or it reached past an end that moved down meanwhile.
      if (r.items.length < r.limit || r.items.length === 0 || items.length < r.items.length) {
        slice.cursor = slice.to + 1;
        await emit(items, scope);
        return;
      }
      const first = stamp(items[0]!);
      const last = stamp(items[items.length - 1]!);
      // A copy: emit() below still needs the ids emitted before this page.
      const atLast = new Set<number>(last === cursor ? atCursor : []);
      let onLast = 0;
      for (const c of items) if (stamp(c) === last) (atLast.add(c.id), onLast++);
      // The cursor moves before anything waits, so a split never hands out what was read.
      slice.cursor = last;
      if (first !== last) slice.density = items.length / (last - first + 1);
      await emit(items, scope);
      // Half a page in one second is most likely a bulk edit: reading it by id at once saves the
      // page by updated_at that would only repeat those contacts.
      if (first === last || onLast >= BULK_HINT) {
        await readSecond(last, atLast);
        slice.cursor = last + 1;
        atCursor = new Set();
      } else {
        atCursor = atLast;
      }
      if (idle > 0 && queue.length === 0 && splitLargest()) wakeAll();
    }
  };

  const worker = async () => {
    for (;;) {
      const slice = queue.shift() ?? (splitLargest() ? queue.shift() : undefined);
      if (!slice) {
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
      reading.add(slice);
      try {
        await readSlice(slice);
      } finally {
        reading.delete(slice);
        busy--;
        if (busy === 0 && queue.length === 0) wakeAll();
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
   * the first slice) and the newest page, read newest-first. The newest page is complete above its
   * last second (the top of a sorted list), so it is emitted as it is; the space between the two
   * pages is cut by the densities they show, so no worker starts on an empty stretch of history.
   */
  const cutWindow = async () => {
    const head: Slice = { from: since, to: until, cursor: since, density: 0, inFlight: false };
    const oldest = fetchPage(windowQuery(since, until, 1, 'field'));
    oldest.catch(() => undefined); // awaited by the head's reader; a failure surfaces there
    head.first = { page: oldest, to: until };
    queue.push(head);
    const top = await fetchPage({ ...windowQuery(since, until, 1, 'field'), order: { field, dir: 'desc' } });
    let prev = Infinity;
    for (const c of top.items) {
      const t = stamp(c);
      if (t < since || t > until || t > prev) throw new FilterIgnored();
      prev = t;
    }
    if (top.items.length < top.limit) {
      // The whole window fits in one page; the oldest page read the same records again.
      queue.length = 0;
      await oldest.catch(() => undefined);
      await emit(top.items, { set: new Set(), stamp: -1 });
      return;
    }
    const low = stamp(top.items[top.items.length - 1]!);
    const high = stamp(top.items[0]!);
    // Its lowest second may go on below the page: that second stays with the slices.
    await emit(top.items.filter((c) => stamp(c) > low), { set: new Set(), stamp: -1 });
    head.to = Math.min(head.to, low);
    const bottom = await oldest.catch(() => null);
    const items = bottom?.items ?? [];
    if (!bottom || items.length < bottom.limit) return;
    const a = stamp(items[0]!);
    const b = stamp(items[items.length - 1]!);
    if (a < since || b < a || b >= low) return; // odd records: the head's reader checks them
    const dLow = items.length / (b - a + 1);
    const dHigh = top.items.length / (high - low + 1);
    const ratio = dHigh / dLow;
    const estimate = Math.abs(ratio - 1) < 1e-6 ? dLow * (low - b) : ((dHigh - dLow) * (low - b)) / Math.log(ratio);
    // Enough slices to keep the rate limiter busy through a round trip, and no more: each one
    // ends with a short page. Idle workers split slices later if the answers slow down.
    const parts = Math.min(concurrency, slicesToSaturate() + 1, Math.max(1, Math.ceil(estimate / SPLIT_MIN_RECORDS)));
    const cuts = cutByDensity(b, low, dLow, dHigh, parts);
    head.to = cuts[0]!.to;
    for (let i = 1; i < cuts.length; i++) {
      const from = cuts[i - 1]!.to + 1;
      queue.push({ from, to: cuts[i]!.to, cursor: from, density: cuts[i]!.density, inFlight: false });
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
        queue.length = 0;
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
    const [rights, fields, accountId, defaultRegion] = await Promise.all([o.rights, o.fields, o.accountId, o.defaultRegion]);
    const ctx: FromApiContext = {
      accountId,
      defaultRegion,
      companyName: (id) => companies.name(id),
      fieldCodes: fields?.fieldCodes,
      enumCodes: fields?.enumCodes,
    };
    for await (const batch of channel.drain()) {
      for (const api of batch) {
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
