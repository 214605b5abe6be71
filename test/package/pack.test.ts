/**
 * The published package: `npm pack` produces a tarball that installs globally on a clean prefix,
 * and its three bins run from there (no dev dependencies, no files outside the package).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers/cli.js';
import { VERSION } from '../../src/version.js';

const work = tempDir('amo-pack-');
const prefix = join(work.path, 'global');
let tarball = '';

beforeAll(() => {
  // Pack from the built tree (scripts/test.sh builds first); --ignore-scripts keeps prepack from rebuilding.
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', work.path, '--json'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [info] = JSON.parse(out) as { filename: string }[];
  tarball = join(work.path, info!.filename);
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}, 240_000);

afterAll(() => work.cleanup());

describe('npm pack → npm install -g', () => {
  it('packs only what a user needs', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    expect(listing).toContain('package/dist/bundle/amo-export/main.mjs');
    expect(listing).toContain('package/dist/bundle/catalogs/ru.json');
    // The bins run the bundle; the module tree it is built from stays home.
    expect(listing).not.toContain('package/dist/cli/');
    expect(listing).toContain('package/bin/amo-doctor.js');
    expect(listing).not.toMatch(/package\/(test|src|bench|node_modules)\//);
  });

  it.each(['amo-export', 'amo-callerid', 'amo-doctor'])('installs a runnable %s', (bin) => {
    const exe = join(prefix, 'bin', bin);
    expect(existsSync(exe)).toBe(true);
    const version = spawnSync(exe, ['--version'], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(VERSION);
    const help = spawnSync(exe, ['--help'], { encoding: 'utf8', env: { PATH: process.env.PATH, NO_COLOR: '1' } });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Usage: ${bin}`);
  });

  it('installed no dev dependencies', () => {
    const modules = readdirSync(join(prefix, 'lib', 'node_modules', 'amo-phonebook', 'node_modules'));
    expect(modules).toContain('commander');
    expect(modules).not.toContain('vitest');
    expect(modules).not.toContain('typescript');
    // Only tests and benchmarks import it.
    expect(modules).not.toContain('vcard4');
  });
});
