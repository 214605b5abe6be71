import { Option, type Command } from 'commander';
import { AppError } from '../errors.js';
import { checkPort } from '../adb/endpoint.js';

/** commander argParser: a whole number of 1 or more, or a one-line usage error naming the flag. */
export function positiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) {
      throw new AppError('usage', 'error.badInteger', { value, flag });
    }
    return n;
  };
}

/** -s, -H, -P as adb itself takes them; without them the adb endpoint falls back to adb's variables. */
export function addAdbOptions(cmd: Command): Command {
  return cmd
    .option('-s, --serial <serial>', 'use the phone with this serial (adb devices)')
    .option('-H, --adb-host <host>', 'adb server host (default: ADB_SERVER_SOCKET, ANDROID_ADB_SERVER_ADDRESS or 127.0.0.1)')
    .addOption(new Option('-P, --adb-port <port>', 'adb server port (default: ANDROID_ADB_SERVER_PORT or 5037)').argParser((v: string) => checkPort(v, '-P')));
}
