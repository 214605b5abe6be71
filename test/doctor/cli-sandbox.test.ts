/**
 * amo-doctor as a user runs it, in-process, with `--sandbox PROFILE`: the simulated phone sits
 * behind the sandbox adb host server and the doctor reaches it over TCP with our adb client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-doctor.js';
import { PROFILES } from '../../src/sandbox/phone/profiles/index.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';
import { expectedStatuses, runAtTerminal, statusesFromJson, statusesFromText } from './helpers.js';

const config = tempDir('amo-doctor-cli-');
afterAll(() => config.cleanup());
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path });
// A frozen phone has tests of its own (waiting.test.ts): here it would only cost the timeout.
const devices = PROFILES.filter((p) => p.connection === 'device' && p.freezesAfter === undefined);
const numberArgs = (n?: string) => (n ? ['--number', n] : []);

describe.each(devices.map((p) => [p.id, p] as const))('amo-doctor --sandbox %s', (id, profile) => {
  it('prints the ground truth in JSON, English and Russian; exit 1 only with a problem', async () => {
    const expectedCode = Object.values(expectedStatuses(profile)).includes('problem') ? 1 : 0;
    const json = await runInProcess(main, ['--sandbox', id, '--json', ...numberArgs(profile.testNumber)], { env });
    expect(json.stderr).toBe('');
    expect(json.code).toBe(expectedCode);
    expect(statusesFromJson(JSON.parse(json.stdout))).toEqual(expectedStatuses(profile));
    for (const lang of ['en', 'ru'] as const) {
      const r = await runInProcess(main, ['--sandbox', id, '--lang', lang, ...numberArgs(profile.testNumber)], { env });
      expect(r.code).toBe(expectedCode);
      expect(statusesFromText(r.stdout, lang), lang).toEqual(expectedStatuses(profile));
    }
  });

  it('--fix --yes repairs what adb can and the re-check shows it', async () => {
    const r = await runInProcess(main, ['--sandbox', id, '--fix', '--yes', '--json', ...numberArgs(profile.testNumber)], { env });
    const out = JSON.parse(r.stdout);
    expect(statusesFromJson(out)).toEqual(expectedStatuses(profile, 'after'));
    expect(r.code).toBe(Object.values(expectedStatuses(profile, 'after')).includes('problem') ? 1 : 0);
    // A fix is ok exactly when the re-check finds its check settled.
    const after = expectedStatuses(profile, 'after');
    for (const f of out.fixesApplied ?? []) expect(f.ok, f.description).toBe(after[f.check as keyof typeof after] === 'ok' || after[f.check as keyof typeof after] === 'not_applicable');
  });
});

describe('amo-doctor --sandbox: refusals and extras', () => {
  it('an unauthorized phone: exit 2 with what to do on the phone', async () => {
    const r = await runInProcess(main, ['--sandbox', 'unauthorized'], { env });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/unauthori[sz]ed|Allow/i);
  });

  it('--fix off a terminal without --yes is a usage error naming --yes, before touching the phone', async () => {
    const r = await runInProcess(main, ['--sandbox', 'samsung-oneui-14', '--fix'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--yes');
    expect(r.stdout).toBe('');
  });

  it('an unknown profile lists the known ones', async () => {
    const r = await runInProcess(main, ['--sandbox', 'nokia-3310', '--lang', 'ru'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pixel-15');
    expect(r.stderr).toContain('Неизвестный профиль');
  });

  it('a number that is not a number is refused', async () => {
    const r = await runInProcess(main, ['--sandbox', '--number', 'call me'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('call me');
  });

  it('--number: a contact saved on the phone is a warning, its name only with --verbose', async () => {
    const plain = await runInProcess(main, ['--sandbox', 'contact-saved-15', '--number', '+79990000001'], { env });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/saved in the phone's contacts/);
    expect(plain.stdout).toMatch(/not logged in/);
    expect(plain.stdout).toMatch(/No caller-ID dataset/);
    expect(plain.stdout).not.toContain('Образцов');
    const verbose = await runInProcess(main, ['--sandbox', 'contact-saved-15', '--number', '8 999 000-00-01', '-v'], { env });
    expect(verbose.stdout).toContain('Образцов');
    const json = await runInProcess(main, ['--sandbox', 'contact-saved-15', '--number', '+79990000001', '--json'], { env });
    expect(json.stdout).not.toContain('Образцов');
  });

  it('--report writes Markdown and JSON with numbers and names masked', async () => {
    const dir = tempDir('amo-doctor-report-');
    try {
      const file = join(dir.path, 'bundle');
      const r = await runInProcess(main, ['--sandbox', 'contact-saved-15', '--number', '+7 999 000-00-01', '--report', file, '-v'], { env });
      expect(r.code).toBe(0);
      expect(r.stderr).toContain('bundle.md');
      const md = readFileSync(`${file}.md`, 'utf8');
      const json = JSON.parse(readFileSync(`${file}.json`, 'utf8'));
      for (const text of [md, JSON.stringify(json)]) {
        expect(text).not.toContain('Образцов');
        expect(text).not.toMatch(/999\D?000\D?00\D?01/);
        expect(text).not.toContain('79990000001');
      }
      expect(md).toContain('| ! | number |');
      expect(statusesFromJson(json).number).toBe('warning');
      expect(json.phone.model).toBe('Pixel 9');
    } finally {
      dir.cleanup();
    }
  });

  it('--verbose shows the evidence and the round trips', async () => {
    const r = await runInProcess(main, ['--sandbox', 'huawei-emui-10', '-v'], { env });
    expect(r.stdout).toContain('$ settings get system SmartModeStatus');
    expect(r.stdout).toContain('importance=NONE');
    expect(r.stdout).toMatch(/Facts read in 2 shell round trip/);
  });
});

describe('amo-doctor --platform ios', () => {
  it('takes answers from --answers and prints the same report format', async () => {
    const r = await runInProcess(main, ['--platform', 'ios', '--answers', 'ios-version=17.4,paid=yes,not-in-contacts=no,switch=no,resynced=yes,low-power-off=yes', '--json'], { env });
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.platform).toBe('ios');
    expect(Object.fromEntries(out.checks.map((c: { id: string; status: string }) => [c.id, c.status]))).toEqual({
      'ios-version': 'ok', 'paid-account': 'ok', 'not-in-contacts': 'warning', 'callerid-switch': 'problem', resync: 'ok', 'low-power': 'ok',
    });
    const ru = await runInProcess(main, ['--platform', 'ios', '--lang', 'ru', '--answers', 'ios-version=9.3,paid=да,not-in-contacts=да,switch=да,resynced=да,low-power-off=да'], { env });
    expect(ru.code).toBe(1);
    expect(ru.stdout).toContain('[✗] Версия iOS: 9.3\n');
    expect(ru.stdout).toContain('[✓] Переключатель определителя в Настройках: включён\n');
  });

  it('off a terminal, a missing answer is a usage error naming --answers', async () => {
    const r = await runInProcess(main, ['--platform', 'ios', '--answers', 'paid=yes'], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--answers');
    const bad = await runInProcess(main, ['--platform', 'ios', '--answers', 'paid=maybe'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('paid=maybe');
  });
});

describe('amo-doctor options next to the login commands', () => {
  it('-H/-P are adb options that do not swallow `login --host` or `status --account`', async () => {
    const r = await runInProcess(main, ['status', '--account', 'nobody-here'], { env });
    expect(r.stderr).toContain('nobody-here');
    const bad = await runInProcess(main, ['-H', '127.0.0.1', '-P', '0'], { env });
    expect(bad.code).toBe(2);
  });
});

describe('amo-doctor --fix on a terminal', () => {
  it('asks first, and a yes applies the fixes and re-checks', async () => {
    const yes = await runAtTerminal(['--sandbox', 'samsung-oneui-14', '--fix', '--json'], [['Apply these 5 fixes on the phone?', 'y\n'], ['press Enter to check it again', '\n']], env);
    expect(yes.asked).toHaveLength(2);
    expect(yes.code).toBe(0);
    expect(statusesFromJson(JSON.parse(yes.stdout))).toEqual(expectedStatuses(PROFILES.find((p) => p.id === 'samsung-oneui-14')!, 'after'));
  });
});

describe('amo-doctor --check', () => {
  it('shows and judges only the named checks; an unknown name lists the known ones', async () => {
    const r = await runInProcess(main, ['--sandbox', 'xiaomi-miui-13', '--check', 'notifications,permissions', '--json'], { env });
    expect(r.code).toBe(0);
    expect(statusesFromJson(JSON.parse(r.stdout))).toEqual({ notifications: 'ok', permissions: 'ok' });
    const bad = await runInProcess(main, ['--sandbox', '--check', 'wifi'], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('wifi');
    expect(bad.stderr).toContain('overlay');
  });
});
