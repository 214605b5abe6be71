/** Renders contacts (in the given order) through a writer into a file in a fresh temp dir (what the validators read). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { createWriter, type ContactWriter, type ExportFormat, type WriterOptions } from '../../../src/export/writers/index.js';
import { columnNeeds, maxNeeds } from '../../../src/export/writers/display.js';

const dirs: string[] = [];
// Registered when a test file first imports this module: its renders are removed after the file.
afterAll(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function render(format: ExportFormat, contacts: Contact[], o: Partial<WriterOptions> = {}): { text: string; file: string; dir: string; writer: ContactWriter } {
  // The header is sized the way the spool sizes it: by the largest contact.
  const columns = contacts.map(columnNeeds).reduce(maxNeeds, { phones: 0, emails: 0, messengers: 0 });
  const writer = createWriter(format, { uidPrefix: 'amocrm-30000001', columns, ...o });
  let text = writer.header();
  for (const c of contacts) text += writer.write(c);
  text += writer.footer();
  const dir = mkdtempSync(join(tmpdir(), `writer-${format}-`));
  dirs.push(dir);
  const file = join(dir, `out.${writer.extension}`);
  writeFileSync(file, text, 'utf8');
  return { text, file, dir, writer };
}

/** Physical lines of a CRLF file; throws if a bare CR or LF appears anywhere. */
export function crlfLines(text: string): string[] {
  const lines = text.split('\r\n');
  if (lines.at(-1) === '') lines.pop();
  for (const [i, l] of lines.entries()) if (/[\r\n]/.test(l)) throw new Error(`bare CR/LF on line ${i + 1}: ${JSON.stringify(l.slice(0, 80))}`);
  return lines;
}
