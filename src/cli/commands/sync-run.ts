/**
 * The work of `amo-export --to URL` (keep a CardDAV address book equal to amoCRM, once or with
 * --watch), `amo-export reset --to URL [--delete-cards]` and `amo-export ios-profile`; sync.ts
 * declares their options and imports this module when one of them runs.
 * Order of a run, per account: lock the destination → watermark → contacts (all, or changed since)
 * → sync the book (the map keeps each confirmed write) → only then the watermark.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setMaxListeners } from 'node:events';
import type { CliDeps } from '../deps.js';
import type { IO } from '../io.js';
import { askConfirm, askSecret } from '../prompts.js';
import { openSession, type Session, type SessionFlags } from '../session.js';
import { accountsOf, askPeriod } from './export-run.js';
import { DEFAULT_WATCH_SECONDS } from './sync.js';
import { openConfig, type ConfigStore } from '../../config/store.js';
import { acquireTargetLock } from '../../config/target-lock.js';
import { AppError, isAppError } from '../../errors.js';
import { createDavTransport, type DavAuth } from '../../carddav/transport.js';
import { DEFAULT_DAV_CONCURRENCY } from '../../carddav/defaults.js';
import { CardDavClient, collectionUrl } from '../../carddav/client.js';
import { findBook } from '../../carddav/discover.js';
import { parseDateArg, isoSeconds } from '../../export/dates.js';
import { IOS_LIMIT } from '../../export/most-recent.js';
import { readWatermark, resetWatermarks, writeWatermarks } from '../../export/state.js';
import { cardRenderer, readUid, SYNC_MARK } from '../../sync/card.js';
import { collectChanges } from '../../sync/changes.js';
import { destinationName, parseDavUrl, readDestination, updateDestination, watermarkTarget } from '../../sync/destination.js';
import { mapDir, SyncMap, destinationId } from '../../sync/map.js';
import { syncBook, type BookSyncResult } from '../../sync/run.js';
import type { ConflictPolicy } from '../../sync/plan.js';
import { iosProfile } from '../../sync/ios-profile.js';
import { sleep } from '../../amocrm/limiter.js';

export interface SyncOptions extends SessionFlags {
  to?: string;
  davUser?: string;
  davToken?: string | boolean;
  book: string;
  save?: boolean;
  full?: boolean;
  watch?: number | boolean;
  onConflict: ConflictPolicy;
  davConcurrency?: number;
  since?: string;
  until?: string;
  by: 'updated' | 'created';
  limit?: number;
  target?: string;
  concurrency?: number;
}
export type SyncResetOptions = Parameters<typeof syncResetAction>[0];

export interface IosProfileOptions {
  to?: string;
  davUser?: string;
  output?: string;
  includePassword?: boolean;
  book: string;
}

const MAX_BACKOFF_SECONDS = 900;

function pick(...values: (string | undefined)[]): string | undefined {
  for (const v of values) if (v !== undefined && v.trim() !== '') return v;
  return undefined;
}

interface Credentials {
  auth: DavAuth;
  user?: string;
  password?: string;
  token?: string;
}

async function credentials(o: { davUser?: string; davToken?: string | boolean }, given: ReturnType<typeof parseDavUrl>, saved: { user?: string; password?: string; token?: string }, deps: CliDeps): Promise<Credentials> {
  const { io, env } = deps;
  const host = new URL(given.url).host;
  if (o.davToken !== undefined || env.AMO_DAV_TOKEN || (saved.token && !o.davUser)) {
    let token = pick(typeof o.davToken === 'string' ? o.davToken : undefined, env.AMO_DAV_TOKEN, saved.token);
    if (!token) {
      if (!io.canPrompt) throw new AppError('usage', 'sync.error.needToken');
      token = await askSecret(io, '--dav-token', io.t('sync.prompt.token', { host }));
    }
    return { auth: { kind: 'bearer', token }, token };
  }
  const user = pick(o.davUser, given.user, saved.user);
  if (!user) throw new AppError('usage', 'sync.error.needUser');
  let password = pick(given.password, env.AMO_DAV_PASSWORD, user === saved.user ? saved.password : undefined);
  if (password === undefined) {
    if (!io.canPrompt) throw new AppError('usage', 'sync.error.needPassword');
    password = await askSecret(io, 'AMO_DAV_PASSWORD', io.t('sync.prompt.password', { user, host }));
  }
  return { auth: { kind: 'basic', user, password }, user, password };
}

interface Connection {
  dav: CardDavClient;
  book: string;
  close(): Promise<void>;
}

/** The CardDAV client and the book: from the config when a run found it before, else by discovery. */
async function connect(store: ConfigStore, profile: string, given: ReturnType<typeof parseDavUrl>, o: { davUser?: string; davToken?: string | boolean; book: string; save?: boolean; davConcurrency?: number }, deps: CliDeps, stop?: AbortSignal): Promise<Connection> {
  const saved = readDestination(store, profile, given.url);
  const creds = await credentials(o, given, saved, deps);
  const transport = createDavTransport({ auth: creds.auth, concurrency: o.davConcurrency, signal: stop ?? deps.signal, log: deps.io.verbose ? (l) => deps.io.debug(l) : undefined });
  const dav = new CardDavClient(transport);
  try {
    let book = saved.book;
    if (!book) {
      const found = await findBook(dav, given.url, o.book);
      book = found.url;
      if (found.created) deps.io.info(deps.io.t('sync.book.created', { book: o.book, url: book }));
      updateDestination(store, profile, given.url, { book });
    }
    if (o.save) {
      updateDestination(store, profile, given.url, creds.token ? { token: creds.token, user: undefined, password: undefined } : { user: creds.user, password: creds.password, token: undefined });
      deps.io.info(deps.io.t('sync.saved', { profile }));
    }
    return { dav, book, close: () => dav.close() };
  } catch (e) {
    await dav.close();
    throw e;
  }
}

interface RoundResult {
  book: string;
  accounts: (BookSyncResult & { profile: string; accountId: number; accountName: string; since: number; until: number; complete: boolean })[];
}

/** One sync of every account into the book. Throws on failure; a partial run keeps its map progress only. */
async function syncRound(o: SyncOptions, sessions: Session[], conns: Map<string, Connection>, given: ReturnType<typeof parseDavUrl>, deps: CliDeps, stop: AbortSignal): Promise<RoundResult> {
  const { io } = deps;
  const store = openConfig(deps.env);
  const nowSec = () => Math.floor(deps.now().getTime() / 1000);
  const limit = o.limit ?? (o.target === 'ios' ? IOS_LIMIT : undefined);
  const out: RoundResult = { book: '', accounts: [] };
  for (const s of sessions) {
    let conn = conns.get(s.profileName);
    if (!conn) {
      conn = await connect(store, s.profileName, given, o, deps, stop);
      conns.set(s.profileName, conn);
    }
    out.book = conn.book;
    const destination = destinationName(s.profileName, conn.book);
    const lock = await acquireTargetLock(deps.env, destination, { label: `${conn.book} (${s.profileName})`, signal: stop });
    try {
      const target = watermarkTarget(conn.book);
      const mark = s.isSandbox ? undefined : readWatermark(store, { profile: s.profileName, by: o.by, target });
      const map = SyncMap.open(deps.env, destination, conn.book);
      // A lost map is rebuilt by UID from the listing; re-reading the whole period with it keeps
      // --limit and deletions exact (an adopted card's contact date is unknown until then).
      const complete = Boolean(o.full) || !mark || o.since !== undefined || map.size === 0;
      const storedSince = map.since ?? readDestination(store, s.profileName, given.url).since;
      let since: number;
      if (o.since !== undefined) since = parseDateArg(o.since, '--since');
      else if (!complete) since = mark!.until + 1;
      else if (storedSince !== undefined) since = storedSince;
      else if (o.full) since = 0;
      else {
        if (!io.canPrompt) throw new AppError('usage', 'export.error.needSince', {});
        since = await askPeriod(deps, nowSec());
      }
      const until = o.until !== undefined ? parseDateArg(o.until, '--until', true) : undefined;
      const renderer = cardRenderer(s.account.id);
      const changes = await collectChanges({ client: s.client, rightsClient: s.rightsClient, account: s.account, asUser: o.asUser, renderer, since, until, complete, by: o.by, concurrency: o.concurrency, nowSec, signal: deps.signal });
      if (changes.rights.note) io.warn(io.t(changes.rights.note, { account: s.account.name }));
      if (changes.deletionsUnknown) io.warn(io.t('sync.deletionsUnknown', { account: s.account.name }));
      if (complete) map.since = since;
      const r = await syncBook({
        dav: conn.dav,
        book: conn.book,
        map,
        renderer,
        desired: changes.desired,
        complete,
        gone: changes.gone,
        limit,
        onConflict: o.onConflict,
        conflictsDir: join(mapDir(deps.env), 'conflicts', destinationId(destination)),
        workers: (o.davConcurrency ?? DEFAULT_DAV_CONCURRENCY) * 2,
        signal: stop,
        load: changes.load,
      });
      if (r.committed && complete && !s.isSandbox) updateDestination(store, s.profileName, given.url, { since });
      out.accounts.push({ ...r, profile: s.profileName, accountId: s.account.id, accountName: s.account.name, since: changes.window.since, until: changes.window.until, complete });
      // The book holds everything up to `until` only when every write went through.
      if (r.committed && !s.isSandbox) {
        writeWatermarks(store, [{ profile: s.profileName, accountId: s.account.id, by: o.by, target, until: Math.max(changes.window.until, changes.window.since - 1), savedAt: deps.now().toISOString() }]);
      }
    } finally {
      lock.release();
    }
  }
  return out;
}

function totals(r: RoundResult) {
  const sum = (k: 'created' | 'updated' | 'deleted' | 'adopted' | 'unchanged') => r.accounts.reduce((a, x) => a + x[k], 0);
  return {
    created: sum('created'),
    updated: sum('updated'),
    deleted: sum('deleted'),
    adopted: sum('adopted'),
    unchanged: sum('unchanged'),
    conflicts: r.accounts.flatMap((a) => a.conflicts),
    failures: r.accounts.flatMap((a) => a.failures),
  };
}

function report(io: IO, r: RoundResult, seconds: number): void {
  const t = totals(r);
  if (io.json) {
    io.out(
      JSON.stringify({
        book: r.book,
        ...t,
        accounts: r.accounts.map((a) => ({
          profile: a.profile,
          accountId: a.accountId,
          accountName: a.accountName,
          since: isoSeconds(a.since),
          watermark: a.committed ? isoSeconds(a.until) : null,
          complete: a.complete,
          created: a.created,
          updated: a.updated,
          deleted: a.deleted,
          adopted: a.adopted,
          conflicts: a.conflicts.length,
          failures: a.failures.length,
        })),
      }),
    );
    return;
  }
  for (const c of t.conflicts) io.warn(c.saved ? io.t('sync.conflict.saved', { uid: c.uid, file: c.saved }) : io.t(`sync.conflict.${c.why}`, { uid: c.uid }));
  for (const f of t.failures) io.warn(io.t('sync.failure', { uid: f.uid, detail: f.status ? `${f.status} ${f.detail}` : f.detail }));
  io.info(io.t('sync.summary', { book: r.book, created: t.created, updated: t.updated, deleted: t.deleted, adopted: t.adopted, conflicts: t.conflicts.length, failed: t.failures.length, seconds: seconds.toFixed(1) }));
}

/** SIGTERM (and the caller's abort) end a --watch between requests: the round in flight stops cleanly. */
function stopSignal(deps: CliDeps): { signal: AbortSignal; dispose(): void } {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  const onAbort = () => c.abort();
  deps.signal.addEventListener('abort', onAbort, { once: true });
  const onTerm = () => c.abort();
  process.once('SIGTERM', onTerm);
  return {
    signal: c.signal,
    dispose() {
      deps.signal.removeEventListener('abort', onAbort);
      process.removeListener('SIGTERM', onTerm);
    },
  };
}

export async function syncAction(o: SyncOptions, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const given = parseDavUrl(o.to!);
  if (o.since !== undefined) parseDateArg(o.since, '--since');
  const sessions: Session[] = [];
  const conns = new Map<string, Connection>();
  const stop = stopSignal(deps);
  try {
    for (const account of accountsOf(o)) sessions.push(await openSession({ account, sandbox: o.sandbox, rps: o.rps, asUser: o.asUser, timeout: o.timeout, baseUrl: o.baseUrl }, deps));
    if (o.watch === undefined || o.watch === false) {
      const started = Date.now();
      const r = await syncRound(o, sessions, conns, given, deps, stop.signal);
      report(io, r, (Date.now() - started) / 1000);
      const failed = totals(r).failures.length;
      if (failed) throw new AppError('api', 'sync.error.failed', { count: failed });
      return;
    }
    const every = typeof o.watch === 'number' ? o.watch : DEFAULT_WATCH_SECONDS;
    // Later rounds read only what changed; the first one decides the period.
    const later: SyncOptions = { ...o, since: undefined, full: false };
    let round = 0;
    let errors = 0;
    while (!stop.signal.aborted) {
      round++;
      let wait = every;
      const time = deps.now().toISOString().slice(11, 19);
      try {
        const r = await syncRound(round === 1 ? o : later, sessions, conns, given, deps, stop.signal);
        const t = totals(r);
        errors = t.failures.length ? errors + 1 : 0;
        if (errors) wait = Math.min(MAX_BACKOFF_SECONDS, every * 2 ** errors);
        io.info(io.t('sync.round', { time, round, created: t.created, updated: t.updated, deleted: t.deleted, conflicts: t.conflicts.length }));
        if (io.json) report(io, r, 0);
      } catch (e) {
        if (stop.signal.aborted || (isAppError(e) && e.kind === 'cancelled')) break;
        // Credentials, rights and usage do not heal by waiting.
        if (isAppError(e) && ['usage', 'auth', 'rights', 'config', 'busy', 'input'].includes(e.kind)) throw e;
        errors++;
        wait = Math.min(MAX_BACKOFF_SECONDS, every * 2 ** errors);
        const message = isAppError(e) ? io.t(e.key, e.params) : e instanceof Error ? e.message.split('\n')[0]! : String(e);
        io.warn(io.t('sync.round.error', { time, round, message, seconds: wait }));
      }
      await sleep(wait * 1000, stop.signal).catch(() => undefined);
    }
    io.info(io.t('sync.watch.stopped', { rounds: round }));
  } finally {
    stop.dispose();
    for (const c of conns.values()) await c.close();
    for (const s of sessions) await s.close();
  }
}

/** `reset --to URL [--delete-cards]`. */
export async function syncResetAction(o: { to: string; deleteCards?: boolean; davUser?: string; davToken?: string | boolean; book: string; account?: string[] | string }, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const store = openConfig(deps.env);
  const given = parseDavUrl(o.to);
  const profiles = o.account === undefined ? undefined : Array.isArray(o.account) ? o.account : [o.account];
  const profile = profiles?.[0] ?? deps.env.AMO_ACCOUNT ?? store.defaultProfileName() ?? 'default';
  const saved = readDestination(store, profile, given.url);
  let book = saved.book ?? collectionUrl(given.url);
  let deleted = 0;
  if (o.deleteCards) {
    const conn = await connect(store, profile, given, { ...o, save: false }, deps);
    book = conn.book;
    const destination = destinationName(profile, book);
    const lock = await acquireTargetLock(deps.env, destination, { label: `${book} (${profile})` });
    try {
      const map = SyncMap.open(deps.env, destination, book);
      // Ours: the map, plus marked cards with our UID scheme the map lost.
      const targets = new Map<string, string>();
      for (const e of map.entries.values()) targets.set(e.url, e.etag);
      const listed = await conn.dav.listEtags(book);
      const unknown = listed.filter((c) => !targets.has(c.url)).map((c) => c.url);
      for (const card of unknown.length ? await conn.dav.multiget(book, unknown) : []) {
        if (/^amocrm-\d+-\d+$/.test(readUid(card.data) ?? '') && card.data.includes(SYNC_MARK)) targets.set(card.url, card.etag);
      }
      const current = new Map(listed.map((c) => [c.url, c.etag]));
      for (const url of [...targets.keys()]) if (!current.has(url)) targets.delete(url);
      if (io.canPrompt && targets.size && !(await askConfirm(io, '--delete-cards', io.t('sync.reset.confirm', { count: targets.size, book }), false))) {
        throw new AppError('cancelled', 'error.cancelled');
      }
      for (const [url] of targets) {
        if ((await conn.dav.delete(url, current.get(url))) === 'ok') deleted++;
      }
      map.remove();
    } finally {
      lock.release();
      await conn.close();
    }
  }
  const removed = resetWatermarks(store, { profiles, target: watermarkTarget(book) });
  if (io.json) io.out(JSON.stringify({ book, watermarksRemoved: removed.length, cardsDeleted: deleted }));
  else {
    io.info(io.t('sync.reset.done', { count: removed.length, book }));
    if (o.deleteCards) io.info(io.t('sync.reset.deleted', { count: deleted, book }));
  }
}

/** `amo-export ios-profile`. */
export async function iosProfileAction(o: IosProfileOptions, deps: CliDeps): Promise<void> {
  const { io } = deps;
  if (!o.to) throw new AppError('usage', 'error.missingFlag', { flag: '--to' });
  if (!o.davUser) throw new AppError('usage', 'error.missingFlag', { flag: '--dav-user' });
  if (!o.output) throw new AppError('usage', 'sync.error.needOutput');
  const given = parseDavUrl(o.to);
  let password: string | undefined;
  if (o.includePassword) {
    password = pick(given.password, deps.env.AMO_DAV_PASSWORD);
    if (password === undefined) {
      if (!io.canPrompt) throw new AppError('usage', 'sync.error.needPassword');
      password = await askSecret(io, 'AMO_DAV_PASSWORD', io.t('sync.prompt.password', { user: o.davUser, host: new URL(given.url).host }));
    }
  }
  const file = resolve(deps.cwd, o.output);
  try {
    const mode = password ? 0o600 : 0o644;
    writeFileSync(file, iosProfile({ url: given.url, user: o.davUser, password, description: o.book }), { mode });
    // `mode` applies only to a new file: an older profile in its place keeps its own otherwise.
    chmodSync(file, mode);
  } catch (e) {
    throw new AppError('io', 'error.fileWrite', { path: file, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
  }
  if (io.json) io.out(JSON.stringify({ output: file, includesPassword: Boolean(password) }));
  else io.info(io.t('sync.ios.written', { file }));
}
