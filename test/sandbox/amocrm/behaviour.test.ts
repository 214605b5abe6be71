import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { createStats } from '../../../src/sandbox/amocrm/stats.js';
import { call } from './http.js';

const open: AmoSandbox[] = [];
async function sandbox(behaviour: Parameters<typeof startAmoSandbox>[0] = {}): Promise<AmoSandbox> {
  const sb = await startAmoSandbox({ contacts: 300, ...behaviour });
  open.push(sb);
  return sb;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

const burst = (sb: AmoSandbox, n: number) => Promise.all(Array.from({ length: n }, () => call(sb, '/api/v4/contacts?limit=5')));

describe('request statistics', () => {
  it('finds the busiest 1,000 ms window of arrivals', () => {
    const stats = createStats();
    const add = (at: number, status = 200) => stats.requests.push({ at, method: 'GET', path: '/api/v4/contacts', status, query: '' });
    expect(stats.maxPerSecond()).toBe(0);
    for (const at of [0, 200, 400, 999, 1000, 1001, 1500, 1998, 1999, 5000]) add(at);
    add(1999.5, 429);
    // 1000, 1001, 1500, 1998, 1999, 1999.5 lie within one second; 0..999 only four.
    expect(stats.maxPerSecond()).toBe(6);
    expect(stats.count()).toBe(11);
    expect(stats.count(429)).toBe(1);
    stats.reset();
    expect(stats.count()).toBe(0);
  });
});

describe('gateway behaviour', () => {
  it('answers 429 as problem+json with retry_after above the rate, counting arrivals server-side', async () => {
    const sb = await sandbox({ behaviour: { rateLimitRps: 2, retryAfterSec: 3 } });
    const replies = await burst(sb, 8);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.headers['content-type']).toBe('application/problem+json');
    expect(limited[0]!.json).toMatchObject({ status: 429, retry_after: 3 });
    expect(sb.stats.count(429)).toBe(limited.length);
    expect(sb.stats.count()).toBe(8);
    expect(sb.stats.maxPerSecond()).toBeGreaterThan(2);
    const ok = sb.stats.requests.filter((r) => r.status === 200).map((r) => r.at).sort((a, b) => a - b);
    for (let k = 2; k < ok.length; k++) expect(ok[k]! - ok[k - 2]!).toBeGreaterThanOrEqual(1000);
  });

  it('answers the gateway HTML page, then blocks everything with 403 after repeated abuse', async () => {
    const sb = await sandbox({ behaviour: { rateLimitRps: 1, rateLimitFormat: 'html', blockAfter429s: 3 } });
    const replies = await burst(sb, 6);
    const limited = replies.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThanOrEqual(3);
    expect(limited[0]!.headers['content-type']).toMatch(/^text\/html/);
    expect(limited[0]!.text).toContain('429 Too Many Requests');
    const blocked = await call(sb, '/api/v4/account');
    expect(blocked.status).toBe(403);
    expect(blocked.headers['content-type']).toMatch(/^text\/html/);
    const token = await call(sb, '/oauth2/access_token', { method: 'POST', token: null, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(token.status).toBe(403);
    expect(sb.stats.tokenGrants.at(-1)?.status).toBe(403);
    sb.setBehaviour({ blockAfter429s: null, rateLimitRps: null });
    expect((await call(sb, '/api/v4/account')).status).toBe(200);
  });

  it('fails every request at fault rate 1.0: 500 with trace_id, or the 504 gateway page', async () => {
    const sb = await sandbox({ behaviour: { fault5xxRate: 1 } });
    const r = await call(sb, '/api/v4/contacts');
    expect(r.status).toBe(500);
    expect(r.headers['content-type']).toBe('application/problem+json');
    expect(r.json.trace_id).toMatch(/^[0-9a-f]{32}$/);
    sb.setBehaviour({ fault5xxRate: 0, fault504Rate: 1 });
    const t = await call(sb, '/api/v4/contacts');
    expect(t.status).toBe(504);
    expect(t.text).toContain('504 Gateway Time-out');
    sb.setBehaviour({ fault504Rate: 0.5 });
    const mixed = await Promise.all(Array.from({ length: 40 }, () => call(sb, '/api/v4/contacts?limit=1')));
    expect(new Set(mixed.map((m) => m.status))).toEqual(new Set([200, 504]));
  });

  it('answers 402 with the documented body when the subscription is over', async () => {
    const sb = await sandbox({ behaviour: { unpaid: true } });
    const r = await call(sb, '/api/v4/contacts');
    expect(r.status).toBe(402);
    expect(r.json).toEqual({ title: 'Payment Required', type: 'https://httpstatus.es/402', status: 402, detail: 'Payment required' });
  });

  it('delays responses by the configured latency without losing them', async () => {
    const latencyMs = 300;
    const sb = await sandbox({ behaviour: { latencyMs } });
    // Each reply is timed on its own: none may come back sooner than the latency (a load only adds).
    const timed = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const t0 = performance.now();
        const r = await call(sb, '/api/v4/contacts?limit=5');
        return { status: r.status, ms: performance.now() - t0 };
      }),
    );
    expect(timed.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    for (const r of timed) expect(r.ms).toBeGreaterThanOrEqual(latencyMs - 5);
    expect(sb.stats.requests.map((r) => `${r.method} ${r.path} ${r.query}`)).toContain('GET /api/v4/contacts limit=5');
  });

  it('closes with requests still waiting out their latency', async () => {
    const sb = await sandbox({ behaviour: { latencyMs: 60_000 } });
    const pending = call(sb, '/api/v4/account').then(
      () => 'answered',
      () => 'dropped',
    );
    await new Promise((r) => setTimeout(r, 50));
    await sb.close();
    expect(await pending).toBe('dropped');
  });
});
