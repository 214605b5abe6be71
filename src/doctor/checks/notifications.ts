/** 6. Notifications are allowed: the POST_NOTIFICATIONS permission on 13+, the per-app block on 8–12. */
import { findAppSettingsLine } from '../parse.js';
import type { Check, CheckResult, Facts } from '../types.js';
import { appsOrVerdict, evidence, info, msg, result, vendorMsg, worst, findings } from './util.js';

const POST = 'android.permission.POST_NOTIFICATIONS';

export const notifications: Check = {
  id: 'notifications',
  run(facts: Facts): CheckResult {
    const apps = appsOrVerdict('notifications', facts);
    if (!Array.isArray(apps)) return apps;
    const sdk = facts.identity?.sdk ?? 0;
    const { statuses, details, fixes, evidence: ev } = findings();
    for (const a of apps) {
      if (sdk >= 33) {
        const p = a.runtime[POST];
        ev.push(`dumpsys package ${a.name}: ${POST}: ${p ? `granted=${p.granted}, flags=[ ${p.flags.join('|')} ]` : 'not listed'}`);
        if (!a.requested.includes(POST)) statuses.push('ok');
        else if (!p) statuses.push('unknown');
        else if (p.granted) statuses.push('ok');
        else {
          statuses.push('problem');
          details.push(msg('doctor.notif.permission', { pkg: a.name }));
          fixes.push({ kind: 'adb', commands: [`pm grant ${a.name} ${POST}`], message: msg('doctor.fix.notifications', { pkg: a.name }) });
        }
      } else {
        if (!facts.raw.notification) {
          statuses.push('unknown');
          continue;
        }
        const line = findAppSettingsLine(facts.raw.notification.output, a.name);
        ev.push(`$ dumpsys notification`, `  ${line ?? `(no AppSettings line for ${a.name})`}`);
        if (a.notificationImportance === 'NONE') {
          statuses.push('problem');
          details.push(msg('doctor.notif.blocked', { pkg: a.name }));
          fixes.push({
            kind: 'screen',
            commands: [`am start -a android.settings.APP_NOTIFICATION_SETTINGS --es android.provider.extra.APP_PACKAGE ${a.name}`],
            message: msg('doctor.fix.notificationScreen', { pkg: a.name }),
          });
        } else statuses.push('ok');
      }
    }
    const status = worst(statuses);
    if (status === 'ok') return result('notifications', 'ok', { details: [info('doctor.notif.allowed')], evidence: ev });
    if (status === 'unknown') return result('notifications', 'unknown', { details: [msg('doctor.detail.unreadable')], evidence: [...ev, ...evidence(facts, 'notification')] });
    return result('notifications', status, { details, advice: [vendorMsg('doctor.notif.advice', facts)], evidence: ev, fixes });
  },
};
