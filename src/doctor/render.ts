/** The terminal report in the style of `flutter doctor`: [✓] [!] [✗] [-] [?] lines, • ! ✗ details, a summary. */
import type { ChalkInstance } from 'chalk';
import type { Translate } from '../i18n/index.js';
import { countStatuses, interruptedText, type DoctorOutcome, type ReportItem } from './outcome.js';
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
  const lines = [`${colour(c, i.status, `[${MARK[i.status]}]`)} ${t(i.titleKey)}`];
  const tr = (m: Message) => t(m.key, m.params);
  const bullet = i.status === 'problem' ? '✗' : i.status === 'warning' ? '!' : '•';
  const showDetails = verbose || (i.status !== 'ok' && i.status !== 'not_applicable');
  if (showDetails) for (const d of i.details) lines.push(d.level === 'info' ? `    • ${tr(d)}` : `    ${colour(c, i.status, bullet)} ${tr(d)}`);
  for (const a of i.advice) lines.push(`    • ${t('doctor.label.advice')}: ${tr(a)}`);
  if (verbose && i.evidence.length) {
    lines.push(`    • ${t('doctor.label.evidence')}:`);
    for (const e of i.evidence) lines.push(c.dim(`        ${e}`));
  }
  return lines;
}

export function renderText(out: DoctorOutcome, o: RenderOptions): string {
  const { t, c } = o;
  const lines: string[] = [];
  if (out.platform === 'ios') lines.push(t('doctor.ios.title'), '');
  else if (out.identity) lines.push(t('doctor.header', { phone: describePhone(out.identity), serial: out.serial ?? '?' }), '');
  else if (out.serial) lines.push(t('doctor.header.unknownPhone', { serial: out.serial }), '');
  for (const f of out.fixes ?? []) {
    if (f.kind === 'adb') lines.push(f.ok ? c.green(`✓ ${t('doctor.fix.applied', { what: t(f.message.key, f.message.params) })}`) : c.red(`✗ ${t('doctor.fix.failed', { what: t(f.message.key, f.message.params), output: f.output ?? '' })}`));
    else lines.push(f.ok ? `→ ${t('doctor.fix.opened', { what: t(f.message.key, f.message.params) })}` : c.yellow(`! ${t('doctor.fix.openFailed', { what: t(f.message.key, f.message.params) })}`));
  }
  if (out.fixes?.length) lines.push('');
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
  if (!o.verbose && (n.problem || n.warning || n.unknown)) lines.push(`• ${t('doctor.summary.verboseHint')}`);
  if (o.verbose && out.roundTrips !== undefined) lines.push(c.dim(t('doctor.roundTrips', { count: out.roundTrips, ms: out.durationMs ?? 0 })));
  return lines.join('\n') + '\n';
}
