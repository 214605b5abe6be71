/**
 * A run that will store a watermark checks first that it can: finding out after a long export
 * that the config directory is read-only would throw the watermark (and the run) away.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors.js';
import { configDir } from './paths.js';

export function assertConfigWritable(env: NodeJS.ProcessEnv): void {
  const dir = configDir(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Creating a file is the only test that also holds for root, ACLs and read-only mounts.
    const probe = join(dir, `.write-check-${randomBytes(6).toString('hex')}`);
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch (e) {
    throw new AppError('config', 'config.error.notWritable', { dir, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
  }
}
