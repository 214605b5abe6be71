/**
 * Sends many commands to the phone in one shell round trip: a script that prints a marker before
 * each command and the command's exit status after it, so the answers can be cut apart again.
 * Each adb round trip costs a USB exchange and a `sh` start on the phone, so batching is what
 * keeps the doctor fast (see bench/doctor-roundtrips.ts).
 */
import type { DeviceShell } from '../adb/types.js';
import { AppError, isAppError } from '../errors.js';
import type { CommandOutput, Message } from './types.js';

export interface PlannedCommand {
  id: string;
  command: string;
}

const MARK = '@@AMO-DOCTOR';
const MARK_LINE = new RegExp(`^${MARK} (\\d+) (BEGIN|END)(?: (\\d+))?\\r?$`);

export function buildScript(commands: PlannedCommand[]): string {
  return (
    commands
      .map((c, i) => `echo '${MARK} ${i} BEGIN'\n${c.command} 2>&1\necho "${MARK} ${i} END $?"`)
      .join('\n') + '\n'
  );
}

/** Cuts the script's stdout back into one output per command; commands with no END marker are left out. */
export function splitOutput(commands: PlannedCommand[], stdout: string): Record<string, CommandOutput> {
  const result: Record<string, CommandOutput> = {};
  const lines = stdout.split('\n');
  let current: number | undefined;
  let buf: string[] = [];
  for (const line of lines) {
    const m = line.startsWith(MARK) ? MARK_LINE.exec(line) : null;
    if (!m) {
      if (current !== undefined) buf.push(line);
      continue;
    }
    const i = Number(m[1]);
    if (m[2] === 'BEGIN') {
      current = i;
      buf = [];
    } else if (current === i) {
      const c = commands[i];
      if (c) result[c.id] = { command: c.command, output: buf.length ? `${buf.join('\n')}\n` : '', exitCode: Number(m[3] ?? 0) };
      current = undefined;
    }
  }
  return result;
}

export interface RunOptions {
  timeoutMs?: number;
  /** One shell call per command instead of one script: the baseline the benchmark compares against. */
  oneByOne?: boolean;
  /** What this round trip is for; a timeout names it rather than the `sh` that carried the script. */
  step?: Message;
}

/** A phone that keeps the connection open but stops answering: say at which step, not "command: sh". */
function namedTimeout(e: unknown, step: Message | undefined): unknown {
  if (!step || !isAppError(e) || e.key !== 'adb.timeout') return e;
  return new AppError('device', 'doctor.error.stepTimeout', { seconds: e.params.seconds, stepKey: step.key, ...step.params }, { cause: e });
}

/** Runs the commands; returns the outputs and how many round trips it took. Rejects if the phone goes away. */
export async function runCommands(shell: DeviceShell, commands: PlannedCommand[], o: RunOptions = {}): Promise<{ outputs: Record<string, CommandOutput>; roundTrips: number }> {
  try {
    return await runAll(shell, commands, o);
  } catch (e) {
    throw namedTimeout(e, o.step);
  }
}

async function runAll(shell: DeviceShell, commands: PlannedCommand[], o: RunOptions): Promise<{ outputs: Record<string, CommandOutput>; roundTrips: number }> {
  if (commands.length === 0) return { outputs: {}, roundTrips: 0 };
  if (o.oneByOne) {
    const outputs: Record<string, CommandOutput> = {};
    for (const c of commands) {
      const r = await shell.shell(c.command, { timeoutMs: o.timeoutMs });
      outputs[c.id] = { command: c.command, output: r.stdout + r.stderr, exitCode: r.exitCode };
    }
    return { outputs, roundTrips: commands.length };
  }
  const r = await shell.shell('sh', { stdin: buildScript(commands), timeoutMs: o.timeoutMs });
  return { outputs: splitOutput(commands, r.stdout), roundTrips: 1 };
}
