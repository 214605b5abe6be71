/**
 * RFC 4180 cells with a formula guard. A spreadsheet evaluates a cell that starts with `=`, `+`,
 * `-`, `@` (and TAB/CR in some versions); free text gets a leading `'` so it stays text
 * (OWASP "CSV injection"). The only unguarded cells are phones we normalized ourselves: they hold
 * just `+`, digits, spaces and ` ext. `, so they cannot carry a formula, and a guard would make
 * Google/Outlook import `'+7 …` as a non-number.
 */
import { cleanText } from './vcard-text.js';

// Also text that already starts with `'` before a formula character gets one more, so a reader
// that strips one guard quote (ours does) gives back exactly what was written.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function guard(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

export function quote(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Free text: cleaned, line breaks kept as CRLF inside the quoted cell, guarded. */
export function textCell(s: string): string {
  return quote(guard(cleanText(s).trim().replace(/\n/g, '\r\n')));
}

/** A cell we built from known-safe characters (normalized phone, fixed label). */
export function safeCell(s: string): string {
  return quote(s);
}

export function row(cells: string[]): string {
  return `${cells.join(',')}\r\n`;
}

/** Google's multi-value separator must not appear inside a value. */
export function noMultiSep(s: string): string {
  return s.replace(/\s*:::\s*/g, ' : ');
}
