/**
 * Our client through the REAL adb server (Debian adb 29.0.6) to simulated phones served by
 * startDeviceSandbox: the path a user's computer takes, minus the USB cable.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AdbClient } from '../../src/adb/client.js';
import { startDeviceSandbox } from '../../src/sandbox/phone/device-server.js';
import { useRealAdb } from '../helpers/real-adb.js';
import { bigOutput, peerPhone } from './peer-phone.js';

const real = useRealAdb();
let client: AdbClient;

// beforeEach, after useRealAdb's own: without adb the test is skipped before real.adb is read.
beforeEach(() => {
  client = new AdbClient({ host: '127.0.0.1', port: real.adb.port });
});

describe('through the real adb server', () => {
  it('lists the phone with its banner, and runs shell v2 commands with separate streams and exit codes', async () => {
    const sim = await real.attach(peerPhone('ignored-serial', { model: 'Redmi Note 12' }));
    expect(await client.version()).toBe(41);
    const [listed] = await client.devices();
    expect(listed).toMatchObject({ serial: sim.serial, state: 'device', product: 'peer_product', model: 'Redmi_Note_12', device: 'peer' });
    expect(await client.features(sim.serial)).toEqual(expect.arrayContaining(['shell_v2', 'cmd']));

    const dev = await client.openDevice();
    expect(dev.serial).toBe(sim.serial);
    expect(await dev.shell('getprop ro.build.version.sdk')).toEqual({ stdout: '34\n', stderr: '', exitCode: 0 });
    expect(await dev.shell('warn в stderr')).toEqual({ stdout: '', stderr: 'в stderr\n', exitCode: 0 });
    expect(await dev.shell('exit 42')).toMatchObject({ exitCode: 42 });
    expect(await dev.shell('', { stdin: 'echo a\nwarn b\nexit 7\n' })).toEqual({ stdout: 'a\n', stderr: 'b\n', exitCode: 7 });
  });

  it('carries a 1.2 MB output and a 200 kB script intact (WRTE flow control, packets across WRTEs)', async () => {
    const phone = peerPhone('x');
    await real.attach(phone);
    const dev = await client.openDevice();
    expect((await dev.shell('big 1200000')).stdout).toBe(bigOutput(1_200_000));
    const script = 'echo line\n'.repeat(20_000);
    const r = await dev.shell('', { stdin: script });
    expect(phone.calls.at(-1)?.stdin).toBe(script);
    expect(r.stdout).toBe('line\n'.repeat(20_000));
  });

  it('legacy shell for a phone without shell_v2: output arrives, exit code unknown', async () => {
    await real.attach(peerPhone('x', { features: ['cmd'] }));
    const dev = await client.openDevice();
    expect(await dev.shell('echo old')).toEqual({ stdout: 'old\n', stderr: '', exitCode: -1 });
  });

  it('a command slower than its timeout rejects with adb.timeout', { timeout: 20_000 }, async () => {
    await real.attach(peerPhone('x'));
    const dev = await client.openDevice();
    await expect(dev.shell('sleep 30000', { timeoutMs: 500 })).rejects.toMatchObject({ kind: 'device', key: 'adb.timeout' });
    expect((await dev.shell('echo still here')).stdout).toBe('still here\n');
  });

  it('unplugging the phone mid-command rejects the running shell with adb.disconnected', { timeout: 30_000 }, async () => {
    const phone = peerPhone('x');
    const sim = await real.attach(phone);
    const dev = await client.openDevice();
    const started = phone.nextRun();
    const running = dev.shell('sleep 30000', { timeoutMs: 25_000 });
    await started;
    sim.unplug();
    await expect(running).rejects.toMatchObject({ kind: 'device', key: 'adb.disconnected', params: { serial: sim.serial } });
    await real.adb.waitForState(sim.serial, (s) => s !== 'device');
  });

  it('a phone that goes offline mid-command (its shell throws) → adb.disconnected, then not usable', { timeout: 30_000 }, async () => {
    const sim = await real.attach(peerPhone('x'));
    const dev = await client.openDevice();
    await expect(dev.shell('unplug-me')).rejects.toMatchObject({ kind: 'device', key: 'adb.disconnected' });
    await real.adb.waitForState(sim.serial, (s) => s !== 'device');
    await expect(dev.shell('echo x', { timeoutMs: 3000 })).rejects.toMatchObject({ kind: 'device' });
  });

  it('no phone → adb.noDevice', async () => {
    await expect(client.openDevice()).rejects.toMatchObject({ kind: 'device', key: 'adb.noDevice' });
  });

  it('two phones: without -s → adb.severalDevices naming both; with -s each answers as itself', async () => {
    const a = await real.attach(peerPhone('A', { props: { 'ro.product.model': 'Phone A' } }));
    const b = await real.attach(peerPhone('B', { props: { 'ro.product.model': 'Phone B' } }));
    const err = await client.openDevice().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'device', key: 'adb.severalDevices' });
    const listed = String((err as { params: { devices: string } }).params.devices);
    expect(listed).toContain(`${a.serial} (device)`);
    expect(listed).toContain(`${b.serial} (device)`);
    expect((await (await client.openDevice(b.serial)).shell('getprop ro.product.model')).stdout).toBe('Phone B\n');
    expect((await (await client.openDevice(a.serial)).shell('getprop ro.product.model')).stdout).toBe('Phone A\n');
    await expect(client.openDevice('127.0.0.1:1')).rejects.toMatchObject({ key: 'adb.serialNotFound' });
  });

  it('a phone whose state is unauthorized refuses the key like requireAuth does', async () => {
    const sim = await real.attach(peerPhone('x', { state: 'unauthorized' }));
    expect(await real.adb.devices()).toContain(`${sim.serial}\tunauthorized`);
    await expect(client.openDevice(sim.serial)).rejects.toMatchObject({ key: 'adb.unauthorized' });
  });

  it('a phone that never accepts our key → listed unauthorized, adb.unauthorized', async () => {
    const sim = await real.attach(peerPhone('x'), { requireAuth: true });
    expect(await real.adb.devices()).toContain(`${sim.serial}\tunauthorized`);
    await expect(client.openDevice()).rejects.toMatchObject({ kind: 'device', key: 'adb.unauthorized', params: { serial: sim.serial } });
    // Asking the server for the transport directly yields its own FAIL text, mapped the same way.
    await expect(client.features(sim.serial)).rejects.toMatchObject({ key: 'adb.unauthorized' });
  });
});
