/** 7. Phone state, call log and contacts permissions, and who holds the call-screening role. */
import type { Check, CheckResult, Facts } from '../types.js';
import { appsOrVerdict, evidence, isSystemPath, info, msg, result, vendorMsg, worst, findings } from './util.js';

export const NEEDED = ['android.permission.READ_PHONE_STATE', 'android.permission.READ_CALL_LOG', 'android.permission.READ_CONTACTS'];
const SCREENING = 'android.app.role.CALL_SCREENING';

export const permissions: Check = {
  id: 'permissions',
  run(facts: Facts): CheckResult {
    const apps = appsOrVerdict('permissions', facts);
    if (!Array.isArray(apps)) return apps;
    const { statuses, details, advice, fixes, evidence: ev } = findings();
    for (const a of apps) {
      const missing: string[] = [];
      for (const perm of NEEDED) {
        if (!a.requested.includes(perm)) continue;
        const st = a.runtime[perm];
        ev.push(`dumpsys package ${a.name}: ${perm}: ${st ? `granted=${st.granted}, flags=[ ${st.flags.join('|')} ]` : 'not listed'}`);
        if (!st) statuses.push('unknown');
        else if (st.granted) statuses.push('ok');
        else {
          statuses.push('problem');
          missing.push(perm);
        }
      }
      if (missing.length) {
        details.push(msg('doctor.perm.denied', { pkg: a.name, perms: missing.map((p) => p.replace('android.permission.', '')).join(', ') }));
        fixes.push({ kind: 'adb', commands: missing.map((p) => `pm grant ${a.name} ${p}`), message: msg('doctor.fix.permissions', { pkg: a.name }) });
      }
    }
    if (statuses.every((s) => s === 'ok') && statuses.length) details.push(info('doctor.perm.granted'));
    const holders = facts.roles?.[SCREENING];
    ev.push(...evidence(facts, `role:${SCREENING}`));
    if (holders === null || holders === undefined) {
      details.push(info('doctor.perm.roleUnreadable'));
    } else {
      const ours = new Set(apps.map((a) => a.name));
      const paths = new Map((facts.packages ?? []).map((p) => [p.name, p.path]));
      const foreign = holders.filter((h) => !ours.has(h) && !isSystemPath(paths.get(h) ?? '/system/'));
      if (foreign.length) {
        statuses.push('warning');
        details.push(msg('doctor.perm.screeningHeld', { pkgs: foreign.join(', ') }));
        advice.push(msg('doctor.perm.screeningAdvice', { pkgs: foreign.join(', ') }));
        fixes.push({ kind: 'screen', commands: ['am start -a android.settings.MANAGE_DEFAULT_APPS_SETTINGS'], message: msg('doctor.fix.defaultApps') });
      } else details.push(info('doctor.perm.screeningFree', { holders: holders.length ? holders.join(', ') : '—' }));
    }
    const status = worst(statuses);
    if (status === 'problem') advice.unshift(vendorMsg('doctor.perm.advice', facts));
    return result('permissions', status === 'not_applicable' ? 'ok' : status, { details, advice, evidence: ev, fixes });
  },
};
