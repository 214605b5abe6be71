/**
 * Runs a plan through the CardDAV client: a few workers (the transport caps what is in flight),
 * each write recorded in the map's journal the moment the server confirmed it. A 412 gets one
 * re-read, then counts as a conflict; a UID the server already holds elsewhere is adopted there.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CardDavClient, WriteResult } from '../carddav/client.js';
import { readUid } from './card.js';
import type { SyncMap } from './map.js';
import type { ConflictPolicy, Desired, Op } from './plan.js';

export interface Conflict {
  uid: string;
  url: string;
  why: 'edited' | 'deleted';
  /** Where the phone's version was saved before amoCRM's replaced it. */
  saved?: string;
}

export interface Failure {
  uid: string;
  url: string;
  status?: number;
  detail: string;
}

export interface ExecResult {
  created: number;
  updated: number;
  deleted: number;
  adopted: number;
  conflicts: Conflict[];
  failures: Failure[];
}

export interface ExecOptions {
  dav: CardDavClient;
  book: string;
  map: SyncMap;
  onConflict: ConflictPolicy;
  /** Folder for the phone's versions of overwritten cards. */
  conflictsDir: string;
  workers: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

function safeName(uid: string): string {
  return uid.replace(/[^A-Za-z0-9._-]/g, '_');
}

export async function execute(ops: readonly Op[], o: ExecOptions): Promise<ExecResult> {
  const r: ExecResult = { created: 0, updated: 0, deleted: 0, adopted: 0, conflicts: [], failures: [] };
  const { dav, map } = o;

  const savePhone = async (uid: string, url: string): Promise<string | undefined> => {
    const [card] = await dav.multiget(o.book, [url]);
    if (!card) return undefined;
    mkdirSync(o.conflictsDir, { recursive: true, mode: 0o700 });
    const file = join(o.conflictsDir, `${safeName(uid)}-${new Date().toISOString().replace(/[:.]/g, '-')}.vcf`);
    writeFileSync(file, card.data, { mode: 0o600 });
    return file;
  };

  const recordWrite = async (d: Desired, w: Extract<WriteResult, { ok: true }>) => {
    const etag = w.etag ?? (await dav.etagOf(w.url)) ?? '';
    map.set(d.uid, { url: w.url, etag, hash: d.hash, id: d.id, at: d.at });
  };

  /** A write refused with 412: one re-read, then the conflict policy decides. */
  const afterPrecondition = async (d: Desired, url: string, counted: 'created' | 'updated'): Promise<void> => {
    const [now] = await dav.multiget(o.book, [url]);
    if (!now) {
      const w = await dav.put(url, d.card, undefined);
      if (w.ok) {
        await recordWrite(d, w);
        r[counted]++;
      } else r.failures.push({ uid: d.uid, url, detail: 'precondition' });
      return;
    }
    const ours = readUid(now.data) === d.uid;
    if (ours && counted === 'created') {
      // Created by an earlier run that was stopped before it could record it: adopt and rewrite.
      r.adopted++;
    } else if (o.onConflict !== 'crm' || !ours) {
      r.conflicts.push({ uid: d.uid, url, why: 'edited' });
      return;
    } else {
      const saved = await savePhone(d.uid, url);
      r.conflicts.push({ uid: d.uid, url, why: 'edited', saved });
    }
    const w = await dav.put(now.url, d.card, now.etag);
    if (w.ok) {
      await recordWrite(d, w);
      r.updated++;
    } else r.conflicts.push({ uid: d.uid, url, why: 'edited' });
  };

  const write = async (d: Desired, url: string, etag: string | undefined): Promise<void> => {
    const w = await dav.put(url, d.card, etag);
    if (w.ok) {
      await recordWrite(d, w);
      r[etag === undefined ? 'created' : 'updated']++;
      return;
    }
    if (w.reason === 'precondition') return afterPrecondition(d, url, etag === undefined ? 'created' : 'updated');
    if (w.reason === 'uid-conflict') {
      // The server holds this UID at another address (a card from an import, a lost map): take that one.
      const there = await dav.findByUid(o.book, d.uid);
      if (there) {
        r.adopted++;
        const again = await dav.put(there.url, d.card, there.etag);
        if (again.ok) {
          await recordWrite(d, again);
          r.updated++;
          return;
        }
      }
      r.failures.push({ uid: d.uid, url, detail: w.detail || 'uid conflict' });
      return;
    }
    r.failures.push({ uid: d.uid, url, status: w.status, detail: w.detail });
  };

  const run = async (op: Op): Promise<void> => {
    switch (op.kind) {
      case 'record':
        map.set(op.uid, op.entry);
        r.adopted++;
        return;
      case 'forget':
        map.delete(op.uid);
        return;
      case 'conflict':
        r.conflicts.push({ uid: op.uid, url: op.url, why: op.why });
        return;
      case 'create':
        return write(op.d, op.url, undefined);
      case 'update': {
        if (op.savePhone) r.conflicts.push({ uid: op.uid, url: op.url, why: 'edited', saved: await savePhone(op.uid, op.url) });
        return write(op.d, op.url, op.etag);
      }
      case 'delete': {
        if (op.savePhone) r.conflicts.push({ uid: op.uid, url: op.url, why: 'edited', saved: await savePhone(op.uid, op.url) });
        let res = await dav.delete(op.url, op.etag);
        if (res === 'precondition') {
          const now = await dav.etagOf(op.url);
          if (now === undefined) res = 'ok';
          else if (o.onConflict === 'crm') {
            const saved = await savePhone(op.uid, op.url);
            r.conflicts.push({ uid: op.uid, url: op.url, why: 'edited', saved });
            res = await dav.delete(op.url, now);
          }
        }
        if (res === 'ok') {
          map.delete(op.uid);
          r.deleted++;
        } else r.conflicts.push({ uid: op.uid, url: op.url, why: 'edited' });
        return;
      }
    }
  };

  let next = 0;
  let done = 0;
  let failed: { e: unknown } | undefined;
  const worker = async () => {
    // The first error stops every worker between requests; what they finished stays in the journal.
    while (next < ops.length && !failed) {
      if (o.signal?.aborted) return;
      const op = ops[next++]!;
      try {
        await run(op);
      } catch (e) {
        failed ??= { e };
        return;
      }
      o.onProgress?.(++done, ops.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.workers) }, worker));
  if (failed) throw failed.e;
  return r;
}
