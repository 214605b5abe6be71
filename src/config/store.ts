/**
 * Profiles (one per amoCRM account and login) plus a small key/value area other parts use for
 * watermarks. Backed by conf (atomic temp-file + rename writes, mode 0600). A file we cannot read
 * or that is not ours is reported, never rewritten: it may hold the only copy of someone's tokens.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Conf from 'conf';
import { lazy } from '../lazy.js';
import { AppError } from '../errors.js';
import { configDir } from './paths.js';
import { withFileLockSync } from './lock.js';

const confModule = lazy<typeof import('conf')>('conf');

export type TokenKind = 'long-lived' | 'oauth';

export interface Profile {
  name: string;
  /** e.g. acme.amocrm.ru, or 127.0.0.1:4000 for a loopback server. */
  host: string;
  /** https://acme.amocrm.ru — what API paths are appended to. */
  baseUrl: string;
  kind: TokenKind;
  accessToken: string;
  refreshToken?: string;
  /** Unix ms when the access token stops working (from expires_in and the JWT exp, whichever is earlier). */
  expiresAt?: number;
  clientId?: string;
  clientSecret?: string;
  redirectUri?: string;
  accountId: number;
  accountName: string;
  subdomain: string;
  userId: number;
  userName: string;
  country: string;
  /** Unix ms of the last successful OAuth exchange or refresh. */
  lastRefreshAt?: number;
  /** Unix ms of the login. */
  savedAt: number;
}

export interface ConfigStore {
  path: string;
  listProfiles(): Profile[];
  /** The default profile when name is omitted. */
  getProfile(name?: string): Profile | undefined;
  /** Saves and makes it the default (a login). */
  saveProfile(p: Profile): void;
  /** Changes fields of a stored profile in one locked read-modify-write, keeping the default as is (a token refresh). */
  updateProfile(name: string, patch: Partial<Omit<Profile, 'name'>>): Profile | undefined;
  removeProfile(name: string): boolean;
  defaultProfileName(): string | undefined;
  getData<T>(key: string): T | undefined;
  setData(key: string, value: unknown): void;
  /**
   * One locked read-modify-write of a data key: `mutate` gets the current value as stored by any
   * process and returns the new one (undefined removes the key). Never read outside the lock and
   * write back whole: a parallel writer's change would be lost.
   */
  updateData<T>(key: string, mutate: (current: T | undefined) => T | undefined): T | undefined;
  deleteData(key: string): void;
}

interface StoreShape {
  version?: number;
  defaultProfile?: string;
  profiles?: Record<string, Profile>;
  data?: Record<string, unknown>;
}

const FORMAT_VERSION = 1;
// conf keeps its own bookkeeping under this key when migrations are used.
const KNOWN_KEYS = new Set(['version', 'defaultProfile', 'profiles', 'data', '__internal__']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A copy of `o` without `key` (the store's values are replaced, never mutated in place). */
function without<T>(o: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _gone, ...rest } = o;
  void _gone;
  return rest;
}

/**
 * One line for the error. A JSON parse error's message quotes the text around the error, which can
 * be part of a token, so only where it is (numbers) is kept, never what is there.
 */
function readFailure(e: unknown): string {
  if (!(e instanceof SyntaxError)) return (e as Error).message;
  const lineCol = /line (\d+) column (\d+)/.exec(e.message);
  if (lineCol) return `invalid JSON at line ${lineCol[1]}, column ${lineCol[2]}`;
  const pos = /position (\d+)/.exec(e.message);
  return pos ? `invalid JSON at character ${Number(pos[1]) + 1}` : 'invalid JSON';
}

function isProfile(v: unknown): v is Profile {
  if (!isObject(v)) return false;
  return (
    typeof v.name === 'string' &&
    typeof v.host === 'string' &&
    typeof v.baseUrl === 'string' &&
    (v.kind === 'long-lived' || v.kind === 'oauth') &&
    typeof v.accessToken === 'string' &&
    (v.refreshToken === undefined || typeof v.refreshToken === 'string') &&
    (v.expiresAt === undefined || typeof v.expiresAt === 'number') &&
    typeof v.accountId === 'number'
  );
}

/** Why the parsed file is not an amo-phonebook config, or undefined when it is one. */
function shapeProblem(v: unknown): string | undefined {
  if (!isObject(v)) return 'not a JSON object';
  for (const k of Object.keys(v)) if (!KNOWN_KEYS.has(k)) return `unexpected key "${k}"`;
  if (v.version !== undefined && v.version !== FORMAT_VERSION) return `unsupported version ${String(v.version)}`;
  if (v.defaultProfile !== undefined && typeof v.defaultProfile !== 'string') return '"defaultProfile" is not a string';
  if (v.data !== undefined && !isObject(v.data)) return '"data" is not an object';
  if (v.profiles !== undefined) {
    if (!isObject(v.profiles)) return '"profiles" is not an object';
    for (const [name, p] of Object.entries(v.profiles)) if (!isProfile(p)) return `profile "${name}" is malformed`;
  }
  return undefined;
}

export function openConfig(env: NodeJS.ProcessEnv): ConfigStore {
  const dir = configDir(env);
  const path = join(dir, 'config.json');
  const lockPath = `${path}.lock`;
  let conf: Conf<StoreShape> | undefined;

  const corrupt = (reason: string, cause?: unknown) => new AppError('config', 'config.error.unreadable', { path, reason }, { cause });

  function handle(): Conf<StoreShape> {
    if (conf) return conf;
    if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
    try {
      conf = new (confModule().default)<StoreShape>({
        projectName: 'amo-phonebook',
        projectSuffix: '',
        cwd: dir,
        configName: 'config',
        configFileMode: 0o600,
        clearInvalidConfig: false,
        accessPropertiesByDotNotation: false,
      });
    } catch (e) {
      throw corrupt(readFailure(e), e);
    }
    return conf;
  }

  /** Reads the file afresh every time, so another process's refresh is seen at once. */
  function read(): StoreShape {
    let raw: unknown;
    try {
      raw = handle().store;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw corrupt(readFailure(e), e);
    }
    const problem = shapeProblem(raw);
    if (problem) throw corrupt(problem);
    return raw as StoreShape;
  }

  function update(mutate: (s: StoreShape) => void): void {
    const c = handle();
    withFileLockSync(lockPath, () => {
      const s = read();
      mutate(s);
      s.version = FORMAT_VERSION;
      c.store = s;
      // A file the user created or copied in with looser permissions is tightened on the first write.
      chmodSync(path, 0o600);
    });
  }

  const store: ConfigStore = {
    path,
    listProfiles() {
      return Object.values(read().profiles ?? {}).sort((a, b) => a.name.localeCompare(b.name));
    },
    getProfile(name) {
      const s = read();
      const key = name ?? s.defaultProfile;
      if (key === undefined) return undefined;
      return s.profiles?.[key];
    },
    saveProfile(p) {
      update((s) => {
        s.profiles = { ...(s.profiles ?? {}), [p.name]: p };
        s.defaultProfile = p.name;
      });
    },
    updateProfile(name, patch) {
      let next: Profile | undefined;
      update((s) => {
        const current = s.profiles?.[name];
        if (!current) return;
        next = { ...current, ...patch, name };
        s.profiles = { ...s.profiles, [name]: next };
      });
      return next;
    },
    removeProfile(name) {
      let removed = false;
      update((s) => {
        if (!s.profiles?.[name]) return;
        const rest = without(s.profiles, name);
        s.profiles = rest;
        removed = true;
        if (s.defaultProfile === name) {
          // The most recently logged-in remaining account becomes the default.
          const next = Object.values(rest).sort((a, b) => b.savedAt - a.savedAt)[0];
          if (next) s.defaultProfile = next.name;
          else delete s.defaultProfile;
        }
      });
      return removed;
    },
    defaultProfileName() {
      const s = read();
      return s.defaultProfile !== undefined && s.profiles?.[s.defaultProfile] ? s.defaultProfile : undefined;
    },
    getData<T>(key: string) {
      return read().data?.[key] as T | undefined;
    },
    setData(key, value) {
      update((s) => {
        s.data = { ...(s.data ?? {}), [key]: value };
      });
    },
    updateData<T>(key: string, mutate: (current: T | undefined) => T | undefined) {
      let next: T | undefined;
      update((s) => {
        next = mutate(s.data?.[key] as T | undefined);
        if (next === undefined) {
          if (s.data && key in s.data) s.data = without(s.data, key);
        } else s.data = { ...(s.data ?? {}), [key]: next };
      });
      return next;
    },
    deleteData(key) {
      update((s) => {
        if (!s.data || !(key in s.data)) return;
        s.data = without(s.data, key);
      });
    },
  };
  return store;
}
