/** 9. Sync: app data is private, so only install/update times can be read; the rest is steps to re-sync. */
import { targetApps } from '../facts.js';
import type { Check, CheckResult, Facts } from '../types.js';
import { info, msg, result, unknown } from './util.js';

export const sync: Check = {
  id: 'sync',
  run(facts: Facts): CheckResult {
    const apps = targetApps(facts);
    if (!apps) return unknown('sync', facts);
    if (apps.length === 0) return result('sync', 'not_applicable', { details: [msg('doctor.detail.noApp')] });
    return result('sync', 'unknown', {
      details: apps.map((a) => info('doctor.sync.updated', { pkg: a.name, date: a.lastUpdateTime ?? '?' })).concat([info('doctor.sync.unreadable')]),
      advice: [msg('doctor.sync.steps')],
      evidence: apps.map((a) => `dumpsys package ${a.name}: firstInstallTime=${a.firstInstallTime ?? '?'} lastUpdateTime=${a.lastUpdateTime ?? '?'}`),
    });
  },
};
