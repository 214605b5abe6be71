/**
 * Counts meet nouns through Intl.PluralRules (the `{n, plural, …}` convention of
 * src/i18n/index.ts): no "(s)"-style hedges anywhere, every plural carries the forms its language
 * needs, and the forms come out right.
 */
import { describe, expect, it } from 'vitest';
import { catalogs, translator } from '../../src/i18n/index.js';

const HEDGES = /\w\((?:s|es|я|а|ов|и|ей)\)/u;
const PLURAL = /\{(\w+),\s*plural,((?:\s*\w+\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const NEEDED = { en: ['one', 'other'], ru: ['one', 'few', 'many', 'other'] } as const;

describe('plurals in the catalogs', () => {
  it('no text hedges a plural with "(s)", "(я)" and the like', () => {
    for (const lang of ['en', 'ru'] as const) {
      const bad = Object.entries(catalogs[lang]).filter(([, text]) => HEDGES.test(text));
      expect(bad.map(([k, text]) => `${lang} ${k}: ${text}`)).toEqual([]);
    }
  });

  it('every plural has the forms its language needs', () => {
    let seen = 0;
    for (const lang of ['en', 'ru'] as const) {
      for (const [key, text] of Object.entries(catalogs[lang])) {
        for (const m of text.matchAll(PLURAL)) {
          seen++;
          const forms = [...m[2]!.matchAll(/(\w+)\s*\{/g)].map((f) => f[1]);
          for (const f of NEEDED[lang]) expect(forms, `${lang} ${key}`).toContain(f);
        }
      }
    }
    expect(seen).toBeGreaterThan(20);
  });

  it('chooses the form by the count: English one/other, Russian one/few/many', () => {
    const en = translator('en');
    const ru = translator('ru');
    expect(en('callerid.summary.platform', { platform: 'Android', entries: 1, limit: 10, excluded: 0 })).toMatch(/^Android: 1 number \(/);
    expect(en('callerid.summary.platform', { platform: 'Android', entries: 2, limit: 10, excluded: 0 })).toMatch(/^Android: 2 numbers \(/);
    const trips = (count: number) => ru('doctor.roundTrips', { count, ms: 5 });
    expect(trips(1)).toContain('за 1 обращение к');
    expect(trips(2)).toContain('за 2 обращения к');
    expect(trips(5)).toContain('за 5 обращений к');
    expect(trips(21)).toContain('за 21 обращение к');
    expect(trips(12)).toContain('за 12 обращений к');
    expect(ru('callerid.summary.platform', { platform: 'Android', entries: 3, limit: 10, excluded: 0 })).toMatch(/^Android: 3 номера \(/);
    expect(en('doctor.summary.issues', { problems: 1, warnings: 2 })).toBe('Doctor found 1 problem and 2 warnings.');
  });
});
