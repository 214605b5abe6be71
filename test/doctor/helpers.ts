/** Reading statuses back out of the doctor's outputs, the way a person or a script would. */
import type { CheckId, Status as CheckStatus } from '../../src/doctor/status.js';
import { translator, type Lang } from '../../src/i18n/index.js';
import type { Aspect, PhoneProfile, Verdict } from '../../src/sandbox/phone/profiles/types.js';

export const CHECK_IDS: CheckId[] = ['app-installed', 'battery-saver', 'background', 'vendor-autostart', 'overlay', 'notifications', 'permissions', 'number', 'sync'];

/** The doctor's check that looks at each aspect of a simulated phone. */
export const CHECK_OF: Record<Aspect, CheckId> = {
  app: 'app-installed',
  'power-saving': 'battery-saver',
  background: 'background',
  'vendor-manager': 'vendor-autostart',
  overlay: 'overlay',
  notifications: 'notifications',
  permissions: 'permissions',
  'client-number': 'number',
  sync: 'sync',
};

/** The status a correct doctor reports for each verdict of the phone's ground truth. */
export const STATUS_OF: Record<Verdict, CheckStatus> = { fine: 'ok', attention: 'warning', broken: 'problem', irrelevant: 'not_applicable', unreadable: 'unknown' };

/** A profile's ground truth (before or after `--fix`) in the doctor's words. */
export function expectedStatuses(profile: PhoneProfile, when: 'before' | 'after' = 'before'): Record<CheckId, CheckStatus> {
  const truth = when === 'before' ? profile.expected : profile.expectedAfterFix;
  return Object.fromEntries(Object.entries(truth).map(([aspect, verdict]) => [CHECK_OF[aspect as Aspect], STATUS_OF[verdict]])) as Record<CheckId, CheckStatus>;
}

const FROM_MARK: Record<string, CheckStatus> = { '✓': 'ok', '!': 'warning', '✗': 'problem', '-': 'not_applicable', '?': 'unknown' };

/** `[✓] <title>: <finding>` lines → status per check id; the title is looked up in the language's catalog. */
export function statusesFromText(text: string, lang: Lang): Partial<Record<CheckId, CheckStatus>> {
  const t = translator(lang);
  const out: Partial<Record<CheckId, CheckStatus>> = {};
  const lines = text.split('\n');
  for (const id of CHECK_IDS) {
    const title = t(`doctor.check.${id}.title`);
    const line = lines.find((l) => /^\[.\] /.test(l) && (l.slice(4) === title || l.slice(4).startsWith(`${title}: `)));
    const m = line ? /^\[(.)\] /.exec(line) : null;
    if (m) out[id] = FROM_MARK[m[1]!];
  }
  return out;
}

export function statusesFromJson(json: { checks: { id: string; status: string }[] }): Partial<Record<CheckId, CheckStatus>> {
  return Object.fromEntries(json.checks.map((c) => [c.id, c.status])) as Partial<Record<CheckId, CheckStatus>>;
}

/**
 * amo-doctor in-process on a "terminal" where a person answers each prompt only once it is shown
 * (piping all answers at once would let the first prompt swallow them). `answers` pairs a text the
 * prompt shows with what the person types; stderr is kept for the checks.
 */
export async function runAtTerminal(argv: string[], answers: [prompt: string, reply: string][], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string; asked: string[] }> {
  const { PassThrough } = await import('node:stream');
  const { main } = await import('../../src/cli/amo-doctor.js');
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  let from = 0;
  const asked: string[] = [];
  stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  stderr.on('data', (c: Buffer) => {
    err += c.toString('utf8');
    const next = answers[asked.length];
    const at = next ? err.indexOf(next[0], from) : -1;
    if (next && at >= 0) {
      from = at + next[0].length;
      asked.push(next[0]);
      setImmediate(() => stdin.write(next[1]));
    }
  });
  const code = await main(argv, { streams: { stdout, stderr, stdin, stdoutIsTTY: true, stderrIsTTY: true, stdinIsTTY: true }, env });
  stdin.end();
  return { code, stdout: out, stderr: err, asked };
}
