/** Runs a bin in-process as if on a terminal, typing each answer once the prompt showing its cue has appeared on stderr. */
import { PassThrough, Writable } from 'node:stream';
import { main as exportMain } from '../../src/cli/amo-export.js';

export async function atTerminal(argv: string[], answers: [cue: string, keys: string][], env: NodeJS.ProcessEnv, main = exportMain) {
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
  // No guard against end() here on purpose: the prompts must leave stderr open for what follows.
  const code = await main(argv, { streams: { stdin, stdout, stderr, stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true }, env });
  return { code, stdout: out, stderr: err, unanswered: pending.length };
}
