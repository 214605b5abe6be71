/**
 * The phones the sandbox can simulate. Each profile stores the statuses a correct doctor reports
 * for it (`expected`) and after `--fix --yes` (`expectedAfterFix`): the acceptance tests check
 * the doctor against them in both languages and in JSON.
 */
import { about } from './list.js';
import { callerIdApp, expect, mainApp, profile, stockPackages, thirdParty, type Identity, type ProfileInput } from './base.js';
import type { PhoneProfile } from './types.js';

export type { Aspect, PhoneProfile, SimPackage, Verdict } from './types.js';

const CLIENT = '+7 999 000-00-01';

/** A profile whose build properties report the profile's own sdk, so the two are stated once and cannot disagree. */
function phone(p: Omit<ProfileInput, 'identity'> & { identity: Omit<Identity, 'sdk'> }): PhoneProfile {
  return profile({ ...p, identity: { sdk: p.sdk, ...p.identity } });
}

export const PROFILES: PhoneProfile[] = [
  phone({
    ...about('pixel-15'),
    sdk: 35,
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 8', device: 'shiba' },
    packages: [
      ...stockPackages(),
      mainApp({ name: 'com.amocrm.prototype', uid: 10231, sdk: 35 }),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10232, sdk: 35 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    roles: { 'android.app.role.DIALER': ['com.google.android.dialer'], 'android.app.role.CALL_SCREENING': ['com.google.android.dialer'] },
    expected: expect({}),
  }),
  phone({
    ...about('samsung-oneui-14'),
    sdk: 34,
    identity: {
      manufacturer: 'samsung', brand: 'samsung', model: 'SM-A546B', device: 'a54x',
      extra: { 'ro.build.version.oneui': '60100' },
    },
    settings: { system: { psm_switch: '1' } },
    packages: [
      ...stockPackages(['com.samsung.android.lool', 'com.samsung.android.dialer']),
      mainApp({ name: 'com.amocrm.prototype', uid: 10301, sdk: 34 }),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10302, sdk: 34, appops: { RUN_ANY_IN_BACKGROUND: 'ignore' }, bucket: 45 }),
    ],
    deviceidleUser: [],
    expected: expect({ 'power-saving': 'broken', background: 'broken', 'vendor-manager': 'attention' }),
    expectedAfterFix: { 'power-saving': 'fine', background: 'fine' },
  }),
  phone({
    ...about('xiaomi-miui-13'),
    sdk: 33,
    identity: {
      manufacturer: 'Xiaomi', brand: 'Redmi', model: '23021RAAEG', device: 'tapas',
      extra: { 'ro.miui.ui.version.name': 'V140', 'ro.miui.ui.version.code': '14' },
    },
    settings: { system: { POWER_SAVE_MODE_OPEN: '1' } },
    packages: [
      ...stockPackages(['com.miui.securitycenter', 'com.miui.powerkeeper']),
      mainApp({ name: 'com.amocrm.prototype', uid: 10245, sdk: 33 }),
      callerIdApp({ name: 'ru.amocrm.callerid', uid: 10246, sdk: 33, appops: { SYSTEM_ALERT_WINDOW: 'default', '10008': 'deny', '10021': 'deny' } }),
    ],
    deviceidleUser: [],
    expected: expect({ 'power-saving': 'broken', background: 'broken', 'vendor-manager': 'broken', overlay: 'broken' }),
    expectedAfterFix: { 'power-saving': 'fine', background: 'fine', overlay: 'fine' },
  }),
  phone({
    ...about('xiaomi-hyperos-14'),
    sdk: 34,
    identity: {
      manufacturer: 'Xiaomi', brand: 'Xiaomi', model: '23127PN0CG', device: 'houji',
      extra: { 'ro.mi.os.version.name': 'OS1.0', 'ro.miui.ui.version.name': 'V816' },
    },
    packages: [
      ...stockPackages(['com.miui.securitycenter', 'com.miui.powerkeeper']),
      callerIdApp({
        name: 'com.kommo.callerid', uid: 10288, sdk: 34,
        appops: { '10008': 'allow', '10021': 'allow' }, denied: ['android.permission.POST_NOTIFICATIONS'],
      }),
    ],
    deviceidleUser: ['com.kommo.callerid'],
    expected: expect({ notifications: 'broken' }),
    expectedAfterFix: { notifications: 'fine' },
  }),
  phone({
    ...about('huawei-emui-10'),
    sdk: 29,
    identity: {
      manufacturer: 'HUAWEI', brand: 'HUAWEI', model: 'MAR-LX1M', device: 'HWMAR',
      extra: { 'ro.build.version.emui': 'EmotionUI_10.0.0', 'ro.config.marketing_name': 'HUAWEI P30 lite' },
    },
    settings: { system: { SmartModeStatus: '4' } },
    packages: [
      ...stockPackages(['com.huawei.systemmanager']),
      mainApp({ name: 'com.amocrm.prototype', uid: 10190, sdk: 29 }),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10191, sdk: 29, importance: 'NONE', denied: ['android.permission.READ_CALL_LOG'] }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ 'power-saving': 'broken', 'vendor-manager': 'attention', notifications: 'broken', permissions: 'broken' }),
    expectedAfterFix: { 'power-saving': 'fine', permissions: 'fine' },
  }),
  phone({
    ...about('honor-magicos-12'),
    sdk: 31,
    identity: {
      manufacturer: 'HONOR', brand: 'HONOR', model: 'TFY-LX1', device: 'HNTFY-Q',
      extra: { 'ro.build.version.magic': 'MagicUI_6.0.0' },
    },
    settings: { system: { SmartModeStatus: '-1' } },
    packages: [
      ...stockPackages(['com.hihonor.systemmanager']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10210, sdk: 31 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ 'vendor-manager': 'attention' }),
  }),
  phone({
    ...about('oppo-coloros-12'),
    sdk: 31,
    identity: {
      manufacturer: 'OPPO', brand: 'OPPO', model: 'CPH2333', device: 'OP5333',
      extra: { 'ro.build.version.opporom': 'V12.1' },
    },
    packages: [
      ...stockPackages(['com.coloros.safecenter', 'com.oplus.battery']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10222, sdk: 31, stopped: true, appops: { SYSTEM_ALERT_WINDOW: 'deny' } }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ background: 'broken', 'vendor-manager': 'attention', overlay: 'broken' }),
    expectedAfterFix: { background: 'fine', overlay: 'fine' },
  }),
  phone({
    ...about('realme-ui-3'),
    sdk: 31,
    identity: {
      manufacturer: 'realme', brand: 'realme', model: 'RMX3521', device: 'RE54E4L1',
      extra: { 'ro.build.version.oplusrom': 'V12.1' },
    },
    settings: { global: { low_power: '1' } },
    packages: [
      ...stockPackages(['com.oplus.safecenter', 'com.oplus.battery']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10224, sdk: 31 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ 'power-saving': 'broken', 'vendor-manager': 'attention' }),
    expectedAfterFix: { 'power-saving': 'fine' },
  }),
  phone({
    ...about('oneplus-13'),
    sdk: 33,
    identity: { manufacturer: 'OnePlus', brand: 'OnePlus', model: 'CPH2399', device: 'OP5551L1' },
    packages: [
      ...stockPackages(['com.oneplus.security']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10260, sdk: 33, bucket: 40 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ background: 'attention', 'vendor-manager': 'attention' }),
    expectedAfterFix: { background: 'fine' },
  }),
  phone({
    ...about('vivo-funtouch-13'),
    sdk: 33,
    identity: {
      manufacturer: 'vivo', brand: 'vivo', model: 'V2247', device: 'PD2247',
      extra: { 'ro.vivo.os.version': '13.0' },
    },
    settings: { global: { low_power: '1' } },
    packages: [
      ...stockPackages(['com.iqoo.secure', 'com.vivo.permissionmanager']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10270, sdk: 33 }),
    ],
    deviceidleUser: [],
    expected: expect({ 'power-saving': 'broken', background: 'broken', 'vendor-manager': 'attention' }),
    expectedAfterFix: { 'power-saving': 'fine', background: 'fine' },
  }),
  phone({
    ...about('android-8.1'),
    sdk: 27,
    identity: { manufacturer: 'HMD Global', brand: 'Nokia', model: 'Nokia 3.1', device: 'ES2_sprout' },
    packages: [
      ...stockPackages(),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10112, sdk: 27, appops: { RUN_IN_BACKGROUND: 'ignore' } }),
    ],
    deviceidleUser: [],
    expected: expect({ background: 'broken' }),
    expectedAfterFix: { background: 'fine' },
  }),
  phone({
    ...about('multi-user-14'),
    sdk: 34,
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 7', device: 'panther' },
    users: [0, 10],
    packages: [
      ...stockPackages(),
      callerIdApp({
        name: 'com.amocrm.callerid', uid: 10240, sdk: 34,
        users: { 10: { stopped: true, denied: ['android.permission.READ_CALL_LOG', 'android.permission.READ_PHONE_STATE'] } },
      }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({}),
  }),
  phone({
    ...about('sd-card-11'),
    sdk: 30,
    identity: { manufacturer: 'motorola', brand: 'motorola', model: 'moto g(30)', device: 'caprip' },
    packages: [
      ...stockPackages(),
      callerIdApp({
        name: 'com.amocrm.callerid', uid: 10180, sdk: 30,
        path: '/mnt/expand/5c2e4a1b-7f3d-4e2a-9b1c-0d8e6f4a2b3c/app/~~aGVsbG8=/com.amocrm.callerid-d29ybGQ=',
      }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ app: 'broken' }),
  }),
  phone({
    ...about('notifications-off-13'),
    sdk: 33,
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 6a', device: 'bluejay' },
    packages: [
      ...stockPackages(),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10250, sdk: 33, denied: ['android.permission.POST_NOTIFICATIONS'] }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: expect({ notifications: 'broken' }),
    expectedAfterFix: { notifications: 'fine' },
  }),
  phone({
    ...about('security-apps-13'),
    sdk: 33,
    identity: { manufacturer: 'HMD Global', brand: 'Nokia', model: 'Nokia G21', device: 'SCW_sprout' },
    packages: [
      ...stockPackages(),
      thirdParty('com.kms.free', 10301, 33),
      thirdParty('com.drweb', 10302, 33),
      thirdParty('com.cleanmaster.mguard', 10303, 33),
      thirdParty('com.kaspersky.who_calls', 10304, 33),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10305, sdk: 33 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    roles: { 'android.app.role.DIALER': ['com.google.android.dialer'], 'android.app.role.CALL_SCREENING': ['com.kaspersky.who_calls'] },
    expected: expect({ 'vendor-manager': 'attention', permissions: 'attention' }),
  }),
  phone({
    ...about('contact-saved-15'),
    sdk: 35,
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 9', device: 'tokay' },
    packages: [...stockPackages(), callerIdApp({ name: 'com.amocrm.callerid', uid: 10232, sdk: 35 })],
    deviceidleUser: ['com.amocrm.callerid'],
    contacts: [
      { name: 'Мама', number: '+7 916 123-45-67' },
      { name: 'Пётр Образцов (ООО Ромашка)', number: '8 999 000-00-01' },
    ],
    testNumber: CLIENT,
    expected: expect({ 'client-number': 'attention' }),
  }),
  phone({
    ...about('no-app-14'),
    sdk: 34,
    identity: {
      manufacturer: 'samsung', brand: 'samsung', model: 'SM-S911B', device: 'dm1q',
      extra: { 'ro.build.version.oneui': '60100' },
    },
    packages: [...stockPackages(['com.samsung.android.lool'])],
    deviceidleUser: [],
    expected: {
      app: 'broken', 'power-saving': 'fine', background: 'irrelevant', 'vendor-manager': 'attention',
      overlay: 'irrelevant', notifications: 'irrelevant', permissions: 'irrelevant', 'client-number': 'irrelevant',
      sync: 'irrelevant',
    },
  }),
  phone({
    ...about('xiaomi-ignores-appops-11'),
    sdk: 30,
    identity: {
      manufacturer: 'Xiaomi', brand: 'Redmi', model: 'M2101K6G', device: 'sweet',
      extra: { 'ro.miui.ui.version.name': 'V125', 'ro.product.marketname': 'Redmi Note 10 Pro' },
    },
    packages: [
      ...stockPackages(['com.miui.securitycenter', 'com.miui.powerkeeper']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10233, sdk: 30, appops: { SYSTEM_ALERT_WINDOW: 'ignore', '10008': 'allow', '10021': 'allow' } }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    quirks: [{ prefix: 'cmd appops set ', behaviour: 'ignored' }],
    expected: expect({ overlay: 'broken' }),
  }),
  phone({
    ...about('samsung-sticky-bucket-13'),
    sdk: 33,
    identity: {
      manufacturer: 'samsung', brand: 'samsung', model: 'SM-A346B', device: 'a34x',
      extra: { 'ro.build.version.oneui': '50100' },
    },
    packages: [
      ...stockPackages(['com.samsung.android.lool']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10330, sdk: 33, bucket: 45 }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    quirks: [{ prefix: 'am set-standby-bucket ', behaviour: 'ignored' }],
    expected: expect({ background: 'broken', 'vendor-manager': 'attention' }),
  }),
  phone({
    ...about('honor-grant-error-10'),
    sdk: 29,
    identity: {
      manufacturer: 'HONOR', brand: 'HONOR', model: 'STK-LX1', device: 'HWSTK-HF',
      extra: { 'ro.build.version.emui': 'EmotionUI_10.0.0', 'ro.config.marketing_name': 'HONOR 9X' },
    },
    packages: [
      ...stockPackages(['com.huawei.systemmanager']),
      callerIdApp({ name: 'com.amocrm.callerid', uid: 10195, sdk: 29, denied: ['android.permission.READ_CALL_LOG', 'android.permission.READ_PHONE_STATE'] }),
    ],
    deviceidleUser: ['com.amocrm.callerid'],
    quirks: [{ prefix: 'pm grant com.amocrm.callerid android.permission.READ_CALL_LOG', behaviour: 'applied-then-fails' }],
    expected: expect({ permissions: 'broken', 'vendor-manager': 'attention' }),
    expectedAfterFix: { permissions: 'fine' },
  }),
  phone({
    ...about('frozen-14'),
    sdk: 34,
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 7', device: 'panther' },
    packages: [...stockPackages(), callerIdApp({ name: 'com.amocrm.callerid', uid: 10240, sdk: 34 })],
    deviceidleUser: ['com.amocrm.callerid'],
    freezesAfter: 1,
    expected: {
      app: 'unreadable', 'power-saving': 'fine', background: 'unreadable', 'vendor-manager': 'fine',
      overlay: 'unreadable', notifications: 'unreadable', permissions: 'unreadable', 'client-number': 'irrelevant', sync: 'unreadable',
    },
  }),
  phone({
    ...about('unauthorized'),
    sdk: 34,
    connection: 'unauthorized',
    identity: { manufacturer: 'Google', brand: 'google', model: 'Pixel 7a', device: 'lynx' },
    packages: [...stockPackages(), callerIdApp({ name: 'com.amocrm.callerid', uid: 10240, sdk: 34 })],
    deviceidleUser: ['com.amocrm.callerid'],
    expected: {
      app: 'unreadable', 'power-saving': 'unreadable', background: 'unreadable', 'vendor-manager': 'unreadable',
      overlay: 'unreadable', notifications: 'unreadable', permissions: 'unreadable', 'client-number': 'irrelevant', sync: 'unreadable',
    },
  }),
];

export function findProfile(id: string): PhoneProfile | undefined {
  return PROFILES.find((p) => p.id === id);
}
