/**
 * adb host-protocol client over raw TCP: no adb binary, and it NEVER starts, restarts or kills the
 * user's adb server — a missing or foreign server is reported, what to do is the user's call.
 *
 * Shell commands use shell protocol v2 when the phone has `shell_v2` (stdout, stderr and the exit
 * code kept apart). Phones without it (Android 6 and older) get the legacy `shell:` service, whose
 * output mixes stderr into stdout and which reports no exit status: those results carry
 * `exitCode: -1` ("unknown"), never a guessed 0.
 */
import { AppError } from '../errors.js';
import { DEFAULT_ADB_PORT } from './endpoint.js';
import { EXIT_CODE_UNKNOWN, type DeviceShell, type ShellOptions, type ShellResult } from './types.js';
import {
  AdbConnection,
  AdbFailure,
  ConnectRefused,
  ConnectTimeout,
  ConnectionClosed,
  DeadlineExpired,
  ProtocolViolation,
} from './connection.js';
import { ShellPacket, ShellPacketDecoder, encodeShellPacket, encodeShellStream } from './shell-protocol.js';
import { parseDevicesLong, type AdbDevice } from './devices.js';

export type { AdbDevice } from './devices.js';
export { EXIT_CODE_UNKNOWN } from './types.js';

/** `ADB_SERVER_VERSION` of every platform-tools release since 2018 (Debian's adb 29.0.6 included). */
export const ADB_SERVER_VERSION = 41;
/** `MAX_PAYLOAD_V1`: the legacy shell refuses longer service strings. */
export const LEGACY_SHELL_LIMIT = 4096;

export interface AdbClientOptions {
  /** Per command, default 10 s. */
  timeoutMs?: number;
  /** Default 5 s. */
  connectTimeoutMs?: number;
}

export type OpenedDevice = DeviceShell & { features: string[]; model?: string; close(): void };

export class AdbClient {
  private readonly timeoutMs: number;
  private readonly connectTimeoutMs: number;
  private legacyTransport = false;

  constructor(
    readonly endpoint: { host: string; port: number },
    o: AdbClientOptions = {},
  ) {
    this.timeoutMs = o.timeoutMs ?? 10_000;
    this.connectTimeoutMs = o.connectTimeoutMs ?? 5_000;
  }

  async version(): Promise<number> {
    return this.request('host:version', async (c) => {
      c.sendRequest('host:version');
      await c.readStatus();
      const hex = await c.readLengthPrefixed();
      const v = parseInt(hex, 16);
      if (!Number.isFinite(v)) throw new ProtocolViolation(`bad version ${JSON.stringify(hex)}`);
      return v;
    });
  }

  async devices(): Promise<AdbDevice[]> {
    return this.request('host:devices-l', async (c) => {
      c.sendRequest('host:devices-l');
      await c.readStatus();
      return parseDevicesLong(await c.readLengthPrefixed());
    });
  }

  async features(serial: string): Promise<string[]> {
    return this.request(
      `host-serial:${serial}:features`,
      async (c) => {
        c.sendRequest(`host-serial:${serial}:features`);
        await c.readStatus();
        return (await c.readLengthPrefixed())
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
      },
      { serial },
    );
  }

  /** Picks the phone (serial given, or the only one); each unusable state gets its own error. */
  async openDevice(serial?: string): Promise<OpenedDevice> {
    const server = await this.version();
    if (server !== ADB_SERVER_VERSION) {
      throw new AppError('device', 'adb.versionMismatch', { ...this.where(), server, client: ADB_SERVER_VERSION });
    }
    const list = await this.devices();
    const listed = list.map((d) => `${d.serial} (${d.state})`).join(', ');
    let target: AdbDevice | undefined;
    if (serial !== undefined) {
      target = list.find((d) => d.serial === serial);
      if (!target) throw new AppError('device', 'adb.serialNotFound', { serial, devices: listed || '—' });
    } else {
      if (list.length === 0) throw new AppError('device', 'adb.noDevice');
      if (list.length > 1) throw new AppError('device', 'adb.severalDevices', { devices: listed });
      target = list[0] as AdbDevice;
    }
    assertUsable(target);
    const features = await this.features(target.serial);
    return new DeviceSession(this, target.serial, features, target.model);
  }

  /** One shell command on its own connection: tport, then the shell service, then its output. */
  async runShell(serial: string, command: string, v2: boolean, o: ShellOptions = {}, track?: Set<AdbConnection>): Promise<ShellResult> {
    try {
      return await this.runShellOnce(serial, command, v2, o, track);
    } catch (e) {
      if (e instanceof RetryRequest) return this.runShellOnce(serial, command, v2, o, track);
      throw e;
    }
  }

  private async runShellOnce(serial: string, command: string, v2: boolean, o: ShellOptions, track?: Set<AdbConnection>): Promise<ShellResult> {
    return this.request(
      command,
      async (c) => {
        track?.add(c);
        try {
          if (this.legacyTransport) {
            c.sendRequest(`host:transport:${serial}`);
            await c.readStatus();
          } else {
            c.sendRequest(`host:tport:serial:${serial}`);
            try {
              await c.readStatus();
            } catch (e) {
              // Servers from before 2019 answer version 41 but lack tport: use the older request.
              if (!(e instanceof AdbFailure) || !/unknown host service/.test(e.reason)) throw e;
              this.legacyTransport = true;
              throw new RetryRequest();
            }
            await c.readExactly(8); // transport id, unused: the serial already pins the phone
          }
          return v2 ? await shellV2(c, command, o.stdin) : await shellLegacy(c, serial, command, o.stdin);
        } finally {
          track?.delete(c);
        }
      },
      { serial, timeoutMs: o.timeoutMs, inShell: true },
    );
  }

  private where(): { host: string; port: number } {
    return { host: this.endpoint.host, port: this.endpoint.port };
  }

  private async request<T>(
    what: string,
    body: (c: AdbConnection) => Promise<T>,
    o: { serial?: string; timeoutMs?: number; inShell?: boolean } = {},
  ): Promise<T> {
    const timeoutMs = o.timeoutMs ?? this.timeoutMs;
    let conn: AdbConnection;
    const connectMs = Math.min(this.connectTimeoutMs, timeoutMs);
    try {
      conn = await AdbConnection.open(this.endpoint.host, this.endpoint.port, connectMs);
    } catch (e) {
      throw this.connectError(e, connectMs);
    }
    const timer = setTimeout(() => conn.destroy(new DeadlineExpired()), timeoutMs);
    try {
      return await body(conn);
    } catch (e) {
      throw this.translate(e, what, timeoutMs, o);
    } finally {
      clearTimeout(timer);
      conn.destroy();
    }
  }

  private connectError(e: unknown, connectMs: number): AppError {
    if (e instanceof ConnectTimeout) {
      return new AppError('device', 'adb.connectTimeout', { ...this.where(), seconds: seconds(connectMs) }, { cause: e });
    }
    if (e instanceof ConnectRefused && e.code === 'ECONNREFUSED') {
      const { host, port } = this.where();
      // `adb start-server` alone starts a server on 5037: give the command for the port in use.
      if (!isLoopback(host)) return new AppError('device', 'adb.noServerRemote', { host, port }, { cause: e });
      return new AppError('device', 'adb.noServer', { host, port, command: port === DEFAULT_ADB_PORT ? 'adb start-server' : `adb -P ${port} start-server` }, { cause: e });
    }
    const reason = e instanceof ConnectRefused ? e.code : String(e);
    return new AppError('device', 'adb.serverUnreachable', { ...this.where(), reason }, { cause: e });
  }

  private translate(e: unknown, what: string, timeoutMs: number, o: { serial?: string; inShell?: boolean }): unknown {
    if (e instanceof AppError || e instanceof RetryRequest) return e;
    if (e instanceof DeadlineExpired) {
      return new AppError('device', 'adb.timeout', { command: clip(what), seconds: seconds(timeoutMs), serial: o.serial }, { cause: e });
    }
    if (e instanceof AdbFailure) return failureError(e.reason, o.serial);
    if (e instanceof ProtocolViolation) return new AppError('device', 'adb.protocol', { ...this.where(), detail: e.detail }, { cause: e });
    if (e instanceof ConnectionClosed || isResetError(e)) {
      if (o.inShell && o.serial !== undefined) return new AppError('device', 'adb.disconnected', { serial: o.serial }, { cause: e });
      return new AppError('device', 'adb.serverClosed', { ...this.where(), request: clip(what) }, { cause: e });
    }
    return e;
  }
}

class RetryRequest extends Error {}

class DeviceSession implements OpenedDevice {
  private closed = false;
  private readonly inFlight = new Set<AdbConnection>();

  constructor(
    private readonly client: AdbClient,
    readonly serial: string,
    readonly features: string[],
    readonly model: string | undefined,
  ) {}

  shell(command: string, options?: ShellOptions): Promise<ShellResult> {
    if (this.closed) return Promise.reject(new AppError('device', 'adb.sessionClosed', { serial: this.serial }));
    return this.client.runShell(this.serial, command, this.features.includes('shell_v2'), options, this.inFlight);
  }

  close(): void {
    this.closed = true;
    for (const c of this.inFlight) c.destroy(new AppError('device', 'adb.sessionClosed', { serial: this.serial }));
    this.inFlight.clear();
  }
}

async function shellV2(c: AdbConnection, command: string, stdin: string | undefined): Promise<ShellResult> {
  c.sendRequest(`shell,v2,raw:${command}`);
  await c.readStatus();
  if (stdin !== undefined && stdin.length > 0) for (const p of encodeShellStream(ShellPacket.stdin, stdin)) c.write(p);
  // Always close stdin: a command that reads it must see EOF rather than wait for our timeout.
  c.write(encodeShellPacket(ShellPacket.closeStdin));
  const decoder = new ShellPacketDecoder();
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  for (;;) {
    const chunk = await c.readChunk();
    // The server hangs up only after the exit packet; earlier means the phone went away.
    if (chunk === null) throw new ConnectionClosed();
    for (const f of decoder.push(chunk)) {
      if (f.id === ShellPacket.stdout) stdout.push(f.data);
      else if (f.id === ShellPacket.stderr) stderr.push(f.data);
      else if (f.id === ShellPacket.exit) {
        return {
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          exitCode: f.data.length > 0 ? f.data.readUInt8(0) : EXIT_CODE_UNKNOWN,
        };
      }
    }
  }
}

async function shellLegacy(c: AdbConnection, serial: string, command: string, stdin: string | undefined): Promise<ShellResult> {
  // The legacy service has no stdin channel we could close, so a script travels inside the command.
  const line = stdin !== undefined && stdin.length > 0 ? withHereDoc(command || 'sh', stdin) : command;
  const service = `shell:${line}`;
  const bytes = Buffer.byteLength(service, 'utf8');
  if (bytes > LEGACY_SHELL_LIMIT) throw new AppError('device', 'adb.legacyTooLong', { serial, bytes, limit: LEGACY_SHELL_LIMIT });
  c.sendRequest(service);
  await c.readStatus();
  const out = await c.readToEnd();
  return { stdout: out.toString('utf8'), stderr: '', exitCode: EXIT_CODE_UNKNOWN };
}

function withHereDoc(command: string, stdin: string): string {
  let tag = 'AMO_STDIN';
  while (stdin.includes(tag)) tag += '_';
  return `${command} <<'${tag}'\n${stdin}${stdin.endsWith('\n') ? '' : '\n'}${tag}`;
}

function assertUsable(d: AdbDevice): void {
  const serial = d.serial;
  const state = d.state;
  if (state === 'device') return;
  if (state === 'unauthorized') throw new AppError('device', 'adb.unauthorized', { serial });
  if (state === 'offline') throw new AppError('device', 'adb.offline', { serial });
  if (state === 'authorizing' || state === 'connecting') throw new AppError('device', 'adb.authorizing', { serial, state });
  if (/permission/i.test(state)) throw new AppError('device', 'adb.noPermissions', { serial, reason: state });
  throw new AppError('device', 'adb.badState', { serial, state });
}

/** The real server's FAIL texts (`transport.cpp`) mapped to what the user should do. */
export function failureError(reason: string, serial?: string): AppError {
  const s = serial ?? '';
  const notFound = /^device '(.*)' not found/.exec(reason);
  if (/^no devices/.test(reason)) return new AppError('device', 'adb.noDevice');
  if (/more than one/.test(reason)) return new AppError('device', 'adb.severalDevices', { devices: '—' });
  if (notFound) return new AppError('device', 'adb.serialNotFound', { serial: notFound[1], devices: '—' });
  if (/unauthorized/.test(reason)) return new AppError('device', 'adb.unauthorized', { serial: s });
  if (/authorizing|connecting/.test(reason)) return new AppError('device', 'adb.authorizing', { serial: s, state: 'authorizing' });
  if (/offline/.test(reason)) return new AppError('device', 'adb.offline', { serial: s });
  if (/permission/i.test(reason)) return new AppError('device', 'adb.noPermissions', { serial: s, reason: reason.split('\n')[0] });
  return new AppError('device', 'adb.failed', { reason: reason.split('\n')[0] });
}

function isResetError(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED';
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
