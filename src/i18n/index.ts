/**
 * Message catalogs. Each area owns one file exporting `en` and `ru` with the same keys, so
 * parallel work on different commands never edits the same catalog file.
 *
 * Counts. Wherever a number meets a noun, the text chooses the form with Intl.PluralRules of its
 * language, written inline (a subset of ICU MessageFormat):
 *
 *   'callerid.deviceNumbers': '{n, plural, one {# number} other {# numbers}} on the phone'
 *   'callerid.deviceNumbers': 'на телефоне {n, plural, one {# номер} few {# номера} many {# номеров} other {# номера}}'
 *
 * `#` is the number; branches may hold other {placeholders}. English needs `one` and `other`,
 * Russian `one`, `few`, `many` and `other` (other: fractions). Never hedge with "(s)" or "(я)":
 * test/i18n/plurals.test.ts rejects it.
 *
 * Help texts (option and command descriptions) live in help.ts under keys derived from the
 * command path and flag; see src/cli/help.ts.
 */
import type { Params } from '../errors.js';
import { safeText } from './safe-text.js';
import { catalogSource } from './catalog-source.js';

export type Lang = 'en' | 'ru';
export type Catalog = Record<string, string>;

// Built on first use: a run in one language never builds the other (the bundle keeps each one as
// JSON text, and parsing it costs less than compiling the object literals; see scripts/bundle.mjs).
const built: Partial<Record<Lang, Catalog>> = {};
export const catalogs: Readonly<Record<Lang, Catalog>> = {
  get en() {
    return (built.en ??= catalogSource('en'));
  },
  get ru() {
    return (built.ru ??= catalogSource('ru'));
  },
};

/** `--lang` wins, then LC_ALL, LC_MESSAGES, LANG as POSIX orders them; anything not Russian is English. */
export function detectLang(flag: string | undefined, env: NodeJS.ProcessEnv): Lang {
  if (flag) return flag.toLowerCase().startsWith('ru') ? 'ru' : 'en';
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const BRANCH = /\s*(zero|one|two|few|many|other)\s*\{((?:[^{}]|\{\w+\})*)\}/gy;
const PLURAL = /\{(\w+),\s*plural,((?:\s*\w+\s*\{(?:[^{}]|\{\w+\})*\})+)\s*\}/g;
const rules = new Map<string, Intl.PluralRules>();

/** The `{n, plural, …}` parts of a template, each replaced by the branch its count selects. */
function plurals(template: string, params: Params, lang: Lang): string {
  return template.replace(PLURAL, (m, name: string, body: string) => {
    const v = params[name];
    const n = typeof v === 'number' ? v : Number(v);
    if (v === undefined || !Number.isFinite(n)) return m;
    const branches = new Map<string, string>();
    BRANCH.lastIndex = 0;
    for (let b = BRANCH.exec(body); b; b = BRANCH.exec(body)) branches.set(b[1]!, b[2]!);
    let pr = rules.get(lang);
    if (!pr) rules.set(lang, (pr = new Intl.PluralRules(lang)));
    const text = branches.get(pr.select(n)) ?? branches.get('other') ?? '';
    return text.replace(/#/g, String(v));
  });
}

export function format(template: string, params: Params = {}, lang: Lang = 'en'): string {
  return plurals(template, params, lang).replace(/\{(\w+)\}/g, (m, name: string) => {
    const v = params[name];
    return v === undefined ? m : safeText(String(v));
  });
}

export type Translate = (key: string, params?: Params) => string;

export function translator(lang: Lang): Translate {
  const cat = catalogs[lang];
  return (key, params) => (cat[key] !== undefined ? format(cat[key], params, lang) : format(catalogs.en[key] ?? key, params, 'en'));
}

/** A catalog text as written (no fallback to English, no formatting); undefined when missing. */
export function lookup(lang: Lang, key: string): string | undefined {
  return catalogs[lang][key];
}
