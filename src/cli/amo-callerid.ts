import type { Command } from 'commander';
import type { CliDeps } from './deps.js';
import { createProgram, runMain, type MainOverrides } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addCalleridCommands } from './commands/callerid.js';

export function buildCalleridProgram(deps: CliDeps): Command {
  const program = createProgram('amo-callerid', 'Build caller-ID datasets for iOS Call Directory and Android from amoCRM phone numbers.', deps);
  addCalleridCommands(program, deps);
  addAuthCommands(program, deps);
  return program;
}

export const main = (argv: string[], overrides?: MainOverrides): Promise<number> => runMain(buildCalleridProgram, argv, overrides);
