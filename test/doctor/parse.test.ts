/** Readers of AOSP output formats, including the variants that differ between versions and vendors. */
import { describe, expect, it } from 'vitest';
import { buildScript, splitOutput } from '../../src/doctor/batch.js';
import {
  parseAppop, parseBucket, parseContentRows, parseDeviceidle, parseGetprop, parseNotificationImportance, parsePackageDump,
  parsePackageList, parseRoleHolders,
} from '../../src/doctor/parse.js';
import { detectSkin, detectVendor } from '../../src/doctor/vendor.js';

describe('output readers', () => {
  it('getprop and vendors, case-insensitively', () => {
    const p = parseGetprop('[ro.product.manufacturer]: [Xiaomi]\n[ro.product.brand]: [POCO]\n[ro.miui.ui.version.name]: [V14]\n[empty]: []\n');
    expect(p).toEqual({ 'ro.product.manufacturer': 'Xiaomi', 'ro.product.brand': 'POCO', 'ro.miui.ui.version.name': 'V14', empty: '' });
    expect(detectVendor(p)).toBe('xiaomi');
    expect(detectSkin(p)).toBe('MIUI V14');
    expect(detectVendor({ 'ro.product.manufacturer': 'HUAWEI', 'ro.product.brand': 'HONOR' })).toBe('honor');
    expect(detectVendor({ 'ro.product.manufacturer': 'realme' })).toBe('oppo');
    expect(detectVendor({ 'ro.product.manufacturer': 'OnePlus' })).toBe('oneplus');
  });

  it('app-op lines: plain, uid mode first, MIUI numeric, never set, unknown op', () => {
    expect(parseAppop('RUN_ANY_IN_BACKGROUND: ignore; time=+3m2s ago\n', 0)).toBe('ignore');
    expect(parseAppop('Uid mode: SYSTEM_ALERT_WINDOW: default\nSYSTEM_ALERT_WINDOW: allow; time=+1h ago\n', 0)).toBe('allow');
    expect(parseAppop('MIUIOP(10008): deny\n', 0)).toBe('deny');
    expect(parseAppop('No operations.\n', 0)).toBe('default');
    expect(parseAppop('No operations.\nDefault mode: allow\n', 0)).toBe('default');
    expect(parseAppop('Error: Unknown operation string: RUN_ANY_IN_BACKGROUND\n', 255)).toBeUndefined();
    expect(parseAppop(undefined, undefined)).toBeUndefined();
  });

  it('package lists with paths containing "=", deviceidle lists, buckets, roles', () => {
    expect(parsePackageList('package:/data/app/~~ab==/com.x-cd==/base.apk=com.x\npackage:com.y\n')).toEqual([
      { path: '/data/app/~~ab==/com.x-cd==/base.apk', name: 'com.x' },
      { path: '', name: 'com.y' },
    ]);
    expect(parseDeviceidle('system-excidle,a,1\nsystem,a,1\nuser,b,2\n')).toEqual({ user: ['b'], system: ['a'] });
    expect(parseBucket('45\n')).toBe(45);
    expect(parseBucket('Error: Unknown command: get-standby-bucket\n')).toBeUndefined();
    expect(parseRoleHolders('com.a;com.b\n', 0)).toEqual(['com.a', 'com.b']);
    expect(parseRoleHolders('\n', 0)).toEqual([]);
    expect(parseRoleHolders('Unknown command\n', 255)).toBeNull();
  });

  it('dumpsys package: only this package\'s block, user 0 apart from user 10', () => {
    const text = [
      'Packages:',
      '  Package [com.other] (1):',
      '    requested permissions:',
      '      android.permission.CAMERA',
      '  Package [com.x] (2):',
      '    versionName=1.2',
      '    lastUpdateTime=2026-01-02 03:04:05',
      '    requested permissions:',
      '      android.permission.READ_CALL_LOG',
      '      android.permission.READ_PHONE_STATE: restricted=true',
      '    install permissions:',
      '      android.permission.INTERNET: granted=true',
      '    User 0: ceDataInode=1 installed=true hidden=false suspended=false stopped=false notLaunched=false enabled=0',
      '      runtime permissions:',
      '        android.permission.READ_CALL_LOG: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED ]',
      '    User 10: ceDataInode=2 installed=true hidden=false suspended=false stopped=true notLaunched=false enabled=0',
      '      runtime permissions:',
      '        android.permission.READ_CALL_LOG: granted=false',
      '',
      'Queries:',
    ].join('\n');
    const d = parsePackageDump(text, 'com.x')!;
    expect(d.versionName).toBe('1.2');
    expect(d.requested).toEqual(['android.permission.READ_CALL_LOG', 'android.permission.READ_PHONE_STATE']);
    expect(d.users[0]).toEqual({ stopped: false, installed: true, runtime: { 'android.permission.READ_CALL_LOG': { granted: true, flags: ['USER_SET', 'USER_SENSITIVE_WHEN_GRANTED'] } } });
    expect(d.users[10]!.stopped).toBe(true);
    expect(d.users[10]!.runtime['android.permission.READ_CALL_LOG']).toEqual({ granted: false, flags: [] });
    expect(parsePackageDump(text, 'com.absent')).toBeUndefined();
  });

  it('notification importance and content rows with commas in names', () => {
    const dump = '  AppSettings: com.x (10234) importance=NONE userSet=true\n  AppSettings: com.y (10235)\n';
    expect(parseNotificationImportance(dump, 'com.x')).toBe('NONE');
    expect(parseNotificationImportance(dump, 'com.y')).toBeUndefined();
    expect(parseNotificationImportance(dump, 'com.z')).toBeNull();
    expect(parseContentRows('Row: 0 display_name=Иванов, Пётр, number=+7 999 000-00-01\n')).toEqual([{ display_name: 'Иванов, Пётр', number: '+7 999 000-00-01' }]);
    expect(parseContentRows('No result found.\n')).toEqual([]);
    expect(parseContentRows('Error while accessing provider:com.android.contacts\njava.lang.SecurityException\n')).toBeUndefined();
  });

  it('batched script output is cut back per command with exit codes', () => {
    const cmds = [{ id: 'a', command: 'x' }, { id: 'b', command: 'y' }, { id: 'c', command: 'z' }];
    const script = buildScript(cmds);
    expect(script).toContain("echo '@@AMO-DOCTOR 1 BEGIN'\ny 2>&1\n");
    const out = splitOutput(cmds, '@@AMO-DOCTOR 0 BEGIN\nline1\nline2\n@@AMO-DOCTOR 0 END 0\n@@AMO-DOCTOR 1 BEGIN\n@@AMO-DOCTOR 1 END 127\n@@AMO-DOCTOR 2 BEGIN\npartial\n');
    expect(out).toEqual({ a: { command: 'x', output: 'line1\nline2\n', exitCode: 0 }, b: { command: 'y', output: '', exitCode: 127 } });
  });
});
