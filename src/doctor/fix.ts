/**
 * `--fix`: adb fixes run together in one round trip (each command's exit code kept apart); settings
 * screens open one at a time, each after the engineer is done with the previous one, since a
 * second screen would hide the first. Whether a fix worked is what the re-check reads, never
 * what the commands' exit codes claim: MIUI answers 0 to an `appops set` it ignores, and a build
 * may refuse one command of a group while the setting still changes.
 */
import type { DeviceShell } from '../adb/types.js';
import { runCommands } from './batch.js';
import type { CheckId, CheckResult, CommandOutput, Fix, Message } from './types.js';

/** A fix together with the check that proposed it. */
export interface PlannedFix extends Fix {
  check: CheckId;
}

/**
 * fixed: the re-check no longer finds what the fix was for; still_failing: it still does (or could
 * not read it); needs_step: a screen for the engineer, not done (yet) when the re-check ran.
 */
export type FixResult = 'fixed' | 'still_failing' | 'needs_step';

export interface FixOutcome {
  kind: Fix['kind'];
  check: CheckId;
  message: Message;
  result: FixResult;
  /** Screens only: false when the screen was not opened (it could not be, or one was already open). */
  opened?: boolean;
  /** What the phone answered to each command, in order (none for a screen that was not opened). */
  answers: CommandOutput[];
  /** First line of what the phone printed when a command was refused. */
  output?: string;
}

/** Asked before the next screen opens (and before the re-check after the last one): the engineer is done. */
export type WaitForPhone = (next: PlannedFix | undefined) => Promise<void>;

export function fixesFor(results: CheckResult[]): PlannedFix[] {
  return results
    .filter((r) => r.status === 'problem' || r.status === 'warning')
    .flatMap((r) => r.fixes.map((f) => ({ ...f, check: r.id })));
}

const REFUSED = /Exception|Error|Unknown|not found|Failure|Can't find/i;

function refusal(answers: (CommandOutput | undefined)[]): string | undefined {
  const i = answers.findIndex((a) => !a || a.exitCode !== 0 || REFUSED.test(a.output));
  if (i < 0) return undefined;
  const bad = answers[i];
  // The script's answer was cut before this command's end marker.
  if (!bad) return 'no answer';
  const lines = bad.output.trim().split('\n');
  return lines.find((l) => REFUSED.test(l)) ?? (lines[0] || `exit ${bad.exitCode}`);
}

/** Runs the adb fixes in one round trip and opens the screens one by one; outcomes are provisional until `judgeFixes`. */
export async function applyFixes(shell: DeviceShell, fixes: PlannedFix[], o: { timeoutMs?: number; waitForPhone?: WaitForPhone; onStep?: (step: Message) => void } = {}): Promise<{ outcomes: FixOutcome[]; roundTrips: number }> {
  const adb = fixes.filter((f) => f.kind === 'adb');
  const screens = fixes.filter((f) => f.kind === 'screen');
  const outcomes = new Map<PlannedFix, FixOutcome>();
  let roundTrips = 0;
  if (adb.length) {
    o.onStep?.({ key: 'doctor.step.fixing' });
    const planned = adb.flatMap((f, i) => f.commands.map((command, j) => ({ id: `${i}.${j}`, command })));
    const r = await runCommands(shell, planned, { timeoutMs: o.timeoutMs, step: { key: 'doctor.step.fixing' } });
    roundTrips += r.roundTrips;
    adb.forEach((f, i) => {
      const answers = f.commands.map((_, j) => r.outputs[`${i}.${j}`]);
      outcomes.set(f, { kind: f.kind, check: f.check, message: f.message, result: 'still_failing', answers: answers.filter((a): a is CommandOutput => Boolean(a)), output: refusal(answers) });
    });
  }
  for (const [i, f] of screens.entries()) {
    // Nobody to wait for: open only the first screen, and say the others still need doing.
    if (i > 0 && !o.waitForPhone) {
      outcomes.set(f, { kind: f.kind, check: f.check, message: f.message, result: 'needs_step', opened: false, answers: [] });
      continue;
    }
    if (i > 0) await o.waitForPhone!(f);
    const step = { key: 'doctor.step.opening', params: { command: f.commands.join('; ') } };
    o.onStep?.(step);
    const planned = f.commands.map((command, j) => ({ id: String(j), command }));
    const r = await runCommands(shell, planned, { timeoutMs: o.timeoutMs, step });
    roundTrips += r.roundTrips;
    const answers = f.commands.map((_, j) => r.outputs[String(j)]);
    const output = refusal(answers);
    outcomes.set(f, { kind: f.kind, check: f.check, message: f.message, result: 'needs_step', opened: !output, answers: answers.filter((a): a is CommandOutput => Boolean(a)), output });
  }
  if (screens.length && o.waitForPhone) await o.waitForPhone(undefined);
  return { outcomes: fixes.map((f) => outcomes.get(f)!), roundTrips };
}

const same = (a: Pick<Fix, 'kind' | 'message'>, b: Pick<Fix, 'kind' | 'message'>) => a.kind === b.kind && a.message.key === b.message.key && JSON.stringify(a.message.params ?? {}) === JSON.stringify(b.message.params ?? {});

/**
 * The re-check decides: a fix worked when its check could be read again and no longer asks for the
 * same fix. A screen the engineer has not finished stays "needs a step on the phone".
 */
export function judgeFixes(outcomes: FixOutcome[], after: CheckResult[]): FixOutcome[] {
  return outcomes.map((f) => {
    const r = after.find((x) => x.id === f.check);
    const readable = r !== undefined && r.status !== 'unknown';
    const stillAsked = r !== undefined && (r.status === 'problem' || r.status === 'warning') && r.fixes.some((x) => same(x, f));
    if (readable && !stillAsked) return { ...f, result: 'fixed' };
    return { ...f, result: f.kind === 'screen' ? 'needs_step' : 'still_failing' };
  });
}
