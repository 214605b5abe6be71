/**
 * Contacts from a phone-book file, for `amo-callerid --input` and `--exclude-contacts`: vCard
 * 2.1/3.0/4.0 or Google/Outlook CSV, detected from the content (not the extension), read as a
 * stream so a million-contact file needs no more memory than one card. Ids are 1..n in file order;
 * accountId is 0.
 */
import { AppError, isAppError } from '../../errors.js';
import type { Contact } from '../contact.js';
import { readCsv } from './csv.js';
import { byteLines, type Line } from './lines.js';
import { readVCards } from './vcard.js';

export type ContactsFileKind = 'vcard' | 'csv';

/** Puts the already-inspected first line back in front of the rest. */
async function* prepend(first: Line, rest: AsyncIterator<Line>): AsyncGenerator<Line> {
  yield first;
  for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
}

function detect(first: Buffer): ContactsFileKind | undefined {
  let text = first.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) return undefined;
  if (/^\s*BEGIN:VCARD\s*$/i.test(text)) return 'vcard';
  if (text.includes(',')) return 'csv';
  return undefined;
}

export async function* readContactsFile(path: string, o: { defaultRegion: string }): AsyncIterable<Contact> {
  const lines = byteLines(path);
  try {
    let first: Line | undefined;
    for (let r = await lines.next(); !r.done; r = await lines.next()) {
      if (r.value.bytes.toString('utf8').replace(/^\ufeff/, '').trim()) {
        first = r.value;
        break;
      }
    }
    if (!first) throw new AppError('input', 'formats.read.empty', { path });
    const kind = detect(first.bytes);
    if (!kind) throw new AppError('input', 'formats.read.unknown', { path });
    const all = prepend(first, lines);
    if (kind === 'vcard') yield* readVCards(all, path, o);
    else yield* readCsv(all, path, o);
  } catch (e) {
    if (isAppError(e)) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new AppError('input', 'formats.read.failed', { path, reason: err.code ?? err.message }, { cause: e });
  } finally {
    await lines.return(undefined);
  }
}
