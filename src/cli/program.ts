/**
 * Shared shape of the three bins: commander with exitOverride (so nothing exits inside), output
 * routed through our streams, common options, and one error mapper around the whole run.
 */
import { Command, Option, type ErrorOptions } from 'commander';
import { VERSION } from '../version.js';
import type { CliDeps } from './deps.js';
import { createIO, systemStreams, type IO, type Streams } from './io.js';
import { AppError, isBrokenPipe } from '../errors.js';
import { EXIT, reportError, signalExitCode, STOP_SIGNALS, type StopSignal } from './exit.js';
import { localizedHelp, localizeUsageError } from './help.js';

export interface CommonOptions {
  lang?: 'en' | 'ru';
  json?: boolean;
  verbose?: boolean;
  quiet?: boolean;
  color?: boolean;
}

/** Subcommands made with `.command()` are ours too, so commander's usage errors get translated. */
class LocalizedCommand extends Command {
  translate?: IO['t'];

  override createCommand(name?: string): Command {
    return new LocalizedCommand(name);
  }

  override error(message: string, errorOptions?: ErrorOptions): never {
    let root: Command = this;
    while (root.parent) root = root.parent;
    const t = (root as LocalizedCommand).translate;
    return super.error(t ? localizeUsageError(this, message, errorOptions?.code, t) : message, errorOptions);
  }
}

function configureCommand(cmd: Command, deps: CliDeps): Command {
  return cmd
    .exitOverride()
    .showHelpAfterError(deps.io.t('help.afterError'))
    .configureHelp(localizedHelp(() => deps.io.lang, () => deps.io.t))
    .configureOutput({
      writeOut: (s) => void deps.io.stdout.write(s),
      writeErr: (s) => void deps.io.stderr.write(s),
      outputError: (s, write) => write(deps.io.c.red(s)),
    });
}

/** A subcommand that inherits our exit handling and output routing. */
export function subcommand(parent: Command, nameAndArgs: string, description: string, deps: CliDeps): Command {
  const cmd = parent.command(nameAndArgs).description(description);
  configureCommand(cmd, deps);
  return cmd;
}

function createProgram(name: string, description: string, deps: CliDeps): Command {
  const root = new LocalizedCommand(name);
  root.translate = (key, params) => deps.io.t(key, params);
  const program = configureCommand(root, deps)
    .description(description)
    .helpCommand(true)
    .version(VERSION, '-V, --version', 'print the version')
    .addOption(new Option('--lang <lang>', 'language of messages (default: from LC_ALL/LANG)').choices(['en', 'ru']))
    .option('--json', 'machine-readable output on stdout')
    .option('-v, --verbose', 'more detail on stderr (tokens stay masked)')
    .option('-q, --quiet', 'no progress or summary on stderr')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)');
  program.hook('preAction', (_this, action) => {
    const o = action.optsWithGlobals<CommonOptions>();
    deps.io.configure({ lang: o.lang, json: o.json, verbose: o.verbose, quiet: o.quiet, color: o.color });
  });
  return program;
}

export interface MainOverrides {
  streams?: Streams;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  now?: () => Date;
  signal?: AbortSignal;
}

/** Builds deps, runs the program, and turns every outcome into an exit code. Never throws. */
async function runMain(
  build: (deps: CliDeps) => Command,
  argv: string[],
  overrides: MainOverrides = {},
): Promise<number> {
  const env = overrides.env ?? process.env;
  const controller = new AbortController();
  // A reader that closed stdout (`| head`) stops the run quietly; any other failure of stdout
  // (a full disk behind `>`) is an I/O error, not a silent success.
  let brokenPipe = false;
  let outFailure: unknown;
  const onStreamError = (e: unknown) => {
    if (isBrokenPipe(e)) {
      brokenPipe = true;
      controller.abort();
    } else outFailure ??= e;
  };
  const opened: NodeJS.WriteStream[] = [];
  const io = createIO(
    overrides.streams ??
      systemStreams((s) => {
        opened.push(s);
        s.on('error', onStreamError);
      }),
    env,
  );
  overrides.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  let exitCode: number = EXIT.ok;
  const deps: CliDeps = {
    io,
    env,
    cwd: overrides.cwd ?? process.cwd(),
    now: overrides.now ?? (() => new Date()),
    signal: controller.signal,
    setExitCode: (c) => {
      exitCode = Math.max(exitCode, c);
    },
  };
  // Pre-parse --lang so that commander's own usage errors are the only English-only text.
  const langAt = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  if (langAt >= 0) {
    const v = argv[langAt]!.includes('=') ? argv[langAt]!.split('=')[1] : argv[langAt + 1];
    if (v === 'en' || v === 'ru') io.configure({ lang: v });
  }
  // SIGTERM (kill, systemd) and SIGHUP (a closed terminal) stop a run like Ctrl-C: the partial
  // output is removed and no watermark moves.
  let stoppedBy: StopSignal | undefined;
  const signals = Object.keys(STOP_SIGNALS) as StopSignal[];
  const onSignal = (sig: StopSignal) => {
    stoppedBy ??= sig;
    // A second signal finds no handler and ends the process at once, as a second Ctrl-C should.
    // Removed only after this signal's other listeners ran: ora's signal-exit (loaded lazily,
    // so it listens after us) re-raises the signal when it finds itself alone.
    setImmediate(() => {
      for (const s of signals) process.removeListener(s, onSignal);
    });
    controller.abort();
  };
  const isSystem = !overrides.streams;
  if (isSystem) for (const sig of signals) process.on(sig, onSignal);
  let failure: unknown;
  let failed = false;
  try {
    await build(deps).parseAsync(argv, { from: 'user' });
  } catch (e) {
    failed = true;
    failure = e;
  }
  try {
    // A write to a closed pipe reports its EPIPE only after the write call returned.
    if (opened.includes(process.stdout)) await settled(process.stdout);
    if (brokenPipe || (failed && isBrokenPipe(failure))) return EXIT.brokenPipe;
    if (!failed) {
      if (outFailure === undefined || exitCode !== EXIT.ok) return exitCode;
      const reason = (outFailure as NodeJS.ErrnoException).code ?? String(outFailure);
      return reportError(new AppError('io', 'error.stdoutWrite', { reason }, { cause: outFailure }), io);
    }
    if (controller.signal.aborted) {
      io.error(io.t('error.cancelled'));
      return signalExitCode(stoppedBy ?? 'SIGINT');
    }
    return reportError(failure, io);
  } finally {
    if (isSystem) {
      for (const sig of signals) process.removeListener(sig, onSignal);
      // Writes still queued may fail after we return; they must not crash the process either.
      for (const s of opened) {
        s.removeListener('error', onStreamError);
        s.on('error', () => undefined);
      }
    }
  }
}

/** Resolves once everything written to `out` so far was handed to the OS, or failed. */
function settled(out: NodeJS.WriteStream): Promise<void> {
  if (out.destroyed || out.writableEnded) return Promise.resolve();
  return new Promise((resolve) => out.write('', () => resolve()));
}

/** A bin: its name and description, and the commands it carries, in the order help lists them. */
export function defineBin(name: string, description: string, commands: ((program: Command, deps: CliDeps) => void)[]) {
  const build = (deps: CliDeps): Command => {
    const program = createProgram(name, description, deps);
    for (const add of commands) add(program, deps);
    return program;
  };
  const main = (argv: string[], overrides?: MainOverrides): Promise<number> => runMain(build, argv, overrides);
  // The command tree without running it: tests walk every option and command of the bin.
  return Object.assign(main, { program: build });
}
