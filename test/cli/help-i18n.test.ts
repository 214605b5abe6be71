/**
 * Help and commander's usage errors in the user's language, through the catalogs: every option and
 * command of the three bins has an English and a Russian entry (an option added without one fails
 * here, on purpose), descriptions share one style, and `help` is a command in every bin.
 */
import { PassThrough, Readable } from 'node:stream';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { commandPath, helpKeys, optionFlag } from '../../src/cli/help.js';
import { createIO } from '../../src/cli/io.js';
import type { CliDeps } from '../../src/cli/deps.js';
import { lookup, type Lang } from '../../src/i18n/index.js';
import { baseEnv, runInProcess } from '../helpers/cli.js';
import { DEFAULT_CONCURRENCY } from '../../src/amocrm/rates.js';
import { DEFAULT_DAV_CONCURRENCY } from '../../src/carddav/defaults.js';

const BINS = { 'amo-export': exportMain, 'amo-callerid': calleridMain, 'amo-doctor': doctorMain };

function tree(main: (typeof BINS)[keyof typeof BINS]): Command {
  const io = createIO({ stdout: new PassThrough(), stderr: new PassThrough(), stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, stdinIsTTY: false }, {});
  const deps: CliDeps = { io, env: {}, cwd: '/', now: () => new Date(), signal: new AbortController().signal, setExitCode() {} };
  return main.program(deps);
}

function all(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(all)];
}

function entry(lang: Lang, keys: string[]): string | undefined {
  for (const k of keys) if (lookup(lang, k) !== undefined) return lookup(lang, k);
  return undefined;
}

describe('help entries in the catalogs', () => {
  const texts: { what: string; lang: Lang; text: string | undefined }[] = [];
  for (const [bin, main] of Object.entries(BINS)) {
    for (const cmd of all(tree(main))) {
      const path = commandPath(cmd);
      const options = [...cmd.options, cmd.createHelp().visibleOptions(cmd).find((o) => o.long === '--help')!];
      for (const lang of ['en', 'ru'] as const) {
        if (cmd.name() !== 'help') texts.push({ what: `${bin}: command ${path.join(' ')}`, lang, text: entry(lang, helpKeys(path, '', false)) });
        else texts.push({ what: `${bin}: command help`, lang, text: lookup(lang, 'help.help') });
        for (const o of options) texts.push({ what: `${bin}: ${path.join(' ')} ${optionFlag(o)}`, lang, text: entry(lang, helpKeys(path, optionFlag(o), true)) });
      }
    }
  }

  it('finds the commands and options it is meant to check', () => {
    expect(texts.length).toBeGreaterThan(200);
  });

  it('every command and option of all three bins has an English and a Russian description', () => {
    expect(texts.filter((x) => x.text === undefined).map((x) => `${x.what} (${x.lang})`)).toEqual([]);
  });

  it('descriptions start lower-case and end without a full stop, in both languages', () => {
    const bad = texts.filter((x) => x.text !== undefined && (!/^[^A-ZА-ЯЁ]/.test(x.text) || x.text.endsWith('.')));
    expect(bad.map((x) => `${x.what} (${x.lang}): ${x.text}`)).toEqual([]);
  });
});

describe('--help in the user language', () => {
  it('--lang ru and LANG=ru_RU.UTF-8 print Russian titles, descriptions and defaults', async () => {
    for (const [argv, env] of [[['build', '--help', '--lang', 'ru'], baseEnv()], [['build', '--help'], baseEnv({ LANG: 'ru_RU.UTF-8' })]] as const) {
      const r = await runInProcess(calleridMain, [...argv], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Использование:');
      expect(r.stdout).toContain('Параметры:');
      expect(r.stdout).toContain('какие наборы собрать');
      expect(r.stdout).toContain('по умолчанию: "all"');
      expect(r.stdout).not.toContain('which datasets to build');
    }
  });

  it('English help takes the catalog text too, not the declaration\'s', async () => {
    const r = await runInProcess(calleridMain, ['login', '--help']);
    // Declared in auth.ts as "OAuth integration id", which would start with a capital.
    expect(r.stdout).toContain('id of the OAuth integration');
    expect(r.stdout).not.toContain('OAuth integration id');
  });

  it('a number a help text names comes from the code (the catalogs once said 6 slices where the export used 8)', async () => {
    for (const lang of ['en', 'ru']) {
      const r = await runInProcess(exportMain, ['--help', '--lang', lang]);
      const flat = r.stdout.replace(/\n\s+/g, ' ');
      const line = flat.match(/ --concurrency <n>[^-]*/)?.[0] ?? '';
      expect(line, lang).toContain(String(DEFAULT_CONCURRENCY));
      expect(flat.match(/--dav-concurrency <n>[^-]*/)?.[0], lang).toContain(String(DEFAULT_DAV_CONCURRENCY));
      expect(flat, lang).not.toMatch(/\{(concurrency|davConcurrency)\}/);
    }
  });

  it('`help` is a command in all three bins', async () => {
    for (const main of Object.values(BINS)) {
      const r = await runInProcess(main, ['help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: amo-/);
      expect(r.stdout).toContain('show help for a command');
      const sub = await runInProcess(main, ['help', 'login', '--lang', 'ru']);
      expect(sub.stdout).toContain('войти в аккаунт amoCRM');
    }
  });
});

describe("commander's usage errors in the user language, exit 2", () => {
  const ru = (main: (typeof BINS)[keyof typeof BINS], argv: string[]) => runInProcess(main, [...argv, '--lang', 'ru']);

  it('an unknown command is named as one, also where the bin has a default action', async () => {
    const en = await runInProcess(exportMain, ['frobnicate']);
    expect(en.code).toBe(2);
    expect(en.stderr).toContain('unknown command frobnicate');
    expect(en.stderr).not.toContain('too many arguments');
    const r = await ru(exportMain, ['frobnicate']);
    expect(r.stderr).toContain('неизвестная команда frobnicate');
    expect((await ru(calleridMain, ['frobnicate'])).stderr).toContain('неизвестная команда frobnicate');
  });

  it('unknown option, missing argument, too many arguments, a value outside the choices', async () => {
    const unknown = await ru(exportMain, ['--frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('неизвестный параметр --frobnicate');
    expect(unknown.stderr).toContain('(справка: --help)');
    expect((await ru(calleridMain, ['verify'])).stderr).toContain('не указан обязательный аргумент dir');
    const many = await ru(calleridMain, ['verify', 'a', 'b']);
    expect(many.code).toBe(2);
    expect(many.stderr).toContain('слишком много аргументов: ожидалось 1, получено 2');
    expect((await ru(calleridMain, ['build', '--platform', 'x'])).stderr).toContain('x — недопустимое значение для --platform');
    expect((await ru(calleridMain, ['build', '--out'])).stderr).toContain('параметру --out <dir> нужно значение');
  });
});
