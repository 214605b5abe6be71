/**
 * A simulated Android phone: a profile's state plus answers to the shell commands the doctor and
 * `amo-callerid --exclude-from-device` send, in the output formats of AOSP 8–15 (see
 * docs/android-checks.md). Writes (`settings put`, `cmd appops set`, `pm grant`, …) change the
 * state, so a fix followed by a re-check behaves like on a real phone.
 */
import { findProfile, PROFILES } from './profiles/index.js';
import type { PhoneProfile, SimPackage } from './profiles/types.js';
import { notFound, readsScriptFromStdin, runScript } from './shell.js';
import type { PhoneConnectionState, PhoneShellResult, SimulatedPhone } from './types.js';

export interface PhoneStateSnapshot {
  settings: PhoneProfile['settings'];
  deviceidleUser: string[];
  roles: Record<string, string[]>;
  packages: Record<string, { appops: Record<string, string>; standbyBucket?: number; stopped: boolean; granted: string[]; codePath: string }>;
}

export interface SimulatedPhoneOptions {
  /** Cost of each shell invocation (one adb round trip): USB, `sh` start. */
  latencyMs?: number;
  /** Extra cost of each command inside a script (binder call, JVM start of `content`/`am`). */
  perCommandMs?: number;
  serial?: string;
  contacts?: { name: string; number: string }[];
  /** Go offline after this many shell invocations have finished (a cable pulled mid-run). */
  unplugAfter?: number;
  /** Stop answering, connection still open, after this many shell invocations (default: the profile's). */
  freezeAfter?: number;
}

export interface ControlledPhone extends SimulatedPhone {
  profile: PhoneProfile;
  /** Shell invocations so far (what the doctor's "≤ 3 round trips" promise is measured with). */
  shellCalls: number;
  /** Every command line (not builtins) the phone ran, in order. */
  commands: string[];
  snapshot(): PhoneStateSnapshot;
  /** Pulls the cable: state becomes 'offline' and the listeners hear about it. */
  unplug(): void;
  onStateChange(listener: (state: PhoneConnectionState) => void): () => void;
}

const ok = (stdout = ''): PhoneShellResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 255, stdout = ''): PhoneShellResult => ({ stdout, stderr, exitCode });
const sleep = (ms: number) => (ms > 0 ? new Promise<void>((r) => setTimeout(r, ms)) : Promise.resolve());

const BUCKETS: Record<string, number> = { exempted: 5, active: 10, working_set: 20, frequent: 30, rare: 40, restricted: 45, never: 50 };

/** App-ops known to the simulated AppOpsService; numeric MIUI ops are accepted on MIUI builds only. */
const OPS = ['SYSTEM_ALERT_WINDOW', 'RUN_IN_BACKGROUND', 'RUN_ANY_IN_BACKGROUND', 'READ_CALL_LOG', 'READ_CONTACTS', 'READ_PHONE_STATE', 'POST_NOTIFICATION', 'WAKE_LOCK', 'CAMERA'];
const MODES = ['allow', 'ignore', 'deny', 'default', 'foreground'];

export function listProfiles(): { id: string; description: string }[] {
  return PROFILES.map((p) => ({ id: p.id, description: p.description }));
}

export function createSimulatedPhone(profileId: string, o: SimulatedPhoneOptions = {}): ControlledPhone {
  const base = findProfile(profileId);
  if (!base) throw new Error(`unknown phone profile "${profileId}" (known: ${PROFILES.map((p) => p.id).join(', ')})`);
  const profile: PhoneProfile = structuredClone(base);
  if (o.contacts) profile.contacts = o.contacts;
  const listeners = new Set<(s: PhoneConnectionState) => void>();
  const sdk = profile.sdk;
  const miui = Boolean(profile.props['ro.miui.ui.version.name']);
  const pkg = (name: string | undefined) => profile.packages.find((p) => p.name === name);
  const setState = (s: PhoneConnectionState) => {
    phone.state = s;
    for (const l of listeners) l(s);
  };

  // ---- command handlers ----

  function getprop(args: string[]): PhoneShellResult {
    if (args[0] !== undefined) return ok(`${profile.props[args[0]] ?? ''}\n`);
    const keys = Object.keys(profile.props).sort();
    return ok(keys.map((k) => `[${k}]: [${profile.props[k]}]\n`).join(''));
  }

  function settings(args: string[]): PhoneShellResult {
    const [verb, ns, key, value] = args;
    const table = ns === 'global' || ns === 'system' || ns === 'secure' ? profile.settings[ns] : undefined;
    if (!table) return fail('Invalid namespace\n', 255);
    if (verb === 'get' && key) return ok(`${table[key] ?? 'null'}\n`);
    if (verb === 'put' && key && value !== undefined) {
      table[key] = value;
      return ok();
    }
    if (verb === 'delete' && key) {
      const had = key in table;
      delete table[key];
      return ok(`Deleted ${had ? 1 : 0} rows\n`);
    }
    if (verb === 'list') return ok(Object.entries(table).map(([k, v]) => `${k}=${v}\n`).join(''));
    return fail('Invalid command: ' + (verb ?? '') + '\n', 255);
  }

  function deviceidleList(): string {
    const lines: string[] = [];
    for (const name of profile.deviceidleSystem) {
      const p = pkg(name);
      if (name === 'com.android.providers.downloads') lines.push(`system-excidle,${name},${p?.uid ?? 10041}`);
      lines.push(`system,${name},${p?.uid ?? 10061}`);
    }
    for (const name of profile.deviceidleUser) lines.push(`user,${name},${pkg(name)?.uid ?? 0}`);
    return lines.map((l) => `${l}\n`).join('');
  }

  function deviceidle(args: string[]): PhoneShellResult {
    if (args[0] !== 'whitelist') return ok('Device idle controller (deviceidle) commands:\n  help\n  whitelist\n');
    if (args.length === 1) return ok(deviceidleList());
    let out = '';
    for (const a of args.slice(1)) {
      const name = a.slice(1);
      if (a.startsWith('+')) {
        if (!pkg(name)) out += `Package not found: ${name}\n`;
        else {
          if (!profile.deviceidleUser.includes(name)) profile.deviceidleUser.push(name);
          out += `Added: ${name}\n`;
        }
      } else if (a.startsWith('-')) {
        profile.deviceidleUser = profile.deviceidleUser.filter((n) => n !== name);
        out += `Removed: ${name}\n`;
      } else if (a.startsWith('=')) {
        out += `${profile.deviceidleUser.includes(name) || profile.deviceidleSystem.includes(name)}\n`;
      }
    }
    return ok(out);
  }

  function opName(op: string): string | undefined {
    if (/^\d+$/.test(op)) {
      const n = Number(op);
      if (n >= 10000 && miui) return `MIUIOP(${n})`;
      return undefined;
    }
    if (op === 'RUN_ANY_IN_BACKGROUND' && sdk < 28) return undefined;
    return OPS.includes(op) ? op : undefined;
  }

  function appops(args: string[]): PhoneShellResult {
    const [verb, name, op, mode] = args;
    const p = pkg(name);
    if (verb !== 'get' && verb !== 'set') return ok('AppOps service (appops) commands:\n  help\n  get\n  set\n');
    if (!p) return fail(`Error: Unable to find package: ${name}\n`, 255);
    p.appops ??= {};
    if (op === undefined && verb === 'get') {
      const entries = Object.entries(p.appops).filter(([, m]) => m !== 'default');
      if (entries.length === 0) return ok('No operations.\n');
      return ok(entries.map(([k, m]) => `${/^\d+$/.test(k) ? `MIUIOP(${k})` : k}: ${m}; time=+2d3h ago\n`).join(''));
    }
    const label = op === undefined ? undefined : opName(op);
    if (op === undefined || label === undefined) {
      return fail(`Error: Unknown operation string: ${op ?? ''}\n`, 255);
    }
    if (verb === 'set') {
      if (!mode || !MODES.includes(mode)) return fail(`Error: Mode ${mode ?? ''} is not valid\n`, 255);
      p.appops[op] = mode;
      return ok();
    }
    const m = p.appops[op];
    if (m === undefined || m === 'default') return ok(sdk >= 31 ? `No operations.\nDefault mode: ${defaultMode(op)}\n` : 'No operations.\n');
    return ok(`${label}: ${m}; time=+5d1h12m ago\n`);
  }

  function defaultMode(op: string): string {
    return op === 'SYSTEM_ALERT_WINDOW' ? 'default' : 'allow';
  }

  function am(args: string[]): PhoneShellResult {
    const [verb, ...rest] = args;
    if (verb === 'get-standby-bucket' || verb === 'set-standby-bucket') {
      if (sdk < 28) return ok(`Error: Unknown command: ${verb}\n`);
      const p = pkg(rest[0]);
      if (verb === 'get-standby-bucket') {
        if (!p) return ok('50\n'); // AOSP answers NEVER for a package it does not know
        return ok(`${p.standbyBucket ?? 10}\n`);
      }
      const raw = rest[1] ?? '';
      const value = BUCKETS[raw] ?? (/^\d+$/.test(raw) ? Number(raw) : undefined);
      if (!p || value === undefined) return fail(`Exception occurred while executing 'set-standby-bucket':\njava.lang.IllegalArgumentException: Cannot set bucket ${raw}\n`, 255);
      p.standbyBucket = value;
      return ok();
    }
    if (verb === 'start') return amStart(rest);
    if (verb === 'force-stop') {
      const p = pkg(rest[0]);
      if (p?.users?.[0]) p.users[0].stopped = true;
      return ok();
    }
    if (verb === 'get-current-user') return ok('0\n');
    return ok(`Error: Unknown command: ${verb ?? ''}\n`);
  }

  function amStart(args: string[]): PhoneShellResult {
    const parts: string[] = [];
    let component: string | undefined;
    let targetPkg: string | undefined;
    let category: string | undefined;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const v = args[i + 1];
      if (a === '-a' && v) parts.push(`act=${v}`), i++;
      else if (a === '-d' && v) parts.push(`dat=${v}`), i++;
      else if (a === '-c' && v) (category = v), parts.push(`cat=[${v}]`), i++;
      else if (a === '-n' && v) (component = v), i++;
      else if (a === '-p' && v) (targetPkg = v), i++;
      else if ((a === '--es' || a === '--ei' || a === '--ez') && v) i += 2;
    }
    if (component) {
      const [owner] = component.split('/');
      const p = pkg(owner);
      if (!p) {
        return {
          stdout: `Starting: Intent { ${parts.join(' ')}${parts.length ? ' ' : ''}cmp=${component} }\n`,
          stderr: `Error type 3\nError: Activity class {${component}} does not exist.\n`,
          exitCode: 0,
        };
      }
      parts.push(`cmp=${component}`);
      launch(p);
    } else if (targetPkg) {
      const p = pkg(targetPkg);
      if (!p || category !== 'android.intent.category.LAUNCHER') return fail('Error: Activity not started, unable to resolve Intent\n', 0, `Starting: Intent { ${parts.join(' ')} pkg=${targetPkg} }\n`);
      parts.push(`pkg=${targetPkg}`);
      launch(p);
    }
    return ok(`Starting: Intent { ${parts.join(' ')} }\n`);
  }

  /** Opening an app's activity clears the stopped state, as on a real phone. */
  function launch(p: SimPackage) {
    const u = p.users?.[0];
    if (u) {
      u.stopped = false;
      u.notLaunched = false;
    }
  }

  function pm(args: string[]): PhoneShellResult {
    const [verb, ...rest] = args;
    if (verb === 'list' && rest[0] === 'packages') {
      const flags = rest.slice(1).filter((a) => a.startsWith('-'));
      const filter = rest.slice(1).find((a) => !a.startsWith('-'));
      const withPath = flags.includes('-f');
      const lines = profile.packages
        .filter((p) => !filter || p.name.includes(filter))
        .filter((p) => !flags.includes('-3') || !p.system)
        .filter((p) => !flags.includes('-s') || p.system)
        .map((p) => (withPath ? `package:${p.codePath}/base.apk=${p.name}` : `package:${p.name}`));
      return ok(lines.map((l) => `${l}\n`).join(''));
    }
    if (verb === 'list' && rest[0] === 'users') {
      return ok(['Users:', ...profile.users.map((u) => `\tUserInfo{${u}:${u === 0 ? 'Владелец' : 'Work profile'}:${u === 0 ? 'c13' : '1030'}} running`)].join('\n') + '\n');
    }
    if (verb === 'path') {
      const p = pkg(rest[rest.length - 1]);
      if (!p) return fail('', 1);
      return ok(`package:${p.codePath}/base.apk\n`);
    }
    if (verb === 'grant' || verb === 'revoke') {
      const user = rest[0] === '--user' ? Number(rest[1]) : 0;
      const [name, perm] = rest[0] === '--user' ? rest.slice(2) : rest;
      const p = pkg(name);
      if (!p) return fail(`Exception occurred while executing '${verb}':\njava.lang.IllegalArgumentException: Unknown package: ${name}\n`);
      if (!perm || !(p.requested ?? []).includes(perm)) {
        return fail(`Exception occurred while executing '${verb}':\njava.lang.SecurityException: Package ${name} has not requested permission ${perm ?? ''}\n`);
      }
      const u = p.users?.[user];
      if (!u) return fail(`Exception occurred while executing '${verb}':\njava.lang.IllegalArgumentException: Unknown user ${user}\n`);
      if (!(perm in u.runtime)) {
        return fail(`Exception occurred while executing '${verb}':\njava.lang.SecurityException: Permission ${perm} requested by ${name} is not a changeable permission type\n`);
      }
      u.runtime[perm] = { granted: verb === 'grant', flags: sdk >= 29 ? (verb === 'grant' ? ['USER_SENSITIVE_WHEN_GRANTED', 'USER_SENSITIVE_WHEN_DENIED'] : ['USER_SENSITIVE_WHEN_DENIED']) : undefined };
      return ok();
    }
    return fail(`Unknown command: ${verb ?? ''}\n`, 255);
  }

  function dumpsysPackage(name: string | undefined): PhoneShellResult {
    const p = pkg(name);
    const head = 'Activity Resolver Table:\n  Non-Data Actions:\n\nPermissions:\n\n';
    if (!p) return ok(`${head}Dexopt state:\n\nCompiler stats:\n`);
    const lines: string[] = [
      'Key Set Manager:',
      `  [${p.name}]`,
      '      Signing KeySets: 61',
      '',
      'Packages:',
      `  Package [${p.name}] (a3f9c21):`,
      `    userId=${p.uid}`,
      `    pkg=Package{7be14d0 ${p.name}}`,
      `    codePath=${p.codePath}`,
      `    resourcePath=${p.codePath}`,
      `    legacyNativeLibraryDir=${p.codePath}/lib`,
      '    primaryCpuAbi=arm64-v8a',
      '    secondaryCpuAbi=null',
      `    versionCode=${p.versionCode ?? 1} minSdk=24 targetSdk=${Math.min(sdk, 34)}`,
      `    versionName=${p.versionName ?? '1.0'}`,
      '    splits=[base]',
      '    apkSigningVersion=2',
      `    flags=[ ${p.system ? 'SYSTEM ' : ''}HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP ]`,
      '    timeStamp=2026-10-14 09:12:44',
      '    firstInstallTime=2026-03-02 11:40:05',
      '    lastUpdateTime=2026-10-14 09:12:47',
      '    installerPackageName=com.android.vending',
    ];
    const requested = p.requested ?? [];
    if (requested.length) lines.push('    requested permissions:', ...requested.map((r) => `      ${r}`));
    lines.push('    install permissions:', '      android.permission.INTERNET: granted=true');
    for (const user of profile.users) {
      const u = p.users?.[user];
      if (!u) {
        lines.push(`    User ${user}: ceDataInode=0 installed=false hidden=false suspended=false stopped=true notLaunched=true enabled=0 instant=false virtual=false`);
        continue;
      }
      const distraction = sdk >= 29 ? 'distractionFlags=0 ' : '';
      lines.push(`    User ${user}: ceDataInode=${40000 + p.uid} installed=${u.installed} hidden=false suspended=false ${distraction}stopped=${u.stopped} notLaunched=${u.notLaunched ?? false} enabled=0 instant=false virtual=false`);
      if (sdk >= 31) lines.push(`      firstInstallTime=2026-03-02 11:40:05`);
      lines.push('      gids=[3003]');
      const perms = Object.entries(u.runtime);
      if (perms.length) {
        lines.push('      runtime permissions:');
        for (const [perm, st] of perms) {
          lines.push(`        ${perm}: granted=${st.granted}${st.flags ? `, flags=[ ${st.flags.join('|')} ]` : ''}`);
        }
      }
      if (sdk >= 33) lines.push('      enabledComponents:', `        ${p.name}.CallReceiver`);
    }
    lines.push('', 'Queries:', '  system apps queryable: false');
    return ok(head + lines.join('\n') + '\n');
  }

  function dumpsysNotification(): string {
    const lines = ['Current Notification Manager state:', '  Notification List:', '  mMaxPackageEnqueueRate=5.0', '', '  Notification listeners:', '    All notification listeners (1) enabled for current profiles:', '      ComponentInfo{com.android.systemui/com.android.systemui.statusbar.phone.NotificationListenerWithPlugins}', '', '  Policy:', '    mAreChannelsBypassingDnd=false'];
    for (const p of profile.packages) {
      if (p.system && p.name !== 'com.android.phone') continue;
      let line = `  AppSettings: ${p.name} (${p.uid})`;
      if (p.notificationImportance) line += ` importance=${p.notificationImportance}`;
      if (p.notificationImportance === 'NONE') line += ' userSet=true';
      lines.push(line);
      lines.push(`    NotificationChannel{mId='default', mName=Уведомления, mDescription=, mImportance=${p.notificationImportance === 'NONE' ? 0 : 3}, mBypassDnd=false, mLockscreenVisibility=-1000, mSound=content://settings/system/notification_sound, mLights=false}`);
    }
    return lines.join('\n') + '\n';
  }

  function dumpsys(args: string[]): PhoneShellResult {
    const [service, ...rest] = args;
    if (service === 'package') return dumpsysPackage(rest.find((a) => !a.startsWith('-')));
    if (service === 'notification') return ok(dumpsysNotification());
    if (service === 'deviceidle') {
      if (rest[0] === 'whitelist') return ok(deviceidleList());
      const sys = profile.deviceidleSystem.map((n) => `    ${n}\n`).join('');
      const usr = profile.deviceidleUser.map((n) => `    ${n}\n`).join('');
      return ok(`  Settings:\n    light_after_inactive_to=+3m0s0ms\n  Whitelist (except idle) system apps:\n${sys}  Whitelist system apps:\n${sys}  Whitelist user apps:\n${usr}`);
    }
    if (service === 'role') {
      const out = Object.entries(profile.roles)
        .map(([role, holders]) => `  Role{name=${role}, holders=${holders.join(',')}}\n`)
        .join('');
      return ok(`Roles for user 0:\n${out}`);
    }
    return ok(`Can't find service: ${service ?? ''}\n`);
  }

  function role(args: string[]): PhoneShellResult {
    if (sdk < 29) return fail("cmd: Can't find service: role\n", 20);
    const [verb, roleName] = args;
    // `get-role-holders` arrived in Android 12; 10–11 know only the write verbs, which we do not simulate.
    if (sdk >= 31 && verb === 'get-role-holders' && roleName) return ok(`${(profile.roles[roleName] ?? []).join(';')}\n`);
    return { stdout: 'Unknown command\n', stderr: '', exitCode: 255 };
  }

  function lookupKey(number: string): string {
    const digits = number.replace(/\D/g, '');
    return digits.length > 10 ? digits.slice(-10) : digits;
  }

  function content(args: string[]): PhoneShellResult {
    if (args[0] !== 'query') return fail('usage: adb shell content [subcommand] [options]\n', 1);
    const uri = args[args.indexOf('--uri') + 1] ?? '';
    const pi = args.indexOf('--projection');
    const projection = pi >= 0 ? (args[pi + 1] ?? '').split(':') : undefined;
    const rows: Record<string, string>[] = [];
    if (uri.startsWith('content://com.android.contacts/phone_lookup/')) {
      const wanted = lookupKey(decodeURIComponent(uri.slice('content://com.android.contacts/phone_lookup/'.length)));
      profile.contacts.forEach((c, i) => {
        if (wanted && lookupKey(c.number) === wanted) {
          rows.push({ _id: String(i + 1), display_name: c.name, number: c.number, normalized_number: `+7${lookupKey(c.number)}`, type: '2', label: 'NULL' });
        }
      });
    } else if (uri === 'content://com.android.contacts/data/phones' || uri === 'content://com.android.contacts/data/phones/') {
      profile.contacts.forEach((c, i) => {
        rows.push({ _id: String(i + 1), display_name: c.name, data1: c.number, data4: `+7${lookupKey(c.number)}`, data2: '2' });
      });
    } else {
      return {
        stdout: '',
        stderr: `Error while accessing provider:${uri.replace(/^content:\/\//, '').split('/')[0]}\njava.lang.IllegalArgumentException: Unknown URI ${uri}\n\tat android.database.DatabaseUtils.readExceptionFromParcel(DatabaseUtils.java:172)\n`,
        exitCode: sdk >= 30 ? 1 : 0,
      };
    }
    if (rows.length === 0) return ok('No result found.\n');
    return ok(
      rows
        .map((r, i) => {
          const cols = projection ?? Object.keys(r);
          return `Row: ${i} ${cols.map((c) => `${c}=${r[c] ?? 'NULL'}`).join(', ')}\n`;
        })
        .join(''),
    );
  }

  function cmd(args: string[]): Promise<PhoneShellResult> | PhoneShellResult {
    const [service, ...rest] = args;
    switch (service) {
      case 'deviceidle':
        return deviceidle(rest);
      case 'appops':
        return appops(rest);
      case 'role':
        return role(rest);
      case 'package':
        return pm(rest);
      case 'activity':
        return am(rest);
      case 'settings':
        return settings(rest);
      case 'notification':
        return ok();
      case 'power':
        if (rest[0] === 'set-mode' && rest[1] !== undefined) {
          profile.settings.global.low_power = rest[1] === '0' ? '0' : '1';
          return ok();
        }
        return ok('Power manager (power) commands:\n  set-mode MODE\n');
      case 'battery':
        return ok();
      default:
        return fail(`cmd: Can't find service: ${service ?? ''}\n`, 20);
    }
  }

  /** The build's misbehaving writes (profile quirks): answered before or after the real handler. */
  async function command(argv: string[]): Promise<PhoneShellResult> {
    const line = argv.join(' ');
    phone.commands.push(line);
    await sleep(o.perCommandMs ?? 0);
    const quirk = profile.quirks?.find((q) => line.startsWith(q.prefix));
    if (quirk?.behaviour === 'ignored') return ok();
    const r = await handle(argv);
    if (quirk?.behaviour === 'applied-then-fails' && r.exitCode === 0) {
      return fail(`Exception occurred while executing '${argv[1] ?? ''}':\njava.lang.SecurityException: ${line}: operation not allowed by the vendor policy\n`, 255);
    }
    return r;
  }

  async function handle(argv: string[]): Promise<PhoneShellResult> {
    const [name, ...args] = argv;
    switch (name) {
      case 'getprop':
        return getprop(args);
      case 'settings':
        return settings(args);
      case 'cmd':
        return cmd(args);
      case 'am':
        return am(args);
      case 'pm':
        return pm(args);
      case 'dumpsys':
        return dumpsys(args);
      case 'content':
        return content(args);
      case 'appops':
        return sdk >= 28 ? appops(args) : notFound('appops');
      default:
        return notFound(name ?? '');
    }
  }

  const phone: ControlledPhone = {
    serial: o.serial ?? `SIM${profile.id.replace(/[^a-z0-9]/gi, '').toUpperCase().slice(0, 12)}`,
    state: profile.connection,
    product: profile.props['ro.product.name'] ?? 'sim',
    model: (profile.props['ro.product.model'] ?? 'Simulated').replace(/\s+/g, '_'),
    device: profile.props['ro.product.device'] ?? 'sim',
    features: ['shell_v2', 'cmd', 'stat_v2', 'ls_v2', 'fixed_push_mkdir', 'apex', 'abb', 'abb_exec'],
    profile,
    shellCalls: 0,
    commands: [],
    async run(commandLine: string, stdin?: string): Promise<PhoneShellResult> {
      if (o.unplugAfter !== undefined && phone.shellCalls >= o.unplugAfter && phone.state === 'device') phone.unplug();
      if (phone.state !== 'device') throw new Error(`device ${phone.state}`);
      const freezeAfter = o.freezeAfter ?? profile.freezesAfter;
      // A frozen phone: the connection stays open and nothing ever comes back.
      if (freezeAfter !== undefined && phone.shellCalls >= freezeAfter) return new Promise<never>(() => {});
      phone.shellCalls++;
      await sleep(o.latencyMs ?? 0);
      // The same rule the adb servers use to decide whether to wait for stdin.
      const script = readsScriptFromStdin(commandLine) ? (stdin ?? '') : commandLine;
      const result = await runScript(script, command);
      if (phone.state !== 'device') throw new Error('device offline');
      return result;
    },
    snapshot(): PhoneStateSnapshot {
      const packages: PhoneStateSnapshot['packages'] = {};
      for (const p of profile.packages) {
        if (p.system) continue;
        const u = p.users?.[0];
        packages[p.name] = {
          appops: { ...p.appops },
          standbyBucket: p.standbyBucket,
          stopped: u?.stopped ?? false,
          granted: Object.entries(u?.runtime ?? {}).filter(([, s]) => s.granted).map(([k]) => k).sort(),
          codePath: p.codePath,
        };
      }
      return structuredClone({ settings: profile.settings, deviceidleUser: profile.deviceidleUser, roles: profile.roles, packages });
    },
    unplug() {
      setState('offline');
    },
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return phone;
}
