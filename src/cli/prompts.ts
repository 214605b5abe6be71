/**
 * The only module that imports @inquirer/prompts. Prompts read our stdin and write to stderr, so
 * stdout keeps only data; a closed prompt becomes a "cancelled" error.
 */
import { confirm, input, password, select } from '@inquirer/prompts';
import { AppError } from '../errors.js';
import type { IO } from './io.js';

function context(io: IO) {
  return { input: io.stdin, output: io.stderr, clearPromptOnDone: false };
}

async function guard<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError')) {
      throw new AppError('cancelled', 'error.cancelled');
    }
    throw e;
  }
}

/** Refuses to prompt off a TTY, naming the flag that would have answered the question. */
export function requirePrompt(io: IO, flag: string): void {
  if (!io.canPrompt) throw new AppError('usage', 'error.missingFlag', { flag });
}

export function askText(io: IO, flag: string, message: string, opts: { default?: string; validate?: (v: string) => true | string } = {}): Promise<string> {
  requirePrompt(io, flag);
  return guard(input({ message, default: opts.default, validate: opts.validate }, context(io)));
}

export function askSecret(io: IO, flag: string, message: string): Promise<string> {
  requirePrompt(io, flag);
  return guard(password({ message, mask: '*' }, context(io)));
}

export function askChoice<T extends string>(io: IO, flag: string, message: string, choices: { value: T; name: string; description?: string }[]): Promise<T> {
  requirePrompt(io, flag);
  return guard(select<T>({ message, choices }, context(io)));
}

export function askConfirm(io: IO, flag: string, message: string, def = false): Promise<boolean> {
  requirePrompt(io, flag);
  return guard(confirm({ message, default: def }, context(io)));
}
