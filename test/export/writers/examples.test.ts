/**
 * examples/sample-export.* must be what the writers produce today. Regenerate after a deliberate
 * format change with: UPDATE_EXAMPLES=1 npx vitest run test/export/writers/examples.test.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '../../../src/export/writers/index.js';
import { ROOT } from '../../helpers/cli.js';
import { csvParse, vobjectParse } from '../../helpers/validators.js';
import { render } from './render.js';
import { SAMPLE_FILES, sampleContacts } from './sample-contacts.js';

describe('examples/sample-export.*', () => {
  for (const format of EXPORT_FORMATS) {
    it(`${SAMPLE_FILES[format]} matches the ${format} writer`, () => {
      const { text, file } = render(format, sampleContacts(), { bom: format === 'outlook-csv', linkBase: 'https://example.amocrm.ru' });
      const path = join(ROOT, 'examples', SAMPLE_FILES[format]);
      if (process.env.UPDATE_EXAMPLES === '1') writeFileSync(path, text);
      expect(readFileSync(path, 'utf8')).toBe(text);
      if (format.startsWith('vcard')) expect(vobjectParse(file).map((c) => c.fn)).toEqual(['Пётр Образцов', 'Анна Смирнова', 'ИП Сидоров; склад №2']);
      else expect(csvParse(file).rows).toHaveLength(3);
    });
  }
});
