/**
 * Cost of one shell command over our TCP client, beside the baseline of spawning the `adb` binary
 * per command (what a script calling `adb shell` does), both through the real adb server to a
 * simulated phone; plus the sandbox host server and bulk throughput. Prints, never asserts.
 *   npx tsx bench/adb-transport.ts
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { AdbClient } from '../src/adb/client.js';
import { startAdbHostSandbox } from '../src/sandbox/phone/host-server.js';
import { startDeviceSandbox } from '../src/sandbox/phone/device-server.js';
import { startRealAdbServer } from '../test/helpers/real-adb.js';
import { bigOutput, peerPhone } from '../test/adb/peer-phone.js';

const run = promisify(execFile);

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

async function main(): Promise<void> {
  const adb = await startRealAdbServer();
  const sim = await startDeviceSandbox(peerPhone('bench'));
  const host = await startAdbHostSandbox([peerPhone('SANDBOX1')]);
  try {
    await adb.connect(sim.serial);
    const real = await new AdbClient({ host: '127.0.0.1', port: adb.port }).openDevice();
    const sandboxed = await new AdbClient({ host: host.host, port: host.port }).openDevice();
    for (let i = 0; i < 20; i++) await real.shell('echo warm');

    const ours = await timeEach(300, () => real.shell('echo x'));
    const spawned = await timeEach(60, () => run('adb', ['-H', '127.0.0.1', '-P', String(adb.port), '-s', sim.serial, 'shell', 'echo', 'x']));
    const viaSandbox = await timeEach(300, () => sandboxed.shell('echo x'));
    console.log(`real adb server, AdbClient:        median ${ours.toFixed(2)} ms per command`);
    console.log(`real adb server, spawn adb shell:  median ${spawned.toFixed(2)} ms per command (baseline)`);
    console.log(`  → our client is ${(spawned / ours).toFixed(1)}× faster than spawning adb`);
    console.log(`sandbox host server, AdbClient:    median ${viaSandbox.toFixed(2)} ms per command (${(spawned / viaSandbox).toFixed(1)}× baseline)`);

    const bytes = 8_000_000;
    const t = performance.now();
    const r = await real.shell(`big ${bytes}`, { timeoutMs: 60_000 });
    const ms = performance.now() - t;
    const t2 = performance.now();
    const viaCli = await run('adb', ['-H', '127.0.0.1', '-P', String(adb.port), '-s', sim.serial, 'exec-out', 'big', String(bytes)], { maxBuffer: 64e6, encoding: 'buffer' });
    const ms2 = performance.now() - t2;
    const got = Buffer.byteLength(r.stdout);
    const expected = Buffer.byteLength(bigOutput(bytes));
    if (got !== expected || viaCli.stdout.length !== expected) throw new Error(`short output: ${got} / ${viaCli.stdout.length} of ${expected}`);
    console.log(`8 MB output via real server: AdbClient ${(got / 1e6 / (ms / 1000)).toFixed(1)} MB/s (${ms.toFixed(0)} ms); spawned adb exec-out ${ms2.toFixed(0)} ms (baseline; ratio ${(ms2 / ms).toFixed(2)})`);
    real.close();
    sandboxed.close();
  } finally {
    await host.close();
    await sim.close();
    await adb.stop();
  }
}

await main();
