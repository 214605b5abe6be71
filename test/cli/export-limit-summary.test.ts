/**
 * The text summary of an export says how many contacts a limit left out: `--target ios` (5,000 per
 * account) and `--limit N`. Against the sandbox over real HTTP.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const CONTACTS = 5_800; // about 90 % have a phone: over 5,000 exported
const fx = useAmoCliFixture({ contacts: CONTACTS, seed: 4 }, 'amo-export-limit-');
const env = () => fx.env({ AMO_TOKEN: fx.sb.longLivedToken, AMO_BASE_URL: fx.sb.url });

describe('what a limit left out, in the text summary', () => {
  it('--target ios names the contacts beyond 5,000; --limit N beyond N; in Russian too', async () => {
    const all = await runInProcess(main, ['--since', '2000-01-01', '--json', '-o', join(fx.dir.path, 'all.vcf')], { env: env() });
    const total = (JSON.parse(all.stdout) as { exported: number }).exported;
    expect(total).toBeGreaterThan(5_000);

    const ios = await runInProcess(main, ['--since', '2000-01-01', '--target', 'ios', '-o', join(fx.dir.path, 'ios.vcf')], { env: env() });
    expect(ios.code, ios.stderr).toBe(0);
    expect(ios.stderr).toContain(`${total - 5_000} contacts left out by the limit of 5000 per account`);

    const one = await runInProcess(main, ['--since', '2000-01-01', '--limit', String(total - 1), '--full', '-o', join(fx.dir.path, 'one.vcf'), '--lang', 'ru'], { env: env() });
    expect(one.stderr).toContain(`Ограничение ${total - 1} на аккаунт оставило за бортом 1 контакт `);
  }, 120_000);
});
