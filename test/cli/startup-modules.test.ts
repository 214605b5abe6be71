/**
 * Fast start, checked by what loads rather than by time: `--version` and `--help` of the built
 * bins never load the slow packages (undici, conf, ora, @inquirer, libphonenumber-js, sql.js),
 * nor our own work (export, writers, contacts, CardDAV sync, doctor checks, adb, the sandboxes):
 * each command declares its options in commands/<name>.ts and imports commands/<name>-run.ts when
 * it runs. The bins run the bundle of dist/bundle/; the trace names the modules inside each of its
 * files. bench/startup.ts measures the time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { CHECKS } from '../../src/doctor/checks/index.js';
import { CHECK_IDS } from '../../src/doctor/status.js';

const SLOW = /\/node_modules\/(undici|conf|ora|@inquirer\/[\w-]+|libphonenumber-js|sql\.js)\//;
/** Our modules that do a command's work; the declarations of the options never need them. */
const WORK = new RegExp(
  '/dist/(' +
    [
      'cli/commands/[\\w-]+-run',
      'cli/prompts',
      'export/(run|output|spool|writers/index|writers/vcard3|writers/google-csv)',
      'contacts/[\\w/-]+',
      'amocrm/(client|auth|limiter)',
      'sandbox/amocrm/(index|server|store|generate)',
      'sandbox/phone/(phone|host-server|shell)',
      'doctor/(run|facts|fix|render|report|checks/[\\w-]+)',
      'adb/(client|connection|devices)',
      'carddav/(transport|client|discover)',
      'sync/[\\w-]+',
      'callerid/(build|collect|sqlite|binary|verify|diff|input)',
    ].join('|') +
    ')\\.js$',
);
const dir = tempDir('amo-startup-');
afterAll(() => dir.cleanup());

// A module hook that names every module as it loads (hooks run on their own thread: _rawDebug).
const hook = join(dir.path, 'trace.mjs');
writeFileSync(
  hook,
  `import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent('export async function load(url, ctx, next) { process._rawDebug("LOADED " + url); return next(url, ctx); }'));
`,
);

// The bins run the bundle (scripts/bundle.mjs); its meta.json names the modules in each file.
const bundleInputs = JSON.parse(readFileSync(join(ROOT, 'dist', 'bundle', 'meta.json'), 'utf8')) as Record<string, string[]>;

/** Each bundle file as the modules inside it (`/dist/cli/io.js`, `/node_modules/commander/…`). */
function modulesOf(url: string): string[] {
  const m = /\/dist\/bundle\/(.+)$/.exec(url);
  if (!m) return [url];
  const inputs = bundleInputs[m[1]!];
  if (!inputs) return [url];
  return inputs.map((i) => `/${i}`);
}

/** The URLs a bin run loads, in order (bundle files as they are). */
function traced(bin: string, argv: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', hook, join(ROOT, 'bin', `${bin}.js`), ...argv], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LANG: 'C.UTF-8' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr
    .split('\n')
    .filter((l) => l.startsWith('LOADED '))
    .map((l) => l.slice('LOADED '.length));
}

function loaded(bin: string, argv: string[]): string[] {
  return traced(bin, argv).flatMap(modulesOf);
}

describe('start-up of the built bins', () => {
  it.each(['amo-export', 'amo-callerid', 'amo-doctor'])('%s --version and --help load none of the slow packages', (bin) => {
    for (const flag of ['--version', '--help']) {
      const urls = loaded(bin, [flag]);
      expect(urls.length, `${bin} ${flag}`).toBeGreaterThan(1);
      expect(urls.filter((u) => SLOW.test(u)), `${bin} ${flag}`).toEqual([]);
    }
  });

  it.each(['amo-export', 'amo-callerid', 'amo-doctor'])('%s --help loads the declarations of its commands, not their work', (bin) => {
    const urls = loaded(bin, ['--help']);
    expect(urls.some((u) => /\/node_modules\/commander\//.test(u))).toBe(true);
    expect(urls.some((u) => /\/dist\/i18n\/index\.js$/.test(u))).toBe(true);
    expect(urls.filter((u) => WORK.test(u)), bin).toEqual([]);
  });

  it.each(['amo-export', 'amo-callerid', 'amo-doctor'])('%s --help reads a few files of the bundle, not one per module', (bin) => {
    const files = traced(bin, ['--help']).filter((u) => u.startsWith('file:'));
    // the bin, start.mjs, the bin's main.mjs and the one chunk of what its declarations need
    expect(files.length, files.join('\n')).toBeLessThanOrEqual(4);
    expect(files.every((f) => f.includes('/dist/bundle/') || f.endsWith(`/bin/${bin}.js`)), files.join('\n')).toBe(true);
  });

  it('the trace does see the work a command imports (the export for a run against the sandbox)', () => {
    const urls = loaded('amo-export', ['--sandbox', '--since', '2020-01-01', '--limit', '1', '-q']);
    expect(urls.filter((u) => WORK.test(u)).map((u) => u.replace(/^.*\/dist\//, ''))).toEqual(
      expect.arrayContaining(['cli/commands/export-run.js', 'export/run.js', 'export/writers/index.js', 'contacts/source.js']),
    );
  });

  it('the check list --help shows equals the checks the doctor runs', () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
  });

  it('the trace does see a slow package that a command imports (sql.js for an Android build)', () => {
    const book = join(dir.path, 'book.vcf');
    writeFileSync(book, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nTEL:+7 916 123-45-67\r\nEND:VCARD\r\n');
    const urls = loaded('amo-callerid', ['build', '--input', book, '--platform', 'android', '--out', join(dir.path, 'out')]);
    expect(urls.some((u) => /\/node_modules\/sql\.js\//.test(u))).toBe(true);
  });
});
