/**
 * The file sink on a real file system: a unique O_EXCL temporary file (0600) that never follows a
 * planted symlink, in-place writes to what is not a regular file, the umask for new files, and
 * I/O failures as the I/O error kind.
 */
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileSink, isPartialName } from '../../src/export/output.js';
import { tempDir } from '../helpers/cli.js';
import { devicePath } from './helpers.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));
function dir(): string {
  const d = tempDir('amo-output-');
  dirs.push(d);
  return d.path;
}
const partials = (d: string) => readdirSync(d).filter(isPartialName);

describe('fileSink', () => {
  it('writes through a unique, private temporary file per run', async () => {
    const d = dir();
    const out = join(d, 'c.vcf');
    const a = await fileSink(out);
    const b = await fileSink(out);
    const names = partials(d);
    expect(names).toHaveLength(2);
    for (const n of names) expect(statSync(join(d, n)).mode & 0o777).toBe(0o600);
    await a.write('A\n');
    await b.write('B\n');
    await a.commit();
    await b.abort();
    expect(readFileSync(out, 'utf8')).toBe('A\n');
    expect(partials(d)).toEqual([]);
  });

  it('never writes through a symlink planted where the temporary file used to be', async () => {
    const d = dir();
    const victim = join(d, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    // The name older versions always used, and the same name with a guessable suffix.
    symlinkSync(victim, join(d, '.c.vcf.partial'));
    const sink = await fileSink(join(d, 'c.vcf'));
    await sink.write('export\n');
    await sink.commit();
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(readFileSync(join(d, 'c.vcf'), 'utf8')).toBe('export\n');
  });

  it('gives a new file the mode the umask allows, and keeps the mode of a file it replaces', async () => {
    const d = dir();
    const old = process.umask(0o002);
    try {
      // A group-shared setup (umask 002) gets a group-writable file, not a fixed 0644.
      const sink = await fileSink(join(d, 'new.vcf'));
      await sink.commit();
      expect(statSync(join(d, 'new.vcf')).mode & 0o777).toBe(0o664);
      process.umask(0o077);
      const closed = await fileSink(join(d, 'private.vcf'));
      await closed.commit();
      expect(statSync(join(d, 'private.vcf')).mode & 0o777).toBe(0o600);
      writeFileSync(join(d, 'kept.vcf'), 'old');
      chmodSync(join(d, 'kept.vcf'), 0o600);
      const again = await fileSink(join(d, 'kept.vcf'));
      await again.write('new');
      await again.commit();
      expect(statSync(join(d, 'kept.vcf')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('updates the file a symlinked -o points to and keeps the link', async () => {
    const d = dir();
    writeFileSync(join(d, 'real.vcf'), 'old');
    symlinkSync(join(d, 'real.vcf'), join(d, 'link.vcf'));
    const sink = await fileSink(join(d, 'link.vcf'));
    await sink.write('new');
    await sink.commit();
    expect(readFileSync(join(d, 'real.vcf'), 'utf8')).toBe('new');
    expect(lstatSync(join(d, 'link.vcf')).isSymbolicLink()).toBe(true);
    expect(readdirSync(d).sort()).toEqual(['link.vcf', 'real.vcf']);
  });

  it('writes a FIFO in place, without a temporary file', async () => {
    const d = dir();
    const fifo = join(d, 'p');
    execFileSync('mkfifo', [fifo]);
    const cat = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let got = '';
    cat.stdout.on('data', (c: Buffer) => (got += c.toString('utf8')));
    const closed = new Promise((r) => cat.on('close', r));
    try {
      const sink = await fileSink(fifo);
      expect(sink.inPlace).toBe(true);
      expect(partials(d)).toEqual([]);
      await sink.write('through the pipe\n');
      await sink.commit();
      await closed;
      expect(got).toBe('through the pipe\n');
      expect(statSync(fifo).isFIFO()).toBe(true);
    } finally {
      cat.kill();
    }
  });

  it('a full disk is an I/O error naming the file', async () => {
    const d = dir();
    const link = devicePath(d, 'full');
    const sink = await fileSink(link);
    await sink.write('x'.repeat(100));
    await expect(sink.commit()).rejects.toMatchObject({ kind: 'io', key: 'error.diskFull', params: { path: link, reason: 'ENOSPC' } });
    expect(statSync(link).isCharacterDevice()).toBe(true);
  });
});
