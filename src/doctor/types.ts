/**
 * Shapes shared by the doctor's steps: facts read from the phone, check results, fixes.
 * Checks are pure functions of facts; every text a person reads is a catalog key plus params.
 */
import type { Params } from '../errors.js';
import type { CheckId, Status } from './status.js';

export type { CheckId, Status } from './status.js';

export type Vendor = 'xiaomi' | 'huawei' | 'honor' | 'samsung' | 'oppo' | 'oneplus' | 'vivo' | 'other';

/** One command's answer as the batched script reported it. */
export interface CommandOutput {
  command: string;
  /** stdout and stderr together (the script merges them with 2>&1). */
  output: string;
  exitCode: number;
}

export interface Identity {
  release: string;
  sdk: number;
  manufacturer: string;
  brand: string;
  model: string;
  /** The marketing name when the build states one (`ro.product.marketname` and vendor variants). */
  marketName?: string;
  vendor: Vendor;
  /** MIUI, HyperOS, EMUI, One UI, ColorOS, … when the build says so. */
  skin?: string;
}

export interface AppFacts {
  name: string;
  role: 'callerid' | 'main';
  apkPaths: string[];
  versionName?: string;
  lastUpdateTime?: string;
  firstInstallTime?: string;
  requested: string[];
  /** Runtime permissions of user 0. */
  runtime: Record<string, { granted: boolean; flags: string[] }>;
  stopped?: boolean;
  /** App-op modes as read; 'default' when the op was never set (`No operations.`); undefined when unreadable. */
  overlay?: string;
  background?: string;
  backgroundOp: 'RUN_ANY_IN_BACKGROUND' | 'RUN_IN_BACKGROUND';
  standbyBucket?: number;
  miuiAutostart?: string;
  miuiBackgroundStart?: string;
  /** 8–12: `importance=` of the `AppSettings:` line (undefined = default); null = line not found. */
  notificationImportance?: string | null;
}

export interface Facts {
  identity?: Identity;
  powerSaving?: { lowPower: string; vendor: Record<string, string> };
  /** Every package with its APK path (`pm list packages -f`). */
  packages?: { name: string; path: string }[];
  deviceidle?: { user: string[]; system: string[] };
  /** Holders per role; null when the phone cannot tell (`cmd role` missing on 8–11). */
  roles?: Record<string, string[] | null>;
  apps?: AppFacts[];
  /** --package / --callerid-package names that are not installed. */
  missingOverrides?: string[];
  numberLookup?: { number: string; hits: { name: string; number: string }[] } | { number: string; error: string };
  /** Raw answers by command id, for --verbose and the report. */
  raw: Record<string, CommandOutput>;
  /** Round trips used to read these facts. */
  roundTrips: number;
  /** Set when the phone went away part-way; facts read before stay. */
  interrupted?: { key: string; params: Params };
}

export interface Message {
  key: string;
  params?: Params;
  /**
   * The finding's own severity: 'info' is neutral (•) even under a failing check; 'warning' (!) and
   * 'problem' (✗) keep their mark whatever the rest of the check found. Unset: the check's status.
   */
  level?: 'info' | 'warning' | 'problem';
}

/** What `--fix` does for a check: commands run over adb (then re-check), or a screen opened with instructions. */
export interface Fix {
  kind: 'adb' | 'screen';
  /** Shell command lines, sent together in one round trip. */
  commands: string[];
  /** What the fix does / what to tap, for the person. */
  message: Message;
}

export interface CheckResult {
  id: CheckId;
  status: Status;
  /** One-line finding(s) shown under the title. */
  details: Message[];
  /** What to do, written for the phone's vendor and Android version. */
  advice: Message[];
  /** Raw lines read from the phone (shown with --verbose, always in --report). */
  evidence: string[];
  fixes: Fix[];
}

/** Results from outside the phone for check 8. */
export interface NumberContext {
  /** E.164 form of --number. */
  e164: string;
  crm: { status: 'found'; count: number } | { status: 'not_found' } | { status: 'not_logged_in' } | { status: 'error'; reason: string };
  dataset: { status: 'found'; label: string; generatedAt: string } | { status: 'missing'; label: string; generatedAt: string } | { status: 'no_build' } | { status: 'error'; reason: string };
}

export interface CheckContext {
  number?: NumberContext;
}

export interface Check {
  id: CheckId;
  run(facts: Facts, ctx: CheckContext): CheckResult;
}
