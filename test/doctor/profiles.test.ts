/**
 * Every simulated phone profile through the in-process path (DeviceShell → phone.run): the statuses
 * match the profile's ground truth in English, Russian and JSON; --fix changes the phone and the
 * re-check matches the ground truth after fixing; the facts take at most 3 shell round trips.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { runAndroidDoctor } from '../../src/doctor/run.js';
import { simulatedPhoneShell } from '../../src/doctor/sim-shell.js';
import { renderText } from '../../src/doctor/render.js';
import { exitCodeOf, toJson } from '../../src/doctor/outcome.js';
import { translator } from '../../src/i18n/index.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { PROFILES } from '../../src/sandbox/phone/profiles/index.js';
import { statusesFromJson, statusesFromText } from './helpers.js';

const c = new Chalk({ level: 0 });

function context(testNumber: string | undefined) {
  if (!testNumber) return {};
  const e164 = `+${testNumber.replace(/\D/g, '')}`;
  return { number: { e164, crm: { status: 'not_logged_in' as const }, dataset: { status: 'no_build' as const } } };
}

describe.each(PROFILES.map((p) => [p.id, p] as const))('profile %s (in-process)', (id, profile) => {
  it('reports the ground truth in en, ru and JSON within 3 round trips', async () => {
    const phone = createSimulatedPhone(id);
    const ctx = context(profile.testNumber);
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164 });
    expect(phone.shellCalls).toBeLessThanOrEqual(3);
    expect(run.facts.roundTrips).toBe(phone.shellCalls);
    for (const lang of ['en', 'ru'] as const) {
      const text = renderText(run.outcome, { t: translator(lang), c, verbose: false });
      expect(statusesFromText(text, lang), lang).toEqual(profile.expected);
    }
    expect(statusesFromJson(toJson(run.outcome, translator('en')) as never)).toEqual(profile.expected);
    const problems = Object.values(profile.expected).includes('problem');
    expect(exitCodeOf(run.outcome)).toBe(profile.connection !== 'device' ? 2 : problems ? 1 : 0);
  });
});

describe.each(PROFILES.filter((p) => p.connection === 'device').map((p) => [p.id, p] as const))('profile %s --fix (in-process)', (id, profile) => {
  it('--fix changes the phone and the re-check matches the fixed ground truth', async () => {
    const phone = createSimulatedPhone(id);
    const before = phone.snapshot();
    const ctx = context(profile.testNumber);
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164, fix: true });
    const changed = JSON.stringify(phone.snapshot()) !== JSON.stringify(before);
    const adbFixable = JSON.stringify(profile.expectedAfterFix) !== JSON.stringify(profile.expected);
    expect(changed).toBe(adbFixable);
    if (run.outcome.fixes) expect(run.outcome.fixes.every((f) => f.ok)).toBe(true);
    expect(statusesFromJson(toJson(run.outcome, translator('en')) as never)).toEqual(profile.expectedAfterFix);
    // A fresh run on the same phone agrees with the re-check: the state really changed.
    const again = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164 });
    expect(statusesFromJson(toJson(again.outcome, translator('en')) as never)).toEqual(profile.expectedAfterFix);
  });
});

describe('phone unplugged mid-run (in-process)', () => {
  it('keeps what was read, marks the rest unknown and reports exit 2', async () => {
    const phone = createSimulatedPhone('samsung-oneui-14', { unplugAfter: 1 });
    const run = await runAndroidDoctor(simulatedPhoneShell(phone));
    const s = statusesFromJson(toJson(run.outcome, translator('en')) as never);
    expect(s['battery-saver']).toBe('problem');
    expect(s['vendor-autostart']).toBe('warning');
    expect(s.background).toBe('unknown');
    expect(s.overlay).toBe('unknown');
    expect(run.outcome.interrupted?.key).toBe('doctor.error.deviceLost');
    expect(exitCodeOf(run.outcome)).toBe(2);
    const text = renderText(run.outcome, { t: translator('ru'), c, verbose: false });
    expect(text).toContain('Телефон перестал отвечать');
  });

  it('times out a phone that stops answering instead of hanging', async () => {
    const phone = createSimulatedPhone('pixel-15', { latencyMs: 5_000 });
    const started = Date.now();
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(run.outcome.interrupted?.key).toBe('doctor.error.timeout');
    expect(run.outcome.items.filter((i) => i.id !== 'number').every((i) => i.status === 'unknown')).toBe(true);
  });
});
