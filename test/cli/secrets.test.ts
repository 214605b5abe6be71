import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { openConfig } from '../../src/config/store.js';
import { runInProcess, type RunResult } from '../helpers/cli.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const fx = useAmoCliFixture({ contacts: 20, seed: 11 }, 'amo-secrets-');
const env = fx.env;

/** Every 10-character piece of a secret; a JWT's public header is not secret, so only its payload and signature count. */
function pieces(secret: string): string[] {
  const parts = secret.split('.');
  const sensitive = parts.length === 3 ? `${parts[1]}.${parts[2]}` : secret;
  const out: string[] = [];
  for (let i = 0; i + 10 <= sensitive.length; i += 3) out.push(sensitive.slice(i, i + 10));
  return out;
}

function expectNoSecret(results: RunResult[], secrets: string[]): void {
  const text = results.map((r) => `${r.stdout}\n${r.stderr}`).join('\n');
  for (const s of secrets) {
    expect(text).not.toContain(s);
    for (const p of pieces(s)) expect(text.includes(p), `a piece of a secret leaked: ${p.slice(0, 3)}…`).toBe(false);
  }
}

describe('no secret in any output', () => {
  it.each([[[] as string[]], [['--verbose']], [['--json']], [['--verbose', '--json']]])('login/status/logout with %j', async (globals) => {
    const run = (argv: string[], extra: NodeJS.ProcessEnv = {}) => runInProcess(exportMain, [...globals, ...argv], { env: env(extra) });
    const o = fx.sb.oauthClient;
    const code = fx.sb.issueAuthCode();
    const results: RunResult[] = [];
    results.push(await run(['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'll']));
    results.push(await run(['login', '--base-url', fx.sb.url, '--client-id', o.clientId, '--client-secret', o.clientSecret, '--redirect-uri', o.redirectUri, '--code', code, '--account', 'oa']));
    const store = openConfig(env());
    const first = store.getProfile('oa')!;
    // A stale token makes status refresh it: the refresh request is logged too.
    store.updateProfile('oa', { expiresAt: Date.now() - 1000 });
    results.push(await run(['status', '--account', 'oa']));
    const rotated = store.getProfile('oa')!;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    results.push(await run(['status', '--account', 'll']));
    // Failures print server details: a reused code and a revoked refresh token.
    results.push(await run(['login', '--base-url', fx.sb.url, '--client-id', o.clientId, '--client-secret', o.clientSecret, '--redirect-uri', o.redirectUri, '--code', code]));
    fx.sb.revokeToken(rotated.refreshToken!);
    store.updateProfile('oa', { expiresAt: Date.now() - 1000 });
    const failed = await run(['status', '--account', 'oa']);
    expect(failed.code).toBe(3);
    results.push(failed);
    results.push(await run(['logout', '--account', 'oa']));
    results.push(await run(['logout', '--account', 'll']));
    if (globals.includes('--verbose')) {
      const all = results.map((r) => r.stderr).join('\n');
      expect(all).toMatch(/GET \/api\/v4\/account → 200/);
      expect(all).toMatch(/POST \/oauth2\/access_token grant_type=refresh_token → 200/);
    }
    expect(results.slice(0, 4).every((r) => r.code === 0)).toBe(true);
    expectNoSecret(results, [fx.sb.longLivedToken, first.accessToken, first.refreshToken!, rotated.accessToken, rotated.refreshToken!, o.clientSecret, code]);
    // The config file is the one place tokens live.
    expect(readFileSync(store.path, 'utf8')).not.toContain(fx.sb.longLivedToken);
  });

  it('export, caller-ID build and the doctor\'s CRM lookup with --verbose, on OAuth and long-lived profiles', async () => {
    const o = fx.sb.oauthClient;
    const run = (main: typeof exportMain, argv: string[]) => runInProcess(main, ['--verbose', ...argv], { env: env(), cwd: fx.dir.path });
    const results: RunResult[] = [];
    results.push(await run(exportMain, ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'll']));
    results.push(await run(exportMain, ['login', '--base-url', fx.sb.url, '--client-id', o.clientId, '--client-secret', o.clientSecret, '--redirect-uri', o.redirectUri, '--code', fx.sb.issueAuthCode(), '--account', 'oa']));
    const store = openConfig(env());
    const first = store.getProfile('oa')!;
    store.updateProfile('oa', { expiresAt: Date.now() - 1000 }); // the export refreshes, and logs it
    for (const account of ['oa', 'll']) {
      results.push(await run(exportMain, ['--account', account, '--since', '2024-01-01', '--json']));
      results.push(await run(calleridMain, ['build', '--account', account, '--out', join(fx.dir.path, `cid-${account}`), '--json']));
      results.push(await run(doctorMain, ['--sandbox', 'pixel-15', '--crm-account', account, '--number', '+79161234567', '--json']));
    }
    // The doctor exits 1: the number is not in the sandbox's CRM, so its number check is a problem.
    expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 1, 0, 0, 1]);
    expect(results.slice(2).some((r) => /\/api\/v4\/contacts/.test(r.stderr))).toBe(true); // the request log was on
    const rotated = store.getProfile('oa')!;
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    expectNoSecret(results, [fx.sb.longLivedToken, first.accessToken, first.refreshToken!, rotated.accessToken, rotated.refreshToken!, o.clientSecret]);
  });
});
