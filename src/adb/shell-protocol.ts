/**
 * Shell protocol v2 framing (AOSP `shell_protocol.h`): 1-byte id, u32 LE length, data. Shared by our
 * client and by the sandbox servers, which must produce exactly what a real adbd produces.
 */
import { FrameReassembler } from './frame-reassembler.js';

export const ShellPacket = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  exit: 3,
  closeStdin: 4,
  windowSize: 5,
} as const;

export const SHELL_HEADER_BYTES = 5;

export function encodeShellPacket(id: number, data: Buffer | string = Buffer.alloc(0)): Buffer {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const header = Buffer.alloc(SHELL_HEADER_BYTES);
  header.writeUInt8(id, 0);
  header.writeUInt32LE(body.length, 1);
  return Buffer.concat([header, body]);
}

/** Stdout/stderr split into packets no larger than `maxData`, like adbd's fixed-size buffer does. */
export function encodeShellStream(id: number, data: Buffer | string, maxData = 64 * 1024): Buffer[] {
  const body = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const out: Buffer[] = [];
  for (let i = 0; i < body.length; i += maxData) out.push(encodeShellPacket(id, body.subarray(i, i + maxData)));
  return out;
}

export interface ShellFrame {
  id: number;
  data: Buffer;
}

/** Reassembles packets from arbitrary chunks: TCP and WRTE boundaries never line up with packets. */
export class ShellPacketDecoder {
  private readonly frames = new FrameReassembler(SHELL_HEADER_BYTES, (h) => h.readUInt32LE(1));

  push(chunk: Buffer): ShellFrame[] {
    return this.frames.push(chunk).map((f) => ({ id: f.readUInt8(0), data: f.subarray(SHELL_HEADER_BYTES) }));
  }

  get pendingBytes(): number {
    return this.frames.pendingBytes;
  }
}
