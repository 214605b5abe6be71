/**
 * A phone profile: what a simulated phone holds (properties, settings, packages, contacts) and
 * the ground truth about it, in the phone's own words: which aspect of the phone is fine, needs
 * attention or is broken. The words are the sandbox's, not the doctor's (design.md: the sandbox
 * imports no product module); tests map them to the doctor's check ids and statuses.
 */
import type { PhoneConnectionState } from '../types.js';

/** What a support engineer would look at on the phone, one per item of the checklist. */
export type Aspect =
  | 'app'
  | 'power-saving'
  | 'background'
  | 'vendor-manager'
  | 'overlay'
  | 'notifications'
  | 'permissions'
  | 'client-number'
  | 'sync';

export const ASPECTS: Aspect[] = ['app', 'power-saving', 'background', 'vendor-manager', 'overlay', 'notifications', 'permissions', 'client-number', 'sync'];

/**
 * fine: nothing to do; attention: worth a look, not a failure; broken: caller ID cannot work;
 * irrelevant: does not apply to this phone; unreadable: cannot be known over adb.
 */
export type Verdict = 'fine' | 'attention' | 'broken' | 'irrelevant' | 'unreadable';

/**
 * How this phone's build misbehaves on writes, as some vendor builds do. A command line starting
 * with `prefix` either exits 0 without changing anything ('ignored': MIUI and `appops set`), or
 * changes the setting and still exits with an error ('applied-then-fails').
 */
export interface WriteQuirk {
  prefix: string;
  behaviour: 'ignored' | 'applied-then-fails';
}

export interface RuntimePermission {
  granted: boolean;
  flags?: string[];
}

/** Per-user state of a package (`User N:` block of `dumpsys package`). */
export interface PackageUserState {
  installed: boolean;
  stopped: boolean;
  notLaunched?: boolean;
  runtime: Record<string, RuntimePermission>;
}

export interface SimPackage {
  name: string;
  uid: number;
  versionName?: string;
  versionCode?: number;
  /** APK directory, e.g. `/data/app/~~abc==/com.x-def==` or `/mnt/expand/<uuid>/app/com.x-1`. */
  codePath: string;
  system?: boolean;
  requested?: string[];
  /** Per user id; user 0 always present. */
  users?: Record<number, PackageUserState>;
  /** App-op modes by op name or MIUI op number ('RUN_ANY_IN_BACKGROUND', 'SYSTEM_ALERT_WINDOW', '10008'). */
  appops?: Record<string, string>;
  standbyBucket?: number;
  /** Android 8–12 per-app notification importance as `dumpsys notification` prints it (`NONE` = blocked). */
  notificationImportance?: string;
}

export interface PhoneProfile {
  id: string;
  description: string;
  sdk: number;
  connection: PhoneConnectionState;
  props: Record<string, string>;
  settings: { global: Record<string, string>; system: Record<string, string>; secure: Record<string, string> };
  packages: SimPackage[];
  /** `cmd deviceidle whitelist` entries the user chose ("don't optimise"). */
  deviceidleUser: string[];
  /** OEM entries (`system`), kept apart because the user cannot remove them. */
  deviceidleSystem: string[];
  roles: Record<string, string[]>;
  contacts: { name: string; number: string }[];
  /** User ids on the phone (`pm list users`); more than one = work profile or second user. */
  users: number[];
  /** The number the acceptance tests pass as `--number` for this profile (or none). */
  testNumber?: string;
  /** Misbehaving writes of this build (none on most phones). */
  quirks?: WriteQuirk[];
  /** After this many shell invocations the phone stops answering while the connection stays open. */
  freezesAfter?: number;
  /** The truth about the phone (with `--number testNumber` when set). */
  expected: Record<Aspect, Verdict>;
  /** The truth after `--fix --yes` changed what adb can change. */
  expectedAfterFix: Record<Aspect, Verdict>;
}
