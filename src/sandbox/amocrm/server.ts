/**
 * The HTTP front: gateway behaviour (latency, rate limit, block, faults, unpaid), authentication,
 * the token endpoint, then the API routes. Plain node:http, so the wire is exactly what we write.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { SandboxBehaviour, SandboxStats } from './types.js';
import { handleApi, type ApiContext } from './api.js';
import {
  blockedPage, forbidden, gatewayTimeout, notFound, paymentRequired, problem, send, serverError, tooMany, unauthorized, type Reply,
} from './responses.js';
import type { Rng } from './rng.js';
import type { TokenAuthority } from './tokens.js';
import { userById } from './users.js';

export interface GatewayState {
  behaviour: SandboxBehaviour;
  stats: SandboxStats;
  tokens: TokenAuthority;
  api: ApiContext;
  faults: Rng;
  /** Arrival times inside the last second, for the sliding-window limiter. */
  arrivals: number[];
  tooManyCount: number;
  blocked: boolean;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseGrant(req: IncomingMessage, body: string): Record<string, string | undefined> | null {
  const type = String(req.headers['content-type'] ?? '').toLowerCase();
  if (type.includes('application/json')) {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (!parsed || typeof parsed !== 'object') return null;
      const out: Record<string, string | undefined> = {};
      for (const [k, v] of Object.entries(parsed)) if (v !== null && v !== undefined) out[k] = String(v);
      return out;
    } catch {
      return null;
    }
  }
  return Object.fromEntries(new URLSearchParams(body));
}

/** True when this arrival breaks the limit; arrivals answered 429 still count, as on a real gateway. */
function overLimit(s: GatewayState, now: number): boolean {
  const a = s.arrivals;
  a.push(now);
  let drop = 0;
  while (drop < a.length && a[drop]! <= now - 1000) drop++;
  if (drop) a.splice(0, drop);
  const rps = s.behaviour.rateLimitRps;
  return rps !== null && a.length > rps;
}

function tokenEndpoint(s: GatewayState, params: Record<string, string | undefined> | null): Reply {
  if (!params) return problem(400, 'Некорректный запрос', 'В запросе отсутствует ряд параметров или параметры невалидны', { hint: 'Malformed request body' });
  const out = s.tokens.grant(params, s.behaviour.accessTokenTtlSec);
  return { status: out.status, contentType: out.status === 200 ? 'application/json' : 'application/problem+json', body: JSON.stringify(out.body) };
}

function api(s: GatewayState, req: IncomingMessage, url: URL): Reply {
  const b = s.behaviour;
  const auth = String(req.headers.authorization ?? '');
  const m = /^Bearer\s+(\S+)$/i.exec(auth);
  const verified = m ? s.tokens.verify(m[1]!) : { ok: false as const };
  if (!verified.ok) return unauthorized();
  const tokenUser = userById(verified.userId);
  if (!tokenUser || !tokenUser.isActive) return unauthorized();
  s.tokens.accessUsed(verified.claims.jti);
  if (b.unpaid) return paymentRequired();
  let viewer = tokenUser;
  const ctxHeader = req.headers['x-context-user-id'];
  if (ctxHeader !== undefined) {
    const target = userById(Number(ctxHeader));
    if (!tokenUser.isAdmin || !target || target.isFree || !target.isActive) return forbidden('Context user is not allowed');
    viewer = target;
  }
  const roll = s.faults.next();
  if (roll < b.fault5xxRate) return serverError();
  if (roll < b.fault5xxRate + b.fault504Rate) return gatewayTimeout();
  return handleApi(s.api, req.method ?? 'GET', url.pathname, url.searchParams, { viewer });
}

export function createSandboxServer(s: GatewayState): { server: Server; cancelPending(): void } {
  const pending = new Set<NodeJS.Timeout>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now();
    const requestId = randomBytes(8).toString('hex');
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    const isGrant = url.pathname === '/oauth2/access_token' && req.method === 'POST';
    const isApi = url.pathname.startsWith('/api/');
    let body = '';
    try {
      body = req.method === 'POST' ? await readBody(req) : '';
    } catch {
      send(res, problem(413, 'Payload Too Large', 'Request body too large'), requestId);
      return;
    }
    const grant = isGrant ? parseGrant(req, body) : null;
    let reply: Reply;
    const limited = overLimit(s, at);
    if (s.blocked) reply = blockedPage();
    else if (limited) {
      s.tooManyCount++;
      if (s.behaviour.blockAfter429s !== null && s.tooManyCount >= s.behaviour.blockAfter429s) s.blocked = true;
      reply = tooMany(s.behaviour.rateLimitFormat, s.behaviour.retryAfterSec);
    } else if (isGrant) reply = tokenEndpoint(s, grant);
    else if (isApi) {
      try {
        reply = api(s, req, url);
      } catch {
        reply = serverError();
      }
    } else reply = notFound(req.method ?? 'GET', url.pathname);
    if (isApi) s.stats.requests.push({ at, method: req.method ?? 'GET', path: url.pathname, status: reply.status, query: url.search.slice(1) });
    // Grants refused at the gateway (403, 429) count too: they are attempts the client made.
    else if (isGrant) s.stats.tokenGrants.push({ at, grant_type: grant?.grant_type ?? '', status: reply.status });
    const latency = s.behaviour.latencyMs;
    if (latency > 0) {
      const t = setTimeout(() => {
        pending.delete(t);
        send(res, reply, requestId);
      }, latency);
      pending.add(t);
    } else send(res, reply, requestId);
  };
  const server = createServer({ keepAlive: true }, (req, res) => {
    handle(req, res).catch(() => send(res, serverError(), 'error'));
  });
  return {
    server,
    cancelPending() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}
