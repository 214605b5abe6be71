/** The terminal report in the style of `flutter doctor`: [✓] [!] [✗] [-] [?] lines, • ! ✗ details, a summary. */
import type { ChalkInstance } from 'chalk';
import type { Translate } from '../i18n/index.js';
import type { FixOutcome } from './fix.js';
import { countFixResults, countStatuses, interruptedText, type DoctorOutcome, type ReportItem } from './outcome.js';
import type { Message, Status } from './types.js';
import { describePhone } from './vendor.js';

export const MARK: Record<Status, string> = { ok: '✓', warning: '!', problem: '✗', not_applicable: '-', unknown: '?' };

export interface RenderOptions {
  t: Translate;
  c: ChalkInstance;
  verbose: boolean;
}

function colour(c: ChalkInstance, s: Status, text: string): string {
  if (s === 'ok') return c.green(text);
  if (s === 'warning') return c.yellow(text);
  if (s === 'problem') return c.red(text);
  return c.dim(text);
}

function renderItem(i: ReportItem, o: RenderOptions): string[] {
  const { t, c, verbose } = o;
  const tr = (m: Message) => t(m.key, m.params);
  const lines = [`${colour(c, i.status, `[${MARK[i.status]}]`)} ${t(i.titleKey)}${i.headline ? `: ${tr(i.headline)}` : ''}`];
  const showDetails = verbose || (i.status !== 'ok' && i.status !== 'not_applicable');
  if (showDetails) {
    for (const d of i.details) {
      const level: Status = d.level === 'info' ? 'ok' : (d.level ?? i.status);
      lines.push(level === 'problem' || level === 'warning' ? `    ${colour(c, level, MARK[level])} ${tr(d)}` : `    • ${tr(d)}`);
    }
  }
  for (const a of i.advice) lines.push(`    • ${t('doctor.label.advice')}: ${tr(a)}`);
  if (verbose && i.evidence.length) {
    lines.push(`    • ${t('doctor.label.evidence')}:`);
    for (const e of i.evidence) lines.push(c.dim(`        ${e}`));
  }
  return lines;
}

/** One applied fix as the re-check judged it; --verbose adds each command with its exit code. */
function renderFix(f: FixOutcome, o: RenderOptions): string[] {
  const { t, c } = o;
  const what = t(f.message.key, f.message.params);
  let line: string;
  if (f.result === 'fixed') line = c.green(`✓ ${t('doctor.fix.applied', { what })}`);
  else if (f.result === 'still_failing') {
    line = c.red(`✗ ${f.output ? t('doctor.fix.failed', { what, output: f.output }) : t('doctor.fix.ignored', { what })}`);
  } else if (f.opened) line = `→ ${t('doctor.fix.opened', { what })}`;
  else line = c.yellow(`! ${t(f.output ? 'doctor.fix.openFailed' : 'doctor.fix.notOpened', { what })}`);
  const lines = [line];
  if (o.verbose) for (const a of f.answers) lines.push(c.dim(`    $ ${a.command}  [exit ${a.exitCode}]${a.output.trim() ? ` ${a.output.trim().split('\n')[0]}` : ''}`));
  return lines;
}

export function renderText(out: DoctorOutcome, o: RenderOptions): string {
  const { t, c } = o;
  const lines: string[] = [];
  if (out.platform === 'ios') lines.push(t('doctor.ios.title'), '');
  else if (out.identity) lines.push(t('doctor.header', { phone: describePhone(out.identity), serial: out.serial ?? '?' }), '');
  else if (out.serial) lines.push(t('doctor.header.unknownPhone', { serial: out.serial }), '');
  for (const f of out.fixes ?? []) lines.push(...renderFix(f, o));
  if (out.fixes?.length) {
    const n = countFixResults(out.fixes);
    lines.push(t('doctor.fix.summary', { fixed: n.fixed, failing: n.still_failing, steps: n.needs_step }), '');
  }
  for (const i of out.items) lines.push(...renderItem(i, o));
  lines.push('');
  if (out.interrupted) lines.push(c.red(`✗ ${interruptedText(out.interrupted, t)}`));
  const n = countStatuses(out.items);
  if (n.problem) lines.push(c.red(`✗ ${t('doctor.summary.issues', { problems: n.problem, warnings: n.warning })}`));
  else if (n.warning) lines.push(c.yellow(`! ${t('doctor.summary.warnings', { warnings: n.warning })}`));
  else if (!out.interrupted) lines.push(c.green(`• ${t('doctor.summary.ok')}`));
  if (n.unknown) lines.push(`? ${t('doctor.summary.unknown', { count: n.unknown })}`);
  const fixable = out.items.some((i) => (i.status === 'problem' || i.status === 'warning') && i.fixes.some((f) => f.kind === 'adb'));
  if (fixable && !out.fixes && !out.interrupted) lines.push(`• ${t('doctor.summary.fixHint')}`);
  // Nothing is read from an iPhone, so there is nothing more --verbose could show.
  if (!o.verbose && out.platform === 'android' && (n.problem || n.warning || n.unknown)) lines.push(`• ${t('doctor.summary.verboseHint')}`);
  if (o.verbose && out.roundTrips !== undefined) lines.push(c.dim(t('doctor.roundTrips', { count: out.roundTrips, ms: out.durationMs ?? 0 })));
  return lines.join('\n') + '\n';
}
