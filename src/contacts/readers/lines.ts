/**
 * Byte lines of a file, read in 64 KiB chunks. Lines stay Buffers because a vCard 2.1 file may mix
 * charsets per property (`CHARSET=SHIFT_JIS`), so decoding can only happen per value.
 */
import { createReadStream } from 'node:fs';

export interface Line {
  /** 1-based physical line number, for error messages. */
  no: number;
  bytes: Buffer;
}

/** Strips every trailing CR: some exports end lines with `\r\r\n` (the ez-vcard iPhone sample). */
function trimCr(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && b[end - 1] === 0x0d) end--;
  return end === b.length ? b : b.subarray(0, end);
}

/** Yields lines split on LF without their line ending. */
export async function* byteLines(path: string): AsyncGenerator<Line> {
  let rest: Buffer | undefined;
  let no = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = undefined;
    let start = 0;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
      yield { no: ++no, bytes: trimCr(buf.subarray(start, i)) };
      start = i + 1;
    }
    // Copy the tail so the big chunk it came from can be collected.
    if (start < buf.length) rest = Buffer.from(buf.subarray(start));
  }
  if (rest && rest.length) yield { no: ++no, bytes: trimCr(rest) };
}
