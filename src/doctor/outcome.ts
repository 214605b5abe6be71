/**
 * What one doctor run produced, for every output: the terminal (flutter-doctor style), `--json`,
 * and the `--report` bundle. Texts stay as catalog keys until a renderer translates them.
 */
import type { Translate } from '../i18n/index.js';
import type { FixOutcome } from './fix.js';
import type { CheckResult, Fix, Identity, Message, Status } from './types.js';
import { describePhone } from './vendor.js';

export interface ReportItem {
  id: string;
  titleKey: string;
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
  return results.map((r) => ({ ...r, titleKey: `doctor.check.${r.id}.title` }));
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
      status: i.status,
      details: i.details.map((m) => tr(t, m)),
      advice: i.advice.map((m) => tr(t, m)),
      evidence: i.evidence,
      fixes: i.fixes.map((f) => ({ kind: f.kind, commands: f.commands, description: tr(t, f.message) })),
    })),
    before: o.before,
    fixesApplied: o.fixes?.map((f) => ({ kind: f.kind, ok: f.ok, description: tr(t, f.message), output: f.output })),
    roundTrips: o.roundTrips,
    interrupted: o.interrupted ? interruptedText(o.interrupted, t) : undefined,
  };
}

export function interruptedText(m: Message, t: Translate): string {
  return t('doctor.interrupted', { reason: t(m.key, m.params).replace(/\.$/, '') });
}
