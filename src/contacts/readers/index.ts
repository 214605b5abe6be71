/**
 * Contacts from a phone-book file, for `amo-callerid --input` and `--exclude-contacts`: vCard
 * 2.1/3.0/4.0 or Google/Outlook CSV, detected from the content (not the extension), read as a
 * stream so a million-contact file needs no more memory than one chunk. Each 64 KiB chunk is
 * parsed synchronously: the only async steps are one per chunk (readContactBatches) or one per
 * contact (readContactsFile). Ids are 1..n in file order; accountId is 0.
 */
import { AppError, isAppError } from '../../errors.js';
import type { Contact } from '../contact.js';
import { CsvParser } from './csv.js';
import { lineBatches, utf8 } from './lines.js';
import type { ReadOptions } from './options.js';
import { VCardParser } from './vcard.js';

export type { ReadOptions } from './options.js';
type ContactsFileKind = 'vcard' | 'csv';

/** From the first non-blank line: `BEGIN:VCARD`, or a comma-separated header, or neither. */
function detectContactsFile(firstLine: string): ContactsFileKind | undefined {
  const text = utf8(firstLine);
  if (text.includes('\u0000')) return undefined;
  if (/^\s*BEGIN:VCARD\s*$/i.test(text)) return 'vcard';
  if (text.includes(',')) return 'csv';
  return undefined;
}

function isBlank(raw: string): boolean {
  return utf8(raw).trim() === '';
}

/** The contacts completed by each chunk of the file, in file order (no empty batches). */
export async function* readContactBatches(path: string, o: ReadOptions): AsyncGenerator<Contact[]> {
  const batches = lineBatches(path);
  try {
    let parser: VCardParser | CsvParser | undefined;
    let no = 0;
    for await (const lines of batches) {
      const out: Contact[] = [];
      for (let raw of lines) {
        no++;
        // A UTF-8 BOM, seen byte by byte (lines are latin1 byte strings).
        if (no === 1 && raw.startsWith('\xef\xbb\xbf')) raw = raw.slice(3);
        if (!parser) {
          if (isBlank(raw)) continue;
          const kind = detectContactsFile(raw);
          if (!kind) throw new AppError('input', 'formats.read.unknown', { path });
          parser = kind === 'vcard' ? new VCardParser(path, o.defaultRegion, o) : new CsvParser(path, o.defaultRegion, o);
        }
        const c = parser.push(no, raw);
        if (c) out.push(c);
      }
      if (out.length) yield out;
    }
    if (!parser) throw new AppError('input', 'formats.read.empty', { path });
    const last = parser.end();
    if (last) yield [last];
  } catch (e) {
    if (isAppError(e)) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new AppError('input', 'formats.read.failed', { path, reason: err.code ?? err.message }, { cause: e });
  } finally {
    await batches.return(undefined);
  }
}

export async function* readContactsFile(path: string, o: ReadOptions): AsyncIterable<Contact> {
  for await (const batch of readContactBatches(path, o)) yield* batch;
}
