/**
 * What we know about vendors: how to recognise them from build properties, their security/battery
 * managers and the screens where the user allows autostart (docs/android-checks.md §2.1, §2.7, §2.8).
 */
import type { Identity, Vendor } from './types.js';

export function detectVendor(props: Record<string, string>): Vendor {
  const m = `${props['ro.product.manufacturer'] ?? ''} ${props['ro.product.brand'] ?? ''}`.toLowerCase();
  if (/xiaomi|redmi|poco/.test(m)) return 'xiaomi';
  if (/honor/.test(m)) return 'honor';
  if (/huawei/.test(m)) return 'huawei';
  if (/samsung/.test(m)) return 'samsung';
  if (/oneplus/.test(m)) return 'oneplus';
  if (/oppo|realme/.test(m)) return 'oppo';
  if (/vivo|iqoo/.test(m)) return 'vivo';
  return 'other';
}

export function detectSkin(props: Record<string, string>): string | undefined {
  if (props['ro.mi.os.version.name']) return `HyperOS ${props['ro.mi.os.version.name']}`;
  if (props['ro.miui.ui.version.name']) return `MIUI ${props['ro.miui.ui.version.name']}`;
  if (props['ro.build.version.emui']) return props['ro.build.version.emui'].replace(/^EmotionUI_/, 'EMUI ');
  if (props['ro.build.version.magic']) return props['ro.build.version.magic'].replace(/_/g, ' ');
  if (props['ro.build.version.oneui']) {
    const v = Number(props['ro.build.version.oneui']);
    return Number.isFinite(v) ? `One UI ${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}` : 'One UI';
  }
  if (props['ro.build.version.oplusrom']) return `ColorOS/realme UI ${props['ro.build.version.oplusrom']}`;
  if (props['ro.build.version.opporom']) return `ColorOS ${props['ro.build.version.opporom']}`;
  if (props['ro.vivo.os.version']) return `Funtouch OS ${props['ro.vivo.os.version']}`;
  return undefined;
}

/** Where vendors keep the name people know ("Redmi Note 10 Pro" for M2101K6G). */
const MARKET_NAME_KEYS = [
  'ro.product.marketname',
  'ro.product.vendor.marketname',
  'ro.product.odm.marketname',
  'ro.config.marketing_name',
  'ro.vendor.oplus.market.name',
  'ro.oppo.market.name',
  'ro.vivo.market.name',
];

export function identityFrom(props: Record<string, string>): Identity | undefined {
  const sdk = Number(props['ro.build.version.sdk']);
  if (!Number.isFinite(sdk) || sdk <= 0) return undefined;
  return {
    release: props['ro.build.version.release'] ?? String(sdk),
    sdk,
    manufacturer: props['ro.product.manufacturer'] ?? '',
    brand: props['ro.product.brand'] ?? '',
    model: props['ro.product.model'] ?? '',
    marketName: MARKET_NAME_KEYS.map((k) => props[k]?.trim()).find((v) => v),
    vendor: detectVendor(props),
    skin: detectSkin(props),
  };
}

/** Vendor power-saving switches that `low_power` may miss, with the value that means "on". */
export const VENDOR_POWER_KEYS: { vendor: Vendor[]; key: string; on: string[] }[] = [
  { vendor: ['xiaomi'], key: 'POWER_SAVE_MODE_OPEN', on: ['1'] },
  { vendor: ['samsung'], key: 'psm_switch', on: ['1'] },
  { vendor: ['huawei', 'honor'], key: 'SmartModeStatus', on: ['4'] },
];

/** Vendor security / autostart managers and the screen that lists autostart permissions. */
export const VENDOR_MANAGERS: { vendor: Vendor; pkg: string; screen?: string }[] = [
  { vendor: 'xiaomi', pkg: 'com.miui.securitycenter', screen: 'com.miui.securitycenter/com.miui.permcenter.autostart.AutoStartManagementActivity' },
  { vendor: 'xiaomi', pkg: 'com.miui.powerkeeper' },
  { vendor: 'huawei', pkg: 'com.huawei.systemmanager', screen: 'com.huawei.systemmanager/.startupmgr.ui.StartupNormalAppListActivity' },
  { vendor: 'honor', pkg: 'com.hihonor.systemmanager', screen: 'com.hihonor.systemmanager/.startupmgr.ui.StartupNormalAppListActivity' },
  { vendor: 'honor', pkg: 'com.huawei.systemmanager', screen: 'com.huawei.systemmanager/.startupmgr.ui.StartupNormalAppListActivity' },
  { vendor: 'samsung', pkg: 'com.samsung.android.lool', screen: 'com.samsung.android.lool/com.samsung.android.sm.battery.ui.BatteryActivity' },
  { vendor: 'oppo', pkg: 'com.coloros.safecenter', screen: 'com.coloros.safecenter/.startupapp.StartupAppListActivity' },
  { vendor: 'oppo', pkg: 'com.oplus.safecenter', screen: 'com.oplus.safecenter/.startupapp.StartupAppListActivity' },
  { vendor: 'oppo', pkg: 'com.oppo.safe', screen: 'com.oppo.safe/.permission.startup.StartupAppListActivity' },
  { vendor: 'oppo', pkg: 'com.oplus.battery' },
  { vendor: 'oneplus', pkg: 'com.oneplus.security', screen: 'com.oneplus.security/.chainlaunch.view.ChainLaunchAppListActivity' },
  { vendor: 'vivo', pkg: 'com.iqoo.secure', screen: 'com.iqoo.secure/.ui.phoneoptimize.AddWhiteListActivity' },
  { vendor: 'vivo', pkg: 'com.vivo.permissionmanager', screen: 'com.vivo.permissionmanager/.activity.BgStartUpManagerActivity' },
  { vendor: 'other', pkg: 'com.asus.mobilemanager' },
  { vendor: 'other', pkg: 'com.evenwell.powersaving.g3' },
  { vendor: 'other', pkg: 'com.letv.android.letvsafe' },
  { vendor: 'other', pkg: 'com.transsion.phonemaster' },
];

/** Third-party security, cleaner and caller-ID apps common in Russia (§2.8). */
export const THIRD_PARTY_APPS: { pkg: string; label: string; kind: 'security' | 'cleaner' | 'callerid' }[] = [
  { pkg: 'com.kms.free', label: 'Kaspersky', kind: 'security' },
  { pkg: 'com.kaspersky.security.cloud', label: 'Kaspersky Security Cloud', kind: 'security' },
  { pkg: 'com.kaspersky.who_calls', label: 'Kaspersky Who Calls', kind: 'callerid' },
  { pkg: 'com.drweb', label: 'Dr.Web', kind: 'security' },
  { pkg: 'com.drweb.pro', label: 'Dr.Web', kind: 'security' },
  { pkg: 'com.drweb.pro.market', label: 'Dr.Web', kind: 'security' },
  { pkg: 'com.eset.ems2.gp', label: 'ESET', kind: 'security' },
  { pkg: 'com.eset.ems2.mts', label: 'ESET', kind: 'security' },
  { pkg: 'com.eset.ems2.megafon', label: 'ESET', kind: 'security' },
  { pkg: 'com.eset.ems2.beeline', label: 'ESET', kind: 'security' },
  { pkg: 'com.eset.ems2.tele2', label: 'ESET', kind: 'security' },
  { pkg: 'com.avast.android.mobilesecurity', label: 'Avast', kind: 'security' },
  { pkg: 'com.avast.android.cleaner', label: 'Avast Cleanup', kind: 'cleaner' },
  { pkg: 'com.antivirus', label: 'AVG', kind: 'security' },
  { pkg: 'com.avg.cleaner', label: 'AVG Cleaner', kind: 'cleaner' },
  { pkg: 'com.avira.android', label: 'Avira', kind: 'security' },
  { pkg: 'com.symantec.mobilesecurity', label: 'Norton', kind: 'security' },
  { pkg: 'com.wsandroid.suite', label: 'McAfee', kind: 'security' },
  { pkg: 'com.bitdefender.security', label: 'Bitdefender', kind: 'security' },
  { pkg: 'org.malwarebytes.antimalware', label: 'Malwarebytes', kind: 'security' },
  { pkg: 'com.qihoo.security', label: '360 Security', kind: 'security' },
  { pkg: 'com.cleanmaster.mguard', label: 'Clean Master', kind: 'cleaner' },
  { pkg: 'com.cleanmaster.security', label: 'CM Security', kind: 'cleaner' },
  { pkg: 'com.piriform.ccleaner', label: 'CCleaner', kind: 'cleaner' },
  { pkg: 'com.oasisfeng.greenify', label: 'Greenify', kind: 'cleaner' },
  { pkg: 'com.truecaller', label: 'Truecaller', kind: 'callerid' },
  { pkg: 'app.source.getcontact', label: 'Getcontact', kind: 'callerid' },
  { pkg: 'ru.yandex.searchplugin', label: 'Yandex', kind: 'callerid' },
  { pkg: 'com.yandex.searchapp', label: 'Yandex', kind: 'callerid' },
];

/**
 * A phrase like "Xiaomi Redmi Note 10 Pro (M2101K6G), MIUI V125, Android 11 (API 30)" for headers:
 * the name people know first, the model code beside it for support.
 */
export function describePhone(id: Identity): string {
  const lower = (x: string) => x.toLowerCase();
  const parts = [id.manufacturer];
  if (id.brand && lower(id.brand) !== lower(id.manufacturer)) parts.push(id.brand);
  const market = id.marketName && lower(id.marketName) !== lower(id.model) ? id.marketName : undefined;
  const name = market ?? id.model;
  // "Nokia Nokia 3.1" reads badly: drop a maker word the name already starts with.
  const shown = parts.filter((p) => !lower(name).startsWith(lower(p)));
  return `${[...shown, name].join(' ')}${market ? ` (${id.model})` : ''}${id.skin ? `, ${id.skin}` : ''}, Android ${id.release} (API ${id.sdk})`;
}
