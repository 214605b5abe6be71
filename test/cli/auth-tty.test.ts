import { describe, expect, it } from 'vitest';
import { openConfig } from '../../src/config/store.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';
import { atTerminal } from '../helpers/terminal.js';

const fx = useAmoCliFixture({ contacts: 10, seed: 2 }, 'amo-tty-');

const interactive = (argv: string[], answers: [cue: string, keys: string][]) => atTerminal(argv, answers, fx.env());

describe('login on a terminal', () => {
  it('asks for the auth mode and the token, hiding what is typed', async () => {
    const r = await interactive(['login', '--base-url', fx.sb.url], [
      ['navigate', '\r'],
      ['? Long-lived token', `${fx.sb.longLivedToken}\r`],
    ]);
    expect(r.unanswered).toBe(0);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toContain(fx.sb.longLivedToken.slice(20, 40));
    expect(r.stderr).toContain('Logged in to');
    expect(openConfig({ AMO_PHONEBOOK_CONFIG_DIR: fx.dir.path }).getProfile()?.accessToken).toBe(fx.sb.longLivedToken);
  });

  it('walks through the OAuth values when that mode is chosen', async () => {
    const o = fx.sb.oauthClient;
    const code = fx.sb.issueAuthCode();
    const r = await interactive(['login', '--base-url', fx.sb.url, '--account', 'typed'], [
      ['navigate', '\u001b[B\r'],
      ['? Integration ID', `${o.clientId}\r`],
      ['? Secret key', `${o.clientSecret}\r`],
      ['? Redirect URI', `${o.redirectUri}\r`],
      ['? Authorization code', `${code}\r`],
    ]);
    expect(r.unanswered).toBe(0);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain(o.clientSecret);
    expect(r.stderr).not.toContain(code);
    expect(openConfig({ AMO_PHONEBOOK_CONFIG_DIR: fx.dir.path }).getProfile('typed')?.kind).toBe('oauth');
  });
});
