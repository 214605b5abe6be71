/**
 * AdbClient against the sandbox host-protocol server (and, for wire edge cases, small inline
 * peers speaking the host protocol byte by byte).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AdbClient, EXIT_CODE_UNKNOWN, failureError } from '../../src/adb/client.js';
import { parseDevicesLong } from '../../src/adb/devices.js';
import { ShellPacket, encodeShellPacket } from '../../src/adb/shell-protocol.js';
import { startAdbHostSandbox, UNAUTHORIZED_TEXT, type AdbHostSandbox } from '../../src/sandbox/phone/host-server.js';
import type { SimulatedPhone } from '../../src/sandbox/phone/types.js';
import { bigOutput, peerPhone } from './peer-phone.js';

let sandboxes: AdbHostSandbox[] = [];
let servers: net.Server[] = [];

afterEach(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  sandboxes = [];
  servers = [];
});

async function sandbox(phones: SimulatedPhone[]): Promise<{ sb: AdbHostSandbox; client: AdbClient }> {
  const sb = await startAdbHostSandbox(phones);
  sandboxes.push(sb);
  return { sb, client: new AdbClient({ host: sb.host, port: sb.port }) };
}

/** A host-protocol peer scripted per connection: gets each request, writes raw bytes back. */
async function rawPeer(onRequest: (req: string, sock: net.Socket, requests: string[]) => void): Promise<{ port: number; requests: string[] }> {
  const requests: string[] = [];
  const server = net.createServer((sock) => {
    let buf = Buffer.alloc(0);
    sock.on('error', () => sock.destroy());
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 4) {
        const len = parseInt(buf.subarray(0, 4).toString('latin1'), 16);
        if (Number.isNaN(len) || buf.length < 4 + len) break;
        const req = buf.subarray(4, 4 + len).toString('utf8');
        buf = buf.subarray(4 + len);
        requests.push(req);
        onRequest(req, sock, requests);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, requests };
}

function hex4(s: string): string {
  return Buffer.byteLength(s).toString(16).padStart(4, '0');
}

describe('host queries', () => {
  it('reads the server version, devices with their details, and features', async () => {
    const { client } = await sandbox([peerPhone('R58M123', { model: 'SM-A515F' }), peerPhone('U1', { state: 'unauthorized' })]);
    expect(await client.version()).toBe(41);
    expect(await client.devices()).toEqual([
      { serial: 'R58M123', state: 'device', product: 'peer_product', model: 'SM-A515F', device: 'peer', transportId: 1 },
      { serial: 'U1', state: 'unauthorized', transportId: 2 },
    ]);
    expect(await client.features('R58M123')).toEqual(['shell_v2', 'cmd', 'stat_v2']);
  });

  it('parses the Linux no-permissions state, which spans several words', () => {
    const payload =
      '0123456789ABCDEF       no permissions (user in plugdev group; are your udev rules wrong?); see [http://developer.android.com/tools/device.html] usb:1-1 transport_id:4\n' +
      'emulator-5554          device product:sdk_gphone model:Pixel_7 device:emu transport_id:1\n';
    const [a, b] = parseDevicesLong(payload);
    expect(a?.state).toMatch(/^no permissions \(user in plugdev group/);
    expect(a?.transportId).toBe(4);
    expect(b).toEqual({ serial: 'emulator-5554', state: 'device', product: 'sdk_gphone', model: 'Pixel_7', device: 'emu', transportId: 1 });
  });
});

describe('shell over protocol v2', () => {
  it('keeps stdout, stderr and the exit code apart', async () => {
    const { client } = await sandbox([peerPhone('P1')]);
    const dev = await client.openDevice();
    expect(dev.serial).toBe('P1');
    expect(dev.model).toBe('Peer_Phone');
    expect(dev.features).toContain('shell_v2');
    expect(await dev.shell('echo привет')).toEqual({ stdout: 'привет\n', stderr: '', exitCode: 0 });
    expect(await dev.shell('warn oops')).toEqual({ stdout: '', stderr: 'oops\n', exitCode: 0 });
    expect(await dev.shell('exit 3')).toEqual({ stdout: '', stderr: '', exitCode: 3 });
    expect(await dev.shell('no-such-tool')).toEqual({ stdout: '', stderr: '/system/bin/sh: no-such-tool: inaccessible or not found\n', exitCode: 127 });
    dev.close();
  });

  it('sends a script as stdin packets followed by close-stdin', async () => {
    const phone = peerPhone('P1');
    const { client } = await sandbox([phone]);
    const dev = await client.openDevice('P1');
    const script = 'echo one\nwarn two\necho три\nexit 4\n';
    expect(await dev.shell('', { stdin: script })).toEqual({ stdout: 'one\nтри\n', stderr: 'two\n', exitCode: 4 });
    expect(phone.calls.at(-1)).toEqual({ command: '', stdin: script });
    // A 300 kB script goes through intact too (several stdin packets).
    const long = 'echo x\n'.repeat(300_000 / 7);
    const r = await dev.shell('sh', { stdin: long });
    expect(phone.calls.at(-1)?.stdin).toBe(long);
    expect(r.stdout).toBe('x\n'.repeat(300_000 / 7));
  });

  it('returns large outputs (1.5 MB, multi-byte characters across chunks) byte for byte', async () => {
    const { client } = await sandbox([peerPhone('P1')]);
    const dev = await client.openDevice();
    const r = await dev.shell('big 1500000');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(bigOutput(1_500_000));
  });

  it('runs several commands at once on one device', async () => {
    const { client } = await sandbox([peerPhone('P1')]);
    const dev = await client.openDevice();
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => dev.shell(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 8 }, (_, i) => `${i}\n`));
  });

  it('reassembles replies and packets that arrive one byte at a time', async () => {
    const id = Buffer.alloc(8);
    id.writeBigUInt64LE(7n);
    const body = Buffer.concat([
      Buffer.from('OKAY'),
      encodeShellPacket(ShellPacket.stdout, 'Ёлка\n'),
      encodeShellPacket(ShellPacket.stderr, 'warn\n'),
      encodeShellPacket(ShellPacket.exit, Buffer.from([2])),
    ]);
    const dribble = (sock: net.Socket, bytes: Buffer): void => {
      let i = 0;
      const step = (): void => {
        if (sock.destroyed) return;
        if (i < bytes.length) {
          sock.write(bytes.subarray(i, ++i));
          setTimeout(step, 0);
        }
      };
      step();
    };
    const peer = await rawPeer((req, sock) => {
      if (req === 'host:version') dribble(sock, Buffer.from('OKAY00040029'));
      else if (req === 'host:devices-l') dribble(sock, Buffer.from(`OKAY${hex4('SLOW1\tdevice\n')}SLOW1\tdevice\n`));
      else if (req.endsWith(':features')) dribble(sock, Buffer.from('OKAY0008shell_v2'));
      else if (req.startsWith('host:tport:serial:')) dribble(sock, Buffer.concat([Buffer.from('OKAY'), id]));
      else if (req.startsWith('shell,v2,raw:')) dribble(sock, body);
    });
    const dev = await new AdbClient({ host: '127.0.0.1', port: peer.port }).openDevice();
    expect(await dev.shell('anything')).toEqual({ stdout: 'Ёлка\n', stderr: 'warn\n', exitCode: 2 });
    expect(peer.requests).toEqual(['host:version', 'host:devices-l', 'host-serial:SLOW1:features', 'host:tport:serial:SLOW1', 'shell,v2,raw:anything']);
  });
});

describe('older servers', () => {
  it('falls back to host:transport when the server has no tport', async () => {
    const peer = await rawPeer((req, sock) => {
      if (req === 'host:version') sock.end('OKAY00040029');
      else if (req === 'host:devices-l') sock.end(`OKAY${hex4('OLD\tdevice\n')}OLD\tdevice\n`);
      else if (req.endsWith(':features')) sock.end('OKAY0008shell_v2');
      else if (req.startsWith('host:tport:')) sock.end('FAIL0014unknown host service');
      else if (req === 'host:transport:OLD') sock.write('OKAY');
      else if (req.startsWith('shell,v2,raw:')) {
        sock.end(Buffer.concat([Buffer.from('OKAY'), encodeShellPacket(ShellPacket.stdout, 'ok\n'), encodeShellPacket(ShellPacket.exit, Buffer.from([0]))]));
      }
    });
    const dev = await new AdbClient({ host: '127.0.0.1', port: peer.port }).openDevice();
    expect(await dev.shell('echo ok')).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
    expect(await dev.shell('echo ok')).toEqual({ stdout: 'ok\n', stderr: '', exitCode: 0 });
    expect(peer.requests.filter((r) => r.startsWith('host:t'))).toEqual(['host:tport:serial:OLD', 'host:transport:OLD', 'host:transport:OLD']);
  });
});

describe('legacy shell (no shell_v2)', () => {
  it('mixes stderr into stdout and reports the exit code as unknown (-1)', async () => {
    const phone = peerPhone('OLD1', { features: ['cmd'] });
    const { client } = await sandbox([phone]);
    const dev = await client.openDevice();
    expect(await dev.shell('warn w')).toEqual({ stdout: 'w\n', stderr: '', exitCode: EXIT_CODE_UNKNOWN });
    expect(await dev.shell('exit 5')).toEqual({ stdout: '', stderr: '', exitCode: EXIT_CODE_UNKNOWN });
  });

  it('sends a script as a here-document, and refuses one longer than the old 4 KB limit', async () => {
    const phone = peerPhone('OLD1', { features: [] });
    const { client } = await sandbox([phone]);
    const dev = await client.openDevice();
    expect((await dev.shell('', { stdin: 'echo a\necho b\n' })).stdout).toBe('a\nb\n');
    expect(phone.calls.at(-1)?.command).toBe("sh <<'AMO_STDIN'\necho a\necho b\nAMO_STDIN");
    await expect(dev.shell('', { stdin: 'echo a\n'.repeat(1000) })).rejects.toMatchObject({ kind: 'device', key: 'adb.legacyTooLong' });
  });
});

describe('timeouts and unplugging never hang', () => {
  it('a command slower than its timeout rejects with adb.timeout', { timeout: 15_000 }, async () => {
    const { client } = await sandbox([peerPhone('P1')]);
    const dev = await client.openDevice();
    await expect(dev.shell('sleep 30000', { timeoutMs: 300 })).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.timeout',
      params: { command: 'sleep 30000', seconds: 0.3 },
    });
    // The device is still usable afterwards.
    expect((await dev.shell('echo ok')).stdout).toBe('ok\n');
  });

  it('the client-wide default timeout applies when a command sets none', { timeout: 15_000 }, async () => {
    const sb = await startAdbHostSandbox([peerPhone('P1')]);
    sandboxes.push(sb);
    const dev = await new AdbClient({ host: sb.host, port: sb.port }, { timeoutMs: 300 }).openDevice();
    await expect(dev.shell('sleep 30000')).rejects.toMatchObject({ key: 'adb.timeout' });
  });

  it('a server that accepts and never answers gives adb.timeout, not a hang', { timeout: 15_000 }, async () => {
    const peer = await rawPeer(() => undefined);
    await expect(new AdbClient({ host: '127.0.0.1', port: peer.port }, { timeoutMs: 300 }).version()).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.timeout',
    });
  });

  it('unplugging the phone mid-command rejects the running shell with adb.disconnected', { timeout: 15_000 }, async () => {
    const phone = peerPhone('P1');
    const { sb, client } = await sandbox([phone]);
    const dev = await client.openDevice();
    const started = phone.nextRun();
    const running = dev.shell('sleep 30000', { timeoutMs: 60_000 });
    await started;
    sb.unplug('P1');
    await expect(running).rejects.toMatchObject({ kind: 'device', key: 'adb.disconnected', params: { serial: 'P1' } });
    expect(await client.devices()).toEqual([]);
    // The next command finds no phone; plugging it back in makes it usable again.
    await expect(dev.shell('echo x')).rejects.toMatchObject({ key: 'adb.serialNotFound' });
    sb.plug(phone);
    expect((await dev.shell('echo back')).stdout).toBe('back\n');
  });

  it('a phone whose shell dies because it went offline → adb.disconnected, then adb.offline', async () => {
    const { client } = await sandbox([peerPhone('P1')]);
    const dev = await client.openDevice();
    await expect(dev.shell('unplug-me')).rejects.toMatchObject({ kind: 'device', key: 'adb.disconnected', params: { serial: 'P1' } });
    expect((await client.devices())[0]?.state).toBe('offline');
    await expect(dev.shell('echo x')).rejects.toMatchObject({ key: 'adb.offline' });
    await expect(client.openDevice()).rejects.toMatchObject({ key: 'adb.offline' });
  });

  it('close() ends in-flight commands and refuses new ones', { timeout: 15_000 }, async () => {
    const phone = peerPhone('P1');
    const { client } = await sandbox([phone]);
    const dev = await client.openDevice();
    const started = phone.nextRun();
    const running = dev.shell('sleep 30000', { timeoutMs: 60_000 });
    await started;
    dev.close();
    await expect(running).rejects.toMatchObject({ key: 'adb.sessionClosed' });
    await expect(dev.shell('echo x')).rejects.toMatchObject({ key: 'adb.sessionClosed' });
  });
});

describe('each unusable situation has its own error', () => {
  it('no server listening → adb.noServer, and we never try to start one', async () => {
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    await expect(new AdbClient({ host: '127.0.0.1', port }).openDevice()).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.noServer',
      params: { host: '127.0.0.1', port, command: `adb -P ${port} start-server` },
    });
  });

  it('the advice starts a server on the port in use, for localhost too', async () => {
    const free = net.createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', () => r()));
    const port = (free.address() as net.AddressInfo).port;
    await new Promise((r) => free.close(r));
    const err = await new AdbClient({ host: 'localhost', port }).version().catch((e: unknown) => e);
    expect(err).toMatchObject({ key: 'adb.noServer', params: { command: `adb -P ${port} start-server` } });
  });

  it('a server of another version → adb.versionMismatch, and it is never sent host:kill', async () => {
    const peer = await rawPeer((req, sock) => {
      if (req === 'host:version') sock.end('OKAY00040028');
      else sock.end('FAIL0007unknown');
    });
    await expect(new AdbClient({ host: '127.0.0.1', port: peer.port }).openDevice()).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.versionMismatch',
      params: { server: 40, client: 41 },
    });
    expect(peer.requests).toEqual(['host:version']);
  });

  it('something that is not an adb server → adb.protocol', async () => {
    const peer = await rawPeer((_req, sock) => sock.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await expect(new AdbClient({ host: '127.0.0.1', port: peer.port }).version()).rejects.toMatchObject({ key: 'adb.protocol' });
  });

  it('no phone → adb.noDevice', async () => {
    const { client } = await sandbox([]);
    await expect(client.openDevice()).rejects.toMatchObject({ kind: 'device', key: 'adb.noDevice' });
  });

  it('several phones without a serial → adb.severalDevices naming them; with -s the right one answers', async () => {
    const { client } = await sandbox([peerPhone('AAA'), peerPhone('BBB', { state: 'unauthorized' }), peerPhone('CCC')]);
    await expect(client.openDevice()).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.severalDevices',
      params: { devices: 'AAA (device), BBB (unauthorized), CCC (device)' },
    });
    const dev = await client.openDevice('CCC');
    expect((await dev.shell('getprop ro.serialno')).stdout).toBe('CCC\n');
  });

  it('-s with an unknown serial → adb.serialNotFound listing what is connected', async () => {
    const { client } = await sandbox([peerPhone('AAA')]);
    await expect(client.openDevice('ZZZ')).rejects.toMatchObject({
      kind: 'device',
      key: 'adb.serialNotFound',
      params: { serial: 'ZZZ', devices: 'AAA (device)' },
    });
  });

  it('unauthorized and offline phones get their own errors', async () => {
    const { client } = await sandbox([peerPhone('U1', { state: 'unauthorized' })]);
    await expect(client.openDevice()).rejects.toMatchObject({ kind: 'device', key: 'adb.unauthorized', params: { serial: 'U1' } });
    const other = await sandbox([peerPhone('O1', { state: 'offline' })]);
    await expect(other.client.openDevice('O1')).rejects.toMatchObject({ kind: 'device', key: 'adb.offline', params: { serial: 'O1' } });
  });

  it('a phone that locks up (becomes unauthorized) after opening → the server FAIL maps to adb.unauthorized', async () => {
    const phone = peerPhone('P1');
    const { client } = await sandbox([phone]);
    const dev = await client.openDevice();
    phone.state = 'unauthorized';
    await expect(dev.shell('echo x')).rejects.toMatchObject({ key: 'adb.unauthorized', params: { serial: 'P1' } });
    await expect(client.features('P1')).rejects.toMatchObject({ key: 'adb.unauthorized' });
  });

  it.each([
    ['no devices/emulators found', 'adb.noDevice'],
    ['more than one device/emulator', 'adb.severalDevices'],
    ["device 'X9' not found", 'adb.serialNotFound'],
    [UNAUTHORIZED_TEXT, 'adb.unauthorized'],
    ['device offline', 'adb.offline'],
    ['device still authorizing', 'adb.authorizing'],
    ['insufficient permissions for device: user in plugdev group; are your udev rules wrong?', 'adb.noPermissions'],
    ['closed', 'adb.failed'],
  ])('server FAIL %j → %s', (reason, key) => {
    expect(failureError(reason, 'S1')).toMatchObject({ kind: 'device', key });
  });

  it.each([
    ['authorizing', 'adb.authorizing'],
    ['connecting', 'adb.authorizing'],
    ['no permissions (user in plugdev group; are your udev rules wrong?); see [http://developer.android.com/tools/device.html]', 'adb.noPermissions'],
    ['recovery', 'adb.badState'],
  ])('a phone listed as %j → %s', async (state, key) => {
    const peer = await rawPeer((req, sock) => {
      const line = `S1\t${state}\n`;
      if (req === 'host:version') sock.end('OKAY00040029');
      else if (req === 'host:devices-l') sock.end(`OKAY${hex4(line)}${line}`);
      else sock.end('FAIL0006closed');
    });
    await expect(new AdbClient({ host: '127.0.0.1', port: peer.port }).openDevice()).rejects.toMatchObject({ kind: 'device', key });
  });
});
