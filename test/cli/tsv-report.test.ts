import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeTsvReport } from '../../src/cli/tsv-report.js';
import { AppError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

describe('TSV side reports', () => {
  it('keeps one record per line whatever the cells hold', async () => {
    const d = tempDir('amo-tsv-');
    dirs.push(d);
    const path = join(d.path, 'r.tsv');
    await writeTsvReport(path, ['id', 'name', 'phone'], [
      [1, 'Иван\tИванов', '8 (916)\r\n123'],
      [2, 'a\u0000b\u001bc\u007fd', '=1+1'],
    ]);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toEqual(['id\tname\tphone', '1\tИван Иванов\t8 (916) 123', "2\ta b c d\t'=1+1", '']);
    expect(readdirSync(d.path)).toEqual(['r.tsv']); // no temporary file left behind
  });

  it('guards cells a spreadsheet would run as formulas, as the CSV output does', async () => {
    const d = tempDir('amo-tsv-');
    dirs.push(d);
    const path = join(d.path, 'r.tsv');
    await writeTsvReport(path, ['id', 'name', 'phone'], [
      [-5, '=HYPERLINK("http://x","y")', '+7 916 CALL-ME'],
      [6, '@SUM(A1)', '-1+2'],
      [7, "'=already", 'Иван'],
    ]);
    const rows = readFileSync(path, 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
    expect(rows).toEqual([
      ['-5', `'=HYPERLINK("http://x","y")`, "'+7 916 CALL-ME"],
      ['6', "'@SUM(A1)", "'-1+2"],
      ['7', "''=already", 'Иван'],
    ]);
  });

  it('fails with a one-line file error and leaves nothing behind', async () => {
    const d = tempDir('amo-tsv-');
    dirs.push(d);
    const path = join(d.path, 'missing-dir', 'r.tsv');
    await expect(writeTsvReport(path, ['id'], [[1]])).rejects.toMatchObject({ kind: 'input', key: 'error.fileWrite' } satisfies Partial<AppError>);
    expect(existsSync(path)).toBe(false);
  });
});
