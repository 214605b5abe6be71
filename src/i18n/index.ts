/**
 * Message catalogs. Each area owns one file exporting `en` and `ru` with the same keys, so
 * parallel work on different commands never edits the same catalog file.
 */
import type { Params } from '../errors.js';
import * as common from './common.js';
import * as amocrm from './amocrm.js';
import * as exporter from './export.js';
import * as callerid from './callerid.js';
import * as doctor from './doctor.js';
import * as sandbox from './sandbox.js';
import * as formats from './formats.js';
import * as adb from './adb.js';
import * as sync from './sync.js';

export type Lang = 'en' | 'ru';
export type Catalog = Record<string, string>;

const areas = [common, amocrm, exporter, callerid, doctor, sandbox, formats, adb, sync];
export const catalogs: Record<Lang, Catalog> = {
  en: Object.assign({}, ...areas.map((a) => a.en)) as Catalog,
  ru: Object.assign({}, ...areas.map((a) => a.ru)) as Catalog,
};

/** `--lang` wins, then LC_ALL, LC_MESSAGES, LANG as POSIX orders them; anything not Russian is English. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (flag) return flag.toLowerCase().startsWith('ru') ? 'ru' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : String(v);
  });
}

export type Translate = (key: string, params?: Params) => string;

export function translator(lang: Lang): Translate {
  const cat = catalogs[lang];
  return (key, params) => format(cat[key] ?? catalogs.en[key] ?? key, params);
}

/** Russian plural form: 1 контакт, 2 контакта, 5 контактов. */
export function ruPlural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  if (m10 === 1 && m100 !== 11) return one;
  if (m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14)) return few;
  return many;
}
