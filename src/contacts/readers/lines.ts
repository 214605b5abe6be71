/**
 * Byte lines of a file, read in 64 KiB chunks and handed out one batch per chunk (a promise per
 * line would cost more than parsing it). Lines stay Buffers because a vCard 2.1 file may mix
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

/** Yields the complete lines of each chunk, split on LF, without their line endings. */
export async function* lineBatches(path: string): AsyncGenerator<Line[]> {
  let rest: Buffer | undefined;
  let no = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    const buf = rest ? Buffer.concat([rest, chunk]) : chunk;
    rest = undefined;
    const batch: Line[] = [];
    let start = 0;
    for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
      batch.push({ no: ++no, bytes: trimCr(buf.subarray(start, i)) });
      start = i + 1;
    }
    // Lines of this batch keep views into the chunk; the unfinished tail waits for the next one.
    if (start < buf.length) rest = buf.subarray(start);
    if (batch.length) yield batch;
  }
  if (rest && rest.length) yield [{ no: ++no, bytes: trimCr(rest) }];
}
