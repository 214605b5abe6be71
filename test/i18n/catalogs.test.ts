import { describe, expect, it } from 'vitest';
import { catalogs, detectLang, format, translator } from '../../src/i18n/index.js';

// Simple {name}s and the counts of {name, plural, …}; a name may repeat across plural branches.
const placeholders = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|,\s*plural,)/g)].map((m) => m[1]))].sort();

describe('message catalogs', () => {
  it('have the same keys in English and Russian', () => {
    expect(Object.keys(catalogs.ru).sort()).toEqual(Object.keys(catalogs.en).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, en] of Object.entries(catalogs.en)) {
      expect(placeholders(catalogs.ru[key] ?? ''), key).toEqual(placeholders(en));
    }
  });

  it('Russian texts are written in Russian', () => {
    for (const [key, ru] of Object.entries(catalogs.ru)) {
      if (/^[\s{}\w.:,%-]*$/.test(catalogs.en[key] ?? '')) continue; // pure placeholders
      expect(ru, key).toMatch(/[а-яё]/i);
    }
  });
});

describe('language choice', () => {
  it('prefers the flag, then LC_ALL, LC_MESSAGES, LANG', () => {
    expect(detectLang('ru', { LANG: 'en_US.UTF-8' })).toBe('ru');
    expect(detectLang(undefined, { LC_ALL: 'ru_RU.UTF-8', LANG: 'en_US.UTF-8' })).toBe('ru');
    expect(detectLang(undefined, { LANG: 'ru_RU.UTF-8' })).toBe('ru');
    expect(detectLang(undefined, { LANG: 'C.UTF-8' })).toBe('en');
    expect(detectLang(undefined, {})).toBe('en');
  });

  it('formats parameters and Russian plurals', () => {
    expect(translator('ru')('error.missingFlag', { flag: '--since' })).toContain('--since');
    const contacts = '{n, plural, one {# контакт} few {# контакта} many {# контактов} other {# контакта}}';
    expect([1, 2, 5, 11, 21, 22, 25].map((n) => format(contacts, { n }, 'ru').replace(/^\d+ /, ''))).toEqual([
      'контакт', 'контакта', 'контактов', 'контактов', 'контакт', 'контакта', 'контактов',
    ]);
  });
});
