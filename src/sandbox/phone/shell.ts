/**
 * The slice of Android's `/system/bin/sh` (mksh) that adb clients actually send: command lines and
 * scripts separated by `;` or newlines, `&&`/`||`, quotes, `$?`, `echo`, and the redirections
 * `2>&1`, `2>/dev/null`, `>/dev/null`. Commands themselves are answered by a callback, so this
 * module knows nothing about phones.
 */
import type { PhoneShellResult } from './types.js';

export type CommandRunner = (argv: string[]) => Promise<PhoneShellResult>;

interface Redirects {
  stderrToStdout: boolean;
  dropStdout: boolean;
  dropStderr: boolean;
}

interface SimpleCommand {
  words: string[];
  redirects: Redirects;
  /** How this command joins the previous one. */
  joiner: ';' | '&&' | '||';
}

const LAST_STATUS = '\u0000?';

/** Splits a script into simple commands, keeping quoted text intact and marking `$?` for expansion. */
export function parseScript(script: string): SimpleCommand[] {
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let joiner: SimpleCommand['joiner'] = ';';
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (next: SimpleCommand['joiner']) => {
    endWord();
    if (words.length > 0) commands.push(toCommand(words, joiner));
    words = [];
    joiner = next;
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i]!;
    if (ch === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end < 0 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop;
    } else if (ch === '"') {
      inWord = true;
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length && '"\\$`'.includes(script[j + 1]!)) {
          word += script[++j];
        } else if (script[j] === '$' && script[j + 1] === '?') {
          word += LAST_STATUS;
          j++;
        } else word += script[j];
      }
      i = j;
    } else if (ch === '\\' && i + 1 < script.length) {
      if (script[i + 1] !== '\n') word += script[i + 1];
      inWord = true;
      i++;
    } else if (ch === '$' && script[i + 1] === '?') {
      word += LAST_STATUS;
      inWord = true;
      i++;
    } else if (ch === '#' && !inWord) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
    } else if (ch === ';' || ch === '\n') {
      endCommand(';');
    } else if (ch === '&' && script[i + 1] === '&') {
      endCommand('&&');
      i++;
    } else if (ch === '|' && script[i + 1] === '|') {
      endCommand('||');
      i++;
    } else if (ch === ' ' || ch === '\t' || ch === '\r') {
      endWord();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand(';');
  return commands;
}

function toCommand(raw: string[], joiner: SimpleCommand['joiner']): SimpleCommand {
  const redirects: Redirects = { stderrToStdout: false, dropStdout: false, dropStderr: false };
  const words: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const w = raw[i]!;
    if (w === '2>&1') redirects.stderrToStdout = true;
    else if (w === '2>/dev/null') redirects.dropStderr = true;
    else if (w === '>/dev/null' || w === '1>/dev/null') redirects.dropStdout = true;
    else if ((w === '2>' || w === '>' || w === '1>') && raw[i + 1] === '/dev/null') {
      if (w === '2>') redirects.dropStderr = true;
      else redirects.dropStdout = true;
      i++;
    } else words.push(w);
  }
  return { words, redirects, joiner };
}

function echo(args: string[]): PhoneShellResult {
  let newline = true;
  if (args[0] === '-n') {
    newline = false;
    args = args.slice(1);
  }
  return { stdout: args.join(' ') + (newline ? '\n' : ''), stderr: '', exitCode: 0 };
}

/** Runs a script the way `sh -c SCRIPT` (or `sh` reading it on stdin) would, collecting both streams. */
export async function runScript(script: string, run: CommandRunner): Promise<PhoneShellResult> {
  let stdout = '';
  let stderr = '';
  let status = 0;
  for (const cmd of parseScript(script)) {
    if (cmd.joiner === '&&' && status !== 0) continue;
    if (cmd.joiner === '||' && status === 0) continue;
    const argv = cmd.words.map((w) => w.split(LAST_STATUS).join(String(status)));
    const name = argv[0]!;
    let r: PhoneShellResult;
    if (name === 'echo') r = echo(argv.slice(1));
    else if (name === 'true' || name === ':') r = { stdout: '', stderr: '', exitCode: 0 };
    else if (name === 'false') r = { stdout: '', stderr: '', exitCode: 1 };
    else if (name === 'sh' && argv[1] === '-c' && argv[2] !== undefined) r = await runScript(argv[2], run);
    else r = await run(argv);
    let out = cmd.redirects.dropStdout ? '' : r.stdout;
    let err = r.stderr;
    if (cmd.redirects.stderrToStdout) {
      out += err;
      err = '';
    }
    if (cmd.redirects.dropStderr) err = '';
    stdout += out;
    stderr += err;
    status = r.exitCode;
  }
  return { stdout, stderr, exitCode: status };
}

/** `adb shell` with no command, `sh`, `sh -s`, `/system/bin/sh`: the script comes on stdin. */
export function readsScriptFromStdin(command: string): boolean {
  return /^\s*((\/system\/bin\/)?sh(\s+-s)?)?\s*$/.test(command);
}

/** The message mksh prints for a command it cannot find (exit status 127). */
export function notFound(name: string): PhoneShellResult {
  return { stdout: '', stderr: `/system/bin/sh: ${name}: inaccessible or not found\n`, exitCode: 127 };
}
