import type { Command } from 'commander';
import type { CliDeps } from './deps.js';
import { createProgram, runMain, type MainOverrides } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addDoctorCommands } from './commands/doctor.js';

export function buildDoctorProgram(deps: CliDeps): Command {
  const program = createProgram('amo-doctor', 'Check why an Android phone does not identify amoCRM clients on incoming calls, over adb.', deps);
  addDoctorCommands(program, deps);
  addAuthCommands(program, deps);
  return program;
}

export const main = (argv: string[], overrides?: MainOverrides): Promise<number> => runMain(buildDoctorProgram, argv, overrides);
