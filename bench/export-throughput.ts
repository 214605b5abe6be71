/**
 * Export throughput against a slow, rate-limited, realistic account: the sandbox in its own process
 * with 100,000 contacts (history skewed to recent years, 1 % deleted with their events, 60
 * custom-field definitions served 50 per page), 800 ms per request and a 7 req/s limit; our client
 * at 6 req/s.
 *
 * Two whole exports as the CLI runs them (account, rights, field definitions, contacts, company
 * names, deletions), each timed from the account request to the committed output:
 * - first run: `--full`, no watermark, so no deletions are read (nobody has those contacts yet);
 * - incremental run: from a watermark before the data, so every deletion event is read as well.
 * Each prints contacts/s (every contact of the period read, with or without a phone) against the
 * ceiling 6 × 250, the 429 count, and the ratio against a plain sequential page-by-page reader
 * (our own client, one request at a time) measured in the same run over a smaller window (rates
 * are compared, not totals). Requires `npm run build` first.
 *
 *   npx tsx bench/export-throughput.ts [contacts=100000] [baselinePages=12] [runs=first,incremental]
 */
import { createAmoClient, type AmoClient } from '../src/amocrm/client.js';
import { staticTokenProvider } from '../src/amocrm/auth.js';
import { runExport } from '../src/export/run.js';
import type { Sink } from '../src/export/output.js';
import { DATA_FROM } from '../src/sandbox/amocrm/generate.js';

import { startSandboxProcess } from './sandbox-process.js';

const CONTACTS = Number(process.argv[2] ?? 100_000);
const BASELINE_PAGES = Number(process.argv[3] ?? 12);
const RUNS = (process.argv[4] ?? 'first,incremental').split(',');
const RPS = 6;
const PAGE = 250;
const CEILING = RPS * PAGE;

const nullSink: Sink = { write: async () => undefined, commit: async () => undefined, abort: async () => undefined };

async function exportOnce(url: string, token: string, kind: string) {
  const client: AmoClient = createAmoClient({ baseUrl: url, auth: staticTokenProvider(token), rps: RPS });
  try {
    const t0 = performance.now();
    // As the CLI does: the account request goes out beside the export's first requests.
    const account = () => client.account();
    const incremental = kind === 'incremental';
    const r = await runExport({
      jobs: [{ profile: 'bench', client, account, since: incremental ? DATA_FROM : 0, fromWatermark: incremental }],
      by: 'updated',
      format: 'vcard',
      sink: nullSink,
      target: 'bench',
      nowSec: () => Math.floor(Date.now() / 1000),
    });
    const sec = (performance.now() - t0) / 1000;
    const a = r.accounts[0]!;
    const read = a.exported + a.skippedWithoutPhone + a.skippedByRights;
    return { sec, read, exported: a.exported, deleted: a.deleted, requests: client.stats.requests, rateLimited: client.stats.rateLimited };
  } finally {
    await client.close();
  }
}

async function sequentialBaseline(url: string, token: string) {
  const plain = createAmoClient({ baseUrl: url, auth: staticTokenProvider(token), rps: RPS });
  try {
    let got = 0;
    const t0 = performance.now();
    for (let page = 1; page <= BASELINE_PAGES; page++) {
      const r = await plain.contactsPage({ page, limit: PAGE, updatedAt: { from: DATA_FROM }, order: { field: 'updated_at', dir: 'asc' } });
      got += r.items.length;
      if (r.items.length < r.limit) break;
    }
    const sec = (performance.now() - t0) / 1000;
    return { got, sec, rate: got / sec, rateLimited: plain.stats.rateLimited };
  } finally {
    await plain.close();
  }
}

async function main() {
  const sb = await startSandboxProcess(['--contacts', String(CONTACTS), '--latency', '800', '--rate-limit', '7']);
  try {
    console.log(`sandbox: ${CONTACTS} contacts (skewed history, 1 % deleted), 800 ms latency, limit 7 req/s; client at ${RPS} req/s`);
    const results: { kind: string; rate: number }[] = [];
    for (const kind of RUNS) {
      const o = await exportOnce(sb.url, sb.token, kind);
      const rate = o.read / o.sec;
      results.push({ kind, rate });
      console.log(
        `${kind.padEnd(12)} ${o.read} contacts read (${o.exported} exported, ${o.deleted} deletions listed) in ${o.sec.toFixed(1)} s = ${rate.toFixed(0)} contacts/s, ` +
          `${o.requests} requests, ${o.rateLimited} × 429 → ${((100 * rate) / CEILING).toFixed(1)} % of ${RPS} × ${PAGE} (target ≥ 90 %, 0 × 429)`,
      );
    }
    const base = await sequentialBaseline(sb.url, sb.token);
    console.log(`baseline:    sequential page-by-page, ${base.got} records in ${base.sec.toFixed(1)} s = ${base.rate.toFixed(0)} contacts/s, ${base.rateLimited} × 429`);
    for (const r of results) console.log(`ratio:       ${r.kind} / sequential = ${(r.rate / base.rate).toFixed(2)}× (target ≥ 3×)`);
  } finally {
    await sb.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
