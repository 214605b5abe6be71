/** The first-run period prompt on a TTY (stdin answers it), and its absence off a TTY. */
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, vcardIdsOf, type Fixture } from '../export/helpers.js';
import { openConfig } from '../../src/config/store.js';
import { readWatermark } from '../../src/export/state.js';

const fixtures: Fixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.close();
});

describe('amo-export first run on a TTY', () => {
  it('asks for the period; "everything" (arrow down three times) exports the whole account', async () => {
    const f = await fixture();
    fixtures.push(f);
    const out = join(f.dir, 'all.vcf');
    const down = '\u001b[B';
    const r = await runInProcess(main, ['-o', out, '--rps', '7'], { env: f.env, tty: true, stdin: `${down}${down}${down}\r` });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('First export');
    expect(r.stdout).toBe('');
    const ids = vcardIdsOf(out);
    expect(ids.length).toBe(f.sb.idsInWindow(0, Math.floor(Date.now() / 1000), 'updated').length - (await phoneless(f)));
    expect(readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: `vcard:${out}` })).toBeDefined();
  });
});

/** Contacts without a phone, counted by a --full export's JSON summary. */
async function phoneless(f: Fixture): Promise<number> {
  const r = await runInProcess(main, ['--full', '--json', '-o', join(f.dir, 'x.vcf'), '--target', 'count', '--rps', '7'], { env: f.env });
  return JSON.parse(r.stdout).skippedWithoutPhone as number;
}
