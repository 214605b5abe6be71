/** The catalog of one language, merged from the areas' files. */
import * as common from './common.js';
import * as amocrm from './amocrm.js';
import * as exporter from './export.js';
import * as callerid from './callerid.js';
import * as doctor from './doctor.js';
import * as sandbox from './sandbox.js';
import * as formats from './formats.js';
import * as adb from './adb.js';
import * as help from './help.js';
import * as sync from './sync.js';

const areas = [common, amocrm, exporter, callerid, doctor, sandbox, formats, adb, help, sync];

export function catalogSource(lang: 'en' | 'ru'): Record<string, string> {
  return Object.assign({}, ...areas.map((a) => a[lang])) as Record<string, string>;
}
