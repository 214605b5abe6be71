/**
 * `amo-doctor --number` end to end on a logged-in profile: the number is looked up in amoCRM (the
 * sandbox over HTTP) and in the last caller-ID dataset built on this computer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main as exportMain } from '../../src/cli/amo-export.js';
import { main as calleridMain } from '../../src/cli/amo-callerid.js';
import { main as doctorMain } from '../../src/cli/amo-doctor.js';
import { runInProcess } from '../helpers/cli.js';
import { useAmoCliFixture } from '../helpers/amo-cli-fixture.js';

const fx = useAmoCliFixture({ contacts: 150, seed: 5 }, 'amo-doctor-crm-');

interface NumberCheck {
  id: string;
  status: string;
  details: string[];
}

async function numberCheck(number: string): Promise<{ code: number; check: NumberCheck }> {
  const r = await runInProcess(doctorMain, ['--sandbox', 'pixel-15', '--crm-account', 'crm', '--number', number, '--check', 'number', '--json'], { env: fx.env(), cwd: fx.dir.path });
  const check = (JSON.parse(r.stdout) as { checks: NumberCheck[] }).checks.find((c) => c.id === 'number')!;
  return { code: r.code, check };
}

describe('amo-doctor --number with a logged-in profile', () => {
  it('finds a client number in amoCRM and in the last dataset, and says when it is in neither', async () => {
    const login = await runInProcess(exportMain, ['login', '--base-url', fx.sb.url, '--token', fx.sb.longLivedToken, '--account', 'crm'], { env: fx.env() });
    expect(login.code).toBe(0);
    const out = join(fx.dir.path, 'callerid');
    expect((await runInProcess(calleridMain, ['build', '--out', out, '--platform', 'android'], { env: fx.env(), cwd: fx.dir.path })).code).toBe(0);
    const [digits] = readFileSync(join(out, 'android', 'callerid.tsv'), 'utf8').split('\n').find((l) => l.startsWith('79'))!.split('\t');

    const known = await numberCheck(`+${digits}`);
    expect(known.check.status).toBe('ok');
    expect(known.check.details.join('\n')).toMatch(/Found in amoCRM/);
    expect(known.check.details.join('\n')).toMatch(/In the last caller-ID dataset/);
    expect(known.code).toBe(0);
    expect(fx.sb.stats.requests.some((r) => r.path === '/api/v4/contacts' && r.query.includes('query='))).toBe(true);

    const stranger = await numberCheck('+79000000000');
    expect(stranger.check.status).toBe('problem');
    expect(stranger.check.details.join('\n')).toMatch(/Not found in amoCRM/);
    expect(stranger.check.details.join('\n')).toMatch(/Not in the last caller-ID dataset/);
    expect(stranger.code).toBe(1);
  });
});
