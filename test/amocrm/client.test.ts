import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import type { ApiContact } from '../../src/amocrm/types.js';
import { rejection, useSandbox } from './sandbox.js';

const env = useSandbox();
const ALL_TIME: [number, number] = [0, 2 ** 31 - 1];

describe('reading the account', () => {
  it('reads the account, the admin user and the contact custom fields', async () => {
    const c = env.client();
    const account = await c.account(['users_groups']);
    expect(account.id).toBe(env.sb.accountId);
    expect(account._embedded?.users_groups?.length).toBeGreaterThan(0);
    const me = await c.user(account.current_user_id);
    expect(me?.rights.is_admin).toBe(true);
    const fields = await c.contactCustomFields();
    expect(fields.map((f) => f.code)).toContain('PHONE');
    const users = [];
    for await (const u of c.users()) users.push(u);
    expect(users.map((u) => u.id).sort()).toEqual(env.sb.users().map((u) => u.id).sort());
  });

  it('pages through all contacts, ending on the short page or 204 without trusting next', async () => {
    const c = env.client();
    const seen: ApiContact[] = [];
    for await (const page of c.contacts({ order: { field: 'id', dir: 'asc' } })) seen.push(...page);
    const expected = env.sb.idsInWindow(...ALL_TIME).sort((a, b) => a - b);
    expect(seen.map((x) => x.id)).toEqual(expected);
    const listCalls = env.sb.stats.requests.filter((r) => r.path === '/api/v4/contacts');
    expect(listCalls.length).toBe(Math.floor(expected.length / 250) + 1);
    expect(listCalls.every((r) => /(^|&)limit=250(&|$)/.test(r.query))).toBe(true);
    const past = await c.contactsPage({ page: 50, limit: 250 });
    expect(past).toEqual({ items: [], limit: 250 });
  });

  it('resolves companies in batches of at most 250 ids', async () => {
    const c = env.client();
    const ids = new Set<number>();
    for await (const page of c.contacts({})) for (const x of page) for (const co of x._embedded?.companies ?? []) ids.add(co.id);
    expect(ids.size).toBeGreaterThan(0);
    const asked = [...ids, ...ids]; // duplicates are asked once
    const companies = await c.companiesByIds(asked);
    expect(new Set(companies.map((x) => x.id))).toEqual(ids);
    const calls = env.sb.stats.requests.filter((x) => x.path === '/api/v4/companies');
    for (const r of calls) {
      expect(r.query.split('&').filter((kv) => kv.startsWith('filter[id][]=')).length).toBeLessThanOrEqual(250);
    }
  });

  it('reads deletion events and filters contacts by update time', async () => {
    const c = env.client();
    const since = Math.floor(Date.now() / 1000) - 1;
    const victim = env.sb.idsInWindow(...ALL_TIME)[3]!;
    env.sb.deleteContact(victim);
    const events = [];
    for await (const page of c.events({ types: ['contact_deleted', 'contact_restored'], createdFrom: since, entity: 'contact' })) events.push(...page);
    expect(events.some((e) => e.type === 'contact_deleted' && e.entity_id === victim)).toBe(true);
    expect(env.sb.stats.requests.find((r) => r.path === '/api/v4/events')?.query).toMatch(/limit=100/);
    const edited = env.sb.idsInWindow(...ALL_TIME)[5]!;
    env.sb.editContact(edited, { name: 'Renamed' });
    const recent = await c.contactsPage({ updatedAt: { from: since }, order: { field: 'updated_at', dir: 'asc' } });
    expect(recent.items.map((x) => x.id)).toContain(edited);
    expect(recent.items.map((x) => x.id)).not.toContain(victim);
  });

  it('gives null for another user when the token is not an admin\'s, and a rights error for the user list', async () => {
    const plain = env.sb.users().find((u) => !u.isAdmin)!;
    const c = env.client({ auth: staticTokenProvider(env.sb.issueLongLivedToken(plain.id)) });
    expect(await c.user(env.sb.users()[0]!.id)).toBeNull();
    const e = await rejection((async () => {
      for await (const u of c.users()) void u;
    })());
    expect(e.kind).toBe('rights');
  });

  it('logs method, path, status and request id, never the token', async () => {
    const lines: string[] = [];
    const c = env.client({ log: (l) => lines.push(l) });
    await c.account();
    await c.contactsPage({ limit: 10, query: '+7' });
    expect(lines[0]).toMatch(/^GET \/api\/v4\/account → 200 \d+ ms [0-9a-f]+$/);
    expect(lines[1]).toMatch(/^GET \/api\/v4\/contacts\?query=%2B7&page=1&limit=10 → (200|204) /);
    const token = env.sb.longLivedToken;
    for (const l of lines) {
      expect(l).not.toContain(token);
      expect(l).not.toContain(token.slice(20, 60));
    }
  });
});

describe('rate limiter', () => {
  it('never starts more than rps requests in any second, with many requests in flight', async () => {
    env.sb.setBehaviour({ latencyMs: 350 });
    const c = env.client({ rps: 7 });
    let inFlight = 0;
    let maxInFlight = 0;
    const calls = Array.from({ length: 42 }, async () => {
      const p = c.account();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await p;
      } finally {
        inFlight--;
      }
    });
    const results = await Promise.all(calls);
    expect(results).toHaveLength(42);
    expect(env.sb.stats.count()).toBe(42);
    expect(env.sb.stats.count(200)).toBe(42);
    expect(env.sb.stats.maxPerSecond()).toBeLessThanOrEqual(7);
    // The requests overlapped: the limiter throttles starts, not concurrency.
    expect(maxInFlight).toBeGreaterThan(1);
    // Starts are paced, not held back: 42 starts at 7/s need about 6 s. Twice that is a margin a
    // loaded machine keeps, and a limiter that waited a whole window too many would miss it.
    const arrivals = env.sb.stats.requests.map((r) => r.at).sort((a, b) => a - b);
    expect(arrivals[41]! - arrivals[0]!).toBeLessThan(12_000);
    expect(c.stats.requests).toBe(42);
  });

  it('accepts rps 1..7 only', () => {
    for (const rps of [0, 8, 2.5]) {
      expect(() => createAmoClient({ baseUrl: env.sb.url, auth: staticTokenProvider('x'), rps })).toThrow(/badRps/);
    }
  });
});

describe('retry policy', () => {
  it('429 with retry_after: waits as told, slows down, and finishes', async () => {
    env.sb.setBehaviour({ rateLimitRps: 3, rateLimitFormat: 'json', retryAfterSec: 0.4 });
    const c = env.client({ rps: 5 });
    const results = await Promise.all(Array.from({ length: 5 }, () => c.account()));
    expect(results.every((a) => a.id === env.sb.accountId)).toBe(true);
    expect(env.sb.stats.count(429)).toBeGreaterThanOrEqual(1);
    expect(c.stats.rateLimited).toBe(env.sb.stats.count(429));
    const first429 = env.sb.stats.requests.find((r) => r.status === 429)!;
    // The first five were started together; every later arrival is a retry, which retry_after holds back
    // (a little slack for clock granularity).
    const retries = env.sb.stats.requests.slice(5);
    expect(retries.length).toBeGreaterThan(0);
    for (const r of retries) expect(r.at - first429.at).toBeGreaterThanOrEqual(390);
    expect(env.sb.stats.count(200)).toBe(5);
  });

  it('429 as an HTML page: backs off, finishes, and keeps to half speed afterwards', async () => {
    env.sb.setBehaviour({ rateLimitRps: 3, rateLimitFormat: 'html' });
    const c = env.client({ rps: 6 });
    const results = await Promise.all(Array.from({ length: 6 }, () => c.account()));
    expect(results).toHaveLength(6);
    expect(env.sb.stats.count(429)).toBeGreaterThanOrEqual(1);
    expect(env.sb.stats.count(200)).toBe(6);
    env.sb.setBehaviour({ rateLimitRps: null });
    const mark = Date.now();
    await Promise.all(Array.from({ length: 9 }, () => c.account()));
    // Half of 6/s: no 2-second window holds more than 6 starts.
    const later = env.sb.stats.requests.filter((r) => r.at >= mark).map((r) => r.at);
    expect(later).toHaveLength(9);
    for (const t of later) expect(later.filter((x) => x >= t && x < t + 2000).length).toBeLessThanOrEqual(6);
  });

  it('403 block: stops at once, sends nothing more, and names support, IP and host', async () => {
    env.sb.setBehaviour({ rateLimitRps: 2, blockAfter429s: 1, rateLimitFormat: 'html' });
    const c = env.client({ rps: 7 });
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => c.account()));
    const errors = settled.map((s) => (s.status === 'rejected' ? (s.reason as { kind?: string; key?: string; params?: Record<string, unknown> }) : undefined));
    const fulfilled = settled.filter((s) => s.status === 'fulfilled').length;
    expect(fulfilled).toBeLessThanOrEqual(2);
    expect(errors.filter(Boolean).every((e) => e!.kind === 'blocked' && e!.key === 'amocrm.error.blocked')).toBe(true);
    const seen = env.sb.stats.count();
    // Only the requests started in the first window reached the server; the rest were never sent.
    expect(seen).toBeLessThanOrEqual(7);
    const blocked = errors.find(Boolean)!;
    expect(String(blocked.params!.requestId)).toMatch(/^[0-9a-f]{16}$/);
    expect(blocked.params!.host).toBe(new URL(env.sb.url).host);
    const again = await rejection(c.account());
    expect(again.kind).toBe('blocked');
    expect(env.sb.stats.count()).toBe(seen);
  });

  it('a problem+json 403 after a 429 is a block too', async () => {
    // The second request (paced after the first) is over the limit; its retry comes after the
    // server's window has cleared and meets the 403.
    env.sb.setBehaviour({ rateLimitRps: 1, retryAfterSec: 1.1 });
    // An unknown context user makes every API call a 403 problem+json.
    const c = env.client({ rps: 5, contextUserId: 999_999_999 });
    const settled = await Promise.allSettled([c.account(), c.account()]);
    const kinds = settled.map((s) => (s.status === 'rejected' ? (s.reason as { kind: string }).kind : 'ok'));
    expect(kinds).toContain('blocked');
    const n = env.sb.stats.count();
    expect((await rejection(c.account())).kind).toBe('blocked');
    expect(env.sb.stats.count()).toBe(n);
  });

  it('a plain 403 problem+json is a rights error, not a block', async () => {
    const c = env.client({ contextUserId: 999_999_999 });
    const e = await rejection(c.account());
    expect(e.kind).toBe('rights');
    expect(String(e.params.requestId)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('5xx: retried with backoff, and reported with the request id when it persists', async () => {
    env.sb.setBehaviour({ fault5xxRate: 1 });
    const c = env.client({ log: (l) => (l.includes('→ 500') ? env.sb.setBehaviour({ fault5xxRate: 0 }) : undefined) });
    expect((await c.account()).id).toBe(env.sb.accountId);
    expect(c.stats).toMatchObject({ requests: 2, retries: 1, serverErrors: 1 });

    env.sb.stats.reset();
    env.sb.setBehaviour({ fault5xxRate: 1 });
    const stubborn = env.client();
    const e = await rejection(stubborn.account());
    expect(e.kind).toBe('api');
    expect(e.key).toBe('amocrm.error.server');
    expect(String(e.params.requestId)).toMatch(/^[0-9a-f]{16}$/);
    expect(env.sb.stats.count(500)).toBe(4);
  });

  it('504 on a list: retried with a smaller page from the same offset', async () => {
    const c = env.client();
    const normal = await c.contactsPage({ page: 2, limit: 250, order: { field: 'id', dir: 'asc' } });
    env.sb.stats.reset();
    env.sb.setBehaviour({ fault504Rate: 1 });
    const flip = (l: string) => (l.includes('→ 504') ? env.sb.setBehaviour({ fault504Rate: 0 }) : undefined);
    const c2 = env.client({ log: flip });
    const first = await c2.contactsPage({ page: 1, limit: 250, order: { field: 'id', dir: 'asc' } });
    expect(first.limit).toBe(100);
    expect(first.items).toHaveLength(100);
    const [failed, retried] = env.sb.stats.requests;
    expect(failed!.status).toBe(504);
    expect(retried!.query).toMatch(/page=1&limit=100/);

    env.sb.setBehaviour({ fault504Rate: 1 });
    const second = await c2.contactsPage({ page: 2, limit: 250, order: { field: 'id', dir: 'asc' } });
    // Offset 250 is not a multiple of 100, so the page shrinks to 50 (page 6).
    expect(second.limit).toBe(50);
    expect(second.items.map((x) => x.id)).toEqual(normal.items.slice(0, 50).map((x) => x.id));
  });

  it('the contacts iterator keeps every record when the page size shrinks mid-way', async () => {
    const c = env.client({ log: (l) => (l.includes('page=2&limit=250') ? env.sb.setBehaviour({ fault504Rate: 1 }) : l.includes('→ 504') ? env.sb.setBehaviour({ fault504Rate: 0 }) : undefined) });
    const ids: number[] = [];
    for await (const page of c.contacts({ order: { field: 'id', dir: 'asc' } })) ids.push(...page.map((x) => x.id));
    expect(ids).toEqual(env.sb.idsInWindow(...ALL_TIME).sort((a, b) => a - b));
    expect(env.sb.stats.count(504)).toBeGreaterThanOrEqual(1);
  });

  it('402: account unpaid, no retries', async () => {
    env.sb.setBehaviour({ unpaid: true });
    const c = env.client();
    const e = await rejection(c.account());
    expect(e.kind).toBe('unpaid');
    expect(String(e.params.requestId)).toMatch(/^[0-9a-f]{16}$/);
    expect(env.sb.stats.count()).toBe(1);
  });

  it('401 with a long-lived token: fatal, names the fix', async () => {
    const token = env.sb.issueLongLivedToken(env.sb.users()[0]!.id);
    env.sb.revokeToken(token);
    const c = env.client({ auth: staticTokenProvider(token) });
    const e = await rejection(c.account());
    expect(e.kind).toBe('auth');
    expect(e.key).toBe('amocrm.error.longLivedRevoked');
    expect(env.sb.stats.count()).toBe(1);
  });

  it('422: an invalid request is reported with the server\'s detail', async () => {
    const c = env.client();
    const e = await rejection(c.contactsPage({ limit: 500 }));
    expect(e.kind).toBe('api');
    expect(e.key).toBe('amocrm.error.validation');
    expect(e.params.detail).toContain('Limit 250');
  });

  it('network failure: retried, then a network error naming the host', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const c = createAmoClient({ baseUrl: `http://127.0.0.1:${port}`, auth: staticTokenProvider('x'), backoffBaseMs: 10 });
    const e = await rejection(c.account());
    await c.close();
    expect(e.kind).toBe('network');
    expect(e.params.host).toBe(`127.0.0.1:${port}`);
    expect(c.stats.requests).toBe(4);
  });
});
