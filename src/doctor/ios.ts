/**
 * `--platform ios`: iOS offers nothing to read over a cable, so the checklist is a set of
 * questions. Answers come from prompts on a terminal or from `--answers key=value,…` elsewhere,
 * and end up in the same report shape as the Android checks.
 */
import { AppError } from '../errors.js';
import type { ReportItem } from './outcome.js';
import type { Message, Status } from './types.js';

export type Answer = 'yes' | 'no' | 'unknown';

export interface IosQuestion {
  /** Key in `--answers`. */
  key: string;
  /** Report item id. */
  id: string;
  question: string;
  kind: 'version' | 'yesno';
  /** For yes/no: details and advice when the answer is "no". */
  no?: { detail: string; advice: string };
}

export const IOS_QUESTIONS: IosQuestion[] = [
  { key: 'ios-version', id: 'ios-version', question: 'doctor.ios.q.version', kind: 'version' },
  { key: 'paid', id: 'paid-account', question: 'doctor.ios.q.paid', kind: 'yesno', no: { detail: 'doctor.ios.paid.no', advice: 'doctor.ios.paid.advice' } },
  { key: 'not-in-contacts', id: 'not-in-contacts', question: 'doctor.ios.q.notInContacts', kind: 'yesno', no: { detail: 'doctor.ios.contacts.no', advice: 'doctor.ios.contacts.advice' } },
  { key: 'switch', id: 'callerid-switch', question: 'doctor.ios.q.switchOn', kind: 'yesno', no: { detail: 'doctor.ios.switch.no', advice: 'doctor.ios.switch.advice' } },
  { key: 'resynced', id: 'resync', question: 'doctor.ios.q.resynced', kind: 'yesno', no: { detail: 'doctor.ios.resync.no', advice: 'doctor.ios.resync.advice' } },
  { key: 'low-power-off', id: 'low-power', question: 'doctor.ios.q.lowPower', kind: 'yesno', no: { detail: 'doctor.ios.lowPower.no', advice: 'doctor.ios.lowPower.advice' } },
];

const YES = new Set(['yes', 'y', 'да', 'true', '1']);
const NO = new Set(['no', 'n', 'нет', 'false', '0']);

/** `ios-version=17.4,paid=yes,…` → map; unknown keys or values are a usage error naming the flag. */
export function parseAnswers(raw: string | undefined): Record<string, string> {
  const answers: Record<string, string> = {};
  if (!raw) return answers;
  const keys = IOS_QUESTIONS.map((q) => q.key).join(', ');
  for (const part of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim().toLowerCase();
    const q = IOS_QUESTIONS.find((x) => x.key === key);
    const valid = q && (q.kind === 'version' ? /^\d+(\.\d+)*$/.test(value) : YES.has(value) || NO.has(value) || value === 'unknown');
    if (eq <= 0 || !valid) throw new AppError('usage', 'doctor.error.badAnswers', { value: part, keys });
    answers[key] = q.kind === 'version' ? value : YES.has(value) ? 'yes' : NO.has(value) ? 'no' : 'unknown';
  }
  return answers;
}

/** Turns the answers into report items; a missing answer is "unknown". */
export function iosItems(answers: Record<string, string>): ReportItem[] {
  return IOS_QUESTIONS.map((q) => {
    const a = answers[q.key];
    const details: Message[] = [];
    const advice: Message[] = [];
    let status: Status;
    if (a === undefined || a === 'unknown') {
      status = 'unknown';
      details.push({ key: 'doctor.ios.unanswered' });
      if (q.no) advice.push({ key: q.no.advice });
    } else if (q.kind === 'version') {
      const major = Number(a.split('.')[0]);
      status = major >= 10 ? 'ok' : 'problem';
      details.push({ key: major >= 10 ? 'doctor.ios.version.ok' : 'doctor.ios.version.old', params: { version: a } });
    } else if (a === 'yes') {
      status = 'ok';
      details.push({ key: 'doctor.ios.answer.yes' });
    } else {
      // A saved contact is how iOS is meant to behave, so that one is a warning, not a failure.
      status = q.id === 'not-in-contacts' || q.id === 'low-power' ? 'warning' : 'problem';
      details.push({ key: q.no!.detail });
      advice.push({ key: q.no!.advice });
    }
    // The title names what was asked about; the answer follows it in the line ("Low Power Mode: on").
    const headline: Message =
      a === undefined || a === 'unknown'
        ? { key: 'doctor.ios.headline.unanswered' }
        : q.kind === 'version'
          ? { key: 'doctor.ios.headline.version', params: { version: a } }
          : { key: `doctor.ios.check.${q.id}.${a}` };
    return { id: q.id, titleKey: `doctor.ios.check.${q.id}`, headline, status, details, advice, evidence: [], fixes: [] };
  });
}
