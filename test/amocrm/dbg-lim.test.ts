import { it } from 'vitest';
import { useSandbox } from './sandbox.js';
const env = useSandbox();
it('dbg', async () => {
  env.sb.setBehaviour({ latencyMs: 350 });
  const grants: number[] = [];
  const c = env.client({ rps: 7, log: () => {} });
  const t0 = Date.now();
  await Promise.all(Array.from({ length: 42 }, () => c.account()));
  const arr = env.sb.stats.requests.map((r) => r.at - t0);
  console.log('max', env.sb.stats.maxPerSecond(), JSON.stringify(arr));
}, 60000);
