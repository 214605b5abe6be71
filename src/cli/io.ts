/**
 * The one object through which commands reach the terminal: data on stdout, everything a person
 * reads on stderr, colour only when allowed, spinners only on a TTY.
 */
import type { Readable, Writable } from 'node:stream';
import type { ChalkInstance } from 'chalk';
import { lazy } from '../lazy.js';
import { detectLang, translator, type Lang, type Translate } from '../i18n/index.js';

export interface Streams {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  stdinIsTTY: boolean;
}

export interface Spinner {
  update(text: string): void;
  succeed(text: string): void;
  fail(text: string): void;
  stop(): void;
}

export interface IOSettings {
  lang?: string;
  verbose?: boolean;
  json?: boolean;
  quiet?: boolean;
  color?: boolean;
}

export interface IO extends Streams {
  env: NodeJS.ProcessEnv;
  lang: Lang;
  t: Translate;
  verbose: boolean;
  json: boolean;
  quiet: boolean;
  /** Chalk for stderr text; level 0 when colour is off. */
  c: ChalkInstance;
  canPrompt: boolean;
  configure(settings: IOSettings): void;
  out(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
  debug(text: string): void;
  spinner(text: string): Spinner;
}

const ora = lazy<typeof import('ora')>('ora');
const chalk = lazy<typeof import('chalk')>('chalk');
const readline = lazy<typeof import('node:readline')>('node:readline');
const tty = lazy<typeof import('node:tty')>('node:tty');

const silentSpinner: Spinner = { update() {}, succeed() {}, fail() {}, stop() {} };

type TerminalStream = Writable & { columns?: number; rows?: number };

/**
 * The stream as ora sees it. ora divides by `columns` to count the lines to clear: a terminal
 * that reports 0 columns (some serial consoles, `stty cols 0`) made that Infinity, and clearing
 * "Infinity lines" hung the run while it wrote hundreds of MB of escape codes.
 */
function spinnerStream(s: TerminalStream) {
  return {
    isTTY: true,
    get columns() {
      const c = s.columns;
      return typeof c === 'number' && Number.isFinite(c) && c >= 1 ? c : 80;
    },
    get rows() {
      return s.rows;
    },
    write: (chunk: string | Uint8Array, encoding?: BufferEncoding | ((e?: Error | null) => void), cb?: (e?: Error | null) => void) =>
      typeof encoding === 'function' ? s.write(chunk, encoding) : s.write(chunk, encoding ?? 'utf8', cb),
    cursorTo: (x: number) => readline().cursorTo(s, x),
    moveCursor: (dx: number, dy: number) => readline().moveCursor(s, dx, dy),
    clearLine: (dir: -1 | 0 | 1) => readline().clearLine(s, dir),
    once: (event: string, fn: () => void) => s.once(event, fn),
    removeListener: (event: string, fn: () => void) => s.removeListener(event, fn),
  };
}

/**
 * Node builds process.stdin/stdout/stderr on first access, and building stdin (a socket for a
 * pipe, a file stream for /dev/null) costs milliseconds that `--help` never needs: each stream is
 * taken when first used (`onOpen` sees stdout and stderr then), and isatty() answers the TTY
 * questions without building any.
 */
export function systemStreams(onOpen?: (s: NodeJS.WriteStream) => void): Streams {
  const opened = new Set<NodeJS.WriteStream>();
  const open = (s: NodeJS.WriteStream) => {
    if (!opened.has(s)) {
      opened.add(s);
      onOpen?.(s);
    }
    return s;
  };
  return {
    get stdout() {
      return open(process.stdout);
    },
    get stderr() {
      return open(process.stderr);
    },
    get stdin() {
      return process.stdin;
    },
    stdoutIsTTY: tty().isatty(1),
    stderrIsTTY: tty().isatty(2),
    stdinIsTTY: tty().isatty(0),
  };
}

/** NO_COLOR (any non-empty value) and FORCE_COLOR=0 turn colour off; chalk itself ignores NO_COLOR. */
export function colorAllowed(env: NodeJS.ProcessEnv, isTTY: boolean, flag?: boolean): boolean {
  if (flag === false) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR === '0') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return isTTY && env.TERM !== 'dumb';
}

export function createIO(streams: Streams, env: NodeJS.ProcessEnv): IO {
  const line = (s: Writable, text: string) => {
    s.write(text.endsWith('\n') ? text : `${text}\n`);
  };
  // chalk loads on the first coloured message, not at start-up.
  let colorLevel: 0 | 1 = colorAllowed(env, streams.stderrIsTTY) ? 1 : 0;
  let chalkFor: ChalkInstance | undefined;
  const io: IO = {
    get stdout() {
      return streams.stdout;
    },
    get stderr() {
      return streams.stderr;
    },
    get stdin() {
      return streams.stdin;
    },
    stdoutIsTTY: streams.stdoutIsTTY,
    stderrIsTTY: streams.stderrIsTTY,
    stdinIsTTY: streams.stdinIsTTY,
    env,
    lang: detectLang(undefined, env),
    t: translator(detectLang(undefined, env)),
    verbose: false,
    json: false,
    quiet: false,
    get c() {
      if (chalkFor?.level !== colorLevel) chalkFor = new (chalk().Chalk)({ level: colorLevel });
      return chalkFor;
    },
    canPrompt: streams.stdinIsTTY && streams.stderrIsTTY && !env.CI,
    configure(s) {
      if (s.lang !== undefined || !io.lang) io.lang = detectLang(s.lang, env);
      io.t = translator(io.lang);
      io.verbose = Boolean(s.verbose);
      io.json = Boolean(s.json);
      io.quiet = Boolean(s.quiet);
      colorLevel = colorAllowed(env, streams.stderrIsTTY, s.color) ? 1 : 0;
    },
    out: (text) => line(streams.stdout, text),
    info: (text) => {
      if (!io.quiet) line(streams.stderr, text);
    },
    warn: (text) => line(streams.stderr, io.c.yellow(text)),
    error: (text) => line(streams.stderr, io.c.red(text)),
    debug: (text) => {
      if (io.verbose) line(streams.stderr, io.c.dim(text));
    },
    spinner(text) {
      // ora prints "- text" even when disabled, so off a TTY there is no spinner object at all.
      if (!streams.stderrIsTTY || io.json || io.quiet || env.CI) return silentSpinner;
      // ora colours with its own chalk, which ignores NO_COLOR: colour and symbols come from io.c instead.
      const coloured = io.c.level > 0;
      const stream = spinnerStream(streams.stderr) as unknown as NodeJS.WritableStream;
      const s = ora().default({ text, stream, color: coloured ? 'cyan' : false, isEnabled: true }).start();
      return {
        update: (t) => {
          s.text = t;
        },
        succeed: (t) => void s.stopAndPersist({ symbol: io.c.green('✔'), text: t }),
        fail: (t) => void s.stopAndPersist({ symbol: io.c.red('✖'), text: t }),
        stop: () => void s.stop(),
      };
    },
  };
  return io;
}
