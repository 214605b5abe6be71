/**
 * The device sandbox at the wire level, with this test playing the adb server's part: handshake,
 * auth refusal, stream opening, WRTE flow control and shell v2 framing (android-checks.md, Appendix).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ShellPacket, ShellPacketDecoder, encodeShellPacket } from '../../../src/adb/shell-protocol.js';
import { startDeviceSandbox, type DeviceSandbox } from '../../../src/sandbox/phone/device-server.js';
import {
  A_AUTH,
  A_CLSE,
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_VERSION,
  A_WRTE,
  AUTH_RSAPUBLICKEY,
  AUTH_SIGNATURE,
  AUTH_TOKEN,
  MessageDecoder,
  commandName,
  encodeMessage,
  type AdbMessage,
} from '../../../src/sandbox/phone/wire-packet.js';
import { bigOutput, peerPhone } from '../../adb/peer-phone.js';

let sims: DeviceSandbox[] = [];
let socks: net.Socket[] = [];
afterEach(async () => {
  socks.forEach((s) => s.destroy());
  await Promise.all(sims.map((s) => s.close()));
  sims = [];
  socks = [];
});

/** The server's end of one device connection. */
async function dial(sim: DeviceSandbox) {
  const sock = net.connect(sim.port, sim.host);
  socks.push(sock);
  await new Promise<void>((r) => sock.once('connect', () => r()));
  const decoder = new MessageDecoder();
  const inbox: AdbMessage[] = [];
  let wake: (() => void) | undefined;
  let closed = false;
  sock.on('data', (d: Buffer) => {
    inbox.push(...decoder.push(d));
    wake?.();
  });
  sock.on('close', () => {
    closed = true;
    wake?.();
  });
  sock.on('error', () => undefined);
  return {
    send: (cmd: number, a0: number, a1: number, data?: Buffer | string) => sock.write(encodeMessage(cmd, a0, a1, data)),
    /** Next message, or null when the device hung up; fails the test after 5 s of silence. */
    async next(): Promise<AdbMessage | null> {
      const until = Date.now() + 5000;
      while (inbox.length === 0) {
        if (closed) return null;
        if (Date.now() > until) throw new Error('device sent nothing');
        await new Promise<void>((r) => {
          wake = r;
          setTimeout(r, 100);
        });
      }
      return inbox.shift() as AdbMessage;
    },
    /** Whatever arrived so far, without waiting. */
    drain: () => inbox.splice(0),
    isClosed: () => closed,
  };
}

const name = (m: AdbMessage | null) => (m ? commandName(m.command) : 'EOF');
const settle = () => new Promise((r) => setTimeout(r, 150));

/** A device sandbox that afterEach closes. */
async function started(phone = peerPhone('x'), o?: { requireAuth?: boolean }): Promise<DeviceSandbox> {
  const sim = await startDeviceSandbox(phone, o);
  sims.push(sim);
  return sim;
}

/** A connection past the handshake: CNXN sent and the device's CNXN read, as for an online device. */
async function online(phone = peerPhone('x')) {
  const sim = await started(phone);
  const c = await dial(sim);
  c.send(A_CNXN, A_VERSION, 4096, 'host::');
  await c.next();
  return { sim, c };
}

describe('device sandbox: the device side of the adb protocol', () => {
  it('answers CNXN with the device banner built from the phone', async () => {
    const sim = await started(peerPhone('x', { model: 'SM-A515F' }));
    expect(sim.serial).toBe(`127.0.0.1:${sim.port}`);
    const c = await dial(sim);
    c.send(A_CNXN, A_VERSION, 4096, 'host::features=shell_v2,cmd');
    const m = await c.next();
    expect(name(m)).toBe('CNXN');
    expect(m?.arg0).toBe(A_VERSION);
    expect(m?.data.toString()).toBe('device::ro.product.name=peer_product;ro.product.model=SM-A515F;ro.product.device=peer;features=shell_v2,cmd,stat_v2');
  });

  it('sends one WRTE at a time, no bigger than the server allows, each after the previous OKAY', async () => {
    const { c } = await online();
    c.send(A_OPEN, 77, 0, 'shell,v2,raw:big 50000\0');
    const okay = await c.next();
    expect(name(okay)).toBe('OKAY');
    expect(okay?.arg1).toBe(77);
    const devId = okay?.arg0 as number;
    const decoder = new ShellPacketDecoder();
    let stdout = '';
    let exitCode = -1;
    const collect = (m: AdbMessage | null): void => {
      for (const f of decoder.push(Buffer.from(m?.data as Buffer))) {
        if (f.id === ShellPacket.stdout) stdout += f.data.toString('latin1');
        if (f.id === ShellPacket.exit) exitCode = f.data[0] as number;
      }
    };
    let writes = 0;
    for (;;) {
      const m = await c.next();
      if (name(m) === 'CLSE') break;
      expect(name(m)).toBe('WRTE');
      expect([m?.arg0, m?.arg1]).toEqual([devId, 77]);
      expect(m?.data.length).toBeLessThanOrEqual(4096);
      writes++;
      // Flow control: nothing more may come until we acknowledge.
      await settle();
      expect(c.drain()).toEqual([]);
      collect(m);
      c.send(A_OKAY, 77, devId);
      if (writes > 3) break; // enough to prove the rule; the rest without pauses below
    }
    for (;;) {
      const m = await c.next();
      if (name(m) === 'CLSE') break;
      collect(m);
      c.send(A_OKAY, 77, devId);
    }
    expect(Buffer.from(stdout, 'latin1').toString('utf8')).toBe(bigOutput(50_000));
    expect(exitCode).toBe(0);
  });

  it('acknowledges every stdin WRTE and runs the script at close-stdin, packets split across WRTEs', async () => {
    const phone = peerPhone('x');
    const { c } = await online(phone);
    c.send(A_OPEN, 5, 0, 'shell,v2,TERM=xterm,raw:\0');
    const devId = (await c.next())?.arg0 as number;
    const bytes = Buffer.concat([encodeShellPacket(ShellPacket.stdin, 'echo hi\nexit 9\n'), encodeShellPacket(ShellPacket.closeStdin)]);
    for (const part of [bytes.subarray(0, 3), bytes.subarray(3, 11), bytes.subarray(11)]) {
      c.send(A_WRTE, 5, devId, part);
      const ack = await c.next();
      expect([name(ack), ack?.arg0, ack?.arg1]).toEqual(['OKAY', devId, 5]);
    }
    const w = await c.next();
    expect(name(w)).toBe('WRTE');
    const frames = new ShellPacketDecoder().push(Buffer.from(w?.data as Buffer));
    expect(frames.map((f) => [f.id, f.data.toString()])).toEqual([
      [ShellPacket.stdout, 'hi\n'],
      [ShellPacket.exit, '\u0009'],
    ]);
    expect(phone.calls).toEqual([{ command: '', stdin: 'echo hi\nexit 9\n' }]);
    c.send(A_OKAY, 5, devId);
    expect(name(await c.next())).toBe('CLSE');
  });

  it('legacy shell: and exec: send raw bytes with no shell packets', async () => {
    const { c } = await online();
    c.send(A_OPEN, 9, 0, "exec:getprop 'ro.build.version.sdk'\0");
    const devId = (await c.next())?.arg0 as number;
    const w = await c.next();
    expect(w?.data.toString()).toBe('34\n');
    c.send(A_OKAY, 9, devId);
    expect(name(await c.next())).toBe('CLSE');
  });

  it('refuses services it does not offer with CLSE(0, host-id)', async () => {
    const { c } = await online();
    c.send(A_OPEN, 12, 0, 'sync:\0');
    const m = await c.next();
    expect([name(m), m?.arg0, m?.arg1]).toEqual(['CLSE', 0, 12]);
  });

  it('requireAuth: answers every signature with a new token, never accepts the key, opens nothing', async () => {
    const c = await dial(await started(peerPhone('x'), { requireAuth: true }));
    c.send(A_CNXN, A_VERSION, 4096, 'host::');
    const t1 = await c.next();
    expect([name(t1), t1?.arg0, t1?.data.length]).toEqual(['AUTH', AUTH_TOKEN, 20]);
    c.send(A_AUTH, AUTH_SIGNATURE, 0, Buffer.alloc(256, 1));
    const t2 = await c.next();
    expect([name(t2), t2?.arg0]).toEqual(['AUTH', AUTH_TOKEN]);
    expect(t2?.data.equals(t1?.data as Buffer)).toBe(false);
    c.send(A_AUTH, AUTH_RSAPUBLICKEY, 0, 'QAAAA... user@host\0');
    c.send(A_OPEN, 3, 0, 'shell,v2,raw:echo hi\0');
    await settle();
    expect(c.drain()).toEqual([]);
    expect(c.isClosed()).toBe(false);
  });

  it('hangs up on bytes that are not adb messages', async () => {
    const c = await dial(await started());
    socks[0]?.write(Buffer.alloc(24, 7));
    expect(await c.next()).toBeNull();
  });

  it('unplug() drops open connections and refuses new ones', async () => {
    const { sim, c } = await online();
    sim.unplug();
    expect(await c.next()).toBeNull();
    const again = await dial(sim);
    expect(await again.next()).toBeNull();
  });
});
