/**
 * Contacts from a phone-book file, for `amo-callerid --input` and `--exclude-contacts`: vCard
 * 2.1/3.0/4.0 or Google/Outlook CSV, detected from the content (not the extension), read as a
 * stream so a million-contact file needs no more memory than one card. Ids are 1..n in file order;
 * accountId is 0.
 */
import { AppError, isAppError } from '../../errors.js';
import type { Contact } from '../contact.js';
import { CsvParser } from './csv.js';
import { lineBatches } from './lines.js';
import { VCardParser } from './vcard.js';

export type ContactsFileKind = 'vcard' | 'csv';

/** From the first non-blank line: `BEGIN:VCARD`, or a comma-separated header, or neither. */
export function detectContactsFile(firstLine: Buffer): ContactsFileKind | undefined {
  let text = firstLine.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) return undefined;
  if (/^\s*BEGIN:VCARD\s*$/i.test(text)) return 'vcard';
  if (text.includes(',')) return 'csv';
  return undefined;
}

function isBlank(b: Buffer): boolean {
  for (const byte of b) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return b.toString('utf8').replace(/^\ufeff/, '').trim() === '';
  return true;
}

export async function* readContactsFile(path: string, o: { defaultRegion: string }): AsyncIterable<Contact> {
  const batches = lineBatches(path);
  try {
    let parser: VCardParser | CsvParser | undefined;
    for await (const batch of batches) {
      for (const line of batch) {
        if (!parser) {
          if (isBlank(line.bytes)) continue;
          const kind = detectContactsFile(line.bytes);
          if (!kind) throw new AppError('input', 'formats.read.unknown', { path });
          parser = kind === 'vcard' ? new VCardParser(path, o.defaultRegion) : new CsvParser(path, o.defaultRegion);
        }
        const c = parser.push(line);
        if (c) yield c;
      }
    }
    if (!parser) throw new AppError('input', 'formats.read.empty', { path });
    const last = parser.end();
    if (last) yield last;
  } catch (e) {
    if (isAppError(e)) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new AppError('input', 'formats.read.failed', { path, reason: err.code ?? err.message }, { cause: e });
  } finally {
    await batches.return(undefined);
  }
}
