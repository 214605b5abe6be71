/** 9. Sync: app data is private, so only install/update times can be read; the rest is steps to re-sync. */
import type { Check, CheckResult, Facts } from '../types.js';
import { appsOrVerdict, info, msg, result } from './util.js';

export const sync: Check = {
  id: 'sync',
  run(facts: Facts): CheckResult {
    const apps = appsOrVerdict('sync', facts);
    if (!Array.isArray(apps)) return apps;
    return result('sync', 'unknown', {
      details: apps.map((a) => info('doctor.sync.updated', { pkg: a.name, date: a.lastUpdateTime ?? '?' })).concat([info('doctor.sync.unreadable')]),
      advice: [msg('doctor.sync.steps')],
      evidence: apps.map((a) => `dumpsys package ${a.name}: firstInstallTime=${a.firstInstallTime ?? '?'} lastUpdateTime=${a.lastUpdateTime ?? '?'}`),
    });
  },
};
