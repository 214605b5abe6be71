/**
 * A simulated phone as a TCP "device" that the REAL adb server accepts after
 * `adb -P PORT connect 127.0.0.1:DEVPORT` — the device side of the adb protocol (CNXN/AUTH/OPEN/
 * OKAY/WRTE/CLSE), with shell v2 inside the streams. See android-checks.md, Appendix.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { listenTracked } from './tcp-listener.js';
import type { SimulatedPhone } from './types.js';
import { ShellSession, parseShellService } from './wire-shell.js';
import {
  A_AUTH,
  A_CLSE,
  A_CNXN,
  A_OKAY,
  A_OPEN,
  A_VERSION,
  A_WRTE,
  AUTH_SIGNATURE,
  AUTH_TOKEN,
  MAX_PAYLOAD,
  MessageDecoder,
  encodeMessage,
  type AdbMessage,
} from './wire-packet.js';

export interface DeviceSandbox {
  host: string;
  port: number;
  /** What the real server calls this phone: the dialled address. */
  serial: string;
  /** Drops every connection and refuses new ones, like a pulled cable. */
  unplug(): void;
  close(): Promise<void>;
}

interface Stream {
  localId: number;
  remoteId: number;
  pending: Buffer[];
  pendingBytes: number;
  awaitingOkay: boolean;
  ending: boolean;
  session: ShellSession;
}

/** `requireAuth`, or a phone whose `state` is 'unauthorized', keeps refusing the server's key. */
export async function startDeviceSandbox(
  phone: SimulatedPhone,
  o: { host?: string; port?: number; requireAuth?: boolean } = {},
): Promise<DeviceSandbox> {
  let unplugged = false;

  const listener = await listenTracked((sock) => {
    if (unplugged) return void sock.destroy();
    sock.setNoDelay(true);
    serveConnection(sock, phone, o.requireAuth === true);
  }, o);
  const addr = listener.address;

  return {
    host: addr.address,
    port: addr.port,
    serial: `${addr.address}:${addr.port}`,
    unplug() {
      unplugged = true;
      for (const s of listener.sockets) s.destroy();
    },
    close: () => {
      unplugged = true;
      return listener.close();
    },
  };
}

function serveConnection(sock: net.Socket, phone: SimulatedPhone, requireAuth: boolean): void {
  const decoder = new MessageDecoder();
  const streams = new Map<number, Stream>();
  let online = false;
  let maxData = 4096;
  let nextLocalId = 1;

  const send = (command: number, arg0: number, arg1: number, data?: Buffer | string): void => {
    if (!sock.destroyed) sock.write(encodeMessage(command, arg0, arg1, data, !online));
  };

  const banner = (): string =>
    `device::ro.product.name=${phone.product};ro.product.model=${phone.model};ro.product.device=${phone.device};features=${phone.features.join(',')}`;

  // One WRTE in flight per stream: the next waits for the server's OKAY.
  const flush = (s: Stream): void => {
    if (s.awaitingOkay || streams.get(s.localId) !== s) return;
    if (s.pendingBytes > 0) {
      const chunk = takeBytes(s, maxData);
      s.awaitingOkay = true;
      send(A_WRTE, s.localId, s.remoteId, chunk);
    } else if (s.ending) {
      streams.delete(s.localId);
      send(A_CLSE, s.localId, s.remoteId);
    }
  };

  const open = (m: AdbMessage): void => {
    const service = m.data.toString('utf8').replace(/\0+$/, '');
    const parsed = parseShellService(service);
    if (!parsed) return send(A_CLSE, 0, m.arg0);
    // Packets written in one go (stdout, stderr, exit) share a WRTE: one round trip, not three.
    let scheduled = false;
    const later = (): void => {
      if (scheduled) return;
      scheduled = true;
      queueMicrotask(() => {
        scheduled = false;
        flush(s);
      });
    };
    // The callbacks below run only after start(), by which time `s` holds this session.
    const session = new ShellSession(phone, parsed, {
      write: (d) => {
        s.pending.push(d);
        s.pendingBytes += d.length;
        later();
      },
      end: () => {
        s.ending = true;
        later();
      },
      abort: () => {
        // The phone went away mid-command: a pulled cable drops the whole link; a crashed shell
        // only its stream, without an exit packet.
        if (phone.state !== 'device') return void sock.destroy();
        if (streams.get(s.localId) !== s) return;
        streams.delete(s.localId);
        send(A_CLSE, s.localId, s.remoteId);
      },
    });
    const s: Stream = { localId: nextLocalId++, remoteId: m.arg0, pending: [], pendingBytes: 0, awaitingOkay: false, ending: false, session };
    streams.set(s.localId, s);
    send(A_OKAY, s.localId, s.remoteId);
    s.session.start();
  };

  const handle = (m: AdbMessage): void => {
    switch (m.command) {
      case A_CNXN:
        maxData = Math.max(256, Math.min(m.arg1 || 4096, MAX_PAYLOAD));
        // The phone's state is read at each handshake, so a profile can start locked or offline.
        if (phone.state === 'offline') return;
        if (requireAuth || phone.state === 'unauthorized') send(A_AUTH, AUTH_TOKEN, 0, randomBytes(20));
        else {
          online = true;
          send(A_CNXN, A_VERSION, MAX_PAYLOAD, banner());
        }
        return;
      case A_AUTH:
        // A phone whose user never taps "Allow": every signature is rejected with a fresh token,
        // and the public key the server finally offers is never accepted.
        if (!online && m.arg0 === AUTH_SIGNATURE) send(A_AUTH, AUTH_TOKEN, 0, randomBytes(20));
        return;
      case A_OPEN:
        if (online) open(m);
        return;
      case A_WRTE: {
        const s = streams.get(m.arg1);
        if (!s) return send(A_CLSE, 0, m.arg0);
        send(A_OKAY, s.localId, s.remoteId);
        s.session.push(Buffer.from(m.data));
        return;
      }
      case A_OKAY: {
        const s = streams.get(m.arg1);
        if (s) {
          s.awaitingOkay = false;
          flush(s);
        }
        return;
      }
      case A_CLSE: {
        // Either the server closes a stream, or it echoes our CLSE (adb 29 does) — then it is gone already.
        const s = streams.get(m.arg1);
        if (s) {
          s.session.abort();
          streams.delete(m.arg1);
        }
        return;
      }
      default:
        return;
    }
  };

  sock.on('data', (chunk: Buffer) => {
    let messages: AdbMessage[];
    try {
      messages = decoder.push(chunk);
    } catch {
      return void sock.destroy();
    }
    for (const m of messages) handle(m);
  });
  sock.on('close', () => {
    for (const s of streams.values()) s.session.abort();
    streams.clear();
  });
}

/** The first `max` pending bytes, copying only what goes into this WRTE. */
function takeBytes(s: { pending: Buffer[]; pendingBytes: number }, max: number): Buffer {
  const parts: Buffer[] = [];
  let size = 0;
  while (size < max && s.pending.length > 0) {
    const head = s.pending[0] as Buffer;
    const want = max - size;
    if (head.length <= want) {
      parts.push(head);
      size += head.length;
      s.pending.shift();
    } else {
      parts.push(head.subarray(0, want));
      s.pending[0] = head.subarray(want);
      size += want;
    }
  }
  s.pendingBytes -= size;
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
}
