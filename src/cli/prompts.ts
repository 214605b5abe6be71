/**
 * The only module that imports @inquirer/prompts (on the first prompt: it is slow to load). Prompts read our stdin and write to stderr, so
 * stdout keeps only data; a closed prompt becomes a "cancelled" error.
 */
import { Writable } from 'node:stream';
import { AppError } from '../errors.js';
import type { IO } from './io.js';

/**
 * @inquirer ends the output stream it is given when a prompt closes; stderr must stay usable for
 * the summary and errors that follow, so prompts get a view of it that never ends the real one.
 */
function unclosable(target: Writable): Writable {
  const view = new Writable({
    write(chunk: Buffer | string, encoding, callback) {
      target.write(chunk, encoding, callback);
    },
  });
  // Terminal facts the prompt library reads (width, TTY) come from the real stream.
  return Object.assign(view, { isTTY: (target as { isTTY?: boolean }).isTTY, columns: (target as { columns?: number }).columns, rows: (target as { rows?: number }).rows });
}

function context(io: IO) {
  return { input: io.stdin, output: unclosable(io.stderr), clearPromptOnDone: false };
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
  return guard(import('@inquirer/prompts').then(({ input }) => input({ message, default: opts.default, validate: opts.validate }, context(io))));
}

export function askSecret(io: IO, flag: string, message: string): Promise<string> {
  requirePrompt(io, flag);
  return guard(import('@inquirer/prompts').then(({ password }) => password({ message, mask: '*' }, context(io))));
}

export function askChoice<T extends string>(io: IO, flag: string, message: string, choices: { value: T; name: string; description?: string }[]): Promise<T> {
  requirePrompt(io, flag);
  return guard(import('@inquirer/prompts').then(({ select }) => select<T>({ message, choices }, context(io))));
}

export function askConfirm(io: IO, flag: string, message: string, def = false): Promise<boolean> {
  requirePrompt(io, flag);
  return guard(import('@inquirer/prompts').then(({ confirm }) => confirm({ message, default: def }, context(io))));
}
