/**
 * Shared by the export tests: a sandbox on 127.0.0.1 with a stored profile pointing at it, and
 * readers of our vCard output good enough to pull ids back out (the real parsers are used in the
 * end-to-end test).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import type { AmoSandbox, SandboxOptions } from '../../src/sandbox/amocrm/types.js';
import { openConfig } from '../../src/config/store.js';
import { baseEnv, tempDir } from '../helpers/cli.js';

export interface Fixture {
  sb: AmoSandbox;
  env: NodeJS.ProcessEnv;
  dir: string;
  close(): Promise<void>;
}

/** Saves a long-lived-token profile for the sandbox (as the admin unless a token is given). */
export function saveProfile(env: NodeJS.ProcessEnv, name: string, sb: AmoSandbox, token = sb.longLivedToken): void {
  const url = new URL(sb.url);
  openConfig(env).saveProfile({
    name,
    host: url.host,
    baseUrl: sb.url,
    kind: 'long-lived',
    accessToken: token,
    accountId: sb.accountId,
    accountName: 'Sandbox',
    subdomain: 'sandbox',
    userId: 9000001,
    userName: 'Admin',
    country: 'RU',
    savedAt: Date.now(),
  });
}

export async function fixture(o: SandboxOptions = {}, profile = 'main'): Promise<Fixture> {
  const sb = await startAmoSandbox({ contacts: 600, bulkEditSize: 300, ...o });
  const d = tempDir('amo-export-');
  const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: `${d.path}/config` });
  saveProfile(env, profile, sb);
  return {
    sb,
    env,
    dir: d.path,
    close: async () => {
      await sb.close();
      d.cleanup();
    },
  };
}

/** Contact ids of our own vCard output (UID amocrm-{account}-{id}). */
export function vcardIds(text: string): number[] {
  return [...text.matchAll(/^UID:amocrm-\d+-(\d+)\r?$/gm)].map((m) => Number(m[1]));
}

export function vcardIdsOf(path: string): number[] {
  return vcardIds(readFileSync(path, 'utf8'));
}



const DEVICES = { null: '3', full: '7' } as const;

/**
 * A path in `dir` that is a character device like /dev/null (writes vanish) or /dev/full (writes
 * fail with ENOSPC, like a full disk). As root it is a device node of our own, so that even a
 * regression that replaces the target by a rename only ever touches the test's directory; others
 * cannot replace anything in /dev, so for them a symlink to the real device is just as safe.
 */
export function devicePath(dir: string, device: keyof typeof DEVICES, name = `${device}.vcf`): string {
  const path = join(dir, name);
  if (process.getuid?.() === 0) execFileSync('mknod', ['-m', '666', path, 'c', '1', DEVICES[device]]);
  else symlinkSync(`/dev/${device}`, path);
  return path;
}
