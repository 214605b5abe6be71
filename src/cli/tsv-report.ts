/**
 * Side reports (--invalid-report, --deleted-report): TSV with a header row, written atomically.
 * Every control character in a cell becomes a space, so one line is always one record, whatever
 * a contact's name holds.
 */
import { fileSink } from '../export/output.js';

const CONTROLS = /[\u0000-\u001f\u007f]+/g;

export async function writeTsvReport(path: string, header: string[], rows: Iterable<(string | number)[]>): Promise<void> {
  const sink = await fileSink(path);
  try {
    await sink.write(`${header.join('\t')}\n`);
    for (const row of rows) await sink.write(`${row.map((c) => String(c).replace(CONTROLS, ' ')).join('\t')}\n`);
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
