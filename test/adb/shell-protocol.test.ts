import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShellPacketDecoder, encodeShellPacket, encodeShellStream } from '../../src/adb/shell-protocol.js';
import { MessageDecoder, encodeMessage } from '../../src/sandbox/phone/wire-packet.js';

/** Cuts `bytes` at the given positions, as TCP or WRTE boundaries would. */
function split(bytes: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const c of at) {
    parts.push(bytes.subarray(prev, c));
    prev = c;
  }
  parts.push(bytes.subarray(prev));
  return parts;
}

const frame = fc.record({ id: fc.integer({ min: 0, max: 5 }), data: fc.uint8Array({ maxLength: 300 }) });

describe('shell v2 framing', () => {
  it('decodes the same packets however the byte stream is cut', () => {
    fc.assert(
      fc.property(fc.array(frame, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
        const bytes = Buffer.concat(frames.map((f) => encodeShellPacket(f.id, Buffer.from(f.data))));
        const d = new ShellPacketDecoder();
        const got = split(bytes, cuts).flatMap((p) => d.push(p));
        expect(got.map((f) => ({ id: f.id, data: [...f.data] }))).toEqual(frames.map((f) => ({ id: f.id, data: [...f.data] })));
        expect(d.pendingBytes).toBe(0);
      }),
    );
  });

  it('splits a long stream into packets of at most the given size, losing nothing', () => {
    const data = Buffer.alloc(150_001, 7);
    const packets = encodeShellStream(1, data, 64 * 1024);
    expect(packets.map((p) => p.readUInt32LE(1))).toEqual([65536, 65536, 150_001 - 2 * 65536]);
    expect(encodeShellStream(1, '')).toEqual([]);
  });
});

describe('adb device-protocol messages', () => {
  it('decode whatever way the stream is cut; checksum is the byte sum, magic the complement', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ cmd: fc.constantFrom(0x4e584e43, 0x45545257, 0x59414b4f), a0: fc.nat(), a1: fc.nat(), data: fc.uint8Array({ maxLength: 200 }) }), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (msgs, cuts) => {
          const bytes = Buffer.concat(msgs.map((m) => encodeMessage(m.cmd, m.a0, m.a1, Buffer.from(m.data))));
          const d = new MessageDecoder();
          const got = split(bytes, cuts).flatMap((p) => d.push(p));
          expect(got.map((m) => [m.command, m.arg0, m.arg1, [...m.data]])).toEqual(msgs.map((m) => [m.cmd, m.a0, m.a1, [...m.data]]));
        },
      ),
    );
    const m = encodeMessage(0x4e584e43, 1, 2, Buffer.from([1, 2, 250]));
    expect(m.readUInt32LE(16)).toBe(253);
    expect(m.readUInt32LE(20)).toBe(0xb1a7b1bc);
  });
});
