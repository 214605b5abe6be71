/**
 * The amoCRM REST v4 client: rate-limited, retrying per the API doc §10, and stopping everything
 * at the first sign of an IP/account block (more requests would only extend it).
 */
import { setMaxListeners } from 'node:events';
import { lazy } from '../lazy.js';
import { AppError } from '../errors.js';
import { VERSION } from '../version.js';
import type { ApiAccount, ApiCompany, ApiContact, ApiCustomFieldDef, ApiEvent, ApiUser } from './types.js';
import type { TokenProvider } from './auth.js';
import { LOGIN_COMMAND } from './auth.js';
import { ACCEPT, BodyTooLarge, DeadlineExceeded, MAX_BODY_BYTES, networkReason, problemDetail, send, type Reply } from './http.js';
import { createRateLimiter, JITTER_MARGIN_MS, sleep, type Priority, type Ticket } from './limiter.js';
import { wireTap } from './wire-tap.js';
import { maskPath } from './mask.js';
import { DEFAULT_RPS, DEFAULT_TIMEOUT_MS, MAX_RPS } from './rates.js';

const undici = lazy<typeof import('undici')>('undici');

export interface ContactsQuery {
  page?: number;
  /** default 250 */
  limit?: number;
  updatedAt?: { from?: number; to?: number };
  createdAt?: { from?: number; to?: number };
  ids?: number[];
  order?: { field: 'updated_at' | 'created_at' | 'id'; dir: 'asc' | 'desc' };
  query?: string;
}

export interface EventsQuery {
  types: string[];
  createdFrom?: number;
  createdTo?: number;
  entity?: 'contact';
  priority?: Priority;
}

export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  serverErrors: number;
  /** How long answers take on the wire (from the request's start, queueing excluded), smoothed; 0 before the first. */
  answerMs: number;
}

export interface AmoClient {
  account(withs?: string[]): Promise<ApiAccount>;
  /** null on the non-admin 403 (and for an unknown user). */
  user(id: number): Promise<ApiUser | null>;
  /** Admin only: AppError('rights') otherwise. */
  users(): AsyncIterable<ApiUser>;
  /**
   * One GET. [] on 204. On 504 it retries with a smaller limit (250→100→50), starting at the same
   * offset ((page−1)·requested limit), so `limit` is the limit that was actually used: a page
   * shorter than it is the last.
   */
  contactsPage(q: ContactsQuery): Promise<{ items: ApiContact[]; limit: number }>;
  /** Pages until 204 or a short page; never trusts `next`. */
  contacts(q: Omit<ContactsQuery, 'page'>): AsyncIterable<ApiContact[]>;
  /** Batches of ≤250 with filter[id][]. */
  companiesByIds(ids: number[], priority?: Priority): Promise<ApiCompany[]>;
  /** limit 100 (valid on both products). */
  events(q: EventsQuery): AsyncIterable<ApiEvent[]>;
  /** One page of `events` (1-based); like contactsPage, `limit` is the size actually used. */
  eventsPage(q: EventsQuery, page: number, limit?: number): Promise<{ items: ApiEvent[]; limit: number }>;
  contactCustomFields(): Promise<ApiCustomFieldDef[]>;
  readonly stats: ClientStats;
  /** Requests of normal priority waiting for a start: more than none means the rate is the limit. */
  readonly waiting: number;
  /** Starts per second the client allows now (halved after 429s). */
  readonly rate: number;
  close(): Promise<void>;
}

export interface AmoClientOptions {
  baseUrl: string;
  auth: TokenProvider;
  /** default 5, allowed 1..7 */
  rps?: number;
  /** X-Context-User-ID: act with this user's rights (admin-granted tokens only). */
  contextUserId?: number;
  /** --verbose request log; tokens and codes masked. */
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** Base of the exponential backoffs in ms (default 1000); tests shorten it. */
  backoffBaseMs?: number;
  /** Deadline of one request, body included (--timeout); default DEFAULT_TIMEOUT_MS. */
  timeoutMs?: number;
}

// In their own module so that declaring --rps does not load the client.
export { DEFAULT_RPS, MAX_RPS };
const MAX_SERVER_RETRIES = 3;
const MAX_429_RETRIES = 5;
const MAX_429_WAIT_MS = 60_000;
/** The longest retry_after we wait out (Kommo's own example is 300 s); longer means "come back later". */
export const MAX_RETRY_AFTER_S = 300;
export const LIMIT_LADDER = [250, 100, 50];
/** The events page size valid on both products (amocrm-api.md §7). */
export const EVENTS_LIMIT = 100;

type Query = [string, string][];

/** A problem+json 403 where the caller expects one (non-admins reading users). */
class Forbidden {
  constructor(readonly requestId: string) {}
}

function qs(q: Query): string {
  if (!q.length) return '';
  // Brackets stay literal (filter[id][]=…), as amoCRM's own docs write them.
  return `?${q.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`;
}

/** Page sizes to fall back to after a failure, each a divisor of the offset so no record is skipped. */
function ladderFor(limit: number, offset: number): number[] {
  return [limit, ...LIMIT_LADDER.filter((l) => l < limit && offset % l === 0)];
}

function contactsQuery(q: ContactsQuery): Query {
  const out: Query = [];
  if (q.query !== undefined) out.push(['query', q.query]);
  if (q.updatedAt?.from !== undefined) out.push(['filter[updated_at][from]', String(q.updatedAt.from)]);
  if (q.updatedAt?.to !== undefined) out.push(['filter[updated_at][to]', String(q.updatedAt.to)]);
  if (q.createdAt?.from !== undefined) out.push(['filter[created_at][from]', String(q.createdAt.from)]);
  if (q.createdAt?.to !== undefined) out.push(['filter[created_at][to]', String(q.createdAt.to)]);
  for (const id of q.ids ?? []) out.push(['filter[id][]', String(id)]);
  if (q.order) out.push([`order[${q.order.field}]`, q.order.dir]);
  return out;
}

/**
 * Seconds from a `retry_after` member or a Retry-After header (delta-seconds or an HTTP date);
 * undefined when the value means nothing, Infinity for 1e999.
 */
export function retryAfterSeconds(raw: string | undefined, nowMs: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = raw.trim().replace(/^"(.*)"$/, '$1').trim();
  if (/^\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(v)) return Number(v);
  if (/[a-z]/i.test(v)) {
    const at = Date.parse(v);
    if (Number.isFinite(at)) return Math.max(0, (at - nowMs) / 1000);
  }
  return undefined;
}

/** Where a redirect points, as scheme://host only: enough to say where, nothing of a path or query. */
function redirectTarget(location: string | undefined, base: string): string {
  if (!location) return '—';
  try {
    return new URL(location, base).origin;
  } catch {
    return location.slice(0, 60);
  }
}

function eventsQuery(q: EventsQuery): Query {
  const out: Query = [];
  for (const t of q.types) out.push(['filter[type][]', t]);
  if (q.entity) out.push(['filter[entity][]', q.entity]);
  if (q.createdFrom !== undefined) out.push(['filter[created_at][from]', String(q.createdFrom)]);
  if (q.createdTo !== undefined) out.push(['filter[created_at][to]', String(q.createdTo)]);
  return out;
}

function embedded<T>(json: unknown, key: string): T[] {
  const list = (json as { _embedded?: Record<string, unknown> } | null | undefined)?._embedded?.[key];
  return Array.isArray(list) ? (list as T[]) : [];
}

export function createAmoClient(o: AmoClientOptions): AmoClient {
  const rps = o.rps ?? DEFAULT_RPS;
  if (!Number.isInteger(rps) || rps < 1 || rps > MAX_RPS) throw new AppError('usage', 'amocrm.error.badRps', { value: String(rps), max: MAX_RPS });
  const baseUrl = o.baseUrl.replace(/\/+$/, '');
  const host = new URL(baseUrl).host;
  const backoff = o.backoffBaseMs ?? 1000;
  // The PHP client's timeouts: connect 5 s, request 20 s; a little more for big pages.
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // undici's timeouts limit silence only; send() adds the deadline for the whole exchange.
  const agent = new (undici().Agent)({ connect: { timeout: Math.min(5_000, timeoutMs) }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const dispatcher = agent.compose(wireTap);
  const limiter = createRateLimiter(rps, { marginMs: rps >= MAX_RPS ? JITTER_MARGIN_MS : 0 });
  const stop = new AbortController();
  const signal = o.signal ? AbortSignal.any([o.signal, stop.signal]) : stop.signal;
  // Every request in flight listens on it; many in flight is normal here, not a leak.
  setMaxListeners(0, signal);
  const stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, serverErrors: 0, answerMs: 0 };
  let saw429 = false;
  let fatal: AppError | undefined;

  function abortError(): AppError {
    if (fatal) return fatal;
    return signal.reason instanceof AppError ? signal.reason : new AppError('cancelled', 'error.cancelled');
  }

  /** The block is account- or IP-wide: fail every waiting and future request with the same error. */
  function block(reply: Reply): never {
    fatal ??= new AppError('blocked', 'amocrm.error.blocked', { host, requestId: reply.requestId || '—' });
    stop.abort(fatal);
    throw fatal;
  }

  /** Waits out the n-th backoff after a server or network failure (cancellable like the request). */
  async function backOff(failures: number): Promise<void> {
    await sleep(backoff * 2 ** failures, signal).catch(() => {
      throw abortError();
    });
    stats.retries++;
  }

  /** The wait the server asked for, if it makes sense; past MAX_RETRY_AFTER_S the run stops. */
  function retryAfterMs(reply: Reply, tries: number): number {
    const sec = retryAfterSeconds(reply.retryAfter, Date.now());
    if (sec !== undefined && sec > MAX_RETRY_AFTER_S) {
      throw new AppError('api', 'amocrm.error.retryAfterTooLong', { host, value: reply.retryAfter!.slice(0, 40), max: MAX_RETRY_AFTER_S, requestId: reply.requestId || '—' });
    }
    if (sec !== undefined) return sec * 1000;
    return Math.min(MAX_429_WAIT_MS, 2 * backoff * 2 ** tries);
  }

  /**
   * GET with the whole retry policy. `build(failures)` gives the path+query for the n-th attempt
   * after server/network failures (lists shrink their page there). Returns null for 204, and
   * a Forbidden marker for a problem+json 403 when `allowForbidden`.
   */
  async function get(path: string, build: (failures: number) => Query, opt: { allowForbidden?: boolean; priority?: Priority } = {}): Promise<unknown> {
    let failures = 0;
    let limited = 0;
    let replayed = false;
    for (;;) {
      if (fatal) throw fatal;
      let ticket: Ticket;
      try {
        ticket = await limiter.take(signal, opt.priority);
      } catch {
        throw abortError();
      }
      let token: string;
      try {
        token = await o.auth.token();
      } catch (e) {
        ticket.release();
        throw e;
      }
      if (signal.aborted) {
        ticket.release();
        throw abortError();
      }
      const target = `${path}${qs(build(failures))}`;
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: ACCEPT, 'user-agent': `amo-phonebook/${VERSION}` };
      if (o.contextUserId !== undefined) headers['x-context-user-id'] = String(o.contextUserId);
      stats.requests++;
      let reply: Reply;
      try {
        reply = await send({ method: 'GET', url: `${baseUrl}${target}`, headers, dispatcher, signal, opaque: ticket, timeoutMs, maxBodyBytes: MAX_BODY_BYTES });
      } catch (e) {
        // Failed before the headers were written (connection refused, aborted while connecting): the slot is free again.
        ticket.release();
        if (e instanceof AppError) throw e;
        if (signal.aborted) throw abortError();
        // The same page would be as big again: no retry.
        if (e instanceof BodyTooLarge) throw new AppError('api', 'amocrm.error.tooBig', { host, path, mb: Math.round(e.maxBytes / 1024 / 1024) }, { cause: e });
        stats.serverErrors++;
        o.log?.(`GET ${maskPath(target)} → ${networkReason(e)}`);
        if (failures >= MAX_SERVER_RETRIES) {
          if (e instanceof DeadlineExceeded) throw new AppError('network', 'amocrm.error.timeout', { host, path, seconds: e.timeoutMs / 1000, tries: failures + 1 }, { cause: e });
          throw new AppError('network', 'amocrm.error.network', { host, reason: networkReason(e) }, { cause: e });
        }
        await backOff(failures++);
        continue;
      }
      // A reply means the request was on the wire; this only matters if the tap missed it.
      ticket.sent();
      stats.answerMs = stats.answerMs ? 0.7 * stats.answerMs + 0.3 * reply.ms : reply.ms;
      o.log?.(`GET ${maskPath(target)} → ${reply.status} ${reply.ms} ms${reply.requestId ? ` ${reply.requestId}` : ''}`);
      const requestId = reply.requestId || '—';
      const s = reply.status;
      if (s === 200 || s === 201) {
        if (reply.json === undefined) throw new AppError('api', 'amocrm.error.notJson', { status: s, path, contentType: reply.contentType || '—', requestId });
        return reply.json;
      }
      if (s === 204) return null;
      if (s === 429) {
        saw429 = true;
        stats.rateLimited++;
        limiter.slowDown(ticket);
        const wait = retryAfterMs(reply, limited);
        // Give up only once slowing down has gone as far as it goes.
        if (limited >= MAX_429_RETRIES && limiter.atFloor) throw new AppError('api', 'amocrm.error.rateLimited', { host, requestId });
        limited++;
        stats.retries++;
        limiter.pauseFor(wait);
        continue;
      }
      if (s === 403) {
        if (reply.isHtml || saw429) block(reply);
        if (opt.allowForbidden) return new Forbidden(requestId);
        throw new AppError('rights', 'amocrm.error.forbidden', { path, detail: problemDetail(reply.json) || '—', requestId });
      }
      if (s === 401) {
        if (o.auth.refreshAfter401 && !replayed) {
          replayed = true;
          stats.retries++;
          await o.auth.refreshAfter401(token);
          continue;
        }
        if (o.auth.kind === 'long-lived') throw new AppError('auth', 'amocrm.error.longLivedRevoked', { host, command: LOGIN_COMMAND, requestId });
        throw new AppError('auth', 'amocrm.error.unauthorized', { host, command: LOGIN_COMMAND, requestId });
      }
      if (s === 402) {
        fatal ??= new AppError('unpaid', 'amocrm.error.unpaid', { host, requestId });
        throw fatal;
      }
      // Never followed: the token would go wherever a server points.
      if (s >= 300 && s < 400) throw new AppError('api', 'amocrm.error.redirect', { status: s, path, location: redirectTarget(reply.location, baseUrl), requestId });
      if (s === 400 || s === 422) throw new AppError('api', 'amocrm.error.validation', { status: s, path, detail: problemDetail(reply.json) || '—', requestId });
      if (s >= 500) {
        stats.serverErrors++;
        if (failures >= MAX_SERVER_RETRIES) throw new AppError('api', 'amocrm.error.server', { status: s, path, requestId });
        await backOff(failures++);
        continue;
      }
      throw new AppError('api', 'amocrm.error.http', { status: s, path, detail: problemDetail(reply.json) || '—', requestId });
    }
  }

  /** One page of a list, shrinking the page size after failures while keeping the offset. */
  async function listPage<T>(path: string, key: string, base: Query, page: number, limit: number, priority?: Priority): Promise<{ items: T[]; limit: number }> {
    const offset = (page - 1) * limit;
    const ladder = ladderFor(limit, offset);
    let used = limit;
    const json = await get(path, (failures) => {
      used = ladder[Math.min(failures, ladder.length - 1)]!;
      return [...base, ['page', String(offset / used + 1)], ['limit', String(used)]];
    }, { priority });
    return { items: json === null ? [] : embedded<T>(json, key), limit: used };
  }

  async function* pages<T>(path: string, key: string, base: Query, startLimit: number, priority?: Priority): AsyncIterable<T[]> {
    let limit = startLimit;
    let offset = 0;
    for (;;) {
      const r = await listPage<T>(path, key, base, offset / limit + 1, limit, priority);
      if (r.items.length) yield r.items;
      // A short page is the last one, whatever `_links.next` claims.
      if (r.items.length < r.limit) return;
      offset += r.items.length;
      limit = r.limit;
    }
  }

  const client: AmoClient = {
    stats,
    get waiting() {
      return limiter.waiting;
    },
    get rate() {
      return limiter.rate;
    },
    async account(withs) {
      const json = await get('/api/v4/account', () => (withs?.length ? [['with', withs.join(',')]] : []));
      if (json === null || typeof json !== 'object') throw new AppError('api', 'amocrm.error.notJson', { status: 204, path: '/api/v4/account', contentType: '—', requestId: '—' });
      return json as ApiAccount;
    },
    async user(id) {
      try {
        const json = await get(`/api/v4/users/${id}`, () => [], { allowForbidden: true });
        if (json instanceof Forbidden || json === null) return null;
        return json as ApiUser;
      } catch (e) {
        if (e instanceof AppError && e.key === 'amocrm.error.http' && e.params.status === 404) return null;
        throw e;
      }
    },
    async *users() {
      let page = 1;
      for (;;) {
        const json = await get('/api/v4/users', () => [['page', String(page)], ['limit', '250']], { allowForbidden: true });
        if (json instanceof Forbidden) throw new AppError('rights', 'amocrm.error.notAdmin', { host, requestId: json.requestId });
        const items = json === null ? [] : embedded<ApiUser>(json, 'users');
        yield* items;
        const pageCount = (json as { _page_count?: unknown } | null)?._page_count;
        if (items.length < 250 || (typeof pageCount === 'number' && page >= pageCount)) return;
        page++;
      }
    },
    contactsPage(q) {
      return listPage<ApiContact>('/api/v4/contacts', 'contacts', contactsQuery(q), q.page ?? 1, q.limit ?? 250);
    },
    contacts(q) {
      return pages<ApiContact>('/api/v4/contacts', 'contacts', contactsQuery(q), q.limit ?? 250);
    },
    async companiesByIds(ids, priority) {
      const unique = [...new Set(ids)];
      const out: ApiCompany[] = [];
      for (let i = 0; i < unique.length; i += 250) {
        const ids = unique.slice(i, i + 250);
        const batch: Query = ids.map((id) => ['filter[id][]', String(id)]);
        let found = 0;
        for await (const page of pages<ApiCompany>('/api/v4/companies', 'companies', batch, 250, priority)) {
          out.push(...page);
          found += page.length;
          // A full page that holds every asked id is the answer; a second request would only get 204.
          if (found >= ids.length) break;
        }
      }
      return out;
    },
    events(q) {
      return pages<ApiEvent>('/api/v4/events', 'events', eventsQuery(q), EVENTS_LIMIT, q.priority);
    },
    eventsPage(q, page, limit = EVENTS_LIMIT) {
      return listPage<ApiEvent>('/api/v4/events', 'events', eventsQuery(q), page, limit, q.priority);
    },
    async contactCustomFields() {
      const out: ApiCustomFieldDef[] = [];
      // One RU doc version caps this list at 50 per page.
      for await (const page of pages<ApiCustomFieldDef>('/api/v4/contacts/custom_fields', 'custom_fields', [], 50)) out.push(...page);
      return out;
    },
    async close() {
      if (!stop.signal.aborted) stop.abort(new AppError('cancelled', 'error.cancelled'));
      await agent.close();
    },
  };
  return client;
}
