/**
 * amo-callerid as a user runs it: in-process for the many cases, one spawned built bin, a build
 * from the amoCRM sandbox over real HTTP, and --exclude-from-device against the simulated phone
 * behind the sandbox adb server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-callerid.js';
import { lookupInLastBuild } from '../../src/callerid/last-build.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { startAdbHostSandbox } from '../../src/sandbox/phone/host-server.js';
import { baseEnv, runInProcess, spawnBin, tempDir } from '../helpers/cli.js';
import { PHONEBOOK_FIXTURES, SHARED_PHONEBOOK_FIXTURES, hasSharedFixtures } from '../helpers/fixtures.js';

const FIX = PHONEBOOK_FIXTURES;
/** Our phone-book fixtures, and the shared corpus as an extra when it is beside the checkout. */
const CORPORA = [FIX, ...(hasSharedFixtures ? [SHARED_PHONEBOOK_FIXTURES] : [])];
const work = tempDir('amo-callerid-cli-');
afterAll(() => work.cleanup());
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: join(work.path, 'config') });
let n = 0;
const out = () => join(work.path, `out-${++n}`);
const run = (argv: string[], e = env) => runInProcess(main, argv, { env: e, cwd: work.path });

/** A small vCard 3.0 phone book with Russian names, a shared number and one broken phone. */
function writeBook(name: string, extra = ''): string {
  const card = (fn: string, org: string, tel: string, rev: string) =>
    `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${fn}\r\nN:${fn.split(' ')[1] ?? ''};${fn.split(' ')[0]};;;\r\n${org ? `ORG:${org}\r\n` : ''}TEL;TYPE=CELL:${tel}\r\nREV:${rev}\r\nEND:VCARD\r\n`;
  const text =
    card('Иван Петров', 'ООО Ромашка', '8 (916) 123-45-67', '2026-01-01T00:00:00Z') +
    card('Анна Смирнова', '', '+7 916 765-43-21', '2026-02-01T00:00:00Z') +
    card('Олег Сидоров', 'ООО Ромашка', '8 916 123 45 67', '2026-03-01T00:00:00Z') +
    card('Пётр Broken', '', '123-45', '2026-03-01T00:00:00Z') +
    extra;
  const path = join(work.path, name);
  writeFileSync(path, text);
  return path;
}

describe('amo-callerid build --input', () => {
  it('builds both platforms, records the build for the doctor, and verify accepts it', async () => {
    const dir = out();
    const book = writeBook('book.vcf');
    const r = await run(['build', '--input', book, '--out', dir, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts).toMatchObject({ contacts: 4, phonesSeen: 4, phonesInvalid: 1, numbers: 2, duplicatesMerged: 1 });
    expect(s.counts.ios.entries).toBe(2);
    expect(readFileSync(join(dir, 'ios', 'callerid.tsv'), 'utf8')).toBe('79161234567\tООО Ромашка (2)\n79167654321\tАнна Смирнова\n');

    const v = await run(['verify', dir]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('OK');

    const hit = await lookupInLastBuild(env, '+79167654321');
    expect(hit).toMatchObject({ buildId: s.buildId, label: 'Анна Смирнова', platform: 'both' });
    expect((await lookupInLastBuild(env, '+79990000000'))?.label).toBeNull();
    expect(await lookupInLastBuild(baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: join(work.path, 'empty-config') }), '+79167654321')).toBeNull();
  });

  it('second build writes a delta; diff and the summary name what changed', async () => {
    const dir = out();
    await run(['build', '--input', writeBook('a.vcf'), '--out', dir, '--platform', 'ios']);
    const old = join(work.path, 'snapshot-old');
    await run(['build', '--input', writeBook('a2.vcf'), '--out', old, '--platform', 'ios']);
    const extra = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Новый Клиент\r\nTEL:+7 495 000-00-02\r\nREV:2026-04-01T00:00:00Z\r\nEND:VCARD\r\n';
    const r = await run(['build', '--input', writeBook('b.vcf', extra), '--out', dir, '--platform', 'ios', '--label', '{last} {first}', '--lang', 'ru']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('добавлено 1');
    expect(existsSync(join(dir, 'ios', 'delta.bin'))).toBe(true);
    expect(existsSync(join(dir, 'android'))).toBe(false);
    expect((await run(['verify', dir])).code).toBe(0);

    const d = await run(['diff', old, dir]);
    expect(d.code).toBe(0);
    // No N property, so {last} {first} is empty and the fallback label stands in.
    expect(d.stdout).toContain('+ +74950000002\tКлиент amoCRM');
    expect(d.stdout).toContain('~ +79167654321\tАнна Смирнова → Смирнова Анна');
    const dj = JSON.parse((await run(['diff', old, dir, '--json'])).stdout);
    expect(dj.platforms.ios.added).toEqual([{ number: '+74950000002', label: 'Клиент amoCRM' }]);
    // The shared number keeps its company label whatever the template.
    expect(dj.platforms.ios.changed).toHaveLength(1);
  });

  it.each(CORPORA)('excludes numbers from the phone-book fixtures and reports invalid ones (%s)', async (FIX) => {
    const dir = out();
    const report = join(work.path, 'invalid.tsv');
    const iphone = join(FIX, 'iphone-3.0.vcf');
    const r = await run(['build', '--input', iphone, '--exclude-contacts', join(FIX, 'gmail-3.0.vcf'), '--exclude-contacts', iphone, '--out', dir, '--json']);
    const s = JSON.parse(r.stdout);
    expect(s.counts.ios).toMatchObject({ entries: 0, excluded: 7 });
    const bad = await run(['build', '--input', join(FIX, 'android-2.1.vcf'), '--out', out(), '--invalid-report', report, '--json']);
    expect(bad.code).toBe(0);
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('contact_id\tname\tphone');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.length - 1).toBe(JSON.parse(bad.stdout).counts.phonesInvalid);
  });

  it('refuses bad flags with one clear line and exit 2', async () => {
    const book = writeBook('c.vcf');
    const cases: [string[], RegExp][] = [
      [['--limit', '2000000'], /1999999/],
      [['--label', '{phone}'], /\{phone\}/],
      [['--region', 'XX'], /XX/],
      [['--platform', 'ios', '--exclude-from-device'], /--exclude-from-device/],
      [['--limit', 'ten'], /--limit/],
    ];
    for (const [flags, msg] of cases) {
      const r = await run(['build', '--input', book, '--out', out(), ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = await run(['build', '--input', join(work.path, 'nope.vcf'), '--out', out()]);
    expect(missing.code).toBe(2);
  });

  it('verify explains a damaged dataset in Russian and exits 1', async () => {
    const dir = out();
    await run(['build', '--input', writeBook('d.vcf'), '--out', dir]);
    const tsv = join(dir, 'ios', 'callerid.tsv');
    writeFileSync(tsv, readFileSync(tsv, 'utf8').split('\n').reverse().join('\n'));
    const r = await run(['verify', dir, '--lang', 'ru']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/sha256 не совпадает/);
    const j = JSON.parse((await run(['verify', dir, '--json'])).stdout);
    expect(j.ok).toBe(false);
    expect(j.problems.map((p: { code: string }) => p.code)).toContain('callerid.verify.checksum');
  });
});

describe('amo-callerid build from other sources', () => {
  it('--exclude-from-device leaves the phone\'s own contacts out of the Android dataset', async () => {
    const phone = createSimulatedPhone('pixel-15', { serial: 'CALLERID01', contacts: [{ name: 'Иван', number: '+7 916 123-45-67' }] });
    const adb = await startAdbHostSandbox([phone], { host: '127.0.0.1', port: 0 });
    try {
      const dir = out();
      const r = await run(['build', '--input', writeBook('e.vcf'), '--out', dir, '--exclude-from-device', '-H', '127.0.0.1', '-P', String(adb.port), '-s', 'CALLERID01', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const s = JSON.parse(r.stdout);
      expect(s.counts.android).toMatchObject({ entries: 1, excluded: 1 });
      expect(s.counts.ios).toMatchObject({ entries: 2, excluded: 0 });
    } finally {
      await adb.close();
    }
  });

  it('builds from the amoCRM sandbox over HTTP with export rights applied', async () => {
    const dir = out();
    const r = await run(['build', '--sandbox', '--out', dir, '--json', '--limit', '500']);
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.counts.contacts).toBeGreaterThan(0);
    expect(s.counts.ios.entries).toBeGreaterThan(0);
    expect(s.counts.ios.entries).toBeLessThanOrEqual(500);
    expect((await run(['verify', dir])).code).toBe(0);
  });

  it('the built bin builds and verifies (spawned)', async () => {
    const dir = out();
    const b = await spawnBin('amo-callerid', ['build', '--input', join(FIX, 'iphone-3.0.vcf'), '--out', dir, '--platform', 'android'], { env });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('Android: 7');
    const v = await spawnBin('amo-callerid', ['verify', dir, '--json'], { env });
    expect(JSON.parse(v.stdout)).toMatchObject({ ok: true, entries: { android: 7 } });
  });
});
