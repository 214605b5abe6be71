/**
 * A phone that stops answering with the connection still open (issue: "a frozen phone never keeps
 * anyone waiting"): a spinner names the step on a terminal, the default timeout gives up in
 * seconds, and the message names the step that hung rather than the `sh` that carried it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-doctor.js';
import { translator } from '../../src/i18n/index.js';
import { baseEnv, runInProcess, tempDir } from '../helpers/cli.js';
import { runAtTerminal, statusesFromJson } from './helpers.js';

const config = tempDir('amo-doctor-wait-');
afterAll(() => config.cleanup());
const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path });

describe('a phone that freezes after the first round trip', () => {
  it('the message names the step that hung and the seconds waited, in both languages', async () => {
    for (const lang of ['en', 'ru'] as const) {
      const r = await runInProcess(main, ['--sandbox', 'frozen-14', '--timeout', '1', '--lang', lang], { env });
      expect(r.code).toBe(2);
      const t = translator(lang);
      const step = t('doctor.step.apps', { pkgs: 'com.amocrm.callerid' });
      expect(r.stdout).toContain(t('doctor.error.stepTimeout', { seconds: 1, step }));
      expect(r.stdout).not.toMatch(/command: sh|команда: sh/);
    }
    const json = JSON.parse((await runInProcess(main, ['--sandbox', 'frozen-14', '--timeout', '1', '--json', '--lang', 'en'], { env })).stdout);
    expect(json.interrupted).toContain('at the step "Reading the settings of com.amocrm.callerid"');
    // What was read before the phone froze stays.
    expect(statusesFromJson(json)['battery-saver']).toBe('ok');
  }, 60_000);

  it('on a terminal a spinner names each step while it waits', async () => {
    const r = await runAtTerminal(['--sandbox', 'frozen-14', '--timeout', '1', '--lang', 'en'], [], env);
    expect(r.code).toBe(2);
    // The step that hangs is on screen for the whole wait (the first one passes too fast to be drawn).
    expect(r.stderr).toContain('Reading the settings of com.amocrm.callerid…');
  }, 60_000);

  it('at the default timeout it gives up well before the old 32 s', async () => {
    const started = Date.now();
    const r = await runInProcess(main, ['--sandbox', 'frozen-14', '--lang', 'en'], { env });
    const seconds = (Date.now() - started) / 1000;
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('did not answer within 10 s');
    expect(seconds).toBeLessThan(25);
  }, 60_000);
});
