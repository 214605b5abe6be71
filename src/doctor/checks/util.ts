/** Small helpers the checks share: combining statuses, vendor-specific advice keys, system paths. */
import { catalogs } from '../../i18n/index.js';
import type { Params } from '../../errors.js';
import { targetApps } from '../facts.js';
import type { AppFacts, CheckId, CheckResult, Facts, Fix, Message, Status } from '../types.js';

const RANK: Record<Status, number> = { not_applicable: 0, ok: 1, unknown: 2, warning: 3, problem: 4 };

/** The worst of several partial statuses; an empty list is "not applicable". */
export function worst(statuses: Status[]): Status {
  return statuses.reduce<Status>((a, b) => (RANK[b] > RANK[a] ? b : a), 'not_applicable');
}

export function msg(key: string, params?: Params): Message {
  return params ? { key, params } : { key };
}

/**
 * `base.<vendor>` when the catalog has a text for this vendor, else `base.other`; before Android 12
 * (menus were renamed then) a `….old` variant wins when there is one.
 */
export function vendorMsg(base: string, facts: Facts, params: Params = {}): Message {
  const vendor = facts.identity?.vendor ?? 'other';
  let key = catalogs.en[`${base}.${vendor}`] !== undefined ? `${base}.${vendor}` : `${base}.other`;
  if ((facts.identity?.sdk ?? 99) < 31 && catalogs.en[`${key}.old`] !== undefined) key = `${key}.old`;
  return msg(key, { android: facts.identity?.release ?? '?', ...params });
}

/** A neutral or good finding: shown with • rather than the check's ! or ✗. */
export function info(key: string, params?: Params): Message {
  return { ...msg(key, params), level: 'info' };
}

export function result(id: CheckId, status: Status, parts: Partial<Omit<CheckResult, 'id' | 'status'>> = {}): CheckResult {
  return { id, status, details: parts.details ?? [], advice: parts.advice ?? [], evidence: parts.evidence ?? [], fixes: parts.fixes ?? [] };
}

/** Why a check could not be read: the phone went away, or the facts were never gathered. */
export function unknown(id: CheckId, facts: Facts): CheckResult {
  return result(id, 'unknown', { details: [facts.interrupted ? msg('doctor.detail.interrupted') : msg('doctor.detail.unreadable')] });
}

/** The apps a per-app check judges, or its verdict when there are none: unread, or no amoCRM app. */
export function appsOrVerdict(id: CheckId, facts: Facts): AppFacts[] | CheckResult {
  const apps = targetApps(facts);
  if (!apps) return unknown(id, facts);
  if (apps.length === 0) return result(id, 'not_applicable', { details: [msg('doctor.detail.noApp')] });
  return apps;
}

export function evidence(facts: Facts, id: string): string[] {
  const r = facts.raw[id];
  if (!r) return [];
  const lines = r.output.trimEnd().split('\n').filter((l) => l.trim() !== '');
  const shown = lines.length > 12 ? [...lines.slice(0, 12), `… (${lines.length - 12} more lines)`] : lines;
  return [`$ ${r.command}${r.exitCode !== 0 ? `  [exit ${r.exitCode}]` : ''}`, ...shown.map((l) => `  ${l}`)];
}

/** Preinstalled packages live on read-only partitions. */
export function isSystemPath(path: string): boolean {
  return /^\/(system|product|vendor|system_ext|apex|odm)\//.test(path);
}

/** What a check collects app by app before it settles on one status. */
export function findings(): { statuses: Status[]; details: Message[]; advice: Message[]; fixes: Fix[]; evidence: string[] } {
  return { statuses: [], details: [], advice: [], fixes: [], evidence: [] };
}
