/** The phone's little shell: scripts, quoting, `$?`, `&&`/`||`, redirections, unknown commands. */
import { describe, expect, it } from 'vitest';
import { notFound, parseScript, runScript } from '../../../src/sandbox/phone/shell.js';

const echoArgs = async (argv: string[]) => {
  if (argv[0] === 'fail') return { stdout: '', stderr: 'boom\n', exitCode: 3 };
  if (argv[0] === 'args') return { stdout: `${JSON.stringify(argv.slice(1))}\n`, stderr: 'side\n', exitCode: 0 };
  return notFound(argv[0]!);
};

describe('phone shell', () => {
  it('splits on ; and newlines, keeps quoted text whole', () => {
    const cmds = parseScript(`echo 'a; b' "c d"; args x\nargs 'it''s' # comment\n`);
    expect(cmds.map((c) => c.words)).toEqual([['echo', 'a; b', 'c d'], ['args', 'x'], ['args', 'its']]);
  });

  it('expands $? and honours && and ||', async () => {
    const r = await runScript(`fail; echo "rc=$?"\nfail && echo no || echo fallback $?\nargs 1 && echo yes`, echoArgs);
    expect(r.stdout).toBe('rc=3\nfallback 3\n["1"]\nyes\n');
    expect(r.stderr).toBe('boom\nboom\nside\n');
    expect(r.exitCode).toBe(0);
  });

  it('2>&1 merges, 2>/dev/null and >/dev/null drop', async () => {
    expect((await runScript('args a 2>&1', echoArgs)).stdout).toBe('["a"]\nside\n');
    const dropped = await runScript('args a 2>/dev/null; args b >/dev/null', echoArgs);
    expect(dropped.stdout).toBe('["a"]\n');
    expect(dropped.stderr).toBe('side\n');
  });

  it('an unknown command is mksh\'s "inaccessible or not found", exit 127', async () => {
    const r = await runScript('frobnicate --now', echoArgs);
    expect(r).toEqual({ stdout: '', stderr: '/system/bin/sh: frobnicate: inaccessible or not found\n', exitCode: 127 });
  });

  it('sh -c runs a nested script; echo -n keeps the line open', async () => {
    const r = await runScript(`sh -c 'echo -n a; echo b'`, echoArgs);
    expect(r.stdout).toBe('ab\n');
  });
});
