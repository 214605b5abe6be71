/** 4. Vendor security / autostart managers and third-party security or cleaner apps that may kill the app. */
import { targetApps } from '../facts.js';
import type { Check, CheckResult, Facts, Status } from '../types.js';
import { THIRD_PARTY_APPS, VENDOR_MANAGERS } from '../vendor.js';
import { evidence, info, msg, result, unknown, vendorMsg, worst, findings } from './util.js';

export const vendorAutostart: Check = {
  id: 'vendor-autostart',
  run(facts: Facts): CheckResult {
    if (!facts.packages) return unknown('vendor-autostart', facts);
    const installed = new Set(facts.packages.map((p) => p.name));
    const statuses: Status[] = ['ok'];
    const { details, advice, fixes, evidence: ev } = findings();
    // A package can be listed under two vendors (Huawei's manager on Honor phones): name it once.
    const managers = VENDOR_MANAGERS.filter((m, i) => installed.has(m.pkg) && VENDOR_MANAGERS.findIndex((x) => x.pkg === m.pkg) === i);
    const apps = targetApps(facts) ?? [];
    const isXiaomi = facts.identity?.vendor === 'xiaomi';
    if (isXiaomi && managers.length) {
      // MIUI/HyperOS keep the autostart switch in app-op 10008, readable without root.
      if (!facts.apps) statuses.push('unknown');
      for (const a of apps) {
        ev.push(...evidence(facts, `${a.name}:10008`), ...evidence(facts, `${a.name}:10021`));
        if (a.miuiAutostart === 'allow') details.push(info('doctor.vendor.miuiAutostartOn', { pkg: a.name }));
        else if (a.miuiAutostart === 'deny' || a.miuiAutostart === 'ignore') {
          statuses.push('problem');
          details.push(msg('doctor.vendor.miuiAutostartOff', { pkg: a.name }));
        } else {
          statuses.push('warning');
          details.push(msg('doctor.vendor.miuiAutostartUnknown', { pkg: a.name }));
        }
      }
    } else if (managers.length) {
      statuses.push('warning');
      details.push(msg('doctor.vendor.manager', { pkgs: managers.map((m) => m.pkg).join(', ') }));
    }
    if (managers.length && worst(statuses) !== 'ok') {
      advice.push(vendorMsg('doctor.vendor.advice', facts));
      const screen = managers.find((m) => m.screen);
      if (screen?.screen) fixes.push({ kind: 'screen', commands: [`am start -n ${screen.screen}`], message: vendorMsg('doctor.fix.vendorScreen', facts) });
    }
    ev.push(...managers.map((m) => `pm list packages: ${m.pkg}`));
    const others = THIRD_PARTY_APPS.filter((t) => installed.has(t.pkg));
    if (others.length) {
      statuses.push('warning');
      const labels = [...new Set(others.map((o) => o.label))].join(', ');
      details.push(msg('doctor.vendor.thirdParty', { apps: labels }));
      advice.push(msg('doctor.vendor.thirdPartyAdvice', { apps: labels }));
      ev.push(...others.map((o) => `pm list packages: ${o.pkg}`));
    }
    const status = worst(statuses);
    if (status === 'ok' && !details.length) details.push(info('doctor.vendor.none'));
    return result('vendor-autostart', status, { details, advice, evidence: ev, fixes });
  },
};
