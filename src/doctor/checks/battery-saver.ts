/** 2. Battery saver: the stock `low_power` switch and the vendor keys it may miss. */
import type { Check, CheckResult, Facts, Fix } from '../types.js';
import { VENDOR_POWER_KEYS } from '../vendor.js';
import { evidence, info, msg, result, unknown, vendorMsg } from './util.js';

export const batterySaver: Check = {
  id: 'battery-saver',
  run(facts: Facts): CheckResult {
    const p = facts.powerSaving;
    if (!p) return unknown('battery-saver', facts);
    const ev = [...evidence(facts, 'low_power'), ...VENDOR_POWER_KEYS.flatMap((k) => evidence(facts, `system:${k.key}`))];
    const commands: string[] = [];
    const details = [];
    if (p.lowPower === '1') {
      details.push(msg('doctor.battery.lowPower'));
      commands.push('settings put global low_power 0');
      if ((facts.identity?.sdk ?? 0) >= 28) commands.push('cmd power set-mode 0');
    }
    for (const k of VENDOR_POWER_KEYS) {
      const v = p.vendor[k.key];
      if (v !== undefined && k.on.includes(v)) {
        details.push(msg('doctor.battery.vendorKey', { key: k.key, value: v }));
        commands.push(`settings put system ${k.key} ${k.key === 'SmartModeStatus' ? '1' : '0'}`);
      }
    }
    if (!details.length) return result('battery-saver', 'ok', { details: [info('doctor.battery.off')], evidence: ev });
    const fixes: Fix[] = [{ kind: 'adb', commands, message: msg('doctor.fix.batterySaver') }];
    return result('battery-saver', 'problem', { details, advice: [vendorMsg('doctor.battery.advice', facts)], evidence: ev, fixes });
  },
};
