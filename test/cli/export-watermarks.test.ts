/**
 * Watermarks a user can see and reset, `--dry-run`, incremental files that never destroy the last
 * export, and report paths checked before the export starts: amo-export in-process against the
 * sandbox on 127.0.0.1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, saveProfile, vcardIds, vcardIdsOf, type Fixture } from '../export/helpers.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { isoSeconds } from '../../src/export/dates.js';
import { openConfig } from '../../src/config/store.js';
import { listWatermarks, readWatermark } from '../../src/export/state.js';
import { isPartialName } from '../../src/export/output.js';

const fixtures: Fixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.close();
});
async function fx(): Promise<Fixture> {
  const f = await fixture({ contacts: 300 });
  fixtures.push(f);
  return f;
}

const SINCE = isoSeconds(DATA_FROM).slice(0, 10);
/** A later clock, so edits (stamped "now") are older than the 60 s settling margin. */
const later = () => new Date(Date.now() + 120_000);
const run = (f: Fixture, argv: string[], o: Parameters<typeof runInProcess>[2] = {}) => runInProcess(main, [...argv, '--rps', '7'], { env: f.env, ...o });
const marks = (f: Fixture) => listWatermarks(openConfig(f.env));

describe('incremental files', () => {
  it('a run with nothing new leaves the file alone; one with changes refuses to replace it unless --replace', async () => {
    const f = await fx();
    const out = join(f.dir, 'contacts.vcf');
    expect((await run(f, ['--since', SINCE, '-o', out])).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    const mark = readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: `vcard:${out}` })!;

    const quiet = await run(f, ['-o', out]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stderr).toContain('was left as it was');
    expect(readFileSync(out, 'utf8')).toBe(first);

    const edited = vcardIds(first).slice(0, 3);
    for (const id of edited) f.sb.editContact(id, { name: `Renamed ${id}` });
    const refused = await run(f, ['-o', out], { now: later });
    expect(refused.code).toBe(2);
    for (const flag of ['--replace', '{until}', '--full']) expect(refused.stderr).toContain(flag);
    expect(readFileSync(out, 'utf8')).toBe(first);
    expect(readdirSync(f.dir).filter(isPartialName)).toEqual([]);
    // The refused run moved nothing: the changes are still ahead of the watermark.
    expect(readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: `vcard:${out}` })!.until).toBeGreaterThanOrEqual(mark.until);

    const replaced = await run(f, ['-o', out, '--replace'], { now: later });
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(new Set(vcardIdsOf(out))).toEqual(new Set(edited));
  });

  it('{until} in -o keeps each run in its own file, and nothing new writes no file', async () => {
    const f = await fx();
    const template = join(f.dir, 'contacts-{until}.vcf');
    const a = await run(f, ['--since', SINCE, '-o', template, '--json']);
    expect(a.code, a.stderr).toBe(0);
    const firstName = JSON.parse(a.stdout).output as string;
    expect(firstName).toMatch(/contacts-\d{8}T\d{6}Z\.vcf$/);
    const firstText = readFileSync(firstName, 'utf8');
    // The watermark belongs to the template, so the next run continues it.
    expect(marks(f).map((m) => m.target)).toEqual([`vcard:${template}`]);

    const [id] = vcardIds(firstText);
    f.sb.editContact(id!, { name: 'Renamed' });
    const b = await run(f, ['-o', template, '--json'], { now: later });
    expect(b.code, b.stderr).toBe(0);
    const secondName = JSON.parse(b.stdout).output as string;
    expect(secondName).not.toBe(firstName);
    expect(vcardIdsOf(secondName)).toEqual([id]);
    expect(readFileSync(firstName, 'utf8')).toBe(firstText);

    const before = readdirSync(f.dir).sort();
    const c = await run(f, ['-o', template], { now: () => new Date(Date.now() + 240_000) });
    expect(c.code, c.stderr).toBe(0);
    expect(c.stderr).toContain('no file written');
    expect(readdirSync(f.dir).sort()).toEqual(before);
  });

  it('placeholders only in the file name', async () => {
    const f = await fx();
    const r = await run(f, ['--since', SINCE, '-o', join(f.dir, '{until}', 'c.vcf')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('file name');
  });
});

describe('report paths', () => {
  it('an unwritable --invalid-report fails before the export reads anything', async () => {
    const f = await fx();
    const out = join(f.dir, 'c.vcf');
    const r = await run(f, ['--since', SINCE, '-o', out, '--invalid-report', '/nonexistent/x.tsv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/x.tsv');
    expect(f.sb.stats.requests).toHaveLength(0);
    expect(existsSync(out)).toBe(false);
  });
});

describe('--dry-run', () => {
  it('counts per account without writing a file or moving a watermark', async () => {
    const f = await fx();
    const out = join(f.dir, 'c.vcf');
    const r = await run(f, ['--since', SINCE, '-o', out, '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.dryRun).toBe(true);
    expect(j.accounts).toHaveLength(1);
    expect(j.accounts[0].count).toBeGreaterThan(100);
    expect(j.total).toBe(j.accounts[0].count);
    expect(readdirSync(f.dir).filter((n) => n !== 'config')).toEqual([]);
    expect(marks(f)).toEqual([]);

    const text = await run(f, ['--since', SINCE, '-o', out, '--dry-run']);
    expect(text.stdout).toContain(`${j.accounts[0].accountName}: ${j.total} contacts would be exported`);
    const real = await run(f, ['--since', SINCE, '-o', out, '--json']);
    expect(JSON.parse(real.stdout).exported).toBe(j.total);
  });
});

describe('status and reset', () => {
  async function twoProfilesThreeTargets(f: Fixture) {
    saveProfile(f.env, 'second', f.sb);
    for (const [account, target] of [['main', 'phone'], ['main', 'ios'], ['second', 'phone']]) {
      const r = await run(f, ['--since', SINCE, '--account', account!, '--target', target!, '-o', join(f.dir, `${account}-${target}.vcf`)]);
      expect(r.code, r.stderr).toBe(0);
    }
  }

  it('status lists every profile and target with its watermark and last run', async () => {
    const f = await fx();
    const none = await runInProcess(main, ['status'], { env: f.env });
    expect(none.stdout).toContain('Export watermarks: none yet.');
    await twoProfilesThreeTargets(f);
    const s = await runInProcess(main, ['status'], { env: f.env });
    expect(s.code, s.stderr).toBe(0);
    const lines = s.stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(lines.map((l) => l.trim().split(/\s+/).slice(0, 2).join(' '))).toEqual(['main ios', 'main phone', 'second phone']);
    expect(lines[0]).toMatch(/up to \d{4}-\d\d-\d\dT.*last run \d{4}-/);
    const j = JSON.parse((await runInProcess(main, ['status', '--json'], { env: f.env })).stdout);
    expect(j.profile).toBe('second');
    expect(j.watermarks.map((w: { profile: string; target: string }) => `${w.profile}/${w.target}`)).toEqual(['main/ios', 'main/phone', 'second/phone']);
    expect(j.watermarks[0]).toHaveProperty('lastRun');
  });

  it('reset --target forgets one; a bare reset needs --all off a terminal and asks on one', async () => {
    const f = await fx();
    await twoProfilesThreeTargets(f);
    const one = await runInProcess(main, ['reset', '--target', 'ios', '--json'], { env: f.env });
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).removed.map((w: { target: string }) => w.target)).toEqual(['ios']);
    expect(marks(f).map((m) => m.target)).toEqual(['phone', 'phone']);

    const bare = await runInProcess(main, ['reset'], { env: f.env });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('--all');
    expect(marks(f)).toHaveLength(2);

    const no = await runInProcess(main, ['reset'], { env: f.env, tty: true, stdin: 'n\r' });
    expect(no.code, no.stderr).toBe(0);
    expect(no.stderr).toContain('second  phone');
    expect(marks(f)).toHaveLength(2);
    const yes = await runInProcess(main, ['reset'], { env: f.env, tty: true, stdin: 'y\r' });
    expect(yes.code, yes.stderr).toBe(0);
    expect(marks(f)).toEqual([]);

    await twoProfilesThreeTargets(f);
    const all = await runInProcess(main, ['reset', '--all'], { env: f.env });
    expect(all.code).toBe(0);
    expect(marks(f)).toEqual([]);
  });
});

describe('leftovers of a killed run', () => {
  it('are removed by the next run on the same file, never through a symlink', async () => {
    const f = await fx();
    const out = join(f.dir, 'c.vcf');
    writeFileSync(join(f.dir, '.c.vcf.0123456789ab.partial'), 'half an export');
    writeFileSync(join(f.dir, 'victim.txt'), 'precious');
    symlinkSync(join(f.dir, 'victim.txt'), join(f.dir, '.c.vcf.ba9876543210.partial'));
    writeFileSync(join(f.dir, '.other.vcf.0123456789ab.partial'), 'another file\'s');
    expect((await run(f, ['--since', SINCE, '-o', out])).code).toBe(0);
    expect(readdirSync(f.dir).sort()).toEqual(['.other.vcf.0123456789ab.partial', 'c.vcf', 'config', 'victim.txt']);
    expect(readFileSync(join(f.dir, 'victim.txt'), 'utf8')).toBe('precious');
  });
});

describe('output file mode', () => {
  it('a new -o file gets the mode the umask allows', async () => {
    const f = await fx();
    const old = process.umask(0o002);
    try {
      const out = join(f.dir, 'shared.vcf');
      expect((await run(f, ['--since', SINCE, '-o', out])).code).toBe(0);
      expect(statSync(out).mode & 0o777).toBe(0o664);
      process.umask(0o077);
      const report = join(f.dir, 'invalid.tsv');
      expect((await run(f, ['--since', SINCE, '-o', join(f.dir, 'private.vcf'), '--invalid-report', report])).code).toBe(0);
      expect(statSync(join(f.dir, 'private.vcf')).mode & 0o777).toBe(0o600);
      expect(statSync(report).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});
