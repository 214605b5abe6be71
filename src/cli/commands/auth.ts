import type { Command } from 'commander';
import type { CliDeps } from '../deps.js';

export function addAuthCommands(program: Command, deps: CliDeps): void {
  void program;
  void deps;
}
