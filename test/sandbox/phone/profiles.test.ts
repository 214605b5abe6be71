/** Simulated phones answer in AOSP formats, per Android version and vendor, and writes change the state. */
import { describe, expect, it } from 'vitest';
import { createSimulatedPhone, listProfiles } from '../../../src/sandbox/phone/phone.js';
import { PROFILES } from '../../../src/sandbox/phone/profiles/index.js';
import { PROFILE_LIST } from '../../../src/sandbox/phone/profiles/list.js';
import { ASPECTS } from '../../../src/sandbox/phone/profiles/types.js';
import { CHECK_IDS, CHECK_OF } from '../../doctor/helpers.js';

describe('phone profiles', () => {
  it('each stores ground truth for every aspect, before and after --fix, and every aspect maps to one check', () => {
    expect(listProfiles().length).toBeGreaterThanOrEqual(15);
    expect(ASPECTS.map((a) => CHECK_OF[a]).sort()).toEqual([...CHECK_IDS].sort());
    for (const p of PROFILES) {
      expect(Object.keys(p.expected).sort(), p.id).toEqual([...ASPECTS].sort());
      expect(Object.keys(p.expectedAfterFix).sort(), p.id).toEqual([...ASPECTS].sort());
      expect(new Set(PROFILES.map((x) => x.id)).size).toBe(PROFILES.length);
    }
  });

  it('are all in the list `amo-doctor --help` shows, in the same order, with the same descriptions', () => {
    expect(PROFILES.map((p) => ({ id: p.id, description: p.description }))).toEqual(PROFILE_LIST.map((p) => ({ ...p })));
  });

  it('cover Android 8.1 to 15 and the vendors of the issue', () => {
    const sdks = new Set(PROFILES.map((p) => p.sdk));
    for (const sdk of [27, 29, 30, 31, 33, 34, 35]) expect(sdks.has(sdk), String(sdk)).toBe(true);
    const makers = new Set(PROFILES.map((p) => p.props['ro.product.manufacturer']!.toLowerCase()));
    for (const m of ['xiaomi', 'huawei', 'honor', 'samsung', 'oppo', 'realme', 'oneplus', 'vivo', 'google']) expect(makers.has(m), m).toBe(true);
  });

  it('answer getprop, settings and unknown commands like a phone', async () => {
    const phone = createSimulatedPhone('samsung-oneui-14');
    expect((await phone.run('getprop ro.build.version.sdk')).stdout).toBe('34\n');
    expect((await phone.run('getprop ro.no.such.key')).stdout).toBe('\n');
    expect((await phone.run('getprop')).stdout).toMatch(/^\[ro\.build\.version\.oneui\]: \[60100\]$/m);
    expect((await phone.run('settings get system psm_switch')).stdout).toBe('1\n');
    expect((await phone.run('settings get global nonexistent')).stdout).toBe('null\n');
    await phone.run('settings put system psm_switch 0');
    expect(phone.snapshot().settings.system.psm_switch).toBe('0');
    expect(await phone.run('frob')).toEqual({ stdout: '', stderr: '/system/bin/sh: frob: inaccessible or not found\n', exitCode: 127 });
    expect(phone.shellCalls).toBe(7);
  });

  it('dumpsys package: requested and runtime permissions per user, stopped state', async () => {
    const phone = createSimulatedPhone('multi-user-14');
    const out = (await phone.run('dumpsys package com.amocrm.callerid')).stdout;
    expect(out).toContain('  Package [com.amocrm.callerid] (');
    expect(out).toMatch(/requested permissions:\n\s+android\.permission\.INTERNET/);
    expect(out).toMatch(/User 0: ceDataInode=\d+ installed=true .*stopped=false/);
    expect(out).toMatch(/User 10: ceDataInode=\d+ installed=true .*stopped=true/);
    expect(out).toMatch(/android\.permission\.READ_CALL_LOG: granted=false, flags=\[ USER_SET\|USER_FIXED \]/);
    expect(out).toMatch(/android\.permission\.READ_CALL_LOG: granted=true, flags=\[ /);
  });

  it('app-ops, standby buckets, deviceidle: read and written', async () => {
    const phone = createSimulatedPhone('samsung-oneui-14');
    expect((await phone.run('cmd appops get com.amocrm.callerid RUN_ANY_IN_BACKGROUND')).stdout).toMatch(/^RUN_ANY_IN_BACKGROUND: ignore; time=/);
    expect((await phone.run('cmd appops get com.amocrm.callerid 10008')).exitCode).not.toBe(0); // no MIUI ops on One UI
    expect((await phone.run('am get-standby-bucket com.amocrm.callerid')).stdout).toBe('45\n');
    await phone.run('am set-standby-bucket com.amocrm.callerid active');
    expect((await phone.run('am get-standby-bucket com.amocrm.callerid')).stdout).toBe('10\n');
    expect((await phone.run('cmd deviceidle whitelist +com.amocrm.callerid')).stdout).toBe('Added: com.amocrm.callerid\n');
    expect((await phone.run('cmd deviceidle whitelist')).stdout).toMatch(/^user,com\.amocrm\.callerid,10302$/m);
    const miui = createSimulatedPhone('xiaomi-miui-13');
    expect((await miui.run('cmd appops get ru.amocrm.callerid 10008')).stdout).toMatch(/^MIUIOP\(10008\): deny/);
    expect((await miui.run('cmd appops get ru.amocrm.callerid SYSTEM_ALERT_WINDOW')).stdout).toBe('No operations.\nDefault mode: default\n');
  });

  it('old versions miss commands the way real ones do', async () => {
    const old = createSimulatedPhone('android-8.1');
    expect((await old.run('cmd role get-role-holders android.app.role.CALL_SCREENING')).exitCode).toBe(20);
    expect((await old.run('am get-standby-bucket com.amocrm.callerid')).stdout).toMatch(/Unknown command/);
    expect((await old.run('cmd appops get com.amocrm.callerid RUN_ANY_IN_BACKGROUND')).stdout + (await old.run('cmd appops get com.amocrm.callerid RUN_ANY_IN_BACKGROUND')).stderr).toMatch(/Unknown operation string/);
    expect((await old.run('cmd appops get com.amocrm.callerid RUN_IN_BACKGROUND')).stdout).toMatch(/^RUN_IN_BACKGROUND: ignore/);
    const huawei = createSimulatedPhone('huawei-emui-10');
    const role = await huawei.run('cmd role get-role-holders android.app.role.CALL_SCREENING');
    expect(role).toEqual({ stdout: 'Unknown command\n', stderr: '', exitCode: 255 });
    expect((await huawei.run('dumpsys notification')).stdout).toMatch(/^ {2}AppSettings: com\.amocrm\.callerid \(10191\) importance=NONE/m);
    expect((await createSimulatedPhone('pixel-15').run('cmd role get-role-holders android.app.role.CALL_SCREENING')).stdout).toBe('com.google.android.dialer\n');
  });

  it('pm list/path/grant, adopted storage paths, content queries', async () => {
    const phone = createSimulatedPhone('sd-card-11');
    expect((await phone.run('pm path com.amocrm.callerid')).stdout).toMatch(/^package:\/mnt\/expand\/[0-9a-f-]+\/app\//);
    expect((await phone.run('pm list packages -f')).stdout).toMatch(/^package:\/mnt\/expand\/.*\/base\.apk=com\.amocrm\.callerid$/m);
    const notif = createSimulatedPhone('notifications-off-13');
    expect((await notif.run('pm grant com.amocrm.callerid android.permission.POST_NOTIFICATIONS')).exitCode).toBe(0);
    expect(notif.snapshot().packages['com.amocrm.callerid']!.granted).toContain('android.permission.POST_NOTIFICATIONS');
    const refused = await notif.run('pm grant com.amocrm.callerid android.permission.CAMERA');
    expect(refused.exitCode).toBe(255);
    expect(refused.stderr).toMatch(/has not requested permission/);
    const saved = createSimulatedPhone('contact-saved-15');
    const hit = await saved.run("content query --uri 'content://com.android.contacts/phone_lookup/%2B79990000001' --projection display_name:number");
    expect(hit.stdout).toBe('Row: 0 display_name=Пётр Образцов (ООО Ромашка), number=8 999 000-00-01\n');
    expect((await saved.run('content query --uri content://com.android.contacts/phone_lookup/%2B70000000000')).stdout).toBe('No result found.\n');
    const bad = await saved.run('content query --uri content://nope/x');
    expect(bad.stderr).toMatch(/^Error while accessing provider:nope/);
  });

  it('opening the launcher clears a force stop; an unauthorized or unplugged phone refuses', async () => {
    const oppo = createSimulatedPhone('oppo-coloros-12');
    expect(oppo.snapshot().packages['com.amocrm.callerid']!.stopped).toBe(true);
    await oppo.run('am start -a android.intent.action.MAIN -c android.intent.category.LAUNCHER -p com.amocrm.callerid');
    expect(oppo.snapshot().packages['com.amocrm.callerid']!.stopped).toBe(false);
    await expect(createSimulatedPhone('unauthorized').run('getprop')).rejects.toThrow(/unauthorized/);
    const p = createSimulatedPhone('pixel-15', { unplugAfter: 1 });
    const seen: string[] = [];
    p.onStateChange((s) => seen.push(s));
    await p.run('getprop ro.build.version.sdk');
    await expect(p.run('getprop')).rejects.toThrow(/offline/);
    expect(seen).toEqual(['offline']);
  });

  it('scripts on stdin run in one invocation', async () => {
    const phone = createSimulatedPhone('pixel-15');
    const r = await phone.run('sh', "getprop ro.product.model\necho \"rc=$?\"\ncmd nope 2>&1; echo \"rc=$?\"\n");
    expect(r.stdout).toBe("Pixel 8\nrc=0\ncmd: Can't find service: nope\nrc=20\n");
    expect(phone.shellCalls).toBe(1);
  });
});
