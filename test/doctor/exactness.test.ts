/**
 * What a support engineer reads is exact (issue: "... and what a support engineer reads is exact"):
 * advice for the adb server on the port in use, ANDROID_SERIAL, one severity per finding, each
 * vendor app once, the marketing name, titles that name what is looked at, one name per screen,
 * a translated report, and the iOS questionnaire's missing keys.
 */
import net from 'node:net';
import { Chalk } from 'chalk';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-doctor.js';
import { simulatedPhoneShell } from '../../src/cli/sim-phone-shell.js';
import { renderText } from '../../src/doctor/render.js';
import { renderMarkdown } from '../../src/doctor/report.js';
import { runAndroidDoctor } from '../../src/doctor/run.js';
import type { NumberContext } from '../../src/doctor/types.js';
import { translator } from '../../src/i18n/index.js';
import { startAdbHostSandbox } from '../../src/sandbox/phone/host-server.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';
import { expectedStatuses, statusesFromJson } from './helpers.js';
import { findProfile } from '../../src/sandbox/phone/profiles/index.js';

const config = tempDir('amo-doctor-exact-');
afterAll(() => config.cleanup());
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path });
const plain = new Chalk({ level: 0 });

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('no adb server on the port in use', () => {
  it('-P PORT and ADB_SERVER_SOCKET get the start command for that port, not plain `adb start-server`', async () => {
    const port = await freePort();
    const flag = await runInProcess(main, ['-P', String(port), '--lang', 'en'], { env });
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain(`\`adb -P ${port} start-server\``);
    const socket = await runInProcess(main, ['--lang', 'ru'], { env: { ...env, ADB_SERVER_SOCKET: `tcp:127.0.0.1:${port}` } });
    expect(socket.code).toBe(2);
    expect(socket.stderr).toContain(`\`adb -P ${port} start-server\``);
  });
});

describe('ANDROID_SERIAL', () => {
  it('picks the phone among several, as adb does; -s still wins', async () => {
    const a = createSimulatedPhone('pixel-15', { serial: 'PIXEL15' });
    const b = createSimulatedPhone('oppo-coloros-12', { serial: 'OPPO12' });
    const host = await startAdbHostSandbox([a, b], { port: 0 });
    try {
      const args = ['-P', String(host.port), '--json', '--lang', 'en'];
      const both = await runInProcess(main, args, { env });
      expect(both.code).toBe(2);
      expect(both.stderr).toContain('Several phones');
      const chosen = await runInProcess(main, args, { env: { ...env, ANDROID_SERIAL: 'OPPO12' } });
      expect(chosen.stderr).toBe('');
      expect(statusesFromJson(JSON.parse(chosen.stdout))).toEqual(expectedStatuses(findProfile('oppo-coloros-12')!));
      const flag = await runInProcess(main, ['-s', 'PIXEL15', ...args], { env: { ...env, ANDROID_SERIAL: 'OPPO12' } });
      expect(JSON.parse(flag.stdout).phone.serial).toBe('PIXEL15');
    } finally {
      await host.close();
    }
  });
});

describe('one finding, one severity', () => {
  const crms: NumberContext['crm'][] = [{ status: 'found', count: 1 }, { status: 'not_found' }, { status: 'not_logged_in' }, { status: 'error', reason: 'HTTP 500' }];
  it('"saved in the phone\'s contacts" is a warning (!) whatever the CRM lookup found', async () => {
    const marks = new Set<string>();
    for (const crm of crms) {
      const phone = createSimulatedPhone('contact-saved-15');
      const e164 = '+79990000001';
      const run = await runAndroidDoctor(simulatedPhoneShell(phone), { number: e164, context: { number: { e164, crm, dataset: { status: 'no_build' } } } });
      for (const lang of ['en', 'ru'] as const) {
        const t = translator(lang);
        const text = renderText(run.outcome, { t, c: plain, verbose: false });
        const line = text.split('\n').find((l) => l.includes(t('doctor.number.inContacts', { count: 1 })))!;
        marks.add(line.trim()[0]!);
      }
    }
    expect([...marks]).toEqual(['!']);
  });
});

describe('the phone as people know it', () => {
  it('the vendor manager is named once on a Huawei', async () => {
    const r = await runInProcess(main, ['--sandbox', 'huawei-emui-10', '--lang', 'en'], { env });
    expect(r.stdout).toContain('(com.huawei.systemmanager).');
    expect(r.stdout).not.toContain('com.huawei.systemmanager, com.huawei.systemmanager');
  });

  it('the marketing name comes first, the model code beside it', async () => {
    const xiaomi = await runInProcess(main, ['--sandbox', 'xiaomi-ignores-appops-11', '--lang', 'en'], { env });
    expect(xiaomi.stdout.split('\n')[0]).toBe('Phone: Xiaomi Redmi Note 10 Pro (M2101K6G), MIUI V125, Android 11 (API 30) (serial SIMXIAOMIIGNORE)');
    const huawei = await runInProcess(main, ['--sandbox', 'huawei-emui-10', '--json'], { env });
    expect(JSON.parse(huawei.stdout).phone.description).toMatch(/^HUAWEI P30 lite \(MAR-LX1M\), /);
    // Without a marketing name the code is the name.
    const pixel = await runInProcess(main, ['--sandbox', 'pixel-15', '--json'], { env });
    expect(JSON.parse(pixel.stdout).phone.description).toMatch(/^Google Pixel 8, Android 15/);
  });

  it('check titles name what is looked at; the finding follows in the line', async () => {
    const on = await runInProcess(main, ['--sandbox', 'realme-ui-3', '--lang', 'en'], { env });
    const off = await runInProcess(main, ['--sandbox', 'pixel-15', '--lang', 'en'], { env });
    expect(on.stdout).toContain('[✗] Battery saver: on\n');
    expect(off.stdout).toContain('[✓] Battery saver: off\n');
    const ru = await runInProcess(main, ['--sandbox', 'notifications-off-13', '--lang', 'ru'], { env });
    expect(ru.stdout).toContain('[✗] Уведомления: заблокированы\n');
    expect(ru.stdout).toContain('[✓] Энергосбережение: выключено\n');
  });
});

describe('one name per screen, every word translated', () => {
  it('the storage screen of the fix is the one the advice names, per vendor and language', () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = translator(lang);
      for (const vendor of ['other', 'samsung', 'xiaomi', 'huawei']) {
        const fix = t(`doctor.fix.openAppInfoStorage.${vendor}`, { pkg: 'x' });
        const path = fix.slice(fix.lastIndexOf(': ') + 2).replace(/^(tap|нажмите) /, '');
        expect(t(`doctor.installed.moveInternal.${vendor}`, { android: '10' }), `${lang} ${vendor}`).toContain(path);
      }
    }
  });

  it('the Russian report has no English label for the serial', async () => {
    const run = await runAndroidDoctor(simulatedPhoneShell(createSimulatedPhone('pixel-15')));
    const md = renderMarkdown(run.outcome, translator('ru'), new Date('2026-12-04T00:00:00Z'));
    expect(md).toContain('- Серийный номер: `SIMPIXEL15`');
    expect(md).not.toContain('serial:');
  });
});

describe('iOS questionnaire', () => {
  it('--answers with keys missing names them; no hint to read anything from an iPhone', async () => {
    const r = await runInProcess(main, ['--platform', 'ios', '--answers', 'paid=yes,switch=no', '--lang', 'en'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing: ios-version, not-in-contacts, resynced, low-power-off');
    const full = await runInProcess(main, ['--platform', 'ios', '--answers', 'ios-version=17.4,paid=yes,not-in-contacts=no,switch=no,resynced=yes,low-power-off=yes', '--lang', 'en'], { env });
    expect(full.code).toBe(1);
    expect(full.stdout).not.toContain('--verbose');
  });
});
