/**
 * One Android doctor run over any DeviceShell: gather facts, run the checks, optionally fix and
 * re-check. Knows nothing about terminals; the CLI supplies the confirmation, the wait between
 * settings screens, and prints the outcome.
 */
import type { DeviceShell } from '../adb/types.js';
import { isAppError } from '../errors.js';
import { runChecks } from './checks/index.js';
import { gatherFacts, type GatherOptions } from './facts.js';
import { applyFixes, fixesFor, judgeFixes, type PlannedFix, type WaitForPhone } from './fix.js';
import { type DoctorOutcome, itemsFromChecks } from './outcome.js';
import type { CheckContext, Facts } from './types.js';

export interface AndroidRunOptions extends GatherOptions {
  context?: CheckContext;
  fix?: boolean;
  /** Shown the planned fixes before any is applied; false leaves the phone untouched. */
  confirm?: (fixes: PlannedFix[]) => Promise<boolean>;
  /**
   * Resolves when the engineer is done with the screen on the phone. Without it only the first
   * settings screen is opened: a second one would hide it.
   */
  waitForPhone?: WaitForPhone;
  clock?: () => number;
}

export interface AndroidRun {
  outcome: DoctorOutcome;
  facts: Facts;
  /** Facts of the re-check after fixes (when there was one). */
  recheck?: Facts;
  /** True when --fix found nothing adb or a screen could help with. */
  nothingToFix?: boolean;
  declined?: boolean;
}

export async function runAndroidDoctor(shell: DeviceShell, o: AndroidRunOptions = {}): Promise<AndroidRun> {
  const clock = o.clock ?? (() => performance.now());
  const ctx = o.context ?? {};
  const t0 = clock();
  const facts = await gatherFacts(shell, o);
  const results = runChecks(facts, ctx);
  const outcome: DoctorOutcome = {
    platform: 'android',
    serial: shell.serial,
    identity: facts.identity,
    items: itemsFromChecks(results),
    roundTrips: facts.roundTrips,
    durationMs: Math.round(clock() - t0),
    interrupted: facts.interrupted,
  };
  if (!o.fix || facts.interrupted) return { outcome, facts };
  const fixes = fixesFor(results);
  if (fixes.length === 0) return { outcome, facts, nothingToFix: true };
  if (o.confirm && !(await o.confirm(fixes))) return { outcome, facts, declined: true };
  let applied;
  try {
    applied = await applyFixes(shell, fixes, { timeoutMs: o.timeoutMs, waitForPhone: o.waitForPhone, onStep: o.onStep });
  } catch (e) {
    if (!isAppError(e) || e.kind !== 'device') throw e;
    return { outcome: { ...outcome, interrupted: { key: e.key, params: e.params } }, facts };
  }
  o.onStep?.({ key: 'doctor.step.recheck' });
  const recheck = await gatherFacts(shell, o);
  const after = runChecks(recheck, ctx);
  return {
    facts,
    recheck,
    outcome: {
      ...outcome,
      identity: recheck.identity ?? facts.identity,
      before: results.map((r) => ({ id: r.id, status: r.status })),
      items: itemsFromChecks(after),
      fixes: judgeFixes(applied.outcomes, after),
      roundTrips: facts.roundTrips + applied.roundTrips + recheck.roundTrips,
      durationMs: Math.round(clock() - t0),
      interrupted: recheck.interrupted,
    },
  };
}
