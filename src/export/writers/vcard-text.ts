/**
 * The text rules shared by the vCard writers (contact-formats.md §4): clean, escape, fold.
 * Hot path of the export, so the common case (short, clean ASCII/Cyrillic) is checked first.
 */

// Everything that could end a line or hide inside one: C0 (except TAB/LF, handled separately),
// DEL, C1, and lone surrogates (they would become U+FFFD in UTF-8 and corrupt the file). Also the
// bidi controls (U+061C, U+200E/F, U+202A–E, U+2066–9): an importer keeps them in the name, where
// they reverse or hide the text around them; the caller-ID labels drop them too.
const NEEDS_CLEAN = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Normalizes line breaks to `\n`, tabs to spaces, drops every other control character. */
export function cleanText(s: string): string {
  if (!NEEDS_CLEAN.test(s)) return s;
  return s
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(LONE_SURROGATE, '');
}

/** One line of text: line breaks become spaces (names, labels, cells that must not wrap). */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\n+/g, ' ').trim();
}

const ESCAPABLE = /[\\,;\n]/;

/** RFC 6350 §3.4 / RFC 2426 text escaping: `\ , ; newline` and nothing else (never `\:`). */
export function escapeText(s: string): string {
  const c = cleanText(s);
  if (!ESCAPABLE.test(c)) return c;
  return c.replace(/[\\,;\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`));
}

/** Percent-encodes everything outside a conservative URI set, so a handle cannot break the line or the URI. */
export function uriPart(s: string): string {
  return encodeURIComponent(cleanLine(s)).replace(/%40/g, '@').replace(/%2B/g, '+');
}

/** A parameter value without quoting: only characters that cannot end or split a parameter. */
export function paramValue(s: string): string {
  return s.replace(/[^\p{L}\p{N} _.+-]/gu, '').trim() || 'Other';
}

const LIMIT = 75;

/**
 * Folds one content line at 75 octets (RFC 6350 §3.2), continuation lines starting with one space,
 * and appends CRLF. A UTF-8 sequence or a surrogate pair is never split.
 */
export function foldLine(line: string): string {
  if (line.length * 3 <= LIMIT || Buffer.byteLength(line, 'utf8') <= LIMIT) return `${line}\r\n`;
  let out = '';
  let start = 0;
  let octets = 0;
  let budget = LIMIT;
  for (let i = 0; i < line.length; ) {
    const code = line.charCodeAt(i);
    let width: number;
    let units = 1;
    if (code < 0x80) width = 1;
    else if (code < 0x800) width = 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < line.length) {
      width = 4;
      units = 2;
    } else width = 3;
    if (octets + width > budget) {
      out += `${line.slice(start, i)}\r\n `;
      start = i;
      octets = 0;
      budget = LIMIT - 1;
    }
    octets += width;
    i += units;
  }
  return `${out}${line.slice(start)}\r\n`;
}

/** `20261120T101500Z` from unix seconds (basic format: every 3.0 and 4.0 reader accepts it). */
export function revStamp(unixSeconds: number): string {
  const d = new Date((Number.isFinite(unixSeconds) ? unixSeconds : 0) * 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}
