/** Reading statuses back out of the doctor's outputs, the way a person or a script would. */
import { translator, type Lang } from '../../src/i18n/index.js';
import type { CheckId, CheckStatus } from '../../src/sandbox/phone/profiles/types.js';

export const CHECK_IDS: CheckId[] = ['app-installed', 'battery-saver', 'background', 'vendor-autostart', 'overlay', 'notifications', 'permissions', 'number', 'sync'];

const FROM_MARK: Record<string, CheckStatus> = { '✓': 'ok', '!': 'warning', '✗': 'problem', '-': 'not_applicable', '?': 'unknown' };

/** `[✓] <title>` lines → status per check id; the title is looked up in the language's catalog. */
export function statusesFromText(text: string, lang: Lang): Partial<Record<CheckId, CheckStatus>> {
  const t = translator(lang);
  const out: Partial<Record<CheckId, CheckStatus>> = {};
  const lines = text.split('\n');
  for (const id of CHECK_IDS) {
    const title = t(`doctor.check.${id}.title`);
    const line = lines.find((l) => l.endsWith(`] ${title}`));
    const m = line ? /^\[(.)\] /.exec(line) : null;
    if (m) out[id] = FROM_MARK[m[1]!];
  }
  return out;
}

export function statusesFromJson(json: { checks: { id: string; status: string }[] }): Partial<Record<CheckId, CheckStatus>> {
  return Object.fromEntries(json.checks.map((c) => [c.id, c.status])) as Partial<Record<CheckId, CheckStatus>>;
}
