/**
 * amo-callerid's small promises: a missing dataset directory is bad input (exit 2), a file build
 * never silently replaces an account build in the default ./callerid, and the text summary names
 * what a limit left out. Account builds come from the sandbox over real HTTP, via AMO_TOKEN.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-callerid.js';
import { runInProcess } from '../helpers/cli.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const fx = useAmoCliFixture({ contacts: 30, seed: 9 }, 'amo-callerid-guards-');
const tokenEnv = () => fx.env({ AMO_TOKEN: fx.sb.longLivedToken, AMO_BASE_URL: fx.sb.url });

function book(): string {
  const path = join(fx.dir.path, 'book.vcf');
  writeFileSync(path, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Иван Петров\r\nTEL;TYPE=CELL:+7 916 123-45-67\r\nEND:VCARD\r\n');
  return path;
}

describe('amo-callerid verify', () => {
  it('a directory that is not there: exit 2 and one line, not a failed dataset (exit 1)', async () => {
    const r = await runInProcess(main, ['verify', 'missing-dir'], { env: fx.env(), cwd: fx.dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('missing-dir');
    // An existing directory without a dataset is still a failed check.
    mkdirSync(join(fx.dir.path, 'empty'));
    expect((await runInProcess(main, ['verify', 'empty'], { env: fx.env(), cwd: fx.dir.path })).code).toBe(1);
  });
});

describe('build --input into the default ./callerid', () => {
  it('refuses to replace an account build there, keeps its Android files, and builds with --out', async () => {
    const account = await runInProcess(main, ['build'], { env: tokenEnv(), cwd: fx.dir.path });
    expect(account.code, account.stderr).toBe(0);
    const android = join(fx.dir.path, 'callerid', 'android');
    expect(existsSync(android)).toBe(true);

    const r = await runInProcess(main, ['build', '--input', book(), '--platform', 'ios'], { env: fx.env(), cwd: fx.dir.path });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out');
    expect(existsSync(android)).toBe(true);

    const elsewhere = await runInProcess(main, ['build', '--input', book(), '--platform', 'ios', '--out', 'from-file'], { env: fx.env(), cwd: fx.dir.path });
    expect(elsewhere.code, elsewhere.stderr).toBe(0);
    expect(existsSync(android)).toBe(true);
  });

  it('a file build over an earlier file build in ./callerid goes ahead', async () => {
    expect((await runInProcess(main, ['build', '--input', book()], { env: fx.env(), cwd: fx.dir.path })).code).toBe(0);
    expect((await runInProcess(main, ['build', '--input', book(), '--platform', 'ios'], { env: fx.env(), cwd: fx.dir.path })).code).toBe(0);
  });
});
