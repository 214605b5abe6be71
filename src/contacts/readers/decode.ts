/** Value decoding for vCard properties: quoted-printable, charsets, RFC escapes. */
import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder>();
const NON_ASCII = /[^\x00-\x7f]/;

function decoder(charset: string): TextDecoder {
  let d = decoders.get(charset);
  if (!d) {
    try {
      d = new TextDecoder(charset);
    } catch {
      // An unknown charset label: UTF-8 is what every current phone writes.
      d = new TextDecoder('utf-8');
    }
    decoders.set(charset, d);
  }
  return d;
}

/**
 * Text of a value given as a byte string (see lines.ts): quoted-printable decoded first, then the
 * declared charset (UTF-8 when none). ASCII without QP, the common case, is returned as is.
 */
export function decodeValue(raw: string, charset: string | undefined, quotedPrintable: boolean): string {
  if (!quotedPrintable && !NON_ASCII.test(raw)) return raw;
  const bytes = quotedPrintable ? decodeQuotedPrintable(raw) : Buffer.from(raw, 'latin1');
  const cs = (charset ?? 'utf-8').toLowerCase();
  // A Buffer view over the same bytes: Buffer.from(Uint8Array) would copy them once more.
  return cs === 'utf-8' || cs === 'utf8' ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8') : decoder(cs).decode(bytes);
}

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Quoted-printable (RFC 2045) to bytes; soft line breaks were already joined by the line reader. */
function decodeQuotedPrintable(src: string): Uint8Array {
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src.charCodeAt(i);
    if (c === 0x3d && i + 2 < src.length) {
      const h = hex(src.charCodeAt(i + 1));
      const l = hex(src.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[n++] = c & 0xff;
  }
  return out.subarray(0, n);
}

/** Splits on an unescaped separator (`;` in N/ORG, `,` in CATEGORIES/TYPE), keeping escapes. */
export function splitEscaped(s: string, sep: string): string[] {
  if (!s.includes('\\')) return s.split(sep);
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === '\\' && i + 1 < s.length) {
      cur += ch + s[i + 1];
      i++;
    } else if (ch === sep) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** `\n`/`\N` → newline, `\x` → `x` for anything else (what Android and ez-vcard do; covers `\:`). */
export function unescapeText(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/gs, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}
