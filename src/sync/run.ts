/**
 * One sync of one account into one book: list the server once (sync-collection from the stored
 * token, else a full listing), read the cards we do not know yet (adopting ours by UID), plan,
 * execute, and commit the map with the new token only when every write went through.
 */
import type { CardDavClient, CardRef } from '../carddav/client.js';
import { contactIdOf, readUid, type CardRenderer } from './card.js';
import { execute, type Conflict, type Failure } from './execute.js';
import type { MapEntry, SyncMap } from './map.js';
import { phoneChanges, plan, type ConflictPolicy, type Desired, type Listing } from './plan.js';
import { cardUrl } from './card.js';
import { AppError } from '../errors.js';

export interface BookSyncRequest {
  dav: CardDavClient;
  book: string;
  map: SyncMap;
  renderer: CardRenderer;
  desired: Desired[];
  complete: boolean;
  gone: Set<string>;
  limit?: number;
  onConflict: ConflictPolicy;
  conflictsDir: string;
  workers: number;
  signal?: AbortSignal;
  /** Reads contacts by id, for our cards the phone changed whose contacts this run did not read. */
  load?(ids: number[]): Promise<{ found: Desired[]; missing: number[] }>;
  onProgress?(done: number, total: number): void;
}

export interface BookSyncResult {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  unchanged: number;
  conflicts: Conflict[];
  failures: Failure[];
  /** The listing was a full one (first run, lost token, server without sync-collection). */
  fullListing: boolean;
  /** Map committed with the new sync token (false: partial, progress kept in the journal). */
  committed: boolean;
}

async function listing(dav: CardDavClient, book: string, token: string | undefined): Promise<{ l: Listing; token?: string }> {
  if (token) {
    const delta = await dav.syncCollection(book, token);
    if (delta) return { l: { kind: 'delta', cards: new Map(delta.changed.map((c) => [c.url, c.etag])), deleted: new Set(delta.deleted) }, token: delta.token };
  }
  // No token, or the server forgot it (403 valid-sync-token): one full listing.
  const all = await dav.syncCollection(book, undefined);
  const cards: CardRef[] = all ? all.changed : await dav.listEtags(book);
  return { l: { kind: 'full', cards: new Map(cards.map((c) => [c.url, c.etag])), deleted: new Set() }, token: all?.token };
}

export async function syncBook(q: BookSyncRequest): Promise<BookSyncResult> {
  const { dav, map, book } = q;
  const { l, token } = await listing(dav, book, map.syncToken);

  const known = new Set<string>();
  for (const e of map.entries.values()) known.add(e.url);
  if (l.kind === 'delta') for (const url of l.deleted) map.setForeign(url, null);
  const unknown: string[] = [];
  for (const [url, etag] of l.cards) if (!known.has(url) && map.foreign.get(url) !== etag) unknown.push(url);
  if (l.kind === 'full') for (const url of [...map.foreign.keys()]) if (!l.cards.has(url)) map.setForeign(url, null);

  const adopted = new Map<string, MapEntry>();
  if (unknown.length) {
    for (const card of await dav.multiget(book, unknown)) {
      const uid = readUid(card.data);
      const id = uid === undefined ? undefined : contactIdOf(uid, q.renderer.uidPrefix);
      if (uid !== undefined && id !== undefined && !map.entries.has(uid) && !adopted.has(uid)) adopted.set(uid, { url: card.url, etag: card.etag, hash: '', id, at: 0 });
      else map.setForeign(card.url, card.etag);
    }
  }

  const desired = q.desired;
  const gone = q.gone;
  if (q.onConflict === 'crm' && !q.complete && q.load) {
    // amoCRM's version replaces the phone's: read the contacts this run did not bring.
    const have = new Set(desired.map((d) => d.uid));
    const ids: number[] = [];
    for (const uid of phoneChanges(map.entries, l)) if (!have.has(uid) && !gone.has(uid)) ids.push(map.entries.get(uid)!.id);
    if (ids.length) {
      const { found, missing } = await q.load(ids);
      desired.push(...found);
      for (const id of missing) gone.add(q.renderer.uidOf(id));
    }
  }

  const ops = plan({ desired, complete: q.complete, gone, map: map.entries, adopted, listing: l, onConflict: q.onConflict, limit: q.limit, urlFor: (uid) => cardUrl(book, uid) });
  const writes = ops.filter((o) => o.kind === 'create' || o.kind === 'update' || o.kind === 'delete').length;
  const r = await execute(ops, { dav, book, map, onConflict: q.onConflict, conflictsDir: q.conflictsDir, workers: q.workers, signal: q.signal, onProgress: q.onProgress });
  if (q.signal?.aborted) {
    map.closeJournal();
    throw new AppError('cancelled', 'error.cancelled');
  }
  const committed = r.failures.length === 0;
  if (committed) map.commit(token);
  else map.closeJournal();
  return { ...r, unchanged: Math.max(0, desired.length - writes), fullListing: l.kind === 'full', committed };
}
