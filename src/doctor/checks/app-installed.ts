/** 1. The amoCRM / Caller ID app is installed, and on internal storage rather than an adopted SD card. */
import type { Check, CheckResult, Facts } from '../types.js';
import { info, msg, result, unknown, vendorMsg } from './util.js';

export const appInstalled: Check = {
  id: 'app-installed',
  run(facts: Facts): CheckResult {
    if (!facts.apps) return unknown('app-installed', facts);
    const apps = facts.apps;
    const missing = (facts.missingOverrides ?? []).map((pkg) => msg('doctor.installed.overrideMissing', { pkg }));
    if (missing.length) {
      return result('app-installed', 'problem', {
        details: [...missing, ...apps.map((a) => info(a.role === 'callerid' ? 'doctor.installed.foundCallerId' : 'doctor.installed.foundMain', { pkg: a.name, version: a.versionName ?? '?' }))],
        advice: [msg('doctor.installed.install')],
      });
    }
    if (apps.length === 0) {
      return result('app-installed', 'problem', {
        details: [msg('doctor.installed.none')],
        advice: [msg('doctor.installed.install')],
        evidence: [`$ pm list packages -f  (${facts.packages?.length ?? 0} packages, none matches amo/kommo)`],
      });
    }
    const details = apps.map((a) =>
      info(a.role === 'callerid' ? 'doctor.installed.foundCallerId' : 'doctor.installed.foundMain', { pkg: a.name, version: a.versionName ?? '?' }),
    );
    const evidence = apps.flatMap((a) => [`$ pm path ${a.name}`, ...a.apkPaths.map((p) => `  package:${p}`)]);
    const onCard = apps.filter((a) => a.apkPaths.some((p) => p.startsWith('/mnt/expand/') || p.startsWith('/mnt/asec/')));
    if (onCard.length) {
      return result('app-installed', 'problem', {
        details: [...details, ...onCard.map((a) => msg('doctor.installed.sdcard', { pkg: a.name }))],
        advice: [vendorMsg('doctor.installed.moveInternal', facts)],
        evidence,
        fixes: onCard.map((a) => ({
          kind: 'screen' as const,
          commands: [`am start -a android.settings.APPLICATION_DETAILS_SETTINGS -d package:${a.name}`],
          // Named like the advice above: the same screen has the same name in both.
          message: vendorMsg('doctor.fix.openAppInfoStorage', facts, { pkg: a.name }),
        })),
      });
    }
    if (!apps.some((a) => a.role === 'callerid')) {
      return result('app-installed', 'warning', { details: [...details, msg('doctor.installed.noCallerId')], advice: [msg('doctor.installed.installCallerId')], evidence });
    }
    return result('app-installed', 'ok', { details, evidence });
  },
};
