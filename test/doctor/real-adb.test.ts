/**
 * End to end through the REAL adb server (Debian adb 29): simulated phones served with the
 * device protocol, `adb connect`ed to a server on its own loopback port, amo-doctor talking to
 * that server with -H/-P. Covers a normal run, --fix, a cable pulled mid-run, no device, two
 * devices with and without -s, and an unauthorized phone.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-doctor.js';
import { interruptedText } from '../../src/doctor/outcome.js';
import { translator } from '../../src/i18n/index.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { findProfile } from '../../src/sandbox/phone/profiles/index.js';
import { useRealAdb } from '../helpers/real-adb.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';
import { expectedStatuses, statusesFromJson } from './helpers.js';

const real = useRealAdb();
const config = tempDir('amo-doctor-adb-');
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path });

afterAll(() => config.cleanup());

const doctor = (args: string[]) => runInProcess(main, ['-H', '127.0.0.1', '-P', String(real.adb.port), ...args], { env });

describe('amo-doctor through the real adb server', () => {
  it('a normal run matches the ground truth within 3 round trips, and --fix repairs the phone', async () => {
    const phone = createSimulatedPhone('xiaomi-miui-13');
    await real.attach(phone);
    const r = await doctor(['--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(statusesFromJson(JSON.parse(r.stdout))).toEqual(expectedStatuses(findProfile('xiaomi-miui-13')!));
    expect(phone.shellCalls).toBeLessThanOrEqual(3);

    const fixed = await doctor(['--fix', '--yes', '--json']);
    expect(statusesFromJson(JSON.parse(fixed.stdout))).toEqual(expectedStatuses(findProfile('xiaomi-miui-13')!, 'after'));
    expect(phone.snapshot().settings.system.POWER_SAVE_MODE_OPEN).toBe('0');
    expect(phone.snapshot().packages['ru.amocrm.callerid']!.appops.SYSTEM_ALERT_WINDOW).toBe('allow');
  }, 30_000);

  it('a cable pulled mid-run: reported as a disconnection at once, not after the timeout; remaining checks unknown, exit 2', async () => {
    const phone = createSimulatedPhone('samsung-oneui-14', { unplugAfter: 1 });
    const device = await real.attach(phone);
    phone.onStateChange((s) => {
      if (s === 'offline') device.unplug();
    });
    const started = Date.now();
    // A timeout far above the bound below: ending within the bound means the pull itself was seen.
    const r = await doctor(['--json', '--timeout', '120', '--lang', 'en']);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    const s = statusesFromJson(out);
    expect(s['battery-saver']).toBe('problem');
    expect(s.background).toBe('unknown');
    expect(s.overlay).toBe('unknown');
    expect(out.interrupted).toBe(interruptedText({ key: 'adb.disconnected', params: { serial: device.serial } }, translator('en')));
  }, 90_000);

  it('a phone that freezes with the connection open: the timeout names the step that hung, exit 2', async () => {
    await real.attach(createSimulatedPhone('frozen-14'));
    const r = await doctor(['--json', '--timeout', '2', '--lang', 'en']);
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    const step = translator('en')('doctor.step.apps', { pkgs: 'com.amocrm.callerid' });
    expect(out.interrupted).toBe(interruptedText({ key: 'doctor.error.stepTimeout', params: { seconds: 2, stepKey: 'doctor.step.apps', pkgs: 'com.amocrm.callerid' } }, translator('en')));
    expect(out.interrupted).toContain(step);
    expect(statusesFromJson(out)['battery-saver']).toBe('ok');
  }, 60_000);

  it('no device: exit 2 with what to do', async () => {
    const r = await doctor([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.length).toBeGreaterThan(10);
  }, 30_000);

  it('two devices: without -s exit 2 naming -s; with -s the chosen phone is checked', async () => {
    const a = await real.attach(createSimulatedPhone('pixel-15'));
    const b = await real.attach(createSimulatedPhone('oppo-coloros-12'));
    const both = await doctor(['--lang', 'en']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('-s');
    expect(both.stderr).toContain(a.serial);
    const chosen = await doctor(['-s', b.serial, '--json']);
    expect(chosen.code).toBe(1);
    expect(statusesFromJson(JSON.parse(chosen.stdout))).toEqual(expectedStatuses(findProfile('oppo-coloros-12')!));
  }, 30_000);

  it('an unauthorized phone: exit 2 telling to allow USB debugging', async () => {
    await real.attach(createSimulatedPhone('pixel-15'), { requireAuth: true });
    const r = await doctor(['--lang', 'en']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/Allow|authori[sz]/i);
  }, 30_000);
});
