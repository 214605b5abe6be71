/**
 * National numbers take their country from --region (default RU): the build says how many did,
 * per file, and warns, naming --region, when a file's national numbers do not fit that region.
 * Also: a card nested inside another no longer rejects the file.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RegionTally, readContacts, regionNotes } from '../../src/callerid/input.js';
import { main } from '../../src/cli/amo-callerid.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';

const work = tempDir('callerid-region-');
afterAll(() => work.cleanup());

describe('the region national numbers are read with', () => {
  const canada = () => {
    const cards = ['(905) 555-1234', '(416) 555-0199', '(212) 555-0100', '(604) 555-0111', '+1 613 555 0123']
      .map((tel, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Client ${i}\r\nTEL;TYPE=CELL:${tel}\r\nEND:VCARD\r\n`);
    const p = join(work.path, 'canada.vcf');
    writeFileSync(p, cards.join(''));
    return p;
  };
  const russia = () => {
    const p = join(work.path, 'russia.vcf');
    writeFileSync(p, ['8 (916) 123-45-67', '8 495 000-00-02', '+7 999 000 00 01', '8 10 49 30 1234567']
      .map((tel, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Клиент ${i}\r\nTEL:${tel}\r\nEND:VCARD\r\n`).join(''));
    return p;
  };

  it.each([false, true])('counts the numbers that depended on it and flags a file from elsewhere (worker: %s)', async (worker) => {
    const ca = new RegionTally('canada.vcf', 'RU');
    for await (const _ of readContacts(canada(), 'RU', { worker, tally: ca }));
    // Four national numbers (the +1 one carries its country); at least (212) → +7 212… (Kazakhstan) does not fit.
    expect(ca.national).toBe(4);
    expect(ca.misfit).toBeGreaterThan(0);
    expect(ca.doubtful).toBe(true);
    const ru = new RegionTally('russia.vcf', 'RU');
    for await (const _ of readContacts(russia(), 'RU', { worker, tally: ru }));
    expect([ru.national, ru.misfit, ru.doubtful]).toEqual([2, 0, false]);
    const notes = regionNotes([ru, ca]);
    expect(notes.map((n) => [n.key, n.warn, n.params.path])).toEqual([
      ['formats.region.assumed', false, 'russia.vcf'],
      ['formats.region.assumed', false, 'canada.vcf'],
      ['formats.region.misfit', true, 'canada.vcf'],
    ]);
  });

  it('amo-callerid build says which region was assumed and warns about an exclusion list from elsewhere, naming --region', async () => {
    const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: join(work.path, 'config') });
    const r = await runInProcess(main, ['build', '--input', russia(), '--exclude-contacts', canada(), '--out', join(work.path, 'region-out')], { env, cwd: work.path });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/russia\.vcf: 2 numbers have no country code and were read as RU numbers/);
    expect(r.stderr).toMatch(/canada\.vcf: \d+ of the 4 numbers without a country code are not RU numbers.*--region/);
    expect(r.stderr).not.toMatch(/russia\.vcf: \d+ of the/);
  });

  it('a card nested in another is skipped with a warning, the rest of the file is read', async () => {
    const p = join(work.path, 'nest.vcf');
    writeFileSync(p, 'BEGIN:VCARD\r\nVERSION:2.1\r\nN:Outer;A\r\nTEL:+79990000001\r\nBEGIN:VCARD\r\nN:Inner\r\nEND:VCARD\r\nEND:VCARD\r\n');
    const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: join(work.path, 'config') });
    const r = await runInProcess(main, ['build', '--input', p, '--out', join(work.path, 'nest-out'), '--json'], { env, cwd: work.path });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).counts.contacts).toBe(1);
    expect(r.stderr).toMatch(/nest\.vcf, line 5: a card inside another card was skipped/);
  });
});
