/**
 * How much of the limiter's jitter margin a real export uses. The limiter allows `rps` starts per
 * WINDOW_MS + JITTER_MARGIN_MS at our socket; the server counts arrivals per 1,000 ms. For every
 * run of rps + 1 consecutive arrivals the server saw, the headroom is how far beyond 1,000 ms they
 * spread. Headroom below the margin is jitter between our socket write and the server's clock
 * eating into it; negative headroom would be a breach. The sandbox runs in a process of its own,
 * as in export-throughput.ts, with 800 ms latency.
 *
 *   npx tsx bench/limiter-jitter.ts [contacts=100000]
 */
import { fork } from 'node:child_process';
import { createAmoClient } from '../src/amocrm/client.js';
import { staticTokenProvider } from '../src/amocrm/auth.js';
import { JITTER_MARGIN_MS } from '../src/amocrm/limiter.js';
import { contactSource, newCounters } from '../src/contacts/source.js';
import { DATA_FROM } from '../src/sandbox/amocrm/generate.js';

const RPS = 6;
const contacts = process.argv[2] ?? '100000';
const child = fork(new URL('./limiter-jitter-server.ts', import.meta.url).pathname, [contacts], { execArgv: ['--import', 'tsx'] });
const next = <T>() => new Promise<T>((r) => child.once('message', (m) => r(m as T)));
const { url, token } = await next<{ url: string; token: string }>();
const client = createAmoClient({ baseUrl: url, auth: staticTokenProvider(token), rps: RPS });
for await (const c of contactSource(client, { since: DATA_FROM, by: 'updated', rights: { mode: 'A', userId: 0, groupId: null }, defaultRegion: 'RU', accountId: 1, counters: newCounters() })) void c;
await client.close();
child.send('arrivals');
const arrivals = (await next<{ arrivals: number[] }>()).arrivals.sort((a, b) => a - b);
const headroom: number[] = [];
for (let i = 0; i + RPS < arrivals.length; i++) headroom.push(arrivals[i + RPS]! - arrivals[i]! - 1000);
headroom.sort((a, b) => a - b);
const min = headroom[0]!;
console.log(`${arrivals.length} requests at ${RPS} req/s, window 1000 + ${JITTER_MARGIN_MS} ms`);
console.log(`headroom over 1,000 ms: min ${min} ms, 1st percentile ${headroom[Math.floor(headroom.length / 100)]} ms, median ${headroom[headroom.length >> 1]} ms`);
console.log(`jitter: ${Math.max(0, JITTER_MARGIN_MS - min)} ms of the ${JITTER_MARGIN_MS} ms margin used${min < 0 ? ' — BREACH: the server counted more than the limit' : ''}`);
