/** 5. "Display over other apps" (SYSTEM_ALERT_WINDOW app-op) is allowed for the caller-ID app. */
import { targetApps } from '../facts.js';
import type { Check, CheckResult, Facts } from '../types.js';
import { evidence, info, msg, result, unknown, vendorMsg, worst, findings } from './util.js';

export const overlay: Check = {
  id: 'overlay',
  run(facts: Facts): CheckResult {
    const all = targetApps(facts);
    if (!all) return unknown('overlay', facts);
    const apps = all.filter((a) => a.requested.includes('android.permission.SYSTEM_ALERT_WINDOW'));
    if (apps.length === 0) return result('overlay', 'not_applicable', { details: [info(all.length ? 'doctor.overlay.notRequested' : 'doctor.detail.noApp')] });
    const { statuses, details, advice, fixes, evidence: ev } = findings();
    for (const a of apps) {
      ev.push(...evidence(facts, `${a.name}:overlay`));
      if (a.overlay === undefined) statuses.push('unknown');
      else if (a.overlay === 'allow') statuses.push('ok');
      else {
        statuses.push('problem');
        details.push(msg('doctor.overlay.denied', { pkg: a.name, mode: a.overlay }));
        fixes.push({ kind: 'adb', commands: [`cmd appops set ${a.name} SYSTEM_ALERT_WINDOW allow`], message: msg('doctor.fix.overlay', { pkg: a.name }) });
      }
      if (a.miuiBackgroundStart === 'deny' || a.miuiBackgroundStart === 'ignore') {
        // MIUI's Security app reverts outside changes to its own ops, so this one stays a tap for the user.
        advice.push(msg('doctor.overlay.miuiPopup', { pkg: a.name }));
      }
    }
    const status = worst(statuses);
    if (status === 'ok') return result('overlay', 'ok', { details: [info('doctor.overlay.allowed')], advice, evidence: ev });
    if (status === 'problem') advice.unshift(vendorMsg('doctor.overlay.advice', facts));
    return result('overlay', status, { details: details.length ? details : [msg('doctor.detail.unreadable')], advice, evidence: ev, fixes });
  },
};
