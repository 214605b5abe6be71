/**
 * A phone profile: what a simulated phone holds (properties, settings, packages, contacts) and
 * the ground truth a correct doctor must report for it. The check ids and statuses come from
 * `doctor/status.ts`, a type-only module the sandbox may import as a shared type (design.md); the
 * sandbox imports no other doctor code.
 */
import type { CheckId, Status } from '../../../doctor/status.js';
import type { PhoneConnectionState } from '../types.js';

export type { CheckId } from '../../../doctor/status.js';
/** Named for what it is here: the status a correct doctor reports for a check. */
export type CheckStatus = Status;

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
  /** What a correct doctor reports (with `--number testNumber` when set). */
  expected: Record<CheckId, CheckStatus>;
  /** What the re-check reports after `--fix --yes`. */
  expectedAfterFix: Record<CheckId, CheckStatus>;
}
