/**
 * The sync plan: a pure function of what amoCRM wants in the book, what the map says we put
 * there, and what the server lists now. It decides every write before the first one is sent.
 */
import type { MapEntry } from './map.js';

export type ConflictPolicy = 'crm' | 'phone' | 'skip';

export interface Desired {
  uid: string;
  id: number;
  at: number;
  card: string;
  hash: string;
}

/** What the server says: every card (full), or what changed since the stored sync token (delta). */
export interface Listing {
  kind: 'full' | 'delta';
  /** URL → ETag: all cards (full) or the changed ones (delta). */
  cards: Map<string, string>;
  /** URLs gone since the token (delta only). */
  deleted: Set<string>;
}

export interface PlanInput {
  /** Contacts that must be in the book with this text (the changed ones; all when `complete`). */
  desired: readonly Desired[];
  /** `desired` is every contact the book should hold: the rest of our cards go. */
  complete: boolean;
  /** UIDs whose contacts left the export (deleted, merged, no phone, out of rights). */
  gone: ReadonlySet<string>;
  map: ReadonlyMap<string, MapEntry>;
  /** Our cards found on the server but missing from the map (a lost map, a killed run). */
  adopted: ReadonlyMap<string, MapEntry>;
  listing: Listing;
  onConflict: ConflictPolicy;
  limit?: number;
  urlFor(uid: string): string;
}

export type Op =
  | { kind: 'create'; uid: string; url: string; d: Desired }
  /** `savePhone`: the phone edited it since our last write; keep that version before overwriting. */
  | { kind: 'update'; uid: string; url: string; etag: string; d: Desired; savePhone: boolean }
  | { kind: 'delete'; uid: string; url: string; etag: string; savePhone: boolean }
  /** Record in the map without writing (adopted cards, a phone version kept by policy). */
  | { kind: 'record'; uid: string; entry: MapEntry }
  /** Drop from the map without writing (the card left the book, or the phone's version is kept). */
  | { kind: 'forget'; uid: string }
  /** Reported only. */
  | { kind: 'conflict'; uid: string; url: string; why: 'edited' | 'deleted' };

/** The card's ETag on the server now; undefined when the server no longer has it. */
export function serverEtag(e: MapEntry, l: Listing): string | undefined {
  if (l.kind === 'full') return l.cards.get(e.url);
  if (l.deleted.has(e.url)) return l.cards.get(e.url);
  return l.cards.get(e.url) ?? e.etag;
}

/** UIDs of our cards the phone edited or deleted since we wrote them. */
export function phoneChanges(map: ReadonlyMap<string, MapEntry>, l: Listing): string[] {
  const out: string[] = [];
  for (const [uid, e] of map) if (serverEtag(e, l) !== e.etag) out.push(uid);
  return out;
}

export function plan(p: PlanInput): Op[] {
  const ops: Op[] = [];
  const map = new Map(p.map);
  for (const [uid, e] of p.adopted) {
    if (!map.has(uid)) {
      map.set(uid, e);
      ops.push({ kind: 'record', uid, entry: e });
    }
  }
  const wanted = new Map<string, Desired>();
  for (const d of p.desired) if (!p.gone.has(d.uid)) wanted.set(d.uid, d);

  // --limit: of everything that will be in the book, only the newest N stay.
  if (p.limit !== undefined) {
    const all: { uid: string; at: number; id: number }[] = [];
    for (const d of wanted.values()) all.push(d);
    for (const [uid, e] of map) if (!wanted.has(uid) && !p.gone.has(uid) && !p.complete) all.push({ uid, at: e.at, id: e.id });
    if (all.length > p.limit) {
      all.sort((a, b) => b.at - a.at || b.id - a.id);
      const drop = new Set(all.slice(p.limit).map((x) => x.uid));
      for (const uid of drop) wanted.delete(uid);
      const gone = new Set(p.gone);
      for (const uid of drop) gone.add(uid);
      return finish(p, map, wanted, gone, ops);
    }
  }
  return finish(p, map, wanted, p.gone, ops);
}

function finish(p: PlanInput, map: Map<string, MapEntry>, wanted: Map<string, Desired>, gone: ReadonlySet<string>, ops: Op[]): Op[] {
  for (const d of wanted.values()) {
    const e = map.get(d.uid);
    if (!e) {
      ops.push({ kind: 'create', uid: d.uid, url: p.urlFor(d.uid), d });
      continue;
    }
    const now = serverEtag(e, p.listing);
    if (now === undefined) {
      // Deleted on the phone.
      if (p.onConflict === 'crm') ops.push({ kind: 'create', uid: d.uid, url: p.urlFor(d.uid), d });
      else {
        ops.push({ kind: 'conflict', uid: d.uid, url: e.url, why: 'deleted' });
        if (p.onConflict === 'phone') ops.push({ kind: 'forget', uid: d.uid });
      }
      continue;
    }
    if (now !== e.etag) {
      if (p.onConflict === 'crm') ops.push({ kind: 'update', uid: d.uid, url: e.url, etag: now, d, savePhone: true });
      else {
        ops.push({ kind: 'conflict', uid: d.uid, url: e.url, why: 'edited' });
        if (p.onConflict === 'phone') ops.push({ kind: 'record', uid: d.uid, entry: { ...e, etag: now } });
      }
      continue;
    }
    if (e.hash !== d.hash) ops.push({ kind: 'update', uid: d.uid, url: e.url, etag: e.etag, d, savePhone: false });
  }
  for (const [uid, e] of map) {
    if (wanted.has(uid)) continue;
    const leaving = gone.has(uid) || p.complete;
    const now = serverEtag(e, p.listing);
    if (now === undefined) {
      // Gone from the server: by the phone (a conflict unless the contact is leaving anyway) or by us earlier.
      if (!leaving) ops.push({ kind: 'conflict', uid, url: e.url, why: 'deleted' });
      if (leaving || p.onConflict !== 'skip') ops.push({ kind: 'forget', uid });
      continue;
    }
    const edited = now !== e.etag;
    if (leaving) {
      if (!edited || p.onConflict === 'crm') ops.push({ kind: 'delete', uid, url: e.url, etag: now, savePhone: edited });
      else {
        ops.push({ kind: 'conflict', uid, url: e.url, why: 'edited' });
        if (p.onConflict === 'phone') ops.push({ kind: 'forget', uid });
      }
    } else if (edited) {
      // Not rewritten in this run (its contact could not be read): reported, left for the next one.
      ops.push({ kind: 'conflict', uid, url: e.url, why: 'edited' });
      if (p.onConflict === 'phone') ops.push({ kind: 'record', uid, entry: { ...e, etag: now } });
    }
  }
  return ops;
}
