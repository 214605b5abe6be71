/**
 * The sandbox for limiter-jitter.ts, in a process of its own: it reports its URL and token, and on
 * request the arrival time of every API request as its own clock saw it.
 */
import { startAmoSandbox } from '../src/sandbox/amocrm/index.js';

const sb = await startAmoSandbox({ contacts: Number(process.argv[2] ?? 20_000), behaviour: { latencyMs: 800 } });
process.send!({ url: sb.url, token: sb.longLivedToken });
process.on('message', async () => {
  process.send!({ arrivals: sb.stats.requests.map((r) => r.at) });
  await sb.close();
  process.exit(0);
});
