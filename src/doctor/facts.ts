/**
 * Reads everything the checklist needs from the phone in two shell round trips (at most three):
 *   1. identity, power switches, the package list, the Doze whitelist, role holders, the
 *      `--number` contact lookup — nothing here depends on which apps are installed;
 *   2. per candidate app: `dumpsys package`, `pm path`, app-ops, standby bucket (+ MIUI ops and
 *      `dumpsys notification` on 8–12, `dumpsys role` where `cmd role` is missing).
 * A phone that disappears part-way leaves the facts read so far and an `interrupted` note.
 */
import type { DeviceShell } from '../adb/types.js';
import { isAppError } from '../errors.js';
import { runCommands, type PlannedCommand } from './batch.js';
import {
  parseAppop, parseBucket, parseContentRows, parseDeviceidle, parseGetprop, parseNotificationImportance,
  parsePackageDump, parsePackageList, parseRoleHolders, parseSetting,
} from './parse.js';
import type { AppFacts, CommandOutput, Facts, Message } from './types.js';
import { identityFrom, VENDOR_POWER_KEYS } from './vendor.js';

export const ROLES = ['android.app.role.CALL_SCREENING', 'android.app.role.DIALER', 'android.app.role.CALL_REDIRECTION'];

/** The permissions a caller-ID app asks for (docs/android-checks.md §1). */
export const CALLER_ID_MARKERS = [
  'android.permission.READ_CALL_LOG',
  'android.permission.READ_PHONE_STATE',
  'android.permission.SYSTEM_ALERT_WINDOW',
  'android.permission.READ_CONTACTS',
];

/** amoCRM / Kommo package names are not public: match the words, then confirm by permissions. */
const CANDIDATE = /(^|[._])(amo|kommo)([._]|crm|$)|amocrm|kommo/i;

export interface GatherOptions {
  /** --package: the main amoCRM app. */
  mainPackage?: string;
  /** --callerid-package: the Caller ID app. */
  callerIdPackage?: string;
  /** E.164 number to look up in the phone's contacts. */
  number?: string;
  timeoutMs?: number;
  /** Baseline for the benchmark: one shell call per command. */
  oneByOne?: boolean;
  /** Told what each round trip is about to read (the CLI's spinner shows it). */
  onStep?: (step: Message) => void;
}

export function quoteForShell(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function phoneLookupCommand(e164: string): string {
  return `content query --uri ${quoteForShell(`content://com.android.contacts/phone_lookup/${encodeURIComponent(e164)}`)} --projection display_name:number`;
}

/** Android 9 renamed the background app-op; the read and the fix must name the same one. */
function backgroundOp(sdk: number): AppFacts['backgroundOp'] {
  return sdk >= 28 ? 'RUN_ANY_IN_BACKGROUND' : 'RUN_IN_BACKGROUND';
}

function firstRound(o: GatherOptions): PlannedCommand[] {
  const cmds: PlannedCommand[] = [
    { id: 'getprop', command: 'getprop' },
    { id: 'low_power', command: 'settings get global low_power' },
    ...VENDOR_POWER_KEYS.map((k) => ({ id: `system:${k.key}`, command: `settings get system ${k.key}` })),
    { id: 'packages', command: 'pm list packages -f' },
    { id: 'deviceidle', command: 'cmd deviceidle whitelist' },
    ...ROLES.map((r) => ({ id: `role:${r}`, command: `cmd role get-role-holders ${r}` })),
  ];
  if (o.number) cmds.push({ id: 'lookup', command: phoneLookupCommand(o.number) });
  return cmds;
}

function secondRound(facts: Facts, candidates: string[]): PlannedCommand[] {
  const sdk = facts.identity?.sdk ?? 0;
  const cmds: PlannedCommand[] = [];
  for (const name of candidates) {
    cmds.push({ id: `${name}:dump`, command: `dumpsys package ${name}` });
    cmds.push({ id: `${name}:path`, command: `pm path ${name}` });
    cmds.push({ id: `${name}:overlay`, command: `cmd appops get ${name} SYSTEM_ALERT_WINDOW` });
    cmds.push({ id: `${name}:background`, command: `cmd appops get ${name} ${backgroundOp(sdk)}` });
    if (sdk >= 28) cmds.push({ id: `${name}:bucket`, command: `am get-standby-bucket ${name}` });
    if (facts.identity?.vendor === 'xiaomi') {
      cmds.push({ id: `${name}:10008`, command: `cmd appops get ${name} 10008` });
      cmds.push({ id: `${name}:10021`, command: `cmd appops get ${name} 10021` });
    }
  }
  if (candidates.length && sdk < 33) cmds.push({ id: 'notification', command: 'dumpsys notification' });
  if (facts.roles && Object.values(facts.roles).some((h) => h === null) && sdk >= 29) cmds.push({ id: 'role-dump', command: 'dumpsys role' });
  return cmds;
}

function readFirstRound(facts: Facts, out: Record<string, CommandOutput>, o: GatherOptions): void {
  if (out.getprop) {
    const props = parseGetprop(out.getprop.output);
    facts.identity = identityFrom(props);
  }
  const low = parseSetting(out.low_power?.output);
  if (low !== undefined) {
    const vendor: Record<string, string> = {};
    for (const k of VENDOR_POWER_KEYS) {
      const v = parseSetting(out[`system:${k.key}`]?.output);
      if (v !== undefined) vendor[k.key] = v;
    }
    facts.powerSaving = { lowPower: low, vendor };
  }
  if (out.packages && out.packages.exitCode === 0) facts.packages = parsePackageList(out.packages.output);
  if (out.deviceidle && out.deviceidle.exitCode === 0) facts.deviceidle = parseDeviceidle(out.deviceidle.output);
  if (ROLES.every((r) => out[`role:${r}`])) {
    facts.roles = {};
    for (const r of ROLES) facts.roles[r] = parseRoleHolders(out[`role:${r}`]?.output, out[`role:${r}`]?.exitCode);
  }
  if (o.number && out.lookup) {
    const rows = parseContentRows(out.lookup.output);
    facts.numberLookup = rows
      ? { number: o.number, hits: rows.map((r) => ({ name: r.display_name ?? '', number: r.number ?? '' })) }
      : { number: o.number, error: out.lookup.output.split('\n')[0] ?? '' };
  }
}

/** `dumpsys role` (10/11) prints `Role{name=…, holders=a,b}`-like lines; read them when present. */
function readRoleDump(facts: Facts, text: string): void {
  if (!facts.roles) return;
  for (const r of ROLES) {
    if (facts.roles[r] !== null) continue;
    const m = new RegExp(`name=${r.replace(/\./g, '\\.')}[^\\n]*?holders=([^}\\n]*)`).exec(text);
    if (m) facts.roles[r] = m[1]!.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  }
}

function readApp(facts: Facts, out: Record<string, CommandOutput>, name: string): AppFacts | undefined {
  const dumpOut = out[`${name}:dump`];
  if (!dumpOut) return undefined;
  const dump = parsePackageDump(dumpOut.output, name);
  if (!dump) return undefined;
  const user0 = dump.users[0];
  const pathOut = out[`${name}:path`];
  const apkPaths = pathOut ? [...pathOut.output.matchAll(/^package:(.+?)\r?$/gm)].map((m) => m[1]!) : [];
  const appop = (op: string) => parseAppop(out[`${name}:${op}`]?.output, out[`${name}:${op}`]?.exitCode);
  return {
    name,
    role: CALLER_ID_MARKERS.every((p) => dump.requested.includes(p)) ? 'callerid' : 'main',
    apkPaths: apkPaths.length ? apkPaths : dump.codePath ? [dump.codePath] : [],
    versionName: dump.versionName,
    firstInstallTime: dump.firstInstallTime,
    lastUpdateTime: dump.lastUpdateTime,
    requested: dump.requested,
    runtime: user0?.runtime ?? {},
    stopped: user0?.stopped,
    overlay: appop('overlay'),
    background: appop('background'),
    backgroundOp: backgroundOp(facts.identity?.sdk ?? 0),
    standbyBucket: parseBucket(out[`${name}:bucket`]?.output),
    miuiAutostart: appop('10008'),
    miuiBackgroundStart: appop('10021'),
    // Asked for only before Android 13 (see secondRound), so its presence already means 8–12.
    notificationImportance: out.notification ? parseNotificationImportance(out.notification.output, name) : undefined,
  };
}

export function candidatesFrom(facts: Facts, o: GatherOptions): string[] {
  const names = (facts.packages ?? []).map((p) => p.name);
  const found = names.filter((n) => CANDIDATE.test(n));
  const wanted = [o.mainPackage, o.callerIdPackage].filter((x): x is string => Boolean(x));
  // An override names the app outright; the other role is still detected.
  const pool = wanted.length === 2 ? wanted : [...wanted, ...found];
  return [...new Set(pool)].filter((n) => names.includes(n));
}

/** Gathers the facts; never throws for a phone that goes away (see `interrupted`), only for bugs. */
export async function gatherFacts(shell: DeviceShell, o: GatherOptions = {}): Promise<Facts> {
  const facts: Facts = { raw: {}, roundTrips: 0 };
  const round = async (cmds: PlannedCommand[], step: Message) => {
    o.onStep?.(step);
    const r = await runCommands(shell, cmds, { timeoutMs: o.timeoutMs, oneByOne: o.oneByOne, step });
    facts.roundTrips += r.roundTrips;
    Object.assign(facts.raw, r.outputs);
    return r.outputs;
  };
  try {
    readFirstRound(facts, await round(firstRound(o), { key: 'doctor.step.identity' }), o);
    if (!facts.packages) return facts;
    const installed = new Set(facts.packages.map((p) => p.name));
    facts.missingOverrides = [o.mainPackage, o.callerIdPackage].filter((n): n is string => Boolean(n) && !installed.has(n!));
    const candidates = candidatesFrom(facts, o);
    const second = secondRound(facts, candidates);
    const step = candidates.length ? { key: 'doctor.step.apps', params: { pkgs: candidates.join(', ') } } : { key: 'doctor.step.identity' };
    const out = second.length ? await round(second, step) : {};
    if (out['role-dump']) readRoleDump(facts, out['role-dump'].output);
    const apps: AppFacts[] = [];
    for (const name of candidates) {
      const app = readApp(facts, out, name);
      if (app) apps.push(app);
    }
    // Overrides decide the role regardless of the permissions the app asks for.
    for (const a of apps) {
      if (a.name === o.callerIdPackage) a.role = 'callerid';
      else if (a.name === o.mainPackage) a.role = 'main';
    }
    facts.apps = apps;
  } catch (e) {
    if (!isAppError(e) || e.kind !== 'device') throw e;
    facts.interrupted = { key: e.key, params: e.params };
  }
  return facts;
}

/** The apps the per-app checks look at: the caller-ID app when found, else every amoCRM app. */
export function targetApps(facts: Facts): AppFacts[] | undefined {
  if (!facts.apps) return undefined;
  const callerId = facts.apps.filter((a) => a.role === 'callerid');
  return callerId.length ? callerId : facts.apps;
}
