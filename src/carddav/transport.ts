/**
 * HTTP for one DAV server: keep-alive connections, its own concurrency (default 4), Basic or
 * Bearer auth, and the retry policy of the amoCRM client: 429/503 wait for Retry-After, other 5xx
 * and network failures back off exponentially. Statuses that mean something to the protocol
 * (201/204/207/403/409/412…) are returned, not thrown; 401 is an auth error.
 */
import { Agent, request } from 'undici';
import { setMaxListeners } from 'node:events';
import { AppError } from '../errors.js';
import { networkReason } from '../amocrm/http.js';
import { sleep } from '../amocrm/limiter.js';
import { VERSION } from '../version.js';
import { DEFAULT_DAV_CONCURRENCY } from './defaults.js';

export type DavAuth = { kind: 'basic'; user: string; password: string } | { kind: 'bearer'; token: string } | { kind: 'none' };

export interface DavTransportOptions {
  auth: DavAuth;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /**
   * Stops the transport between requests: no new request starts and no retry waits once it is
   * aborted. A request already on the wire is let finish (its timeouts bound it), so a write the
   * server confirmed is never left unrecorded.
   */
  signal?: AbortSignal;
  /** Base of the exponential backoff in ms (default 500). */
  backoffBaseMs?: number;
  /** Longest Retry-After we honour, in ms (default 60 s). */
  maxRetryAfterMs?: number;
  /** Called with one line per exchange (no credentials in it). */
  log?: (line: string) => void;
}

export interface DavReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DavRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface DavStats {
  requests: number;
  /** Requests by method (PUT, DELETE, REPORT…). */
  byMethod: Record<string, number>;
  retries: number;
}

export { DEFAULT_DAV_CONCURRENCY };
const MAX_RETRIES = 4;
const RETRIABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ECONNREFUSED', 'EAI_AGAIN']);

export interface DavTransport {
  send(req: DavRequest): Promise<DavReply>;
  readonly stats: DavStats;
  close(): Promise<void>;
}

function authHeader(a: DavAuth): string | undefined {
  if (a.kind === 'basic') return `Basic ${Buffer.from(`${a.user}:${a.password}`, 'utf8').toString('base64')}`;
  if (a.kind === 'bearer') return `Bearer ${a.token}`;
  return undefined;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** A semaphore: at most `n` holders; waiters are served first come, first served. */
function gate(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return {
    async take(): Promise<void> {
      if (free > 0) {
        free--;
        return;
      }
      await new Promise<void>((r) => waiting.push(r));
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

export function createDavTransport(o: DavTransportOptions): DavTransport {
  const concurrency = o.concurrency ?? DEFAULT_DAV_CONCURRENCY;
  const agentOptions = { connections: concurrency, keepAliveTimeout: 30_000, connect: { timeout: 10_000 }, headersTimeout: 60_000, bodyTimeout: 120_000 };
  // Writes get connections of their own: after a REPORT, undici 7.30 opened a new connection for
  // every later request of the same pool (seen against Radicale and our sandbox), which halved the
  // write rate. Reads are a handful per run, so their pool may churn.
  const writes = new Agent(agentOptions);
  const reads = new Agent(agentOptions);
  const slots = gate(concurrency);
  const backoff = o.backoffBaseMs ?? 500;
  const maxWait = o.maxRetryAfterMs ?? 60_000;
  const auth = authHeader(o.auth);
  const signal = o.signal;
  if (signal) setMaxListeners(0, signal);
  const stats: DavStats = { requests: 0, byMethod: {}, retries: 0 };

  const cancelled = () => new AppError('cancelled', 'error.cancelled');
  const wait = async (ms: number) => {
    await sleep(ms, signal).catch(() => {
      throw cancelled();
    });
    stats.retries++;
  };

  async function once(req: DavRequest): Promise<DavReply> {
    const headers: Record<string, string> = { 'user-agent': `amo-phonebook/${VERSION}`, ...req.headers };
    if (auth) headers.authorization = auth;
    stats.requests++;
    stats.byMethod[req.method] = (stats.byMethod[req.method] ?? 0) + 1;
    const started = performance.now();
    const dispatcher = req.method === 'PUT' || req.method === 'DELETE' ? writes : reads;
    const res = await request(req.url, { method: req.method as 'GET', headers, body: req.body, dispatcher });
    const body = await res.body.text();
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    o.log?.(`${req.method} ${new URL(req.url).pathname} → ${res.statusCode} ${Math.round(performance.now() - started)} ms`);
    return { status: res.statusCode, headers: out, body };
  }

  async function send(req: DavRequest): Promise<DavReply> {
    const host = new URL(req.url).host;
    let failures = 0;
    for (;;) {
      if (signal?.aborted) throw cancelled();
      let reply: DavReply;
      await slots.take();
      try {
        reply = await once(req);
      } catch (e) {
        const reason = networkReason(e);
        o.log?.(`${req.method} ${new URL(req.url).pathname} → ${reason}`);
        if (!RETRIABLE_NETWORK.has(reason) || failures >= (reason === 'ECONNREFUSED' ? 2 : MAX_RETRIES)) {
          throw new AppError('network', 'sync.error.network', { host, reason }, { cause: e });
        }
        await wait(backoff * 2 ** failures++);
        continue;
      } finally {
        slots.release();
      }
      const s = reply.status;
      if (s === 401) throw new AppError('auth', 'sync.error.auth', { host });
      if (s === 429 || s === 503 || (s >= 500 && s !== 501 && s !== 507)) {
        if (failures >= MAX_RETRIES) throw new AppError('api', 'sync.error.server', { host, status: s, method: req.method });
        const ra = s === 429 || s === 503 ? retryAfterMs(reply.headers['retry-after']) : undefined;
        await wait(Math.min(maxWait, ra ?? backoff * 2 ** failures));
        failures++;
        continue;
      }
      return reply;
    }
  }

  return {
    send,
    stats,
    close: async () => {
      await Promise.all([writes.close(), reads.close()]);
    },
  };
}
