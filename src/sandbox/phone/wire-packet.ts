/**
 * adb device-protocol messages (AOSP `adb/protocol.txt`, `adb.h`): a 24-byte little-endian header —
 * command, arg0, arg1, data length, data checksum, magic (= command XOR 0xffffffff) — then the data.
 */
// A pure wire-format helper from the adb layer, so importing it keeps the sandbox free of product logic.
import { FrameReassembler } from '../../adb/frame-reassembler.js';

export const A_SYNC = 0x434e5953;
export const A_CNXN = 0x4e584e43;
export const A_AUTH = 0x48545541;
export const A_OPEN = 0x4e45504f;
export const A_OKAY = 0x59414b4f;
export const A_CLSE = 0x45534c43;
export const A_WRTE = 0x45545257;

/** Protocol version that allows a zero checksum; adb 29 speaks it. */
export const A_VERSION = 0x01000001;
export const MAX_PAYLOAD = 1024 * 1024;

export const AUTH_TOKEN = 1;
export const AUTH_SIGNATURE = 2;
export const AUTH_RSAPUBLICKEY = 3;

export const HEADER_BYTES = 24;

export interface AdbMessage {
  command: number;
  arg0: number;
  arg1: number;
  data: Buffer;
}

/** `checksum: false` once both sides spoke A_VERSION: the server no longer checks it, and summing MBs costs. */
export function encodeMessage(command: number, arg0: number, arg1: number, data: Buffer | string = Buffer.alloc(0), checksum = true): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const h = Buffer.alloc(HEADER_BYTES);
  h.writeUInt32LE(command >>> 0, 0);
  h.writeUInt32LE(arg0 >>> 0, 4);
  h.writeUInt32LE(arg1 >>> 0, 8);
  h.writeUInt32LE(body.length, 12);
  // The handshake still carries the byte sum, as peers of older protocol versions verify it.
  let sum = 0;
  if (checksum) for (const b of body) sum = (sum + b) >>> 0;
  h.writeUInt32LE(sum, 16);
  h.writeUInt32LE((command ^ 0xffffffff) >>> 0, 20);
  return Buffer.concat([h, body]);
}

export function commandName(command: number): string {
  return Buffer.from(Uint32Array.of(command).buffer).toString('latin1');
}

export class MessageDecoder {
  private readonly frames = new FrameReassembler(HEADER_BYTES, (h) => {
    const command = h.readUInt32LE(0);
    if (((command ^ 0xffffffff) >>> 0) !== h.readUInt32LE(20)) throw new Error(`bad adb message magic for ${commandName(command)}`);
    return h.readUInt32LE(12);
  });

  /** Whole messages found so far; throws on a header whose magic is wrong (not an adb peer). */
  push(chunk: Buffer): AdbMessage[] {
    return this.frames.push(chunk).map((f) => ({
      command: f.readUInt32LE(0),
      arg0: f.readUInt32LE(4),
      arg1: f.readUInt32LE(8),
      data: f.subarray(HEADER_BYTES),
    }));
  }
}
