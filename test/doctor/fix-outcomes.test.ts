/**
 * `--fix` as the phone reports it (issue: "a fix is fixed only when the phone says so"): a command
 * that exits 0 while the setting stays is "still failing", a command that fails while the setting
 * changes is "fixed"; the engineer sees the list before anything runs, and settings screens open
 * one at a time.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-doctor.js';
import { simulatedPhoneShell } from '../../src/cli/sim-phone-shell.js';
import { runAndroidDoctor } from '../../src/doctor/run.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';
import { runAtTerminal, statusesFromJson } from './helpers.js';

const config = tempDir('amo-doctor-fix-');
afterAll(() => config.cleanup());
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path });

interface AppliedJson {
  check: string;
  kind: string;
  result: string;
  ok: boolean;
  commands: { command: string; exitCode: number }[];
}

describe('a command that "succeeds" while the setting stays', () => {
  it('MIUI ignoring `appops set`: exit codes 0, yet the overlay fix is still failing, in JSON and text', async () => {
    const r = await runInProcess(main, ['--sandbox', 'xiaomi-ignores-appops-11', '--fix', '--yes', '--json'], { env });
    const out = JSON.parse(r.stdout);
    const overlay = (out.fixesApplied as AppliedJson[]).find((f) => f.check === 'overlay')!;
    expect(overlay.commands.map((c) => c.exitCode)).toEqual([0]);
    expect(overlay).toMatchObject({ kind: 'adb', result: 'still_failing', ok: false });
    expect(out.fixSummary).toEqual({ fixed: 0, still_failing: 1, needs_step: 0 });
    expect(statusesFromJson(out).overlay).toBe('problem');
    expect(r.code).toBe(1);

    const text = await runInProcess(main, ['--sandbox', 'xiaomi-ignores-appops-11', '--fix', '--yes', '--lang', 'en'], { env });
    expect(text.stdout).not.toContain('✓ Fixed');
    expect(text.stdout).toContain('✗ Still failing: com.amocrm.callerid allowed to display over other apps — the phone accepted the command');
    expect(text.stdout).toContain('0 fixed, 1 still failing, 0 need a step on the phone');
  });

  it('Samsung keeping the RESTRICTED bucket: the bucket fix is still failing, the vendor screen needs a step', async () => {
    const r = await runInProcess(main, ['--sandbox', 'samsung-sticky-bucket-13', '--fix', '--yes', '--json'], { env });
    const applied = JSON.parse(r.stdout).fixesApplied as AppliedJson[];
    const bucket = applied.find((f) => f.commands.some((c) => c.command.startsWith('am set-standby-bucket')))!;
    expect(bucket.commands.every((c) => c.exitCode === 0)).toBe(true);
    expect(bucket).toMatchObject({ check: 'background', result: 'still_failing', ok: false });
    expect(applied.find((f) => f.kind === 'screen')).toMatchObject({ check: 'vendor-autostart', result: 'needs_step', ok: false });
    const ru = await runInProcess(main, ['--sandbox', 'samsung-sticky-bucket-13', '--fix', '--yes', '--lang', 'ru'], { env });
    expect(ru.stdout).not.toContain('✓ Исправлено');
    expect(ru.stdout).toContain('✗ Не исправлено: com.amocrm.callerid переведено в группу ожидания ACTIVE');
  });
});

describe('a command that fails while the setting changes', () => {
  it('`pm grant` answering with an exception yet granting: the permissions fix is fixed', async () => {
    const r = await runInProcess(main, ['--sandbox', 'honor-grant-error-10', '--fix', '--yes', '--json'], { env });
    const out = JSON.parse(r.stdout);
    const perms = (out.fixesApplied as AppliedJson[]).find((f) => f.check === 'permissions')!;
    expect(perms.commands.map((c) => c.exitCode).sort()).toEqual([0, 255]);
    expect(perms).toMatchObject({ kind: 'adb', result: 'fixed', ok: true });
    expect(statusesFromJson(out).permissions).toBe('ok');
    const text = await runInProcess(main, ['--sandbox', 'honor-grant-error-10', '--fix', '--yes', '--lang', 'en'], { env });
    expect(text.stdout).toContain('✓ Fixed: phone, call log and contacts permissions granted to com.amocrm.callerid');
    expect(text.stdout).toContain('1 fixed, 0 still failing, 1 need a step on the phone');
  });
});

describe('--fix on a terminal lists the fixes before asking', () => {
  it('each fix with what it runs or opens; Enter keeps the phone as it is', async () => {
    const r = await runAtTerminal(['--sandbox', 'samsung-oneui-14', '--fix', '--json', '--lang', 'en'], [['Apply these 5 fixes on the phone?', '\n']], env);
    expect(r.asked).toHaveLength(1);
    const listed = r.stderr.slice(r.stderr.indexOf('--fix will:'), r.stderr.indexOf('Apply these 5'));
    for (const line of [
      'battery saver switched off; runs: settings put system psm_switch 0',
      'com.amocrm.callerid added to "don\'t optimize battery"; runs: cmd deviceidle whitelist +com.amocrm.callerid',
      'background activity allowed for com.amocrm.callerid; runs: cmd appops set com.amocrm.callerid RUN_ANY_IN_BACKGROUND allow',
      'com.amocrm.callerid moved to the ACTIVE standby bucket; runs: am set-standby-bucket com.amocrm.callerid active',
      'open on the phone: Battery: tap Background usage limits → Never sleeping apps → + → the Caller ID app; runs: am start -n com.samsung.android.lool/',
    ]) expect(listed).toContain(line);
    expect(r.stderr).toContain('No changes made.');
    expect(JSON.parse(r.stdout).fixesApplied).toBeUndefined();
  }, 30_000);

  it('a yes applies them, then waits for the engineer before the re-check', async () => {
    const r = await runAtTerminal(['--sandbox', 'samsung-oneui-14', '--fix', '--json', '--lang', 'en'], [['Apply these 5 fixes', 'y\n'], ['When you are done on the phone, press Enter to check it again.', '\n']], env);
    expect(r.asked).toHaveLength(2);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).fixSummary).toEqual({ fixed: 4, still_failing: 0, needs_step: 1 });
  }, 30_000);
});

describe('settings screens open one at a time', () => {
  it('Huawei: the second screen opens only after the engineer is done with the first', async () => {
    const phone = createSimulatedPhone('huawei-emui-10');
    const screens = () => phone.commands.filter((c) => c.startsWith('am start'));
    const seen: { opened: number; next?: string }[] = [];
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), {
      fix: true,
      waitForPhone: async (next) => void seen.push({ opened: screens().length, next: next?.message.key }),
    });
    expect(seen).toEqual([
      { opened: 1, next: 'doctor.fix.notificationScreen' },
      { opened: 2, next: undefined },
    ]);
    expect(run.outcome.fixes!.filter((f) => f.kind === 'screen').map((f) => [f.result, f.opened])).toEqual([['needs_step', true], ['needs_step', true]]);
  });

  it('on a terminal the engineer presses Enter between the screens and before the re-check', async () => {
    const r = await runAtTerminal(
      ['--sandbox', 'huawei-emui-10', '--fix', '--json', '--lang', 'en'],
      [['Apply these', 'y\n'], ['press Enter to open the next screen', '\n'], ['press Enter to check it again', '\n']],
      env,
    );
    expect(r.asked).toHaveLength(3);
    // The prompt names the screen that opens next (the prompt wraps at 80 columns, even mid-word).
    const prompt = r.stderr.slice(r.stderr.indexOf('press Enter to open the next screen')).replace(/\n/g, '');
    expect(prompt).toContain('the notification settings of com.amocrm.callerid');
    const screens = (JSON.parse(r.stdout).fixesApplied as (AppliedJson & { opened: boolean })[]).filter((f) => f.kind === 'screen');
    expect(screens.map((f) => [f.check, f.opened, f.result])).toEqual([['vendor-autostart', true, 'needs_step'], ['notifications', true, 'needs_step']]);
  }, 30_000);

  it('a screen the engineer finished before the re-check counts as fixed; one left alone still needs a step', async () => {
    const phone = createSimulatedPhone('huawei-emui-10');
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), {
      fix: true,
      // The engineer switches notifications on in their screen (the second), and leaves the vendor's alone.
      waitForPhone: async (next) => {
        if (!next) delete phone.profile.packages.find((p) => p.name === 'com.amocrm.callerid')!.notificationImportance;
      },
    });
    const screens = run.outcome.fixes!.filter((f) => f.kind === 'screen');
    expect(screens.map((f) => [f.check, f.result])).toEqual([['vendor-autostart', 'needs_step'], ['notifications', 'fixed']]);
  });

  it('with nobody to wait for (--yes off a terminal) only the first screen opens; the other is reported as not opened', async () => {
    const phone = createSimulatedPhone('huawei-emui-10');
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { fix: true });
    expect(phone.commands.filter((c) => c.startsWith('am start'))).toHaveLength(1);
    expect(run.outcome.fixes!.filter((f) => f.kind === 'screen').map((f) => f.opened)).toEqual([true, false]);
    const text = await runInProcess(main, ['--sandbox', 'huawei-emui-10', '--fix', '--yes', '--lang', 'en'], { env });
    expect(text.stdout).toContain('→ Opened on the phone: App launch: tap the Caller ID app');
    expect(text.stdout).toContain('! Not opened yet: the notification settings of com.amocrm.callerid');
  });
});
