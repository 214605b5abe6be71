/**
 * RFC 4180 cells with a formula guard. A spreadsheet evaluates a cell that starts with `=`, `+`,
 * `-`, `@` (and TAB/CR in some versions); a leading `'` keeps it text (OWASP "CSV injection"). But
 * contacts importers (Google, Outlook) store that `'` as part of the value, so by default the guard
 * is only put where the text cannot be a phone number or a messenger handle: a cell shaped like a
 * number (digits, spaces, `+ ( ) - . /`, an optional extension) or like a handle (`@` then letters,
 * digits, `_ . -`) holds no function call and is written unchanged. `--spreadsheet-safe` guards
 * every cell that starts like a formula, for files opened in a spreadsheet first.
 */
import { cleanText } from './vcard-text.js';

// Also text that already starts with `'` before a formula character gets one more, so a reader
// that strips one guard quote (ours does) gives back exactly what was written.
const FORMULA_START = /^'*[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;
const PHONE_SHAPE = /^[+\-]?[\d\s().\-/]*\d[\d\s().\-/]*(?:[\s,]*(?:доб|ext|x|#)\.?\s*\d+)?$/i;
const HANDLE_SHAPE = /^@[\p{L}\p{N}_.-]+$/u;

/** `full`: --spreadsheet-safe, guard phone- and handle-shaped values too. */
export function guard(s: string, full = false): string {
  if (!FORMULA_START.test(s)) return s;
  if (!full && (PHONE_SHAPE.test(s) || HANDLE_SHAPE.test(s))) return s;
  return `'${s}`;
}

export function quote(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Free text: cleaned, line breaks kept as CRLF inside the quoted cell, guarded. */
export function textCell(s: string, full = false): string {
  return quote(guard(cleanText(s).trim().replace(/\n/g, '\r\n'), full));
}

/** A cell we built from fixed text (column names, labels). */
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
