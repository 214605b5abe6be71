import { describe, expect, it } from 'vitest';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { VERSION } from '../../src/version.js';
import { colorAllowed } from '../../src/cli/io.js';
import { exitCodeFor } from '../../src/cli/exit.js';
import { AppError } from '../../src/errors.js';
import { runInProcess } from '../helpers/cli.js';

const bins = [
  ['amo-export', exportMain],
  ['amo-callerid', calleridMain],
  ['amo-doctor', doctorMain],
] as const;

describe.each(bins)('%s', (name, main) => {
  it('--help prints usage on stdout and exits 0', async () => {
    const r = await runInProcess(main, ['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Usage: ${name}`);
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', async () => {
    const r = await runInProcess(main, ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(VERSION);
  });

  it('an unknown option is a usage error (exit 2) on stderr', async () => {
    const r = await runInProcess(main, ['--definitely-not-an-option']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unknown option/);
  });

  it('rejects an unsupported --lang', async () => {
    const r = await runInProcess(main, ['--lang', 'de', '--help']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--lang/);
  });
});

describe('exit codes', () => {
  it('maps each error kind through one table', () => {
    expect(exitCodeFor(new AppError('usage', 'x'))).toBe(2);
    expect(exitCodeFor(new AppError('auth', 'x'))).toBe(3);
    expect(exitCodeFor(new AppError('blocked', 'x'))).toBe(4);
    expect(exitCodeFor(new AppError('cancelled', 'x'))).toBe(130);
    expect(exitCodeFor(new Error('boom'))).toBe(1);
  });
});

describe('colour', () => {
  it('honours NO_COLOR and FORCE_COLOR=0 even on a TTY', () => {
    expect(colorAllowed({ NO_COLOR: '1' }, true)).toBe(false);
    expect(colorAllowed({ FORCE_COLOR: '0' }, true)).toBe(false);
    expect(colorAllowed({}, true)).toBe(true);
    expect(colorAllowed({}, false)).toBe(false);
    expect(colorAllowed({}, true, false)).toBe(false);
  });
});
