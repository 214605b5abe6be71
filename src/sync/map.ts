/**
 * The per-destination map UID → URL → ETag → hash of what we sent, in the config dir (0600).
 * A snapshot plus an append-only journal: every completed write is one journal line, so a run
 * killed at any point keeps what it finished; the next commit folds the journal into a new
 * snapshot (atomic rename) and empties it. Replaying a line twice is harmless.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { configDir } from '../config/paths.js';
import { AppError } from '../errors.js';

export interface MapEntry {
  url: string;
  etag: string;
  /** Hash of the card we sent; '' when adopted from the server without knowing its text. */
  hash: string;
  id: number;
  /** max(created, updated) of the contact: what --limit keeps the newest of. */
  at: number;
}

export interface MapState {
  version: 1;
  book: string;
  syncToken?: string;
  /** Start of the period the first run chose (what --full re-reads from). */
  since?: number;
  entries: Record<string, MapEntry>;
  /** Cards that are not ours, by URL → ETag: read once, never again while their ETag holds. */
  foreign: Record<string, string>;
}

type JournalLine = { s: string; e: MapEntry } | { d: string } | { f: string; t: string | null };

export function mapDir(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'carddav');
}

export function destinationId(destination: string): string {
  return createHash('sha256').update(destination).digest('hex').slice(0, 32);
}

export class SyncMap {
  readonly entries = new Map<string, MapEntry>();
  readonly foreign = new Map<string, string>();
  syncToken: string | undefined;
  since: number | undefined;
  private committedSince: number | undefined;
  private fd: number | undefined;
  /** Something is in the journal, or the token or period changed, since the snapshot. */
  private dirty = false;
  private readonly snapshot: string;
  private readonly journal: string;

  private constructor(
    readonly dir: string,
    readonly id: string,
    readonly book: string,
  ) {
    this.snapshot = join(dir, `${id}.json`);
    this.journal = join(dir, `${id}.journal`);
  }

  /** Loads the map of `destination` (empty when there is none, or when it belongs to another book). */
  static open(env: NodeJS.ProcessEnv, destination: string, book: string): SyncMap {
    const dir = mapDir(env);
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      throw new AppError('config', 'config.error.notWritable', { dir, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
    }
    const m = new SyncMap(dir, destinationId(destination), book);
    m.load();
    return m;
  }

  get size(): number {
    return this.entries.size;
  }

  private load(): void {
    let state: MapState | undefined;
    try {
      state = JSON.parse(readFileSync(this.snapshot, 'utf8')) as MapState;
    } catch (e) {
      // Missing or unreadable: the map is rebuilt from the server's listing by UID.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
    }
    if (state && state.version === 1 && state.book === this.book) {
      this.syncToken = state.syncToken;
      this.since = state.since;
      this.committedSince = state.since;
      for (const [uid, e] of Object.entries(state.entries ?? {})) this.entries.set(uid, e);
      for (const [url, etag] of Object.entries(state.foreign ?? {})) this.foreign.set(url, etag);
    }
    if (!existsSync(this.journal)) return;
    for (const line of readFileSync(this.journal, 'utf8').split('\n')) {
      if (!line) continue;
      let j: JournalLine;
      try {
        j = JSON.parse(line) as JournalLine;
      } catch {
        continue; // the last line of a killed run may be cut short
      }
      this.apply(j);
      this.dirty = true;
    }
  }

  private apply(j: JournalLine): void {
    if ('s' in j) this.entries.set(j.s, j.e);
    else if ('d' in j) this.entries.delete(j.d);
    else if (j.t === null) this.foreign.delete(j.f);
    else this.foreign.set(j.f, j.t);
  }

  private append(j: JournalLine): void {
    this.apply(j);
    this.dirty = true;
    this.fd ??= openSync(this.journal, 'a', 0o600);
    // A kill after this returns keeps the line: it is in the kernel, not in our buffers.
    writeSync(this.fd, `${JSON.stringify(j)}\n`);
  }

  set(uid: string, e: MapEntry): void {
    this.append({ s: uid, e });
  }

  delete(uid: string): void {
    if (this.entries.has(uid)) this.append({ d: uid });
  }

  setForeign(url: string, etag: string | null): void {
    if (etag === null ? this.foreign.has(url) : this.foreign.get(url) !== etag) this.append({ f: url, t: etag });
  }

  /** The run completed: snapshot with the new sync token, journal emptied. */
  commit(syncToken: string | undefined): void {
    // An unchanged round (what --watch repeats) rewrites nothing.
    if (!this.dirty && syncToken === this.syncToken && this.since === this.committedSince) return;
    this.syncToken = syncToken;
    const state: MapState = { version: 1, book: this.book, syncToken, since: this.since, entries: Object.fromEntries(this.entries), foreign: Object.fromEntries(this.foreign) };
    const tmp = `${this.snapshot}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state), { mode: 0o600 });
    renameSync(tmp, this.snapshot);
    this.closeJournal();
    rmSync(this.journal, { force: true });
    this.dirty = false;
    this.committedSince = this.since;
  }

  closeJournal(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Forgets everything about this destination (reset). */
  remove(): void {
    this.closeJournal();
    rmSync(this.snapshot, { force: true });
    rmSync(this.journal, { force: true });
    this.entries.clear();
    this.foreign.clear();
    this.syncToken = undefined;
    this.since = undefined;
  }
}
