import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanText, escapeText, foldLine, revStamp } from '../../../src/export/writers/vcard-text.js';

const unfold = (s: string): string => s.replace(/\r\n /g, '').replace(/\r\n$/, '');

describe('foldLine', () => {
  it('keeps every physical line within 75 octets and unfolds to the original (any Unicode)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 200 }), (a, b) => {
        const line = `NOTE:${cleanText(a + b).replace(/\n/g, ' ')}`;
        const folded = foldLine(line);
        expect(folded.endsWith('\r\n')).toBe(true);
        const physical = folded.slice(0, -2).split('\r\n');
        physical.forEach((l, i) => {
          expect(Buffer.byteLength(l, 'utf8')).toBeLessThanOrEqual(75);
          if (i > 0) expect(l.startsWith(' ')).toBe(true);
          // A cut inside a surrogate pair would leave a lone half, which UTF-8 turns into U+FFFD.
          expect(Buffer.from(l, 'utf8').toString('utf8')).toBe(l);
        });
        expect(unfold(folded)).toBe(line);
      }),
      { numRuns: 400 },
    );
  });

  it('fills lines up to the limit rather than folding early', () => {
    const folded = foldLine(`FN:${'Ж'.repeat(100)}`);
    const first = folded.split('\r\n')[0]!;
    expect(Buffer.byteLength(first)).toBe(75); // "FN:" 3 octets + 36 × 2
    expect(foldLine('FN:short')).toBe('FN:short\r\n');
  });
});

describe('escapeText', () => {
  it('escapes backslash, comma, semicolon and newline only, never ":"', () => {
    expect(escapeText('a\\b,c;d\ne:f')).toBe('a\\\\b\\,c\\;d\\ne:f');
  });

  it('normalizes CRLF and lone CR, drops control characters and lone surrogates', () => {
    expect(escapeText('a\r\nb\rc\u0000d\u0007e\u001bf\u0085g\ud800h\tI\u2028j')).toBe('a\\nb\\ncdefgh I\\nj');
  });

  it('keeps whole surrogate pairs and ZWJ sequences', () => {
    expect(escapeText('👩‍👩‍👧‍👦🇷🇺')).toBe('👩‍👩‍👧‍👦🇷🇺');
  });

  it('never leaves a raw line break or a control character (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(escapeText(s)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
      }),
    );
  });
});

describe('revStamp', () => {
  it('formats unix seconds as a basic UTC timestamp', () => {
    expect(revStamp(1795169700)).toBe('20261120T101500Z');
  });
});
