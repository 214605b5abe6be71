/**
 * Packages that take tens of milliseconds to load (undici, conf, ora, libphonenumber's `max`
 * metadata) are required on first use, so `--version` and `--help` start without them. Node ≥20.19
 * requires ES modules synchronously, which keeps the callers' APIs synchronous.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazy<T>(id: string): () => T {
  let m: T | undefined;
  return () => (m ??= require(id) as T);
}
