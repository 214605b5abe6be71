/**
 * The work of `amo-export sandbox` (sandbox.ts declares its options): start the amoCRM-compatible
 * sandbox, print its URL and an admin token as data, run until Ctrl+C / SIGTERM.
 */
import { AppError } from '../../errors.js';
import type { CliDeps } from '../deps.js';
import type { CommonOptions } from '../program.js';
import { isLoopbackHost, startAmoSandbox } from '../../sandbox/amocrm/index.js';
import type { SandboxBehaviour } from '../../sandbox/amocrm/types.js';

export interface SandboxFlags extends CommonOptions {
  port?: string;
  host?: string;
  contacts?: string;
  seed?: string;
  latency?: string;
  rateLimit?: string;
  rateLimitFormat?: 'json' | 'html';
  faults?: string;
  ignoreDateFilter?: boolean;
  tokenTtl?: string;
  bulkEditSize?: string;
  blockAfter?: string;
}

function integer(deps: CliDeps, value: string | undefined, flag: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^-?\d+$/.test(value.trim()) || n < min || n > max) {
    throw new AppError('usage', 'error.badNumber', { value, flag, expected: deps.io.t('sandbox.expected.integer', { min, max }) });
  }
  return n;
}

function rate(deps: CliDeps, value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) {
    throw new AppError('usage', 'error.badNumber', { value, flag, expected: deps.io.t('sandbox.expected.rate') });
  }
  return n;
}

function waitForStop(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.removeListener('SIGINT', done);
      process.removeListener('SIGTERM', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    if (signal.aborted) return resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

export async function runSandbox(flags: SandboxFlags, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const host = flags.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) throw new AppError('usage', 'sandbox.error.notLoopback', { host });
  const port = integer(deps, flags.port, '--port', 0, 65535) ?? 0;
  const contacts = integer(deps, flags.contacts, '--contacts', 0, 1_000_000) ?? 2000;
  const seed = integer(deps, flags.seed, '--seed', 0, 2 ** 31 - 1) ?? 1;
  const faults = rate(deps, flags.faults, '--faults');
  const behaviour: Partial<SandboxBehaviour> = {};
  const latency = integer(deps, flags.latency, '--latency', 0, 600_000);
  if (latency !== undefined) behaviour.latencyMs = latency;
  const rps = integer(deps, flags.rateLimit, '--rate-limit', 1, 10_000);
  if (rps !== undefined) behaviour.rateLimitRps = rps;
  if (flags.rateLimitFormat) behaviour.rateLimitFormat = flags.rateLimitFormat;
  const blockAfter = integer(deps, flags.blockAfter, '--block-after', 1, 1_000_000);
  if (blockAfter !== undefined) behaviour.blockAfter429s = blockAfter;
  if (faults !== undefined) {
    behaviour.fault5xxRate = faults / 2;
    behaviour.fault504Rate = faults / 2;
  }
  if (flags.ignoreDateFilter) behaviour.ignoreDateFilter = true;
  const ttl = integer(deps, flags.tokenTtl, '--token-ttl', 1, 10 * 365 * 86400);
  if (ttl !== undefined) behaviour.accessTokenTtlSec = ttl;
  const bulkEditSize = integer(deps, flags.bulkEditSize, '--bulk-edit-size', 0, 1_000_000);

  let sandbox;
  try {
    sandbox = await startAmoSandbox({ host, port, contacts, seed, bulkEditSize, behaviour });
  } catch (e) {
    throw new AppError('network', 'sandbox.error.listen', { host, port, reason: e instanceof Error ? e.message : String(e) }, { cause: e });
  }
  try {
    if (io.json) {
      io.out(JSON.stringify({ url: sandbox.url, token: sandbox.longLivedToken, accountId: sandbox.accountId, contacts, seed, oauth: sandbox.oauthClient, users: sandbox.users() }));
    } else {
      io.out(`url: ${sandbox.url}`);
      io.out(`token: ${sandbox.longLivedToken}`);
      io.info(io.t('sandbox.started', { contacts, seed, url: sandbox.url }));
      io.info(io.t('sandbox.hint.login', { url: sandbox.url }));
      io.info(io.t('sandbox.hint.oauth', { clientId: sandbox.oauthClient.clientId, redirectUri: sandbox.oauthClient.redirectUri }));
      io.info(io.t('sandbox.hint.stop'));
    }
    await waitForStop(deps.signal);
  } finally {
    await sandbox.close();
  }
  if (!io.json) io.info(io.t('sandbox.stopped'));
}
