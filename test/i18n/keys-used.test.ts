/**
 * Every message key the code names literally exists in the catalogs, so a typo can never show a
 * person a bare key instead of a sentence.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogs } from '../../src/i18n/index.js';
import { ROOT } from '../helpers/cli.js';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'i18n' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const PATTERNS = [
  /new AppError\(\s*'[a-z]+',\s*'([\w.-]+)'/g, // thrown errors
  /\bt\(\s*'([\w.-]+)'/g, // io.t('key', …), t('key')
];

describe('message keys used in src/', () => {
  const used = new Map<string, string>();
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const re of PATTERNS) for (const m of text.matchAll(re)) used.set(m[1]!, file.slice(ROOT.length + 1));
  }

  it('finds the keys it is meant to check', () => {
    expect(used.size).toBeGreaterThan(100);
  });

  it('exist in the English and the Russian catalog', () => {
    const missing = [...used].filter(([key]) => !(key in catalogs.en) || !(key in catalogs.ru)).map(([key, file]) => `${key} (${file})`);
    expect(missing).toEqual([]);
  });
});
