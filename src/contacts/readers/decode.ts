/** Value decoding for vCard properties: quoted-printable, charsets, RFC escapes. */
import { TextDecoder } from 'node:util';

const decoders = new Map<string, TextDecoder>();

export function decodeCharset(bytes: Uint8Array, charset: string | undefined): string {
  const name = (charset ?? 'utf-8').toLowerCase();
  let d = decoders.get(name);
  if (!d) {
    try {
      d = new TextDecoder(name);
    } catch {
      // An unknown charset label: UTF-8 is what every current phone writes.
      d = new TextDecoder('utf-8');
    }
    decoders.set(name, d);
  }
  return d.decode(bytes);
}

function hex(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x41 && b <= 0x46) return b - 0x37;
  if (b >= 0x61 && b <= 0x66) return b - 0x57;
  return -1;
}

/** Quoted-printable (RFC 2045) to bytes; soft line breaks were already joined by the line reader. */
export function decodeQuotedPrintable(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i]!;
    if (b === 0x3d && i + 2 < src.length) {
      const h = hex(src[i + 1]!);
      const l = hex(src[i + 2]!);
      if (h >= 0 && l >= 0) {
        out[n++] = (h << 4) | l;
        i += 2;
        continue;
      }
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

/** Splits on an unescaped separator (`;` in N/ORG, `,` in CATEGORIES/TYPE), keeping escapes. */
export function splitEscaped(s: string, sep: string): string[] {
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
