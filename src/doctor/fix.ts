/**
 * `--fix`: adb fixes run together in one round trip (each command's exit code kept apart), screens
 * open one after another. The caller re-checks afterwards: success is what the phone says, not
 * what we hoped.
 */
import type { DeviceShell } from '../adb/types.js';
import { runCommands } from './batch.js';
import type { CheckResult, Fix, Message } from './types.js';

export interface FixOutcome {
  kind: Fix['kind'];
  message: Message;
  ok: boolean;
  /** First line of what the phone printed when it refused. */
  output?: string;
}

export function fixesFor(results: CheckResult[]): Fix[] {
  return results.filter((r) => r.status === 'problem' || r.status === 'warning').flatMap((r) => r.fixes);
}

const REFUSED = /Exception|Error|Unknown|not found|Failure|Can't find/i;

export async function applyFixes(shell: DeviceShell, fixes: Fix[], timeoutMs?: number): Promise<FixOutcome[]> {
  const planned = fixes.flatMap((f, i) => f.commands.map((command, j) => ({ id: `${i}.${j}`, command })));
  const { outputs } = await runCommands(shell, planned, { timeoutMs });
  return fixes.map((f, i) => {
    const answers = f.commands.map((_, j) => outputs[`${i}.${j}`]);
    const bad = answers.find((a) => !a || a.exitCode !== 0 || REFUSED.test(a.output));
    return {
      kind: f.kind,
      message: f.message,
      ok: !bad,
      output: bad ? (bad.output.trim().split('\n').find((l) => REFUSED.test(l)) ?? bad.output.trim().split('\n')[0] ?? `exit ${bad.exitCode}`) : undefined,
    };
  });
}
