import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openConfig, type Profile } from '../../src/config/store.js';
import { withFileLock, withFileLockSync } from '../../src/config/lock.js';
import { AppError } from '../../src/errors.js';
import { tempDir } from '../helpers/cli.js';

const dirs: { cleanup: () => void }[] = [];
function env() {
  const d = tempDir('amo-config-');
  dirs.push(d);
  return { dir: d.path, env: { AMO_PHONEBOOK_CONFIG_DIR: d.path } as NodeJS.ProcessEnv };
}
afterEach(() => {
  while (dirs.length) dirs.pop()!.cleanup();
});

function profile(name: string, savedAt: number, extra: Partial<Profile> = {}): Profile {
  return {
    name,
    host: `${name}.amocrm.ru`,
    baseUrl: `https://${name}.amocrm.ru`,
    kind: 'long-lived',
    accessToken: `token-of-${name}-0123456789`,
    accountId: 1,
    accountName: name.toUpperCase(),
    subdomain: name,
    userId: 2,
    userName: 'U',
    country: 'RU',
    savedAt,
    ...extra,
  };
}

function thrown(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('config store', () => {
  it('keeps several profiles; the last login is the default; removal falls back to the newest remaining', () => {
    const { env: e } = env();
    const s = openConfig(e);
    expect(s.getProfile()).toBeUndefined();
    s.saveProfile(profile('acme', 1));
    s.saveProfile(profile('beta', 2));
    s.saveProfile(profile('gamma', 3));
    expect(s.defaultProfileName()).toBe('gamma');
    expect(s.getProfile()?.name).toBe('gamma');
    expect(s.getProfile('acme')?.host).toBe('acme.amocrm.ru');
    expect(s.listProfiles().map((p) => p.name)).toEqual(['acme', 'beta', 'gamma']);
    expect(s.removeProfile('gamma')).toBe(true);
    expect(s.defaultProfileName()).toBe('beta');
    expect(s.removeProfile('gamma')).toBe(false);
    s.removeProfile('beta');
    s.removeProfile('acme');
    expect(s.defaultProfileName()).toBeUndefined();
  });

  it('updateProfile changes fields without moving the default', () => {
    const { env: e } = env();
    const s = openConfig(e);
    s.saveProfile(profile('acme', 1));
    s.saveProfile(profile('beta', 2));
    const u = s.updateProfile('acme', { accessToken: 'rotated-access-token-xyz' });
    expect(u?.accessToken).toBe('rotated-access-token-xyz');
    expect(s.defaultProfileName()).toBe('beta');
    expect(openConfig(e).getProfile('acme')?.accessToken).toBe('rotated-access-token-xyz');
    expect(s.updateProfile('nobody', { accessToken: 'x' })).toBeUndefined();
  });

  it('stores other parts\' data next to the profiles', () => {
    const { env: e } = env();
    const s = openConfig(e);
    s.saveProfile(profile('acme', 1));
    s.setData('export:acme:out.vcf', { watermark: 1767225600 });
    expect(openConfig(e).getData<{ watermark: number }>('export:acme:out.vcf')?.watermark).toBe(1767225600);
    s.deleteData('export:acme:out.vcf');
    expect(s.getData('export:acme:out.vcf')).toBeUndefined();
    expect(s.getProfile('acme')).toBeDefined();
  });

  it('writes the file with mode 0600 and tightens a looser existing file', () => {
    const { dir, env: e } = env();
    const s = openConfig(e);
    s.saveProfile(profile('acme', 1));
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
    expect(s.path).toBe(join(dir, 'config.json'));
    chmodSync(s.path, 0o644);
    expect(statSync(s.path).mode & 0o777).toBe(0o644);
    s.setData('k', 1);
    expect(statSync(s.path).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['bad JSON', '{"profiles": {"acme": '],
    ['a JSON array', '[1, 2, 3]'],
    ['a foreign JSON object', '{"theme": "dark", "window": {"width": 800}}'],
    ['a malformed profile', '{"profiles": {"acme": {"name": "acme"}}}'],
  ])('refuses %s with one line naming the file, and leaves it byte-identical', (_what, content) => {
    const { dir, env: e } = env();
    const path = join(dir, 'config.json');
    writeFileSync(path, content, { mode: 0o600 });
    const before = readFileSync(path);
    const s = openConfig(e);
    const err = thrown(() => s.getProfile());
    expect(err.kind).toBe('config');
    expect(err.key).toBe('config.error.unreadable');
    expect(err.params.path).toBe(path);
    expect(String(err.params.reason)).not.toContain('\n');
    expect(thrown(() => s.saveProfile(profile('acme', 1))).kind).toBe('config');
    expect(thrown(() => s.setData('k', 1)).kind).toBe('config');
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it.each([
    ['an unexpected character inside a token', '{"profiles": {"acme": {"accessToken": "eyJhbGciOi" SECRETPART0123456789abcdef"}}}'],
    ['a token cut off at the end', '{"profiles": {"acme": {"accessToken": "SECRETPART0123456789abcdef'],
    ['a bare word', 'SECRETPART0123456789abcdef'],
    ['a broken second line', '{\n"x": SECRETPART0123456789abcdef}'],
  ])('a syntax error (%s) never quotes the file, only says where', (_what, content) => {
    const { dir, env: e } = env();
    writeFileSync(join(dir, 'config.json'), content, { mode: 0o600 });
    const err = thrown(() => openConfig(e).getProfile());
    const reason = String(err.params.reason);
    expect(reason).toMatch(/^invalid JSON/);
    // Not even a fragment: no run of 4 characters from inside the file's strings and words.
    for (let i = 0; i + 4 <= 'SECRETPART0123456789abcdef'.length; i++) expect(reason).not.toContain('SECRETPART0123456789abcdef'.slice(i, i + 4));
    expect(reason).not.toContain('eyJ');
    expect(reason).not.toContain('"');
  });

  it('breaks a lock left by a dead process', () => {
    const { dir } = env();
    mkdirSync(dir, { recursive: true });
    const lock = join(dir, 'x.lock');
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 12345, at: Date.now() }));
    expect(withFileLockSync(lock, () => 42, { timeoutMs: 2000 })).toBe(42);
    expect(existsSync(lock)).toBe(false);
  });

  it('async sections under one lock never overlap, even when one outlives the stale age', async () => {
    const { dir } = env();
    const lock = join(dir, 'z.lock');
    const events: string[] = [];
    const section = (name: string, ms: number) =>
      withFileLock(
        lock,
        async () => {
          events.push(`${name}+`);
          await new Promise((r) => setTimeout(r, ms));
          events.push(`${name}-`);
        },
        { staleMs: 600, pollMs: 10 },
      );
    // The heartbeat (every 200 ms) keeps a 1,500 ms holder fresh although locks older than 600 ms
    // count as abandoned; the margins leave room for a loaded machine's timer delays.
    await Promise.all([section('a', 1500), new Promise((r) => setTimeout(r, 20)).then(() => section('b', 10))]);
    expect(events).toEqual(['a+', 'a-', 'b+', 'b-']);
    expect(existsSync(lock)).toBe(false);
  });

  it('waits for a live holder and then times out with a config error', () => {
    const { dir } = env();
    const lock = join(dir, 'y.lock');
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, at: Date.now() }));
    const err = thrown(() => withFileLockSync(lock, () => 1, { timeoutMs: 150 }));
    expect(err.key).toBe('config.error.locked');
    expect(existsSync(lock)).toBe(true);
  });
});
