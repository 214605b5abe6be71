/** The checklist in the order of the issue. */
import type { Check, CheckContext, CheckResult, Facts } from '../types.js';
import { appInstalled } from './app-installed.js';
import { background } from './background.js';
import { batterySaver } from './battery-saver.js';
import { notifications } from './notifications.js';
import { numberCheck } from './number.js';
import { overlay } from './overlay.js';
import { permissions } from './permissions.js';
import { sync } from './sync.js';
import { vendorAutostart } from './vendor-autostart.js';

export const CHECKS: Check[] = [appInstalled, batterySaver, background, vendorAutostart, overlay, notifications, permissions, numberCheck, sync];

export function runChecks(facts: Facts, ctx: CheckContext): CheckResult[] {
  return CHECKS.map((c) => c.run(facts, ctx));
}
