/**
 * How much batching saves: the doctor's facts gathered with one script per round (≤ 3 shell round
 * trips) against a baseline that sends one shell command per fact, on the same simulated phone,
 * in the same process. Each shell round trip costs 100 ms (USB + `sh` start on the phone); a
 * second scenario also charges 20 ms per command inside a script (binder call / JVM start).
 * Run: npx tsx bench/doctor-roundtrips.ts
 */
import { gatherFacts } from '../src/doctor/facts.js';
import { simulatedPhoneShell } from '../src/cli/sim-phone-shell.js';
import { createSimulatedPhone } from '../src/sandbox/phone/phone.js';

interface Measure {
  roundTrips: number;
  commands: number;
  ms: number;
}

async function measure(profile: string, oneByOne: boolean, perCommandMs: number): Promise<Measure> {
  const phone = createSimulatedPhone(profile, { latencyMs: 100, perCommandMs });
  const t0 = performance.now();
  const facts = await gatherFacts(simulatedPhoneShell(phone), { oneByOne, number: '+79990000001' });
  const ms = performance.now() - t0;
  if (facts.interrupted || !facts.apps) throw new Error(`${profile}: facts incomplete`);
  return { roundTrips: phone.shellCalls, commands: phone.commands.length, ms };
}

const rows: string[][] = [['profile', 'cost model', 'batched: trips', 'batched: ms', 'baseline: trips', 'baseline: ms', 'speed-up']];
for (const perCommandMs of [0, 20]) {
  for (const profile of ['pixel-15', 'xiaomi-miui-13', 'huawei-emui-10', 'android-8.1']) {
    const batched = await measure(profile, false, perCommandMs);
    const baseline = await measure(profile, true, perCommandMs);
    rows.push([
      profile,
      perCommandMs ? `100 ms/trip + ${perCommandMs} ms/cmd` : '100 ms/trip',
      `${batched.roundTrips} (${batched.commands} cmds)`,
      batched.ms.toFixed(0),
      `${baseline.roundTrips} (${baseline.commands} cmds)`,
      baseline.ms.toFixed(0),
      `${(baseline.ms / batched.ms).toFixed(1)}x`,
    ]);
  }
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  '));
