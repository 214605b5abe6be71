/** Contact writers: pick one by format, stream contacts through it into any Writable. */
import { once } from 'node:events';
import { ContactSpool } from '../spool.js';
import type { Contact } from '../../contacts/contact.js';
import { GoogleCsvWriter } from './google-csv.js';
import { OutlookCsvWriter } from './outlook-csv.js';
import type { ContactWriter, ExportFormat, WriterOptions } from './types.js';
import { VCard3Writer } from './vcard3.js';
import { VCard4Writer } from './vcard4.js';

export type { ContactWriter, ExportFormat, WriterOptions } from './types.js';
export { EXPORT_FORMATS } from './types.js';

export function createWriter(format: ExportFormat, o: WriterOptions): ContactWriter {
  switch (format) {
    case 'vcard':
      return new VCard3Writer(o);
    case 'vcard4':
      return new VCard4Writer(o);
    case 'google-csv':
      return new GoogleCsvWriter(o);
    case 'outlook-csv':
      return new OutlookCsvWriter(o);
  }
}

// One write() per contact would cost a syscall-sized chunk each; 64 KiB batches keep the stream cheap.
const BATCH = 64 * 1024;

async function put(out: NodeJS.WritableStream, chunk: string): Promise<void> {
  if (!out.write(chunk, 'utf8')) await once(out as NodeJS.EventEmitter, 'drain');
}

/**
 * Every contact through the writer, ordered by account and id, the CSV header sized for the
 * largest contact (both via the spool). Waits for 'drain' whenever the stream asks, so a slow file
 * or pipe never makes us buffer the whole export. Does not end `out`: the caller owns it (atomic
 * rename, stdout).
 */
export async function writeContacts(
  contacts: AsyncIterable<Contact> | Iterable<Contact>,
  out: NodeJS.WritableStream,
  format: ExportFormat,
  o: WriterOptions,
): Promise<{ written: number; droppedPhones: number }> {
  const spool = new ContactSpool();
  try {
    for await (const c of contacts) await spool.add(c);
    return await writeSorted(spool, out, createWriter(format, { ...o, columns: spool.needs }));
  } finally {
    await spool.cleanup();
  }
}

async function writeSorted(spool: ContactSpool, out: NodeJS.WritableStream, writer: ContactWriter): Promise<{ written: number; droppedPhones: number }> {
  let buf = writer.header();
  let written = 0;
  for await (const c of spool.sorted()) {
    buf += writer.write(c);
    written++;
    if (buf.length >= BATCH) {
      const chunk = buf;
      buf = '';
      await put(out, chunk);
    }
  }
  buf += writer.footer();
  if (buf) await put(out, buf);
  return { written, droppedPhones: writer.warnings.droppedPhones };
}
