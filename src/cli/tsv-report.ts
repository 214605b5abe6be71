/**
 * Side reports (--invalid-report, --deleted-report): TSV with a header row, written atomically.
 * Every control character in a cell becomes a space, so one line is always one record, whatever
 * a contact's name holds; a cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) gets
 * the same leading `'` as in our CSV output, since people open these reports in Excel too.
 */
import { fileSink } from '../export/output.js';
import { guard } from '../export/writers/csv-text.js';

const CONTROLS = /[\u0000-\u001f\u007f]+/g;

export async function writeTsvReport(path: string, header: string[], rows: Iterable<(string | number)[]>): Promise<void> {
  const sink = await fileSink(path);
  try {
    await sink.write(`${header.join('\t')}\n`);
    for (const row of rows) await sink.write(`${row.map((c) => (typeof c === 'number' ? String(c) : guard(c.replace(CONTROLS, ' ')))).join('\t')}\n`);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
