/**
 * `--report FILE`: a support bundle in Markdown and JSON. Phone numbers and contact names are
 * masked everywhere in it (details, evidence, raw answers), since it is meant to be sent around.
 */
import { writeFileSync } from 'node:fs';
import { AppError } from '../errors.js';
import type { Translate } from '../i18n/index.js';
import { VERSION } from '../version.js';
import { type DoctorOutcome, toJson } from './outcome.js';
import { MARK } from './render.js';
import { describePhone } from './vendor.js';

/** `+7 999 000-00-01` → `+7 *** ***-**-01`: keeps the country code and the last two digits. */
export function maskNumber(s: string): string {
  const digits = s.replace(/\D/g, '');
  let seen = 0;
  const keepHead = s.trim().startsWith('+') ? Math.min(digits.length - 10 > 0 ? digits.length - 10 : 1, 3) : 1;
  return s.replace(/\d/g, (d) => {
    seen++;
    return seen <= keepHead || seen > digits.length - 2 ? d : '*';
  });
}

/** `Пётр Образцов` → `П*** О***`. */
export function maskName(s: string): string {
  return s
    .split(/(\s+)/)
    .map((w) => (/^\s+$/.test(w) || w.length === 0 ? w : `${[...w][0]}***`))
    .join('');
}

const PHONE_RUN = /(?<![\w%])\+?\d[\d ()-]{8,}\d(?!\w)/g;
const DATE = /^\d{4}-\d{2}-\d{2}/;

export interface Sensitive {
  names: string[];
  numbers: string[];
}

export function maskText(text: string, s: Sensitive): string {
  return masker(s)(text);
}

/** Masks text for these values; the names are ordered (longest first) and masked once, not per string. */
function masker(s: Sensitive): (text: string) => string {
  const names = s.names
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((name) => [name, maskName(name)] as const);
  // The pattern below only catches runs of 10+ digits; numbers we know are sensitive (--number,
  // the phone's matching contacts) are masked as written, whatever their length.
  const numbers = s.numbers
    .filter((n) => /\d{5,}/.test(n.replace(/\D/g, '')))
    .sort((a, b) => b.length - a.length)
    .map((n) => [n, maskNumber(n)] as const);
  return (text) => {
    let out = text;
    for (const [name, masked] of names) out = out.split(name).join(masked);
    for (const [number, masked] of numbers) out = out.split(number).join(masked);
    // URL-encoded numbers in content:// URIs.
    out = out.replace(/%2B(\d{6,})/g, (_, d: string) => `%2B${maskNumber(`+${d}`).slice(1)}`);
    out = out.replace(/\b(display_name|name)=([^,\n]+)/g, (_, k: string, v: string) => `${k}=${maskName(v)}`);
    return out.replace(PHONE_RUN, (m) => {
      const digits = m.replace(/\D/g, '').length;
      if (digits < 10 || digits > 15 || DATE.test(m)) return m;
      return maskNumber(m);
    });
  };
}

function maskDeep<T>(v: T, mask: (text: string) => string): T {
  if (typeof v === 'string') return mask(v) as T;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, mask)) as T;
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x, mask)])) as T;
  return v;
}

export function reportPaths(file: string): { md: string; json: string } {
  if (/\.md$/i.test(file)) return { md: file, json: file.replace(/\.md$/i, '.json') };
  if (/\.json$/i.test(file)) return { md: file.replace(/\.json$/i, '.md'), json: file };
  return { md: `${file}.md`, json: `${file}.json` };
}

export function renderMarkdown(o: DoctorOutcome, t: Translate, now: Date): string {
  const j = toJson(o, t) as { checks: { id: string; title: string; headline?: string; status: string; details: string[]; advice: string[]; evidence: string[] }[]; fixesApplied?: { result: string; description: string; output?: string }[]; interrupted?: string };
  const lines = [`# ${t('doctor.report.title')}`, '', t('doctor.report.generated', { date: now.toISOString(), version: VERSION }), ''];
  lines.push(`- ${t('doctor.report.platform', { platform: o.platform })}`);
  if (o.identity) lines.push(`- ${describePhone(o.identity)}`);
  if (o.serial) lines.push(`- ${t('doctor.report.serial', { serial: `\`${o.serial}\`` })}`);
  if (o.roundTrips !== undefined) lines.push(`- ${t('doctor.roundTrips', { count: o.roundTrips, ms: o.durationMs ?? 0 })}`);
  if (j.interrupted) lines.push('', `> ${j.interrupted}`);
  if (j.fixesApplied?.length) {
    lines.push('', '## --fix', '');
    const mark: Record<string, string> = { fixed: '✓', still_failing: '✗', needs_step: '→' };
    for (const f of j.fixesApplied) lines.push(`- ${mark[f.result]} ${f.description}: ${t(`doctor.fix.result.${f.result}`)}${f.output ? ` — \`${f.output}\`` : ''}`);
  }
  lines.push('', '| | id | status |', '|---|---|---|');
  for (const c of j.checks) lines.push(`| ${MARK[c.status as keyof typeof MARK]} | ${c.id} | ${t(`doctor.status.${c.status}`)} |`);
  for (const c of j.checks) {
    lines.push('', `## [${MARK[c.status as keyof typeof MARK]}] ${c.title}${c.headline ? `: ${c.headline}` : ''}`, '');
    for (const d of c.details) lines.push(`- ${d}`);
    for (const a of c.advice) lines.push(`- **${t('doctor.label.advice')}:** ${a}`);
    if (c.evidence.length) lines.push('', '```', ...c.evidence, '```');
  }
  return lines.join('\n') + '\n';
}

export function writeReport(file: string, o: DoctorOutcome, t: Translate, s: Sensitive, now: Date): { md: string; json: string } {
  const paths = reportPaths(file);
  const mask = masker(s);
  const json = maskDeep({ generatedAt: now.toISOString(), version: VERSION, ...toJson(o, t) }, mask);
  const md = mask(renderMarkdown(o, t, now));
  try {
    writeFileSync(paths.md, md, { mode: 0o600 });
    writeFileSync(paths.json, `${JSON.stringify(json, null, 2)}\n`, { mode: 0o600 });
  } catch (e) {
    throw new AppError('input', 'error.fileWrite', { path: paths.md, reason: (e as Error).message });
  }
  return paths;
}
