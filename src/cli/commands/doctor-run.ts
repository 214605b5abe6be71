/**
 * The work of amo-doctor's default action (doctor.ts declares its options): pick the phone (adb
 * server, or a simulated phone behind the sandbox host server with --sandbox), run the checklist,
 * optionally fix, print flutter-doctor style or JSON, write the support report. iOS is a
 * questionnaire with the same report.
 */
import { Chalk } from 'chalk';
import { AdbClient } from '../../adb/client.js';
import { resolveAdbEndpoint, resolveSerial } from '../../adb/endpoint.js';
import type { DeviceShell } from '../../adb/types.js';
import { AppError, isAppError } from '../../errors.js';
import { normalizePhone } from '../../contacts/phone.js';
import { lookupInLastBuild } from '../../callerid/last-build.js';
import { IOS_QUESTIONS, iosItems, parseAnswers } from '../../doctor/ios.js';
import { exitCodeOf, toJson, type DoctorOutcome } from '../../doctor/outcome.js';
import { renderText } from '../../doctor/render.js';
import { maskText, writeReport, type Sensitive } from '../../doctor/report.js';
import { runAndroidDoctor } from '../../doctor/run.js';
import type { PlannedFix } from '../../doctor/fix.js';
import type { Facts, Message, NumberContext } from '../../doctor/types.js';
import { createSimulatedPhone, listProfiles } from '../../sandbox/phone/phone.js';
import { startAdbHostSandbox } from '../../sandbox/phone/host-server.js';
import type { CliDeps } from '../deps.js';
import { colorAllowed } from '../io.js';
import { askChoice, askConfirm, askText, requirePrompt } from '../prompts.js';
import { openSession } from '../session.js';
import { DEFAULT_SANDBOX_PROFILE } from './doctor.js';

export interface DoctorFlags {
  serial?: string;
  adbHost?: string;
  adbPort?: number;
  package?: string;
  calleridPackage?: string;
  number?: string;
  region: string;
  fix?: boolean;
  yes?: boolean;
  report?: string;
  platform: 'android' | 'ios';
  answers?: string;
  sandbox?: string | boolean;
  crmAccount?: string;
  timeout: number;
  check?: string[];
}

/** `--check a,b`: show (and judge the exit code by) only those checks; the facts are read the same way. */
function onlyChecks(o: DoctorOutcome, ids: string[] | undefined): DoctorOutcome {
  if (!ids) return o;
  return { ...o, items: o.items.filter((i) => ids.includes(i.id)), before: o.before?.filter((b) => ids.includes(b.id)) };
}

/** The CRM half of check 8: only when logged in; never fails the run. */
async function crmLookup(e164: string, flags: DoctorFlags, deps: CliDeps): Promise<NumberContext['crm']> {
  let session;
  try {
    session = await openSession({ account: flags.crmAccount }, deps);
  } catch (e) {
    if (isAppError(e) && e.kind === 'auth') return { status: 'not_logged_in' };
    return { status: 'error', reason: isAppError(e) ? deps.io.t(e.key, e.params) : String(e) };
  }
  try {
    const page = await session.client.contactsPage({ query: e164.replace(/^\+/, ''), limit: 10 });
    return page.items.length ? { status: 'found', count: page.items.length } : { status: 'not_found' };
  } catch (e) {
    return { status: 'error', reason: isAppError(e) ? deps.io.t(e.key, e.params) : String(e) };
  } finally {
    await session.close();
  }
}

async function datasetLookup(e164: string, deps: CliDeps): Promise<NumberContext['dataset']> {
  let hit;
  try {
    hit = await lookupInLastBuild(deps.env, e164);
  } catch (e) {
    return { status: 'error', reason: isAppError(e) ? deps.io.t(e.key, e.params) : String(e) };
  }
  if (!hit) return { status: 'no_build' };
  return hit.label !== null
    ? { status: 'found', label: hit.buildId, generatedAt: hit.generatedAt }
    : { status: 'missing', label: hit.buildId, generatedAt: hit.generatedAt };
}

function sensitiveOf(facts: Facts | undefined, e164: string | undefined): Sensitive {
  const lookup = facts?.numberLookup;
  const hits = lookup && 'hits' in lookup ? lookup.hits : [];
  return { names: hits.map((h) => h.name), numbers: [...hits.map((h) => h.number), ...(e164 ? [e164] : [])] };
}

function print(outcome: DoctorOutcome, deps: CliDeps, sensitive: Sensitive): void {
  const { io } = deps;
  if (io.json) {
    const json = toJson(outcome, io.t);
    // Contact names read from the phone are shown only with --verbose.
    io.out(io.verbose ? JSON.stringify(json, null, 2) : maskText(JSON.stringify(json, null, 2), { names: sensitive.names, numbers: [] }));
  } else {
    // The report goes to stdout, so colour follows stdout (io.c is for stderr) and --no-color.
    const c = new Chalk({ level: io.c.level > 0 && colorAllowed(io.env, io.stdoutIsTTY) ? 1 : 0 });
    const text = renderText(outcome, { t: io.t, c, verbose: io.verbose });
    io.out(io.verbose ? text : maskText(text, { names: sensitive.names, numbers: [] }).replace(/\n$/, ''));
  }
}

async function askIos(flags: DoctorFlags, deps: CliDeps): Promise<Record<string, string>> {
  const answers = parseAnswers(flags.answers);
  const { io } = deps;
  const missing = IOS_QUESTIONS.filter((q) => answers[q.key] === undefined).map((q) => q.key);
  if (missing.length && !io.canPrompt) throw new AppError('usage', 'doctor.error.missingAnswers', { keys: missing.join(', ') });
  for (const q of IOS_QUESTIONS) {
    if (answers[q.key] !== undefined) continue;
    if (q.kind === 'version') {
      answers[q.key] = (await askText(io, '--answers', io.t(q.question), { validate: (v) => (/^\d+(\.\d+)*$/.test(v.trim()) ? true : io.t('doctor.error.badAnswers', { value: v, keys: q.key }) ) })).trim();
    } else {
      answers[q.key] = await askChoice(io, '--answers', io.t(q.question), [
        { value: 'yes', name: io.t('doctor.ios.answer.yes') },
        { value: 'no', name: io.t('doctor.ios.answer.no') },
        { value: 'unknown', name: io.t('doctor.ios.answer.unknown') },
      ]);
    }
  }
  return answers;
}

export async function runDoctor(flags: DoctorFlags, deps: CliDeps): Promise<void> {
  const { io } = deps;
  const now = deps.now();
  if (flags.platform === 'ios') {
    const outcome: DoctorOutcome = { platform: 'ios', items: iosItems(await askIos(flags, deps)) };
    print(outcome, deps, { names: [], numbers: [] });
    if (flags.report) io.info(io.t('doctor.report.written', writeReport(flags.report, outcome, io.t, { names: [], numbers: [] }, now)));
    deps.setExitCode(exitCodeOf(outcome));
    return;
  }
  // Refuse before touching the phone: a fix must be confirmed by a person or by --yes.
  if (flags.fix && !flags.yes) requirePrompt(io, '--yes');
  let e164: string | undefined;
  if (flags.number !== undefined) {
    e164 = normalizePhone(flags.number, flags.region).e164;
    if (!e164) throw new AppError('usage', 'doctor.error.badNumber', { value: flags.number });
  }
  const timeoutMs = Math.round(flags.timeout * 1000);
  const cleanups: (() => unknown)[] = [];
  try {
    let endpoint = resolveAdbEndpoint({ host: flags.adbHost, port: flags.adbPort }, deps.env);
    const sandboxed = flags.sandbox !== undefined && flags.sandbox !== false;
    if (sandboxed) {
      const profile = typeof flags.sandbox === 'string' ? flags.sandbox : DEFAULT_SANDBOX_PROFILE;
      const known = listProfiles().map((p) => p.id);
      if (!known.includes(profile)) throw new AppError('usage', 'doctor.error.unknownProfile', { profile, profiles: known.join(', ') });
      const host = await startAdbHostSandbox([createSimulatedPhone(profile)], { port: 0 });
      cleanups.push(() => host.close());
      endpoint = { host: host.host, port: host.port };
    }
    const client = new AdbClient(endpoint, { timeoutMs });
    // Our own sandbox has one phone whatever ANDROID_SERIAL names.
    const serial = sandboxed ? flags.serial : resolveSerial(flags.serial, deps.env);
    const device = await client.openDevice(serial);
    cleanups.push(() => device.close());
    const shell: DeviceShell = device;
    const context = e164 ? { number: { e164, crm: await crmLookup(e164, flags, deps), dataset: await datasetLookup(e164, deps) } } : {};
    let spinner = io.spinner(io.t('doctor.reading'));
    // Prompts and lists must not be drawn over by the spinner: stop it, ask, start a new one.
    const paused = async <T>(ask: () => Promise<T>): Promise<T> => {
      spinner.stop();
      try {
        return await ask();
      } finally {
        spinner = io.spinner(io.t('doctor.reading'));
      }
    };
    let run;
    try {
      run = await runAndroidDoctor(shell, {
        mainPackage: flags.package,
        callerIdPackage: flags.calleridPackage,
        number: e164,
        timeoutMs,
        context,
        fix: flags.fix,
        onStep: (step: Message) => spinner.update(`${io.t(step.key, step.params)}…`),
        confirm: flags.yes ? undefined : (fixes) => paused(() => confirmFixes(fixes, deps)),
        // Settings screens open one at a time; only a person at a terminal can say they are done.
        waitForPhone: io.canPrompt
          ? (next) => paused(async () => void (await askText(io, '--yes', next ? io.t('doctor.fix.waitNext', { what: io.t(next.message.key, next.message.params) }) : io.t('doctor.fix.waitRecheck'))))
          : undefined,
      });
    } finally {
      spinner.stop();
    }
    if (run.nothingToFix) io.info(io.t('doctor.fix.none'));
    if (run.declined) io.info(io.t('doctor.fix.declined'));
    const sensitive = sensitiveOf(run.recheck ?? run.facts, e164);
    const outcome = onlyChecks(run.outcome, flags.check);
    print(outcome, deps, sensitive);
    if (flags.report) io.info(io.t('doctor.report.written', writeReport(flags.report, outcome, io.t, sensitive, now)));
    deps.setExitCode(exitCodeOf(outcome));
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

/** Lists every fix with what it runs or opens, then asks; Enter keeps the phone as it is. */
async function confirmFixes(fixes: PlannedFix[], deps: CliDeps): Promise<boolean> {
  const { io } = deps;
  io.info(io.t('doctor.fix.planned'));
  for (const f of fixes) {
    const what = io.t(f.message.key, f.message.params);
    const commands = f.commands.join('; ');
    io.info(`  • ${io.t(f.kind === 'adb' ? 'doctor.fix.plannedAdb' : 'doctor.fix.plannedScreen', { what, commands })}`);
  }
  return askConfirm(io, '--yes', io.t('doctor.fix.confirm', { count: fixes.length }), false);
}
