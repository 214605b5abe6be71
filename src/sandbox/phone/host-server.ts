/**
 * A small adb host-protocol server ("smart socket") for fast tests and `amo-doctor --sandbox` where
 * no adb is installed. It answers the requests the real adb 29 client and our AdbClient send, with
 * the real server's FAIL texts, and serves shells from simulated phones.
 */
import net from 'node:net';
import { ADB_SERVER_VERSION } from '../../adb/client.js';
import { AdbConnection, lengthPrefixed } from '../../adb/connection.js';
import { listenTracked } from './tcp-listener.js';
import type { SimulatedPhone } from './types.js';
import { ShellSession, parseShellService } from './wire-shell.js';

export const UNAUTHORIZED_TEXT =
  "device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\nTry 'adb kill-server' if that seems wrong.\nOtherwise check for a confirmation dialog on your device.";

export interface AdbHostSandbox {
  host: string;
  port: number;
  /** Removes the phone and ends its open streams abruptly, like a pulled cable. */
  unplug(serial: string): void;
  /** Attaches a phone (again), with a new transport id as the real server gives. */
  plug(phone: SimulatedPhone): void;
  close(): Promise<void>;
}

interface Attached {
  phone: SimulatedPhone;
  transportId: number;
}

type Selector = { kind: 'any' | 'usb' | 'local' } | { kind: 'serial'; serial: string } | { kind: 'id'; id: number };

class Fail extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const SERIAL_QUERIES = /^(.*):(features|get-state|get-serialno|get-devpath)$/;

export async function startAdbHostSandbox(phones: SimulatedPhone[], o: { host?: string; port?: number } = {}): Promise<AdbHostSandbox> {
  const attached: Attached[] = [];
  let nextTransportId = 1;
  const bySerial = new Map<string, Set<net.Socket>>();

  const plug = (phone: SimulatedPhone): void => {
    attached.push({ phone, transportId: nextTransportId++ });
  };
  phones.forEach(plug);

  const select = (sel: Selector, anyState: boolean): Attached => {
    let found: Attached[];
    if (sel.kind === 'serial') {
      found = attached.filter((a) => a.phone.serial === sel.serial);
      if (found.length === 0) throw new Fail(`device '${sel.serial}' not found`);
    } else if (sel.kind === 'id') {
      found = attached.filter((a) => a.transportId === sel.id);
      if (found.length === 0) throw new Fail(`no device with transport id '${sel.id}'`);
    } else {
      // Simulated phones count as USB phones; there are no emulators here.
      found = sel.kind === 'local' ? [] : attached;
      if (found.length === 0) throw new Fail(sel.kind === 'local' ? 'no emulators found' : 'no devices/emulators found');
      if (found.length > 1) throw new Fail(sel.kind === 'any' ? 'more than one device/emulator' : 'more than one device');
    }
    const a = found[0] as Attached;
    if (!anyState && a.phone.state === 'unauthorized') throw new Fail(UNAUTHORIZED_TEXT);
    if (!anyState && a.phone.state === 'offline') throw new Fail('device offline');
    return a;
  };

  const devicesPayload = (long: boolean): string =>
    attached
      .map(({ phone, transportId }) => {
        if (!long) return `${phone.serial}\t${phone.state}\n`;
        const id = phone.state === 'device' ? ` product:${word(phone.product)} model:${word(phone.model)} device:${word(phone.device)}` : '';
        return `${phone.serial.padEnd(22)} ${phone.state}${id} transport_id:${transportId}\n`;
      })
      .join('');

  /** Host services; returns the phone when the connection switched to it. */
  const hostRequest = (c: AdbConnection, req: string): Attached | undefined => {
    let sel: Selector;
    let rest: string;
    let m: RegExpExecArray | null;
    if (req.startsWith('host:')) {
      sel = { kind: 'any' };
      rest = req.slice(5);
    } else if (req.startsWith('host-usb:')) {
      sel = { kind: 'usb' };
      rest = req.slice(9);
    } else if (req.startsWith('host-local:')) {
      sel = { kind: 'local' };
      rest = req.slice(11);
    } else if ((m = /^host-transport-id:(\d+):(.*)$/.exec(req))) {
      sel = { kind: 'id', id: Number(m[1]) };
      rest = m[2] as string;
    } else if (req.startsWith('host-serial:') && (m = SERIAL_QUERIES.exec(req.slice(12)))) {
      sel = { kind: 'serial', serial: m[1] as string };
      rest = m[2] as string;
    } else {
      throw new Fail('unknown host service');
    }
    const isHost = req.startsWith('host:');
    const query = (): string | undefined => {
      if (isHost && rest === 'version') return ADB_SERVER_VERSION.toString(16).padStart(4, '0');
      if (isHost && rest === 'devices') return devicesPayload(false);
      if (isHost && rest === 'devices-l') return devicesPayload(true);
      if (rest === 'features') return select(sel, false).phone.features.join(',');
      if (rest === 'get-state') return select(sel, true).phone.state;
      if (rest === 'get-serialno') return select(sel, true).phone.serial;
      if (rest === 'get-devpath') return 'unknown';
      return undefined;
    };
    const answer = query();
    if (answer !== undefined) {
      okay(c, answer);
      return undefined;
    }
    if (!isHost) throw new Fail('unknown host service');
    if ((m = /^tport:(serial:(.+)|any|usb|local)$/.exec(rest))) {
      const a = select(m[2] !== undefined ? { kind: 'serial', serial: m[2] } : { kind: rest.slice(6) as 'any' | 'usb' | 'local' }, false);
      const id = Buffer.alloc(8);
      id.writeBigUInt64LE(BigInt(a.transportId));
      c.write(Buffer.concat([Buffer.from('OKAY'), id]));
      return a;
    }
    if ((m = /^transport(?::(.+)|-(any|usb|local)|-id:(\d+))$/.exec(rest))) {
      const s: Selector =
        m[1] !== undefined ? { kind: 'serial', serial: m[1] } : m[3] !== undefined ? { kind: 'id', id: Number(m[3]) } : { kind: m[2] as 'any' };
      const a = select(s, false);
      c.write(Buffer.from('OKAY'));
      return a;
    }
    throw new Fail('unknown host service');
  };

  const serveShell = (sock: net.Socket, c: AdbConnection, a: Attached, service: string): Promise<void> => {
    const parsed = parseShellService(service);
    if (!parsed) throw new Fail('closed');
    // The phone may have been unplugged or locked between the transport switch and now.
    if (!attached.includes(a)) throw new Fail(`device '${a.phone.serial}' not found`);
    const set = bySerial.get(a.phone.serial) ?? new Set<net.Socket>();
    bySerial.set(a.phone.serial, set);
    set.add(sock);
    sock.write('OKAY');
    const session = new ShellSession(a.phone, parsed, {
      write: (d) => {
        if (!sock.destroyed) sock.write(d);
      },
      end: () => {
        if (!sock.destroyed) sock.end();
      },
      abort: () => sock.destroy(),
    });
    sock.once('close', () => {
      session.abort();
      set.delete(sock);
    });
    session.start();
    return (async () => {
      for (let d = await c.readChunk(); d !== null; d = await c.readChunk()) session.push(d);
    })();
  };

  const serve = async (sock: net.Socket): Promise<void> => {
    const c = AdbConnection.wrap(sock);
    let bound: Attached | undefined;
    for (;;) {
      const req = await c.readLengthPrefixed();
      try {
        if (!bound) {
          bound = hostRequest(c, req);
          if (!bound) return void sock.end(); // query answered: the client expects us to hang up
        } else {
          return await serveShell(sock, c, bound, req);
        }
      } catch (e) {
        if (!(e instanceof Fail)) throw e;
        sock.end(Buffer.concat([Buffer.from('FAIL'), lengthPrefixed(e.reason)]));
        return;
      }
    }
  };

  const listener = await listenTracked((sock) => {
    serve(sock).catch(() => sock.destroy());
  }, o);
  const addr = listener.address;

  return {
    host: addr.address,
    port: addr.port,
    unplug(serial) {
      for (let i = attached.length - 1; i >= 0; i--) if ((attached[i] as Attached).phone.serial === serial) attached.splice(i, 1);
      for (const s of bySerial.get(serial) ?? []) s.destroy();
      bySerial.delete(serial);
    },
    plug,
    close: () => listener.close(),
  };
}

function okay(c: AdbConnection, payload: string): void {
  c.write(Buffer.concat([Buffer.from('OKAY'), lengthPrefixed(payload)]));
}

// devices -l prints one word per value: the real server replaces anything else with '_'.
function word(v: string): string {
  return v.replace(/[^A-Za-z0-9._-]/g, '_');
}
