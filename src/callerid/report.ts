/** --invalid-report: the phone strings that did not make it, so someone can fix them in amoCRM. */
import type { InvalidPhone } from './collect.js';
import { writeAtomic } from './files.js';
import { cleanText } from './label.js';

/** TSV with a header; every cell cleaned of tabs and newlines so one line is one phone. */
export function writeInvalidReport(path: string, rows: InvalidPhone[]): void {
  const cell = (s: string) => cleanText(s, 1000);
  let text = 'contact_id\tname\tphone\n';
  for (const r of rows) text += `${r.contactId}\t${cell(r.name)}\t${cell(r.raw)}\n`;
  writeAtomic(path, text);
}
