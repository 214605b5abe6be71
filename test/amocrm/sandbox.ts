/** A shared sandbox per test file, reset to default behaviour between tests. */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startAmoSandbox, DEFAULT_BEHAVIOUR, type AmoSandbox, type SandboxOptions } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient, type AmoClient, type AmoClientOptions } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { AppError } from '../../src/errors.js';

export function useSandbox(opts: SandboxOptions = { contacts: 600, seed: 7, bulkEditSize: 40 }) {
  const ctx = { sb: undefined as unknown as AmoSandbox, clients: [] as AmoClient[] };
  beforeAll(async () => {
    ctx.sb = await startAmoSandbox(opts);
  });
  afterAll(async () => {
    await ctx.sb?.close();
  });
  beforeEach(() => {
    ctx.sb.setBehaviour({ ...DEFAULT_BEHAVIOUR });
    ctx.sb.stats.reset();
  });
  afterEach(async () => {
    await Promise.all(ctx.clients.splice(0).map((c) => c.close()));
  });
  return {
    get sb() {
      return ctx.sb;
    },
    client(o: Partial<AmoClientOptions> = {}): AmoClient {
      const c = createAmoClient({ baseUrl: ctx.sb.url, auth: staticTokenProvider(ctx.sb.longLivedToken), backoffBaseMs: 20, ...o });
      ctx.clients.push(c);
      return c;
    },
  };
}

export async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}
