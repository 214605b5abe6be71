/**
 * Fast start, checked by what loads rather than by time: `--version` and `--help` of the built
 * bins never load the slow packages (undici, conf, ora, @inquirer, libphonenumber-js, sql.js);
 * commands load them when they need them. bench/startup.ts measures the time.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';

const SLOW = /\/node_modules\/(undici|conf|ora|@inquirer\/[\w-]+|libphonenumber-js|sql\.js)\//;
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

function loaded(bin: string, argv: string[]): string[] {
  const r = spawnSync(process.execPath, ['--import', hook, join(ROOT, 'bin', `${bin}.js`), ...argv], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', LANG: 'C.UTF-8' },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
}

describe('start-up of the built bins', () => {
  it.each(['amo-export', 'amo-callerid', 'amo-doctor'])('%s --version and --help load none of the slow packages', (bin) => {
    for (const flag of ['--version', '--help']) {
      const urls = loaded(bin, [flag]);
      expect(urls.length, `${bin} ${flag}`).toBeGreaterThan(1);
      expect(urls.filter((u) => SLOW.test(u)), `${bin} ${flag}`).toEqual([]);
    }
  });

  it('the trace does see a slow package that a command imports (sql.js for an Android build)', () => {
    const book = join(dir.path, 'book.vcf');
    writeFileSync(book, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nTEL:+7 916 123-45-67\r\nEND:VCARD\r\n');
    const urls = loaded('amo-callerid', ['build', '--input', book, '--platform', 'android', '--out', join(dir.path, 'out')]);
    expect(urls.some((u) => /\/node_modules\/sql\.js\//.test(u))).toBe(true);
  });
});
