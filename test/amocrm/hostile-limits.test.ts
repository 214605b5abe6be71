/**
 * The client against a hostile server (test/helpers/hostile-server.ts), case by case where the
 * CLI suite cannot see the detail: how far 429s slow it down, and how server values are read.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAmoClient, MAX_RETRY_AFTER_S, retryAfterSeconds, type AmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { startHostileServer, type HostileServer } from '../helpers/hostile-server.js';
import { rejection } from './sandbox.js';

let server: HostileServer;
const clients: AmoClient[] = [];
beforeAll(async () => {
  server = await startHostileServer();
});
afterAll(async () => {
  await server.close();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(o: { rps?: number; timeoutMs?: number } = {}): AmoClient {
  const c = createAmoClient({ baseUrl: server.url, auth: staticTokenProvider(server.token), backoffBaseMs: 20, ...o });
  clients.push(c);
  return c;
}

describe('repeated 429s', () => {
  it('halve the rate again and again down to 1 request per second before giving up', async () => {
    server.setCase('always429');
    const e = await rejection(client({ rps: 5 }).contactsPage({}));
    expect(e.key).toBe('amocrm.error.rateLimited');
    const t = server.contactTimes;
    // 5 → 2.5 → 1.25 → 1 req/s: one halving was not the end of it.
    expect(t.length).toBeGreaterThanOrEqual(6);
    // The last tries went out at the floor, about a second apart (a lower bound: load only adds).
    const lastGap = t[t.length - 1]! - t[t.length - 2]!;
    expect(lastGap).toBeGreaterThanOrEqual(900);
  }, 30_000);
});

describe('server values', () => {
  it('reads retry_after and Retry-After as seconds or a date, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterSeconds('300', now)).toBe(300);
    expect(retryAfterSeconds('"2.5"', now)).toBe(2.5);
    expect(retryAfterSeconds('1e999', now)).toBe(Infinity);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    for (const garbage of ['-5', 'NaN', '"soon"', '', 'Infinity', '1,2', undefined]) expect(retryAfterSeconds(garbage, now)).toBeUndefined();
    expect(MAX_RETRY_AFTER_S).toBeLessThanOrEqual(600);
  });

  it('a retry_after past the cap stops at once, quoting the server', async () => {
    server.setCase('retryAfterHuge');
    const e = await rejection(client().contactsPage({}));
    expect(e.key).toBe('amocrm.error.retryAfterTooLong');
    expect(e.params.value).toBe('1e9');
    expect(server.contactHits).toBe(1);
  });

  it('a body past the cap fails clearly without being retried', async () => {
    server.setCase('hugeBody');
    const e = await rejection(client().contactsPage({}));
    expect(e.key).toBe('amocrm.error.tooBig');
    expect(server.contactHits).toBe(1);
  });

  it('a dripping answer ends at the deadline, is retried, then fails naming the time allowed', async () => {
    server.setCase('drip');
    const e = await rejection(client({ timeoutMs: 1000 }).contactsPage({}));
    expect(e.key).toBe('amocrm.error.timeout');
    expect(e.params).toMatchObject({ seconds: 1, tries: 4 });
    expect(server.contactHits).toBe(4);
  }, 30_000);
});
