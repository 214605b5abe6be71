/**
 * Debian's Radicale on a free loopback port, with its own storage folder and one htpasswd user,
 * for the CardDAV tests. stop() ends the server and removes its folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Radicale {
  url: string;
  user: string;
  password: string;
  /** Where the collections live on disk (to count files). */
  storage: string;
  stop(): Promise<void>;
}

const BIN = process.env.AMO_TEST_RADICALE_BIN || 'radicale';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function listening(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) return false;
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve(true);
      });
      c.once('error', () => resolve(false));
    });
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

export async function startRadicale(o: { user?: string; password?: string; /** Parent of the storage folder (e.g. /dev/shm, where fsync costs nothing). */ parent?: string } = {}): Promise<Radicale> {
  const dir = mkdtempSync(join(o.parent ?? tmpdir(), 'amo-radicale-'));
  const user = o.user ?? 'anna';
  const password = o.password ?? 'p4ss-w0rd';
  writeFileSync(join(dir, 'users'), `${user}:${password}\n`, { mode: 0o600 });
  const storage = join(dir, 'collections');
  let log = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const child = spawn(
      BIN,
      [
        '--config', '',
        '--server-hosts', `127.0.0.1:${port}`,
        '--storage-filesystem-folder', storage,
        '--auth-type', 'htpasswd',
        '--auth-htpasswd-filename', join(dir, 'users'),
        '--auth-htpasswd-encryption', 'plain',
        '--auth-delay', '0',
        '--rights-type', 'owner_only',
        '--logging-level', 'warning',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], env: { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8' } },
    );
    child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (e) => (log += String(e)));
    if (await listening(port, child, 15_000)) {
      return {
        url: `http://127.0.0.1:${port}`,
        user,
        password,
        storage,
        async stop() {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const t = setTimeout(() => child.kill('SIGKILL'), 3000);
            await exited;
            clearTimeout(t);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`could not start radicale: ${log}`);
}
