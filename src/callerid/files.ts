/** File plumbing for datasets: sha256, atomic single-file writes, reading a manifest. */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, fsyncSync, openSync, closeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { AppError } from '../errors.js';
import { isManifest, MANIFEST, type Manifest } from './manifest.js';

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

export function writeSynced(path: string, data: Buffer | string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w', mode);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Temp file in the same directory, fsync, rename: readers see the old file or the new one. */
export function writeAtomic(path: string, data: Buffer | string, mode = 0o644): void {
  const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeSynced(tmp, data, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new AppError('input', 'error.fileWrite', { path, reason: (e as NodeJS.ErrnoException).code ?? String(e) }, { cause: e });
  }
}

export type ManifestRead = { ok: true; manifest: Manifest } | { ok: false; reason: 'missing' | 'unreadable' | 'foreign' };

export function readManifest(dir: string): ManifestRead {
  let text: string;
  try {
    text = readFileSync(join(dir, MANIFEST), 'utf8');
  } catch (e) {
    return { ok: false, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable' };
  }
  try {
    const v: unknown = JSON.parse(text);
    return isManifest(v) ? { ok: true, manifest: v } : { ok: false, reason: 'foreign' };
  } catch {
    return { ok: false, reason: 'unreadable' };
  }
}

/** The file's bytes if present and matching the manifest's size and checksum, else null. */
export function readListed(dir: string, m: Manifest, path: string): Buffer | null {
  const f = m.files.find((x) => x.path === path);
  if (!f) return null;
  try {
    const b = readFileSync(join(dir, path));
    return b.length === f.bytes && sha256(b) === f.sha256 ? b : null;
  } catch {
    return null;
  }
}
