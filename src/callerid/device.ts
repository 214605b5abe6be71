/**
 * --exclude-from-device: the numbers already in an Android phone's contacts, read over adb with the
 * doctor's client. Loaded only when the flag is given, so a plain build never touches adb code.
 */
import { AdbClient } from '../adb/client.js';
import { resolveAdbEndpoint } from '../adb/endpoint.js';
import { readDeviceContactNumbers } from '../adb/device-contacts.js';
import { toDigits } from './numbers.js';

export async function readDeviceExclusions(flags: { serial?: string; host?: string; port?: number }, env: NodeJS.ProcessEnv, region: string): Promise<Set<number>> {
  const client = new AdbClient(resolveAdbEndpoint({ host: flags.host, port: flags.port }, env));
  const device = await client.openDevice(flags.serial);
  try {
    const out = new Set<number>();
    for (const raw of await readDeviceContactNumbers(device)) {
      const n = toDigits(raw, region);
      if (n !== null) out.add(n);
    }
    return out;
  } finally {
    device.close();
  }
}
