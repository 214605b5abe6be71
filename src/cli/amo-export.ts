import type { Command } from 'commander';
import type { CliDeps } from './deps.js';
import { createProgram, runMain, type MainOverrides } from './program.js';
import { addAuthCommands } from './commands/auth.js';
import { addExportCommands } from './commands/export.js';
import { addSandboxCommand } from './commands/sandbox.js';

export function buildExportProgram(deps: CliDeps): Command {
  const program = createProgram('amo-export', 'Export amoCRM contacts by period to vCard and Google/Outlook CSV.', deps);
  addExportCommands(program, deps);
  addAuthCommands(program, deps);
  addSandboxCommand(program, deps);
  return program;
}

export const main = (argv: string[], overrides?: MainOverrides): Promise<number> => runMain(buildExportProgram, argv, overrides);
