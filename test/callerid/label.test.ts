import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cleanLabel, fallbackLabel, graphemeCount, isValidLabel, mergedLabel, parseTemplate, renderTemplate, type LabelTemplate } from '../../src/callerid/label.js';
import { HOSTILE_NAMES } from './gen.js';

const tpl = (s: string) => parseTemplate(s) as LabelTemplate;
const fields = (o: Partial<Record<'name' | 'first' | 'last' | 'company' | 'position', string>>) => ({ name: '', first: '', last: '', company: '', position: '', ...o });
const UNSAFE = /[\p{Cc}\p{Zl}\p{Zp}\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;

describe('labels', () => {
  it('cleans hostile names into short single-line labels', () => {
    for (const raw of HOSTILE_NAMES) {
      const l = cleanLabel(raw);
      expect(l, JSON.stringify(raw)).not.toMatch(UNSAFE);
      expect(l).not.toMatch(/^\s|\s$|\s{2}/);
      expect(graphemeCount(l)).toBeLessThanOrEqual(40);
      expect(cleanLabel(l)).toBe(l);
    }
    expect(cleanLabel('Иван\nПетров\r\nмладший')).toBe('Иван Петров младший');
    expect(cleanLabel('x'.repeat(2000))).toBe(`${'x'.repeat(39)}…`);
    expect(cleanLabel('zero\u200Bwidth')).toBe('zero width');
    // A family emoji is one grapheme and keeps its joiners.
    expect(cleanLabel('👨‍👩‍👧‍👦 Семья')).toBe('👨‍👩‍👧‍👦 Семья');
    expect(graphemeCount(cleanLabel('👍🏽'.repeat(50)))).toBe(40);
    expect(cleanLabel('e\u0301')).toBe('é');
    expect(cleanLabel('\u2028\u2029   \t\n')).toBe('');
  });

  it('is idempotent and never longer than 40 graphemes, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 120 }), fc.string({ unit: 'binary', maxLength: 120 }), fc.string({ unit: 'grapheme-composite', maxLength: 80 })), (s) => {
        const l = cleanLabel(s);
        expect(cleanLabel(l)).toBe(l);
        expect(graphemeCount(l)).toBeLessThanOrEqual(40);
        expect(l).not.toMatch(UNSAFE);
        if (l !== '') expect(isValidLabel(l)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('drops separators next to empty fields', () => {
    const t = tpl('{name} · {company}');
    expect(renderTemplate(t, fields({ name: 'Иван', company: 'ACME' }))).toBe('Иван · ACME');
    expect(renderTemplate(t, fields({ name: 'Иван' }))).toBe('Иван');
    expect(renderTemplate(t, fields({ company: 'ACME' }))).toBe('ACME');
    expect(renderTemplate(t, fields({}))).toBe('');
    expect(renderTemplate(tpl('[{last}] {first} ({position})'), fields({ first: 'Анна', position: 'CEO' }))).toBe('Анна (CEO)');
    expect(renderTemplate(tpl('CRM'), fields({}))).toBe('CRM');
    expect(parseTemplate('{name} {phone}')).toEqual({ unknown: '{phone}' });
  });

  it('merges deterministically and stays within 40 graphemes', () => {
    expect(mergedLabel('Иван Петров · ACME', 3, 'ACME')).toBe('ACME (3)');
    expect(mergedLabel('Иван Петров', 3, null)).toBe('Иван Петров +2');
    expect(mergedLabel('Иван Петров', 1, null)).toBe('Иван Петров');
    const long = mergedLabel('Я'.repeat(40), 12, null);
    expect(long).toBe(`${'Я'.repeat(35)}… +11`);
    expect(graphemeCount(long)).toBe(40);
    expect(isValidLabel(long)).toBe(true);
    expect(fallbackLabel('RU')).toBe('Клиент amoCRM');
    expect(fallbackLabel('DE')).toBe('amoCRM client');
  });
});
