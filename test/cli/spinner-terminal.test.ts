/**
 * The spinner on a real terminal (a pty from util-linux `script`): a terminal that reports 0
 * columns must not hang the run in an endless "clear Infinity lines" loop, and NO_COLOR must
 * keep the spinner plain. Runs the built bin (npm run build first).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { baseEnv, ROOT, tempDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

/** Runs amo-export --sandbox on a pty of the given width; resolves with everything the terminal got. */
function onTerminal(cols: number, env: NodeJS.ProcessEnv, killAfterMs: number): Promise<{ code: number | null; bytes: number; text: string }> {
  const dir = tempDir('amo-tty-');
  dirs.push(dir);
  const bin = join(ROOT, 'bin', 'amo-export.js');
  const cmd = `stty cols ${cols} rows 24; exec '${process.execPath}' '${bin}' --sandbox --since 2024-01-01 -o '${join(dir.path, 'out.vcf')}'`;
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, AMO_PHONEBOOK_CONFIG_DIR: join(dir.path, 'config') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    const kept: Buffer[] = [];
    const keep = (c: Buffer) => {
      bytes += c.length;
      if (bytes < 1_000_000) kept.push(c);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, bytes, text: Buffer.concat(kept).toString('utf8') });
    });
  });
}

describe('spinner on a terminal', () => {
  it('a terminal of 0 columns neither hangs the export nor floods it with escape codes', async () => {
    const r = await onTerminal(0, baseEnv({ TERM: 'xterm-256color' }), 40_000);
    expect(r.code, r.text.slice(-500)).toBe(0);
    expect(r.bytes).toBeLessThan(100_000);
    expect(r.text).toContain('1G'); // the spinner did draw (cursor to column 1)
  }, 60_000);

  it('NO_COLOR=1 keeps the spinner and its symbols uncoloured', async () => {
    const r = await onTerminal(100, baseEnv({ NO_COLOR: '1', TERM: 'xterm-256color' }), 40_000);
    expect(r.code, r.text.slice(-500)).toBe(0);
    expect(r.text).toContain('\u001b[?25l'); // a spinner ran (it hides the cursor)
    // No SGR colour or style at all: ESC [ … m.
    expect(r.text).not.toMatch(/\u001b\[[0-9;]*m/);
  }, 60_000);
});
