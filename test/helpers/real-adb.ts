/**
 * The real adb server (Debian `adb` 29.0.6) on its own loopback port, with its own HOME (so its key
 * and state never touch the user's ~/.android). Tests connect simulated phones to it with
 * `connect('127.0.0.1:PORT')` and must call stop() in afterEach/afterAll. Without adb the tests
 * of a file that uses useRealAdb() are skipped (failed with CI=true): test/helpers/tools.ts.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { AdbConnection } from '../../src/adb/connection.js';
import { startDeviceSandbox, type DeviceSandbox } from '../../src/sandbox/phone/device-server.js';
import type { SimulatedPhone } from '../../src/sandbox/phone/types.js';
import { missingNow, needTool } from './tools.js';

const run = promisify(execFile);
const ADB = process.env.AMO_TEST_ADB_BIN || 'adb';

export interface RealAdbServer {
  port: number;
  /**
   * `adb connect HOST:PORT`, then waits until the server lists it as `device` or `unauthorized`
   * (or, for a phone whose state is 'offline', returns once adb gives up the handshake: ~10 s).
   */
  connect(hostPort: string): Promise<void>;
  /** `adb disconnect HOST:PORT`, then waits until the server no longer lists it. */
  disconnect(hostPort: string): Promise<void>;
  /** The `host:devices` payload: `SERIAL\tSTATE\n` lines. */
  devices(): Promise<string>;
  /** Polls `host:devices` until `serial`'s state satisfies `ok` (undefined = not listed); bounded. */
  waitForState(serial: string, ok: (state: string | undefined) => boolean, timeoutMs?: number): Promise<string | undefined>;
  stop(): Promise<void>;
}

export async function startRealAdbServer(): Promise<RealAdbServer> {
  needTool('adb');
  const home = mkdtempSync(join(tmpdir(), 'amo-adb-home-'));
  let lastError = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    const port = await freePort();
    const child = spawn(ADB, ['-P', String(port), 'nodaemon', 'server'], {
      // adb logs to $TMPDIR/adb.UID.log: in its own home, removed by stop().
      env: { PATH: process.env.PATH, HOME: home, TMPDIR: home, LANG: 'C.UTF-8' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr?.on('data', (c: Buffer) => (log = (log + c.toString('utf8')).slice(-4000)));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', (e) => (log += String(e)));
    if (await waitListening(port, child, 10_000)) return handle(port, child, exited, home);
    lastError = log;
    await kill(child, exited);
  }
  rmSync(home, { recursive: true, force: true });
  throw new Error(`could not start the real adb server: ${lastError}`);
}

function handle(port: number, child: ChildProcess, exited: Promise<void>, home: string): RealAdbServer {
  const cli = async (...args: string[]): Promise<string> => {
    // -H/-P make the CLI treat the server as remote, so it never spawns a daemon of its own.
    const { stdout, stderr } = await run(ADB, ['-H', '127.0.0.1', '-P', String(port), ...args], {
      timeout: 15_000,
      env: { PATH: process.env.PATH, HOME: home, TMPDIR: home },
    });
    return `${stdout}${stderr}`;
  };
  const devices = async (): Promise<string> => {
    const c = await AdbConnection.open('127.0.0.1', port, 2000);
    try {
      c.sendRequest('host:devices');
      await c.readStatus();
      return await c.readLengthPrefixed();
    } finally {
      c.destroy();
    }
  };
  const stateOf = async (serial: string): Promise<string | undefined> => {
    for (const line of (await devices()).split('\n')) {
      const [s, state] = line.split('\t');
      if (s === serial) return state;
    }
    return undefined;
  };
  const waitForState = async (serial: string, ok: (state: string | undefined) => boolean, timeoutMs = 15_000): Promise<string | undefined> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const state = await stateOf(serial);
      if (ok(state)) return state;
      if (Date.now() > until) throw new Error(`adb server: ${serial} stayed ${state ?? 'absent'}; devices:\n${await devices()}`);
      await sleep(50);
    }
  };
  return {
    port,
    devices,
    waitForState,
    async connect(hostPort) {
      const out = await cli('connect', hostPort);
      // A phone that refuses our key makes adb 29 print "failed to authenticate"; it is listed anyway.
      // One that never answers the handshake (state 'offline') costs adb ~10 s, then stays listed offline.
      if (/failed to connect/.test(out) && (await stateOf(hostPort)) === 'offline') return;
      if (!/connected to|failed to authenticate/.test(out)) throw new Error(`adb connect ${hostPort}: ${out.trim()}`);
      await waitForState(hostPort, (s) => s === 'device' || s === 'unauthorized');
    },
    async disconnect(hostPort) {
      await cli('disconnect', hostPort);
      await waitForState(hostPort, (s) => s === undefined);
    },
    async stop() {
      await kill(child, exited);
      rmSync(home, { recursive: true, force: true });
    },
  };
}

async function kill(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function waitListening(port: number, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) return false;
    try {
      const c = await AdbConnection.open('127.0.0.1', port, 1000);
      try {
        c.sendRequest('host:version');
        await c.readStatus();
        await c.readLengthPrefixed();
        return true;
      } finally {
        c.destroy();
      }
    } catch {
      await sleep(50);
    }
  }
  return false;
}

/** A port ≥ 20000 that is free right now (and far from the 5555–5585 emulator scan). */
async function freePort(): Promise<number> {
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * One real adb server per test file; the phones a test attaches are forgotten and closed after it.
 * Read `adb` in tests and beforeEach hooks registered after this call (not in beforeAll): without
 * adb there is no server, and each test is skipped (failed with CI=true) before it gets there.
 */
export function useRealAdb() {
  let server: RealAdbServer | undefined;
  let attached: DeviceSandbox[] = [];
  beforeAll(async () => {
    // Without adb there is no server to start; beforeEach skips (or fails) each test instead.
    if (missingNow('adb') === undefined) server = await startRealAdbServer();
  }, 30_000);
  beforeEach(() => needTool('adb'));
  afterAll(async () => {
    await server?.stop();
  });
  afterEach(async () => {
    // Forget every phone so the next test starts with an empty device list.
    for (const d of attached) await server!.disconnect(d.serial).catch(() => undefined);
    await Promise.all(attached.map((d) => d.close()));
    attached = [];
  });
  return {
    get adb(): RealAdbServer {
      return server!;
    },
    async attach(phone: SimulatedPhone, o: { requireAuth?: boolean } = {}): Promise<DeviceSandbox> {
      const d = await startDeviceSandbox(phone, o);
      attached.push(d);
      await server!.connect(d.serial);
      return d;
    },
  };
}
