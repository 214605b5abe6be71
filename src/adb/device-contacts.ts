/**
 * All phone numbers saved in a phone's contacts, for `amo-callerid --exclude-from-device` (a number
 * the phone already knows is never identified by caller ID, so shipping it is wasted space).
 * The shell user holds READ_CONTACTS, so `content query` works without root.
 */
import { AppError } from '../errors.js';
import { EXIT_CODE_UNKNOWN, type DeviceShell } from './types.js';

export const PHONES_URI = 'content://com.android.contacts/data/phones';

/** Raw numbers as the phone stores them (`data1`), de-duplicated, in the phone's order. */
export async function readDeviceContactNumbers(shell: DeviceShell, o: { timeoutMs?: number } = {}): Promise<string[]> {
  const r = await shell.shell(`content query --uri ${PHONES_URI} --projection data1`, { timeoutMs: o.timeoutMs });
  const text = r.stdout + r.stderr;
  // Old builds exit 0 even when the provider threw, so the text decides.
  if (/Error while accessing provider|Exception/.test(text) || (r.exitCode !== 0 && r.exitCode !== EXIT_CODE_UNKNOWN)) {
    throw new AppError('device', 'doctor.error.contactsUnreadable', { serial: shell.serial, reason: text.trim().split('\n')[0] ?? `exit ${r.exitCode}` });
  }
  const seen = new Set<string>();
  const numbers: string[] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^Row: \d+ (?:.*?, )?data1=(.*?)(?:, \w+=.*)?\r?$/.exec(line);
    const value = m?.[1]?.trim();
    if (!value || value === 'NULL' || seen.has(value)) continue;
    seen.add(value);
    numbers.push(value);
  }
  return numbers;
}
