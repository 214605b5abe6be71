/** 3. The app is not battery-optimized, background-restricted, in a restricted standby bucket, or force-stopped. */
import type { Check, CheckResult, Facts } from '../types.js';
import { appsOrVerdict, evidence, info, msg, result, vendorMsg, worst, findings } from './util.js';

const BUCKET_NAMES: Record<number, string> = { 5: 'EXEMPTED', 10: 'ACTIVE', 20: 'WORKING_SET', 30: 'FREQUENT', 40: 'RARE', 45: 'RESTRICTED', 50: 'NEVER' };

export const background: Check = {
  id: 'background',
  run(facts: Facts): CheckResult {
    const apps = appsOrVerdict('background', facts);
    if (!Array.isArray(apps)) return apps;
    const { statuses, details, fixes } = findings();
    const ev: string[] = [...evidence(facts, 'deviceidle')];
    const sdk = facts.identity?.sdk ?? 0;
    for (const a of apps) {
      ev.push(...evidence(facts, `${a.name}:background`), ...evidence(facts, `${a.name}:bucket`));
      if (!facts.deviceidle) statuses.push('unknown');
      else if (facts.deviceidle.user.includes(a.name) || facts.deviceidle.system.includes(a.name)) statuses.push('ok');
      else {
        statuses.push('problem');
        details.push(msg('doctor.bg.optimized', { pkg: a.name }));
        fixes.push({ kind: 'adb', commands: [`cmd deviceidle whitelist +${a.name}`], message: msg('doctor.fix.whitelist', { pkg: a.name }) });
      }
      if (a.background === undefined) statuses.push(sdk >= 28 ? 'unknown' : 'ok');
      else if (a.background === 'ignore' || a.background === 'deny') {
        statuses.push('problem');
        details.push(msg('doctor.bg.restricted', { pkg: a.name, op: a.backgroundOp, mode: a.background }));
        fixes.push({ kind: 'adb', commands: [`cmd appops set ${a.name} ${a.backgroundOp} allow`], message: msg('doctor.fix.background', { pkg: a.name }) });
      } else statuses.push('ok');
      if (sdk >= 28) {
        const b = a.standbyBucket;
        if (b === undefined) statuses.push('unknown');
        else if (b >= 40) {
          statuses.push(b === 45 ? 'problem' : 'warning');
          details.push(msg(b === 45 ? 'doctor.bg.bucketRestricted' : 'doctor.bg.bucketRare', { pkg: a.name, bucket: b, name: BUCKET_NAMES[b] ?? String(b) }));
          fixes.push({ kind: 'adb', commands: [`am set-standby-bucket ${a.name} active`], message: msg('doctor.fix.bucket', { pkg: a.name }) });
        } else statuses.push('ok');
      }
      if (a.stopped === undefined) statuses.push('unknown');
      else if (a.stopped) {
        statuses.push('problem');
        details.push(msg('doctor.bg.stopped', { pkg: a.name }));
        fixes.push({
          kind: 'adb',
          commands: [`am start -a android.intent.action.MAIN -c android.intent.category.LAUNCHER -p ${a.name}`],
          message: msg('doctor.fix.launch', { pkg: a.name }),
        });
      } else statuses.push('ok');
      ev.push(`dumpsys package ${a.name}: User 0 stopped=${a.stopped ?? '?'}`);
    }
    const status = worst(statuses);
    if (status === 'ok') return result('background', 'ok', { details: [info('doctor.bg.fine')], evidence: ev });
    if (status === 'unknown') return result('background', 'unknown', { details: [msg('doctor.detail.unreadable')], evidence: ev });
    return result('background', status, { details, advice: [vendorMsg('doctor.bg.advice', facts)], evidence: ev, fixes });
  },
};
