/**
 * The simulated phones by id, with what each one shows: `amo-doctor --help` lists them without
 * building them (index.ts does, from these ids).
 */
export const PROFILE_LIST = [
  { id: 'pixel-15', description: 'Google Pixel 8, Android 15: everything set up correctly' },
  { id: 'samsung-oneui-14', description: 'Samsung Galaxy A54, One UI 6.1 (Android 14): power saving on (psm_switch), app put to sleep' },
  { id: 'xiaomi-miui-13', description: 'Redmi Note 12, MIUI 14 (Android 13): autostart denied (op 10008), power saving on, overlay not allowed' },
  { id: 'xiaomi-hyperos-14', description: 'Xiaomi 14, HyperOS (Android 14): autostart allowed, notifications switched off' },
  { id: 'huawei-emui-10', description: 'Huawei P30 lite, EMUI 10 (Android 10): no `cmd role`, SmartModeStatus power saving, notifications blocked, call log denied' },
  { id: 'honor-magicos-12', description: 'Honor X8, Magic UI 6 (Android 12): SmartModeStatus always -1, all set except the vendor manager' },
  { id: 'oppo-coloros-12', description: 'OPPO A96, ColorOS 12 (Android 12): app force-stopped by the phone manager, overlay denied' },
  { id: 'realme-ui-3', description: 'realme 9, realme UI 3 (Android 12): battery saver on (low_power)' },
  { id: 'oneplus-13', description: 'OnePlus Nord 2T, OxygenOS 13 (Android 13): app in the "rare" standby bucket' },
  { id: 'vivo-funtouch-13', description: 'vivo Y36, Funtouch OS 13 (Android 13): battery saver on, app optimized' },
  { id: 'android-8.1', description: 'Nokia 3.1, Android 8.1: no standby buckets, no RUN_ANY_IN_BACKGROUND, no `cmd role`; background restricted' },
  { id: 'multi-user-14', description: 'Pixel 7, Android 14 with a work profile (user 10) where the app is stopped and denied; user 0 is fine' },
  { id: 'sd-card-11', description: 'Motorola moto g30, Android 11: the app lives on an adopted SD card (/mnt/expand/…)' },
  { id: 'notifications-off-13', description: 'Pixel 6a, Android 13: notification permission refused ("don\'t allow")' },
  { id: 'security-apps-13', description: 'Nokia G21, Android 13, with Kaspersky, Dr.Web and Clean Master; Who Calls holds call screening' },
  { id: 'contact-saved-15', description: 'Pixel 9, Android 15: the client\'s number is saved in the phone\'s own contacts' },
  { id: 'no-app-14', description: 'Samsung Galaxy S23, Android 14: neither amoCRM app is installed' },
  { id: 'xiaomi-ignores-appops-11', description: 'Redmi Note 10 Pro, MIUI 12.5 (Android 11): overlay refused, and MIUI ignores `appops set` (exit 0, nothing changes)' },
  { id: 'samsung-sticky-bucket-13', description: 'Samsung Galaxy A34, One UI 5.1 (Android 13): app in the RESTRICTED bucket, which `am set-standby-bucket` accepts but does not change' },
  { id: 'honor-grant-error-10', description: 'Honor 9X, EMUI 10 (Android 10): call log and phone denied; `pm grant` of the call log answers with an exception yet grants it' },
  { id: 'frozen-14', description: 'Pixel 7, Android 14: answers the first round trip, then stops answering with the connection still open' },
  { id: 'unauthorized', description: 'A phone that never accepted this computer\'s key ("Allow USB debugging?" not confirmed)' },
] as const;

export type ProfileId = (typeof PROFILE_LIST)[number]['id'];

export function about(id: ProfileId): { id: string; description: string } {
  const p = PROFILE_LIST.find((x) => x.id === id)!;
  return { id: p.id, description: p.description };
}
