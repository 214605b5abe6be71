/** readDeviceContactNumbers over the in-process phone and over the sandbox adb host server. */
import { afterEach, describe, expect, it } from 'vitest';
import { AdbClient } from '../../src/adb/client.js';
import { readDeviceContactNumbers } from '../../src/adb/device-contacts.js';
import { simulatedPhoneShell } from '../../src/cli/sim-phone-shell.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { startAdbHostSandbox, type AdbHostSandbox } from '../../src/sandbox/phone/host-server.js';

let host: AdbHostSandbox | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

const contacts = [
  { name: 'Мама', number: '+7 916 123-45-67' },
  { name: 'Клиент, ООО', number: '8 (999) 000-00-01' },
  { name: 'Дубль', number: '+7 916 123-45-67' },
];

describe('readDeviceContactNumbers', () => {
  it('returns every saved number once, as stored', async () => {
    const phone = createSimulatedPhone('pixel-15', { contacts });
    expect(await readDeviceContactNumbers(simulatedPhoneShell(phone))).toEqual(['+7 916 123-45-67', '8 (999) 000-00-01']);
    expect(phone.commands).toEqual(['content query --uri content://com.android.contacts/data/phones --projection data1']);
  });

  it('works through the adb host protocol too, and an empty phone book is an empty list', async () => {
    host = await startAdbHostSandbox([createSimulatedPhone('pixel-15', { contacts: [] })], { port: 0 });
    const device = await new AdbClient({ host: host.host, port: host.port }).openDevice();
    try {
      expect(await readDeviceContactNumbers(device)).toEqual([]);
    } finally {
      device.close();
    }
  });

  it('a provider error is a device error, not an empty list', async () => {
    const broken = { serial: 'X', shell: async () => ({ stdout: '', stderr: 'Error while accessing provider:com.android.contacts\njava.lang.SecurityException: no\n', exitCode: 0 }) };
    await expect(readDeviceContactNumbers(broken)).rejects.toMatchObject({ kind: 'device', key: 'doctor.error.contactsUnreadable' });
  });
});
