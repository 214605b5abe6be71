/**
 * Which adb server we talk to, decided exactly as `adb` 29 does (`client/commandline.cpp`): any of
 * -H/-P makes ADB_SERVER_SOCKET ignored, while ANDROID_ADB_SERVER_ADDRESS/PORT still fill the half
 * the flags left out; without flags ADB_SERVER_SOCKET beats those two; default tcp:5037 on loopback.
 */
import { AppError } from '../errors.js';

export interface AdbEndpoint {
  host: string;
  port: number;
}

export const DEFAULT_ADB_HOST = '127.0.0.1';
export const DEFAULT_ADB_PORT = 5037;

export function resolveAdbEndpoint(flags: { host?: string; port?: number }, env: NodeJS.ProcessEnv): AdbEndpoint {
  const flagHost = nonEmpty(flags.host);
  const flagPort = flags.port;
  if (flagHost === undefined && flagPort === undefined) {
    const spec = nonEmpty(env.ADB_SERVER_SOCKET);
    if (spec !== undefined) return parseSocketSpec(spec);
  }
  const host = flagHost ?? nonEmpty(env.ANDROID_ADB_SERVER_ADDRESS) ?? DEFAULT_ADB_HOST;
  const port =
    flagPort !== undefined
      ? checkPort(String(flagPort), '-P')
      : nonEmpty(env.ANDROID_ADB_SERVER_PORT) !== undefined
        ? checkPort(env.ANDROID_ADB_SERVER_PORT as string, 'ANDROID_ADB_SERVER_PORT')
        : DEFAULT_ADB_PORT;
  return { host: normaliseHost(host), port };
}

/** The phone to use: `-s` wins, then ANDROID_SERIAL, as adb decides it; undefined = the only one. */
export function resolveSerial(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return nonEmpty(flag) ?? nonEmpty(env.ANDROID_SERIAL);
}

/** `tcp:PORT`, `tcp:HOST:PORT`, `tcp:[v6]:PORT` — the forms adb accepts for a TCP server. */
export function parseSocketSpec(spec: string): AdbEndpoint {
  const m = /^tcp:(?:(\[[^\]]+\]|[^:]+):)?([^:]+)$/.exec(spec.trim());
  if (!m) throw new AppError('usage', 'adb.badSocketSpec', { value: spec });
  const host = m[1] ? m[1].replace(/^\[|\]$/g, '') : DEFAULT_ADB_HOST;
  return { host: normaliseHost(host), port: checkPort(m[2] as string, 'ADB_SERVER_SOCKET') };
}

export function checkPort(value: string, source: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new AppError('usage', 'adb.badPort', { value, source });
  return n;
}

// adb treats "localhost" as its own machine; resolving it to ::1 first would miss an IPv4-only server.
function normaliseHost(host: string): string {
  return host.toLowerCase() === 'localhost' ? DEFAULT_ADB_HOST : host;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}
