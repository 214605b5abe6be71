/**
 * Readers for the AOSP shell output formats (docs/android-checks.md §2). They take text and return
 * plain values; anything unexpected becomes `undefined` so a check can say "unknown" instead of guessing.
 */

export function parseGetprop(text: string): Record<string, string> {
  const props: Record<string, string> = {};
  for (const m of text.matchAll(/^\[([^\]]+)\]: \[(.*)\]\r?$/gm)) props[m[1]!] = m[2]!;
  return props;
}

/** `settings get` prints the value or `null`; an empty answer means the shell did not get that far. */
export function parseSetting(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const v = text.trim().split('\n')[0]?.trim();
  return v === undefined || v === '' ? undefined : v;
}

/** `pm list packages -f`: `package:/data/app/…/base.apk=com.x` (the path itself may contain `=`). */
export function parsePackageList(text: string): { name: string; path: string }[] {
  const out: { name: string; path: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^package:(.*)=([\w.]+)\r?$/.exec(line.trim());
    if (m) out.push({ path: m[1]!, name: m[2]! });
    else {
      const n = /^package:([\w.]+)\r?$/.exec(line.trim());
      if (n) out.push({ path: '', name: n[1]! });
    }
  }
  return out;
}

export function parseDeviceidle(text: string): { user: string[]; system: string[] } {
  const user: string[] = [];
  const system: string[] = [];
  for (const line of text.split('\n')) {
    const [kind, name] = line.trim().split(',');
    if (!name) continue;
    if (kind === 'user') user.push(name);
    else if (kind === 'system' || kind === 'system-excidle') {
      if (!system.includes(name)) system.push(name);
    }
  }
  return { user, system };
}

/**
 * `cmd appops get PKG OP`: `OP: mode; time=…`, `Uid mode: OP: mode`, `MIUIOP(10008): deny`, or
 * `No operations.` (never set → 'default'). Errors (unknown op) → undefined.
 */
export function parseAppop(text: string | undefined, exitCode: number | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (/Error:|Unknown operation|not found|Can't find service/i.test(text)) return undefined;
  if (exitCode !== undefined && exitCode !== 0) return undefined;
  const modes: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^(?:Uid mode: )?(?:[A-Z_]+|MIUIOP\(\d+\)): ([a-z]+)/.exec(line.trim());
    if (m) modes.push(m[1]!);
  }
  if (modes.length) {
    // The uid-wide mode comes first on new builds; a package mode, when present, is the last word.
    return modes[modes.length - 1];
  }
  if (/No operations\./.test(text)) return 'default';
  return undefined;
}

export function parseBucket(text: string | undefined): number | undefined {
  const v = text?.trim();
  return v && /^\d+$/.test(v) ? Number(v) : undefined;
}

export interface PackageDump {
  versionName?: string;
  firstInstallTime?: string;
  lastUpdateTime?: string;
  codePath?: string;
  requested: string[];
  /** By user id. */
  users: Record<number, { stopped?: boolean; installed?: boolean; runtime: Record<string, { granted: boolean; flags: string[] }> }>;
}

/** `dumpsys package PKG`: only the `Package [PKG]` block is read; `User N:` sections keep their own state. */
export function parsePackageDump(text: string, name: string): PackageDump | undefined {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(`Package [${name}]`));
  if (start < 0) return undefined;
  const dump: PackageDump = { requested: [], users: {} };
  let section: 'requested' | 'install' | 'runtime' | 'other' = 'other';
  let user: number | undefined;
  for (let i = start + 1; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    if (raw.trim() === '' || /^\S/.test(raw) || /^ {2}\S/.test(raw)) break; // end of this package's block
    const line = raw.trim();
    const userM = /^User (\d+): (.*)$/.exec(line);
    if (userM) {
      user = Number(userM[1]);
      const fields = userM[2]!;
      const stopped = /\bstopped=(true|false)\b/.exec(fields);
      const installed = /\binstalled=(true|false)\b/.exec(fields);
      dump.users[user] = { stopped: stopped ? stopped[1] === 'true' : undefined, installed: installed ? installed[1] === 'true' : undefined, runtime: {} };
      section = 'other';
      continue;
    }
    if (line === 'requested permissions:') {
      section = 'requested';
      continue;
    }
    if (line === 'install permissions:') {
      section = 'install';
      continue;
    }
    if (line === 'runtime permissions:') {
      section = 'runtime';
      continue;
    }
    if (/^[a-zA-Z]+[:=]/.test(line) && !line.includes('.permission.') && !/^[\w.]+: granted=/.test(line)) {
      section = 'other';
      const kv = /^(\w+)=(.*)$/.exec(line);
      if (kv && user === undefined) {
        if (kv[1] === 'versionName') dump.versionName = kv[2];
        else if (kv[1] === 'firstInstallTime') dump.firstInstallTime = kv[2];
        else if (kv[1] === 'lastUpdateTime') dump.lastUpdateTime = kv[2];
        else if (kv[1] === 'codePath') dump.codePath = kv[2];
      }
      continue;
    }
    if (section === 'requested') {
      const perm = /^([\w.]+)/.exec(line);
      if (perm) dump.requested.push(perm[1]!);
    } else if (section === 'runtime' && user !== undefined) {
      const m = /^([\w.]+): granted=(true|false)(?:, flags=\[\s*(.*?)\s*\])?/.exec(line);
      if (m) dump.users[user]!.runtime[m[1]!] = { granted: m[2] === 'true', flags: m[3] ? m[3].split(/[|\s]+/).filter(Boolean) : [] };
    }
  }
  return dump;
}

/** `dumpsys notification`: the package's `AppSettings:` line, trimmed, if there is one. */
export function findAppSettingsLine(text: string, name: string): string | undefined {
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (t.startsWith(`AppSettings: ${name} `) || t === `AppSettings: ${name}`) return t;
  }
  return undefined;
}

/** The `importance=` of the package's `AppSettings:` line (printed only when not default); null = no line. */
export function parseNotificationImportance(text: string, name: string): string | undefined | null {
  const line = findAppSettingsLine(text, name);
  if (line === undefined) return null;
  return /\bimportance=(\w+)/.exec(line)?.[1];
}

/** `cmd role get-role-holders ROLE`: holders joined by `;`, or an empty line; null when the command is missing. */
export function parseRoleHolders(text: string | undefined, exitCode: number | undefined): string[] | null {
  if (text === undefined || exitCode !== 0 || /Unknown command|Can't find service|not found/i.test(text)) return null;
  return text.trim().split(';').map((s) => s.trim()).filter(Boolean);
}

/** `content query`: `Row: N a=b, c=d` lines; `No result found.`; errors → undefined. */
export function parseContentRows(text: string): Record<string, string>[] | undefined {
  if (/Error while accessing provider|Exception/i.test(text)) return undefined;
  const rows: Record<string, string>[] = [];
  for (const line of text.split('\n')) {
    const m = /^Row: \d+ (.*)$/.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const row: Record<string, string> = {};
    // Values may contain ", " (names), so split only before "key=" tokens.
    for (const part of m[1]!.split(/, (?=[\w]+=)/)) {
      const eq = part.indexOf('=');
      if (eq > 0) row[part.slice(0, eq)] = part.slice(eq + 1);
    }
    rows.push(row);
  }
  return rows;
}
