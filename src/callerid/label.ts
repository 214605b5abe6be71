/**
 * Caller-ID labels: rendered from a template, cleaned so that nothing on an incoming-call screen
 * can break a line, flip direction or vanish, and cut to a fixed number of grapheme clusters.
 * Everything here is pure and language-independent, so the same contacts always give the same
 * bytes (deltas would churn otherwise).
 */
export const LABEL_MAX_GRAPHEMES = 40;
/** A single grapheme may carry any number of combining marks; beyond this many code units it is cut to its base. */
const GRAPHEME_MAX_UNITS = 32;
export const ELLIPSIS = '…';
export const DEFAULT_TEMPLATE = '{name} · {company}';
export const TEMPLATE_FIELDS = ['name', 'first', 'last', 'company', 'position'] as const;
export type TemplateField = (typeof TEMPLATE_FIELDS)[number];
export type LabelFields = Record<TemplateField, string>;

type Part = { field: TemplateField } | { text: string };
export type LabelTemplate = { source: string; parts: Part[] };

/** `{ unknown }` when the template names an unknown field (the caller reports it as a usage error). */
export function parseTemplate(source: string): LabelTemplate | { unknown: string } {
  const parts: Part[] = [];
  const re = /\{(\w*)\}/g;
  let last = 0;
  for (let m = re.exec(source); m; m = re.exec(source)) {
    if (m.index > last) parts.push({ text: source.slice(last, m.index) });
    const name = m[1]!;
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) return { unknown: m[0] };
    parts.push({ field: name as TemplateField });
    last = m.index + m[0].length;
  }
  if (last < source.length) parts.push({ text: source.slice(last) });
  return { source, parts };
}

/**
 * Literal text between fields is a separator: it survives only when a non-empty field stands on
 * each side of it (leading/trailing text needs its one neighbour), so `{name} · {company}` never
 * yields `Иван · ` or ` · ООО Ромашка`.
 */
export function renderTemplate(t: LabelTemplate, f: LabelFields): string {
  const values = t.parts.map((p) => ('field' in p ? cleanLabel(f[p.field]) : p.text));
  if (!t.parts.some((p) => 'field' in p)) return values.join('');
  let out = '';
  for (let i = 0; i < t.parts.length; i++) {
    const p = t.parts[i]!;
    if ('field' in p) {
      out += values[i];
      continue;
    }
    const before = nearestField(t.parts, values, i, -1);
    const after = nearestField(t.parts, values, i, 1);
    const keep = (before === undefined || before !== '') && (after === undefined || after !== '') && !(before === undefined && after === undefined);
    if (keep) out += p.text;
  }
  return out;
}

function nearestField(parts: Part[], values: string[], i: number, dir: 1 | -1): string | undefined {
  for (let j = i + dir; j >= 0 && j < parts.length; j += dir) {
    if ('field' in parts[j]!) return values[j]!;
  }
  return undefined;
}

// Controls (Cc), format characters (Cf: zero-width, bidi embeddings/isolates, BOM), line and
// paragraph separators all become spaces. ZWJ between two pictographs is kept: it glues emoji.
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;
const ZWJ_IN_EMOJI = /(\p{Extended_Pictographic}\uFE0F?)\u200D(?=\p{Extended_Pictographic})/gu;
const ZWJ_MARK = '\uE000';
const SPACES = /[\s\u3164\u2800]+/g;
// Code units that are always a grapheme cluster on their own (Latin, Cyrillic, common punctuation):
// labels made only of these skip Intl.Segmenter, which is the slow part on a million contacts.
const SIMPLE = /^[\u0020-\u007e\u00a0-\u02af\u0370-\u03ff\u0400-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u20a0-\u20bf\u2116]*$/;

let segmenter: Intl.Segmenter | undefined;
function graphemes(s: string): string[] {
  segmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  const out: string[] = [];
  for (const { segment } of segmenter.segment(s)) {
    // Zalgo text: keep the base character of an absurdly long cluster.
    out.push(segment.length > GRAPHEME_MAX_UNITS ? String.fromCodePoint(segment.codePointAt(0)!) : segment);
  }
  return out;
}

/** NFC, unsafe characters → spaces, whitespace collapsed, trimmed, ≤ 40 graphemes ending in `…` when cut. */
export function cleanLabel(raw: string): string {
  return cleanLabel0(raw, LABEL_MAX_GRAPHEMES);
}

/** Cuts an already clean label to `max` graphemes, the last one being the ellipsis. */
function truncateLabel(s: string, max: number): string {
  if (SIMPLE.test(s)) {
    if (s.length <= max) return s;
    return s.slice(0, max - 1).trimEnd() + ELLIPSIS;
  }
  const g = graphemes(s);
  if (g.length <= max) return g.join('');
  return g.slice(0, max - 1).join('').trimEnd() + ELLIPSIS;
}

export function graphemeCount(s: string): number {
  return SIMPLE.test(s) ? s.length : graphemes(s).length;
}

/** True when `cleanLabel` would leave the label unchanged and it is not empty: what `verify` demands. */
export function isValidLabel(s: string): boolean {
  return s.length > 0 && cleanLabel(s) === s;
}

/**
 * One label for a number held by several contacts. Contacts of one company show the company and
 * how many people share the number; otherwise the winner's label plus the count of the others.
 */
export function mergedLabel(winner: string, contacts: number, sharedCompany: string | null): string {
  if (contacts <= 1) return winner;
  const company = sharedCompany ? cleanLabel(sharedCompany) : '';
  const base = company !== '' ? company : winner;
  const suffix = company !== '' ? ` (${contacts})` : ` +${contacts - 1}`;
  return truncateLabel(base, LABEL_MAX_GRAPHEMES - suffix.length) + suffix;
}

/** When template and company are both empty. Chosen by region, never by --lang, so datasets are reproducible. */
export function fallbackLabel(region: string): string {
  return RUSSIAN_REGIONS.has(region.toUpperCase()) ? 'Клиент amoCRM' : 'amoCRM client';
}
const RUSSIAN_REGIONS = new Set(['RU', 'BY', 'KZ', 'KG', 'UZ', 'TJ', 'AM', 'AZ', 'MD', 'TM', 'GE', 'UA']);

/** Name and company columns of the Android database: cleaned like a label but cut much later. */
export function cleanText(raw: string, max = 200): string {
  return cleanLabel0(raw, max);
}

function cleanLabel0(raw: string, max: number): string {
  let s = raw;
  if (!SIMPLE.test(s)) {
    s = s.normalize('NFC').replace(ZWJ_IN_EMOJI, `$1${ZWJ_MARK}`).replace(UNSAFE, ' ').replaceAll(ZWJ_MARK, '\u200D');
  }
  return truncateLabel(s.replace(SPACES, ' ').trim(), max);
}
