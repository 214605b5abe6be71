/**
 * Export throughput against a slow, rate-limited account: the sandbox in its own process with
 * 100,000 contacts, 800 ms per request and a 7 req/s limit; our client at 6 req/s.
 *
 * Prints contacts/s against the ceiling 6 × 250, the 429 count, and the ratio against a plain
 * sequential page-by-page reader (our own client, one request at a time) measured in the same run
 * over a smaller window (rates are compared, not totals). Requires `npm run build` first.
 *
 *   npx tsx bench/export-throughput.ts [contacts=100000] [baselinePages=12]
 */
import { Writable } from 'node:stream';
import { createAmoClient } from '../src/amocrm/client.js';
import { staticTokenProvider } from '../src/amocrm/auth.js';
import { contactSource, newCounters } from '../src/contacts/source.js';
import { createWriter } from '../src/export/writers/index.js';
import { DATA_FROM } from '../src/sandbox/amocrm/generate.js';

import { startSandboxProcess } from './sandbox-process.js';

const CONTACTS = Number(process.argv[2] ?? 100_000);
const BASELINE_PAGES = Number(process.argv[3] ?? 12);
const RPS = 6;
const PAGE = 250;

const sink = new Writable({ write: (_c, _e, cb) => cb() });

async function main() {
  const sb = await startSandboxProcess(['--contacts', String(CONTACTS), '--latency', '800', '--rate-limit', '7']);
  try {
    const rights = { mode: 'A' as const, userId: 0, groupId: null };

    // Ours: windowed, keyset-paged slices, several requests in flight under the 6 req/s cap.
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.token), rps: RPS });
    const counters = newCounters();
    const writer = createWriter('vcard', { uidPrefix: 'amocrm-bench' });
    let n = 0;
    const t0 = performance.now();
    for await (const c of contactSource(client, { since: DATA_FROM, by: 'updated', rights, defaultRegion: 'RU', accountId: 1, counters })) {
      sink.write(writer.write(c));
      n++;
    }
    const oursSec = (performance.now() - t0) / 1000;
    const seen = n + counters.skippedNoPhone;
    const oursRate = seen / oursSec;
    const ours429 = client.stats.rateLimited;
    const oursRequests = client.stats.requests;
    await client.close();

    // Baseline: page 1, 2, 3 … one request at a time, as a simple client would.
    const plain = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.token), rps: RPS });
    let got = 0;
    const t1 = performance.now();
    for (let page = 1; page <= BASELINE_PAGES; page++) {
      const r = await plain.contactsPage({ page, limit: PAGE, updatedAt: { from: DATA_FROM }, order: { field: 'updated_at', dir: 'asc' } });
      got += r.items.length;
      if (r.items.length < r.limit) break;
    }
    const plainSec = (performance.now() - t1) / 1000;
    const plainRate = got / plainSec;
    const plain429 = plain.stats.rateLimited;
    await plain.close();

    const ceiling = RPS * PAGE;
    console.log(`sandbox: ${CONTACTS} contacts, 800 ms latency, limit 7 req/s; client at ${RPS} req/s`);
    console.log(`ours:     ${seen} records (${n} exported) in ${oursSec.toFixed(1)} s = ${oursRate.toFixed(0)} contacts/s, ${oursRequests} requests, ${ours429} × 429`);
    console.log(`ceiling:  ${RPS} × ${PAGE} = ${ceiling} contacts/s → ours reaches ${((100 * oursRate) / ceiling).toFixed(1)} % (target ≥ 90 %)`);
    console.log(`baseline: sequential page-by-page, ${got} records in ${plainSec.toFixed(1)} s = ${plainRate.toFixed(0)} contacts/s, ${plain429} × 429`);
    console.log(`ratio:    ours / sequential = ${(oursRate / plainRate).toFixed(2)}× (target ≥ 3×)`);
  } finally {
    await sb.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
