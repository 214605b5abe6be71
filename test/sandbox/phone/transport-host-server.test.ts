/**
 * The sandbox host-protocol server driven by the real adb command-line client (Debian adb 29.0.6):
 * if `adb` itself is satisfied with the answers, the sandbox speaks the protocol faithfully.
 * `-H 127.0.0.1 -P PORT` marks the server as remote, so adb never tries to start a daemon.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { AdbConnection } from '../../../src/adb/connection.js';
import { startAdbHostSandbox, type AdbHostSandbox } from '../../../src/sandbox/phone/host-server.js';
import type { SimulatedPhone } from '../../../src/sandbox/phone/types.js';
import { peerPhone } from '../../adb/peer-phone.js';
import { needTool } from '../../helpers/tools.js';

let sb: AdbHostSandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

async function serve(phones: SimulatedPhone[]): Promise<AdbHostSandbox> {
  sb = await startAdbHostSandbox(phones);
  return sb;
}

function adb(server: AdbHostSandbox, args: string[], stdin = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  needTool('adb');
  return new Promise((resolve, reject) => {
    const child = spawn('adb', ['-H', '127.0.0.1', '-P', String(server.port), ...args], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('sandbox host server, as the real adb client sees it', () => {
  it('devices -l, get-state, get-serialno, features', async () => {
    const s = await serve([peerPhone('R58M123', { model: 'SM-A515F' })]);
    expect((await adb(s, ['devices', '-l'])).stdout).toMatch(/^R58M123 +device product:peer_product model:SM-A515F device:peer transport_id:1$/m);
    expect((await adb(s, ['get-state'])).stdout).toBe('device\n');
    expect((await adb(s, ['-s', 'R58M123', 'get-serialno'])).stdout).toBe('R58M123\n');
    expect((await adb(s, ['-s', 'R58M123', 'features'])).stdout.split('\n').filter(Boolean).sort()).toEqual(['cmd', 'shell_v2', 'stat_v2']);
  });

  it('adb shell keeps stdout and stderr apart and exits with the phone command status', async () => {
    const s = await serve([peerPhone('P1')]);
    expect(await adb(s, ['shell', 'echo', 'привет'])).toEqual({ code: 0, stdout: 'привет\n', stderr: '' });
    expect(await adb(s, ['shell', 'warn', 'oops'])).toEqual({ code: 0, stdout: '', stderr: 'oops\n' });
    expect((await adb(s, ['shell', 'exit', '3'])).code).toBe(3);
    expect(await adb(s, ['shell'], 'echo a\nexit 6\n')).toEqual({ code: 6, stdout: 'a\n', stderr: '' });
    expect(await adb(s, ['exec-out', 'getprop', 'ro.build.version.sdk'])).toEqual({ code: 0, stdout: '34\n', stderr: '' });
    // adb shell -x forces the legacy service: no exit status travels, adb reports 0.
    expect(await adb(s, ['shell', '-x', 'exit', '3'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('answers with the real server FAIL texts', async () => {
    const s = await serve([]);
    expect(await adb(s, ['shell', 'echo'])).toMatchObject({ code: 1, stderr: 'error: no devices/emulators found\n' });
    s.plug(peerPhone('A'));
    s.plug(peerPhone('B', { state: 'unauthorized' }));
    expect(await adb(s, ['shell', 'echo'])).toMatchObject({ code: 1, stderr: 'error: more than one device/emulator\n' });
    expect(await adb(s, ['-s', 'Z', 'shell', 'echo'])).toMatchObject({ code: 1, stderr: "error: device 'Z' not found\n" });
    expect((await adb(s, ['-s', 'B', 'shell', 'echo'])).stderr).toMatch(/^error: device unauthorized\.\n.*confirmation dialog on your device/s);
    expect((await adb(s, ['-s', 'B', 'get-state'])).stdout).toBe('unauthorized\n');
    s.unplug('B');
    s.plug(peerPhone('O', { state: 'offline' }));
    expect(await adb(s, ['-s', 'O', 'shell', 'echo'])).toMatchObject({ code: 1, stderr: 'error: device offline\n' });
    expect((await adb(s, ['-s', 'A', 'shell', 'echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('unplug() ends a running adb shell abruptly', { timeout: 20_000 }, async () => {
    const phone = peerPhone('P1');
    const s = await serve([phone]);
    const started = phone.nextRun();
    const running = adb(s, ['shell', 'sleep', '30000']);
    await started;
    s.unplug('P1');
    const r = await running;
    expect(r.stdout).toBe('');
    // adb 29's own client ends silently with status 0 when the stream drops before the exit
    // packet — one reason our AdbClient treats that case as adb.disconnected instead.
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await adb(s, ['devices'])).stdout).toBe('List of devices attached\n\n');
  });
});

describe('sandbox host server, requests the adb 29 client does not send but older clients do', () => {
  /** Sends requests on one connection; returns the raw bytes the server sent until it hung up. */
  async function exchange(server: AdbHostSandbox, requests: string[]): Promise<string> {
    const c = await AdbConnection.open(server.host, server.port, 2000);
    try {
      for (const r of requests) c.sendRequest(r);
      return (await c.readToEnd()).toString('utf8');
    } finally {
      c.destroy();
    }
  }

  it('host:transport:S, host:transport-any and host:transport-id:N switch the connection to the phone', async () => {
    const s = await serve([peerPhone('P1')]);
    expect(await exchange(s, ['host:transport:P1', 'shell:echo legacy'])).toBe('OKAYOKAYlegacy\n');
    expect(await exchange(s, ['host:transport-any', "exec:getprop 'ro.serialno'"])).toBe('OKAYOKAYP1\n');
    expect(await exchange(s, ['host:transport-id:1', 'shell:echo by-id'])).toBe('OKAYOKAYby-id\n');
    expect(await exchange(s, ['host:transport-id:9', 'shell:echo x'])).toBe("FAIL001fno device with transport id '9'");
    expect(await exchange(s, ['host-transport-id:1:get-serialno'])).toBe('OKAY0002P1');
    expect(await exchange(s, ['host:transport:P1', 'sync:'])).toBe('OKAYFAIL0006closed');
    expect(await exchange(s, ['host:no-such-thing'])).toBe('FAIL0014unknown host service');
  });
});
