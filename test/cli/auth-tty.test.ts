import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough, Writable } from 'node:stream';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { startAmoSandbox, type AmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { openConfig } from '../../src/config/store.js';
import { baseEnv, tempDir } from '../helpers/cli.js';

let sb: AmoSandbox;
let dir: { path: string; cleanup: () => void };
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: 10, seed: 2 });
});
afterAll(async () => {
  await sb.close();
});
beforeEach(() => {
  dir = tempDir('amo-tty-');
});
afterEach(() => dir.cleanup());

/** Runs the bin as if on a terminal, typing each answer once the prompt containing its cue appears. */
async function interactive(argv: string[], answers: [cue: string, keys: string][]) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c));
  const pending = [...answers];
  const stderr = new Writable({
    write(chunk: Buffer, _enc, done) {
      err += chunk.toString('utf8');
      const next = pending[0];
      if (next && err.includes(next[0])) {
        pending.shift();
        setTimeout(() => stdin.write(next[1]), 10);
      }
      done();
    },
  });
  // Each prompt pipes into this stream and ends the pipe when it closes; a terminal's stderr stays open.
  stderr.end = (() => stderr) as typeof stderr.end;
  const code = await exportMain(argv, {
    streams: { stdin, stdout, stderr, stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true },
    env: baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: dir.path }),
  });
  return { code, stdout: out, stderr: err, unanswered: pending.length };
}

describe('login on a terminal', () => {
  it('asks for the auth mode and the token, hiding what is typed', async () => {
    const r = await interactive(['login', '--base-url', sb.url], [
      ['navigate', '\r'],
      ['? Long-lived token', `${sb.longLivedToken}\r`],
    ]);
    expect(r.unanswered).toBe(0);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(sb.longLivedToken.slice(20, 40));
    expect(r.stderr).toContain('Logged in to');
    expect(openConfig({ AMO_PHONEBOOK_CONFIG_DIR: dir.path }).getProfile()?.accessToken).toBe(sb.longLivedToken);
  });

  it('walks through the OAuth values when that mode is chosen', async () => {
    const o = sb.oauthClient;
    const code = sb.issueAuthCode();
    const r = await interactive(['login', '--base-url', sb.url, '--account', 'typed'], [
      ['navigate', '\u001b[B\r'],
      ['? Integration ID', `${o.clientId}\r`],
      ['? Secret key', `${o.clientSecret}\r`],
      ['? Redirect URI', `${o.redirectUri}\r`],
      ['? Authorization code', `${code}\r`],
    ]);
    expect(r.unanswered).toBe(0);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain(o.clientSecret);
    expect(r.stderr).not.toContain(code);
    expect(openConfig({ AMO_PHONEBOOK_CONFIG_DIR: dir.path }).getProfile('typed')?.kind).toBe('oauth');
  });
});
