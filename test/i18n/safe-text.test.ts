import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/i18n/safe-text.js';
import { format } from '../../src/i18n/index.js';

describe('server text in messages', () => {
  it('loses escape sequences, control characters and bidi controls, keeps the words', () => {
    expect(safeText('\u001b]0;pwned\u0007Acme\u001b[2J')).toBe('Acme');
    expect(safeText('\u001b]8;;http://x\u001b\\link\u001b]8;;\u001b\\')).toBe('link');
    expect(safeText('a\u009b31mb\u0085c\u007fd')).toBe('abcd');
    expect(safeText('evil\u202etxt.exe\u2066\u2069\u200f')).toBe('eviltxt.exe');
    expect(safeText('two\r\nlines\tand tab')).toBe('two lines and tab');
    expect(safeText('Ёлка — «ok» 😀')).toBe('Ёлка — «ok» 😀');
  });

  it('applies to every message parameter', () => {
    expect(format('Account {account}: {n}', { account: 'Acme\u001b[2J\u001b]0;x\u0007', n: 3 })).toBe('Account Acme: 3');
  });
});
