/**
 * What one doctor run produced, for every output: the terminal (flutter-doctor style), `--json`,
 * and the `--report` bundle. Texts stay as catalog keys until a renderer translates them.
 */
import { catalogs, type Translate } from '../i18n/index.js';
import type { FixOutcome } from './fix.js';
import type { CheckResult, Fix, Identity, Message, Status } from './types.js';
import { describePhone } from './vendor.js';

export interface ReportItem {
  id: string;
  titleKey: string;
  /** The finding in a few words, shown after the title ("Battery saver: on"). */
  headline?: Message;
  status: Status;
  details: Message[];
  advice: Message[];
  evidence: string[];
  fixes: Fix[];
}

export interface DoctorOutcome {
  platform: 'android' | 'ios';
  serial?: string;
  identity?: Identity;
  items: ReportItem[];
  /** Statuses before `--fix`, when fixes were applied. */
  before?: { id: string; status: Status }[];
  fixes?: FixOutcome[];
  roundTrips?: number;
  durationMs?: number;
  /** The device error that cut the run short. */
  interrupted?: Message;
}

export function itemsFromChecks(results: CheckResult[]): ReportItem[] {
  return results.map((r) => {
    const own = `doctor.check.${r.id}.${r.status}`;
    return { ...r, titleKey: `doctor.check.${r.id}.title`, headline: { key: catalogs.en[own] !== undefined ? own : `doctor.headline.${r.status}` } };
  });
}

export function countFixResults(fixes: FixOutcome[]): Record<FixOutcome['result'], number> {
  const c = { fixed: 0, still_failing: 0, needs_step: 0 };
  for (const f of fixes) c[f.result]++;
  return c;
}

export function countStatuses(items: { status: Status }[]): Record<Status, number> {
  const c: Record<Status, number> = { ok: 0, warning: 0, problem: 0, not_applicable: 0, unknown: 0 };
  for (const i of items) c[i.status]++;
  return c;
}

/** 0 all well, 1 a problem found, 2 the run could not finish (device went away). */
export function exitCodeOf(o: DoctorOutcome): number {
  if (o.interrupted) return 2;
  return o.items.some((i) => i.status === 'problem') ? 1 : 0;
}

const tr = (t: Translate, m: Message) => t(m.key, m.params);

export function toJson(o: DoctorOutcome, t: Translate): Record<string, unknown> {
  return {
    platform: o.platform,
    phone: o.identity || o.serial ? { serial: o.serial, ...o.identity, description: o.identity ? describePhone(o.identity) : undefined } : undefined,
    summary: countStatuses(o.items),
    exitCode: exitCodeOf(o),
    checks: o.items.map((i) => ({
      id: i.id,
      title: t(i.titleKey),
      headline: i.headline ? tr(t, i.headline) : undefined,
      status: i.status,
      details: i.details.map((m) => tr(t, m)),
      advice: i.advice.map((m) => tr(t, m)),
      evidence: i.evidence,
      fixes: i.fixes.map((f) => ({ kind: f.kind, commands: f.commands, description: tr(t, f.message) })),
    })),
    before: o.before,
    // `ok` and `result` are what the re-check read; the commands' exit codes are kept beside them.
    fixesApplied: o.fixes?.map((f) => ({
      kind: f.kind,
      check: f.check,
      result: f.result,
      ok: f.result === 'fixed',
      opened: f.opened,
      description: tr(t, f.message),
      output: f.output,
      commands: f.answers.map((a) => ({ command: a.command, exitCode: a.exitCode, output: a.output.trimEnd() })),
    })),
    fixSummary: o.fixes ? countFixResults(o.fixes) : undefined,
    roundTrips: o.roundTrips,
    interrupted: o.interrupted ? interruptedText(o.interrupted, t) : undefined,
  };
}

export function interruptedText(m: Message, t: Translate): string {
  // A step timeout carries the step as a catalog key of its own.
  const stepKey = m.params?.stepKey;
  const params = typeof stepKey === 'string' ? { ...m.params, step: t(stepKey, m.params) } : m.params;
  return t('doctor.interrupted', { reason: t(m.key, params).replace(/\.$/, '') });
}
