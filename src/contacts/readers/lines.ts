/**
 * Lines of a file, read in 64 KiB chunks and handed out one batch per chunk (a promise per line
 * would cost more than parsing it). Each line is a *byte string*: the file decoded as latin1, one
 * char per byte. A vCard 2.1 file may mix charsets per property (`CHARSET=SHIFT_JIS`), so text
 * can only be decoded per value (decode.ts), while splitting and parameter parsing work on plain
 * strings, which is much cheaper than slicing Buffers.
 */
import { createReadStream } from 'node:fs';
import { AppError } from '../../errors.js';

const MAX_LINE = 16 * 1024 * 1024;

/** Strips every trailing CR: some exports end lines with `\r\r\n` (the ez-vcard iPhone sample). */
function trimCr(s: string): string {
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x0d) end--;
  return end === s.length ? s : s.slice(0, end);
}

/**
 * Yields the complete lines of each chunk (latin1 byte strings), split on LF, without their line
 * endings; line numbers are the running count. A file whose first chunk has CRs but no LF at all
 * is a classic-Mac export: its lines end with a lone CR.
 */
export async function* lineBatches(path: string): AsyncGenerator<string[]> {
  let rest = '';
  let no = 0;
  let eol: string | undefined;
  for await (const chunk of createReadStream(path, { highWaterMark: 64 * 1024 }) as AsyncIterable<Buffer>) {
    const text = rest + chunk.toString('latin1');
    eol ??= !text.includes('\n') && text.includes('\r') ? '\r' : '\n';
    const batch: string[] = [];
    let start = 0;
    for (let i = text.indexOf(eol); i >= 0; i = text.indexOf(eol, start)) {
      batch.push(trimCr(text.slice(start, i)));
      start = i + 1;
    }
    no += batch.length;
    rest = text.slice(start);
    // Without this, a file with no line breaks (a photo, an archive) would be buffered whole.
    if (rest.length > MAX_LINE) throw new AppError('input', 'formats.read.lineTooLong', { path, line: no + 1 });
    if (batch.length) yield batch;
  }
  if (rest) yield [trimCr(rest)];
}

const NON_ASCII = /[^\x00-\x7f]/;

/** UTF-8 text of a byte string (ASCII needs no work). */
export function utf8(raw: string): string {
  return NON_ASCII.test(raw) ? Buffer.from(raw, 'latin1').toString('utf8') : raw;
}
