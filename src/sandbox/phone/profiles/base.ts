/**
 * Building blocks shared by the profiles: build properties, the stock system packages, and the two
 * amoCRM apps. The package names of the amoCRM apps are invented (the real ones are not public),
 * and several spellings are used across profiles so the doctor cannot lean on one of them.
 */
import type { Aspect, PhoneProfile, RuntimePermission, SimPackage, Verdict } from './types.js';

export const RELEASE: Record<number, string> = {
  26: '8.0.0', 27: '8.1.0', 28: '9', 29: '10', 30: '11', 31: '12', 32: '12', 33: '13', 34: '14', 35: '15',
};

export interface Identity {
  sdk: number;
  manufacturer: string;
  brand: string;
  model: string;
  device: string;
  extra?: Record<string, string>;
}

export function buildProps(id: Identity): Record<string, string> {
  return {
    'ro.build.version.release': RELEASE[id.sdk] ?? String(id.sdk),
    'ro.build.version.sdk': String(id.sdk),
    'ro.build.version.security_patch': id.sdk >= 33 ? '2026-09-05' : '2022-03-01',
    'ro.product.manufacturer': id.manufacturer,
    'ro.product.brand': id.brand,
    'ro.product.model': id.model,
    'ro.product.device': id.device,
    'ro.product.name': id.device,
    'ro.build.type': 'user',
    'ro.adb.secure': '1',
    'persist.sys.locale': 'ru-RU',
    'gsm.operator.alpha': 'MTS RUS',
    ...id.extra,
  };
}

const STOCK = [
  'android', 'com.android.phone', 'com.android.settings', 'com.android.systemui', 'com.android.providers.contacts',
  'com.android.providers.downloads', 'com.android.shell', 'com.google.android.gms', 'com.google.android.dialer',
  'com.android.vending', 'com.google.android.contacts',
];

let nextSystemUid = 10010;

export function systemPackage(name: string, path?: string): SimPackage {
  return {
    name,
    uid: name === 'android' ? 1000 : nextSystemUid++,
    codePath: path ?? `/system/priv-app/${name.split('.').pop()}`,
    system: true,
    users: { 0: { installed: true, stopped: false, runtime: {} } },
  };
}

export function stockPackages(extra: string[] = []): SimPackage[] {
  return [...STOCK, ...extra].map((n) => systemPackage(n));
}

/** A user-installed third-party app (security suites, cleaners, other caller-ID apps). */
export function thirdParty(name: string, uid: number, sdk: number): SimPackage {
  return {
    name,
    uid,
    versionName: '11.2.0',
    codePath: internalPath(name, sdk),
    requested: ['android.permission.INTERNET'],
    users: { 0: { installed: true, stopped: false, runtime: {} } },
  };
}

export function internalPath(name: string, sdk: number): string {
  return sdk >= 30 ? `/data/app/~~Qm9uZ0xpc3Q3Tw==/${name}-dGhpcyBpcyBmYWtl==` : `/data/app/${name}-1`;
}

export const CALLER_ID_PERMISSIONS = [
  'android.permission.READ_PHONE_STATE',
  'android.permission.READ_CALL_LOG',
  'android.permission.READ_CONTACTS',
  'android.permission.SYSTEM_ALERT_WINDOW',
];

const RUNTIME_FLAGS = ['USER_SET', 'USER_SENSITIVE_WHEN_GRANTED', 'USER_SENSITIVE_WHEN_DENIED'];

export interface AppOptions {
  name: string;
  uid: number;
  sdk: number;
  path?: string;
  denied?: string[];
  appops?: Record<string, string>;
  bucket?: number;
  stopped?: boolean;
  importance?: string;
  users?: Record<number, { stopped?: boolean; denied?: string[] }>;
}

function runtimeFor(requested: string[], sdk: number, denied: string[]): Record<string, RuntimePermission> {
  const runtime: Record<string, RuntimePermission> = {};
  for (const p of requested) {
    if (p === 'android.permission.INTERNET' || p === 'android.permission.SYSTEM_ALERT_WINDOW') continue;
    if (p === 'android.permission.POST_NOTIFICATIONS' && sdk < 33) continue;
    if (p === 'android.permission.RECEIVE_BOOT_COMPLETED' || p === 'android.permission.FOREGROUND_SERVICE') continue;
    const granted = !denied.includes(p);
    runtime[p] = { granted, flags: sdk >= 29 ? (granted ? RUNTIME_FLAGS : ['USER_SET', 'USER_FIXED']) : undefined };
  }
  return runtime;
}

function app(o: AppOptions, requested: string[], version: string): SimPackage {
  const users: SimPackage['users'] = {
    0: { installed: true, stopped: o.stopped ?? false, runtime: runtimeFor(requested, o.sdk, o.denied ?? []) },
  };
  for (const [user, u] of Object.entries(o.users ?? {})) {
    users[Number(user)] = { installed: true, stopped: u.stopped ?? false, runtime: runtimeFor(requested, o.sdk, u.denied ?? []) };
  }
  return {
    name: o.name,
    uid: o.uid,
    versionName: version,
    versionCode: 2310,
    codePath: o.path ?? internalPath(o.name, o.sdk),
    requested,
    users,
    appops: o.appops ?? {},
    standbyBucket: o.bucket ?? 10,
    notificationImportance: o.importance,
  };
}

/** The caller-ID app: asks for all four permissions that mark a caller-ID app. */
export function callerIdApp(o: AppOptions): SimPackage {
  const requested = [
    'android.permission.INTERNET',
    ...CALLER_ID_PERMISSIONS,
    'android.permission.RECEIVE_BOOT_COMPLETED',
    'android.permission.FOREGROUND_SERVICE',
    ...(o.sdk >= 33 ? ['android.permission.POST_NOTIFICATIONS'] : []),
  ];
  return app({ ...o, appops: { SYSTEM_ALERT_WINDOW: 'allow', ...o.appops } }, requested, '2.3.1');
}

/** The main CRM app: contacts and notifications, no call log. */
export function mainApp(o: AppOptions): SimPackage {
  const requested = [
    'android.permission.INTERNET',
    'android.permission.READ_CONTACTS',
    'android.permission.CAMERA',
    ...(o.sdk >= 33 ? ['android.permission.POST_NOTIFICATIONS'] : []),
  ];
  return app(o, requested, '24.10.2');
}

export const ALL_OK: Record<Aspect, Verdict> = {
  app: 'fine',
  'power-saving': 'fine',
  background: 'fine',
  'vendor-manager': 'fine',
  overlay: 'fine',
  notifications: 'fine',
  permissions: 'fine',
  'client-number': 'irrelevant',
  sync: 'unreadable',
};

export function expect(over: Partial<Record<Aspect, Verdict>>): Record<Aspect, Verdict> {
  return { ...ALL_OK, ...over };
}

export interface ProfileInput extends Omit<PhoneProfile, 'props' | 'settings' | 'connection' | 'deviceidleSystem' | 'roles' | 'contacts' | 'users' | 'expectedAfterFix'> {
  identity: Identity;
  connection?: PhoneProfile['connection'];
  settings?: Partial<PhoneProfile['settings']>;
  deviceidleSystem?: string[];
  roles?: Record<string, string[]>;
  contacts?: { name: string; number: string }[];
  users?: number[];
  expectedAfterFix?: Partial<Record<Aspect, Verdict>>;
}

export function profile(p: ProfileInput): PhoneProfile {
  const { identity, ...rest } = p;
  return {
    ...rest,
    connection: p.connection ?? 'device',
    props: buildProps(identity),
    settings: {
      global: { low_power: '0', ...p.settings?.global },
      system: { ...p.settings?.system },
      secure: { ...p.settings?.secure },
    },
    deviceidleSystem: p.deviceidleSystem ?? ['com.android.providers.downloads', 'com.google.android.gms', 'com.android.phone'],
    roles: p.roles ?? { 'android.app.role.DIALER': ['com.google.android.dialer'], 'android.app.role.CALL_SCREENING': [] },
    contacts: p.contacts ?? [{ name: 'Мама', number: '+7 916 123-45-67' }],
    users: p.users ?? [0],
    expectedAfterFix: { ...p.expected, ...p.expectedAfterFix },
  };
}
