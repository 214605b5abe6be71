/**
 * The amoCRM sandbox (built bin) in a process of its own, so that its CPU and memory are not
 * counted against the exporter being measured. Requires `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

export interface SandboxProcess {
  url: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), 'sandbox', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString('utf8');
      const url = /^url:\s*(\S+)/m.exec(out)?.[1];
      const token = /^token:\s*(\S+)/m.exec(out)?.[1];
      if (url && token) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolvePromise({
          url,
          token,
          child,
          stop: () =>
            new Promise<void>((r) => {
              if (child.exitCode !== null) return r();
              child.once('exit', () => r());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sandbox exited early (${code}): ${out}`)));
  });
}
