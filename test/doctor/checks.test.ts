/** Checks are pure functions of facts: the cases no phone profile covers on its own. */
import { describe, expect, it } from 'vitest';
import { numberCheck } from '../../src/doctor/checks/number.js';
import { runAndroidDoctor } from '../../src/doctor/run.js';
import { simulatedPhoneShell } from '../../src/cli/sim-phone-shell.js';
import type { Facts, NumberContext } from '../../src/doctor/types.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';

const facts = (hits: { name: string; number: string }[]): Facts => ({ raw: {}, roundTrips: 2, numberLookup: { number: '+79990000001', hits } });
const ctx = (crm: NumberContext['crm'], dataset: NumberContext['dataset']) => ({ number: { e164: '+79990000001', crm, dataset } });

describe('check 8: the client number', () => {
  it('in the CRM and in the dataset, not on the phone: ok', () => {
    const r = numberCheck.run(facts([]), ctx({ status: 'found', count: 1 }, { status: 'found', label: 'b1', generatedAt: '2026-11-01' }));
    expect(r.status).toBe('ok');
  });

  it('missing from the CRM or the last dataset: problem, even when saved on the phone', () => {
    expect(numberCheck.run(facts([]), ctx({ status: 'not_found' }, { status: 'no_build' })).status).toBe('problem');
    const r = numberCheck.run(facts([{ name: 'X', number: '8 999' }]), ctx({ status: 'found', count: 2 }, { status: 'missing', label: 'b1', generatedAt: '2026-11-01' }));
    expect(r.status).toBe('problem');
    expect(r.details.map((d) => d.key)).toEqual(['doctor.number.inContacts', 'doctor.number.inCrm', 'doctor.number.notInDataset']);
  });

  it('nothing known beyond the phone: unknown, with the reason per source', () => {
    const r = numberCheck.run(facts([]), ctx({ status: 'error', reason: 'network down' }, { status: 'no_build' }));
    expect(r.status).toBe('unknown');
    expect(r.details.map((d) => d.key)).toEqual(['doctor.number.notInContacts', 'doctor.number.crmError', 'doctor.number.noDataset']);
  });
});

describe('app detection', () => {
  it('--callerid-package overrides detection; a missing override is a problem naming it', async () => {
    const phone = createSimulatedPhone('pixel-15');
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { callerIdPackage: 'com.amocrm.prototype' });
    expect(run.facts.apps?.find((a) => a.name === 'com.amocrm.prototype')?.role).toBe('callerid');
    const missing = await runAndroidDoctor(simulatedPhoneShell(phone), { mainPackage: 'org.absent.app' });
    const installed = missing.outcome.items.find((i) => i.id === 'app-installed')!;
    expect(installed.status).toBe('problem');
    expect(installed.details[0]).toEqual({ key: 'doctor.installed.overrideMissing', params: { pkg: 'org.absent.app' } });
  });

  it('does not take "amoled" or "camo" packages for amoCRM', async () => {
    const phone = createSimulatedPhone('no-app-14');
    phone.profile.packages.push({ name: 'com.samsung.android.app.amoled', uid: 1, codePath: '/system/app/amoled' }, { name: 'org.camo.browser', uid: 2, codePath: '/data/app/x' });
    const run = await runAndroidDoctor(simulatedPhoneShell(phone));
    expect(run.facts.apps).toEqual([]);
  });
});

describe('--fix', () => {
  it('declined: the phone is untouched', async () => {
    const phone = createSimulatedPhone('samsung-oneui-14');
    const before = JSON.stringify(phone.snapshot());
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { fix: true, confirm: async () => false });
    expect(run.declined).toBe(true);
    expect(JSON.stringify(phone.snapshot())).toBe(before);
    expect(phone.shellCalls).toBe(2);
  });

  it('what adb cannot change gets its settings screen opened, in a round trip of its own after the adb fixes', async () => {
    const phone = createSimulatedPhone('xiaomi-miui-13');
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { fix: true });
    expect(phone.commands).toContain('am start -n com.miui.securitycenter/com.miui.permcenter.autostart.AutoStartManagementActivity');
    expect(run.outcome.fixes?.find((f) => f.kind === 'screen')?.message.key).toBe('doctor.fix.vendorScreen.xiaomi');
    expect(phone.shellCalls).toBe(2 + 1 + 1 + 2);
    expect(run.outcome.roundTrips).toBe(6);
  });

  it('nothing to fix on a healthy phone', async () => {
    const phone = createSimulatedPhone('pixel-15');
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { fix: true });
    expect(run.nothingToFix).toBe(true);
    expect(phone.shellCalls).toBe(2);
  });
});

describe('advice', () => {
  it('is written for the vendor and, before Android 12, for the old menus', async () => {
    const advice = async (profile: string, id: string) => {
      const run = await runAndroidDoctor(simulatedPhoneShell(createSimulatedPhone(profile)));
      return run.outcome.items.find((i) => i.id === id)!.advice[0];
    };
    expect(await advice('samsung-oneui-14', 'background')).toEqual({ key: 'doctor.bg.advice.samsung', params: { android: '14' } });
    expect(await advice('vivo-funtouch-13', 'background')).toEqual({ key: 'doctor.bg.advice.vivo', params: { android: '13' } });
    expect(await advice('android-8.1', 'background')).toEqual({ key: 'doctor.bg.advice.other.old', params: { android: '8.1.0' } });
    expect(await advice('huawei-emui-10', 'notifications')).toEqual({ key: 'doctor.notif.advice.huawei', params: { android: '10' } });
  });
});
