/**
 * Every simulated phone profile through the in-process path (DeviceShell → phone.run): the statuses
 * match the profile's ground truth in English, Russian and JSON; --fix changes the phone and the
 * re-check matches the ground truth after fixing; the facts take at most 3 shell round trips.
 */
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { runAndroidDoctor } from '../../src/doctor/run.js';
import { simulatedPhoneShell } from '../../src/cli/sim-phone-shell.js';
import { renderText } from '../../src/doctor/render.js';
import { exitCodeOf, toJson } from '../../src/doctor/outcome.js';
import { translator } from '../../src/i18n/index.js';
import { createSimulatedPhone } from '../../src/sandbox/phone/phone.js';
import { PROFILES, type PhoneProfile } from '../../src/sandbox/phone/profiles/index.js';
import { expectedStatuses, statusesFromJson, statusesFromText } from './helpers.js';

const c = new Chalk({ level: 0 });

function context(testNumber: string | undefined) {
  if (!testNumber) return {};
  const e164 = `+${testNumber.replace(/\D/g, '')}`;
  return { number: { e164, crm: { status: 'not_logged_in' as const }, dataset: { status: 'no_build' as const } } };
}

/** A phone that freezes is given up on after this long; the others answer in-process at once. */
const timeoutMs = (p: PhoneProfile) => (p.freezesAfter !== undefined ? 300 : undefined);

describe.each(PROFILES.map((p) => [p.id, p] as const))('profile %s (in-process)', (id, profile) => {
  it('reports the ground truth in en, ru and JSON within 3 round trips', async () => {
    const phone = createSimulatedPhone(id);
    const ctx = context(profile.testNumber);
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164, timeoutMs: timeoutMs(profile) });
    expect(phone.shellCalls).toBeLessThanOrEqual(3);
    expect(run.facts.roundTrips).toBe(phone.shellCalls);
    for (const lang of ['en', 'ru'] as const) {
      const text = renderText(run.outcome, { t: translator(lang), c, verbose: false });
      expect(statusesFromText(text, lang), lang).toEqual(expectedStatuses(profile));
    }
    expect(statusesFromJson(toJson(run.outcome, translator('en')) as never)).toEqual(expectedStatuses(profile));
    const problems = Object.values(expectedStatuses(profile)).includes('problem');
    expect(exitCodeOf(run.outcome)).toBe(profile.connection !== 'device' || profile.freezesAfter !== undefined ? 2 : problems ? 1 : 0);
  });
});

describe.each(PROFILES.filter((p) => p.connection === 'device' && p.freezesAfter === undefined).map((p) => [p.id, p] as const))('profile %s --fix (in-process)', (id, profile) => {
  it('--fix changes the phone, the re-check matches the fixed ground truth, and each fix is judged by it', async () => {
    const phone = createSimulatedPhone(id);
    const before = phone.snapshot();
    const ctx = context(profile.testNumber);
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164, fix: true });
    const changed = JSON.stringify(phone.snapshot()) !== JSON.stringify(before);
    const after = expectedStatuses(profile, 'after');
    const adbFixable = JSON.stringify(after) !== JSON.stringify(expectedStatuses(profile));
    expect(changed).toBe(adbFixable);
    for (const f of run.outcome.fixes ?? []) {
      const settled = after[f.check] === 'ok' || after[f.check] === 'not_applicable';
      expect(f.result, `${f.check} ${f.message.key}`).toBe(settled ? 'fixed' : f.kind === 'screen' ? 'needs_step' : 'still_failing');
    }
    expect(statusesFromJson(toJson(run.outcome, translator('en')) as never)).toEqual(after);
    // A fresh run on the same phone agrees with the re-check: the state really changed.
    const again = await runAndroidDoctor(simulatedPhoneShell(phone), { context: ctx, number: ctx.number?.e164 });
    expect(statusesFromJson(toJson(again.outcome, translator('en')) as never)).toEqual(expectedStatuses(profile, 'after'));
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
    expect(run.outcome.interrupted?.key).toBe('adb.disconnected');
    expect(exitCodeOf(run.outcome)).toBe(2);
    const text = renderText(run.outcome, { t: translator('ru'), c, verbose: false });
    expect(text).toContain(`✗ Проверка прервана. ${translator('ru')('adb.disconnected', { serial: phone.serial }).replace(/\.$/, '')}. Остальные пункты`);
  });

  it('times out a phone that stops answering instead of hanging, naming the step', async () => {
    const phone = createSimulatedPhone('pixel-15', { freezeAfter: 0 });
    const started = Date.now();
    const run = await runAndroidDoctor(simulatedPhoneShell(phone), { timeoutMs: 200 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.outcome.interrupted).toEqual({ key: 'doctor.error.stepTimeout', params: { seconds: 0.2, stepKey: 'doctor.step.identity' } });
    expect(run.outcome.items.filter((i) => i.id !== 'number').every((i) => i.status === 'unknown')).toBe(true);
  });
});
