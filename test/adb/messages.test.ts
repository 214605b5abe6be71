import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../src/cli/exit.js';
import { AppError } from '../../src/errors.js';
import { catalogs, translator } from '../../src/i18n/index.js';
import { ROOT } from '../helpers/cli.js';

const sources = [
  ...readdirSync(join(ROOT, 'src/adb')).map((f) => join(ROOT, 'src/adb', f)),
  join(ROOT, 'src/sandbox/phone/host-server.ts'),
  join(ROOT, 'src/sandbox/phone/device-server.ts'),
].filter((f) => f.endsWith('.ts') && !f.endsWith('device-contacts.ts'));

describe('adb messages', () => {
  it('every adb.* key thrown by the transport has an English and a Russian text', () => {
    const keys = new Set<string>();
    for (const f of sources) for (const m of readFileSync(f, 'utf8').matchAll(/'(adb\.[A-Za-z]+)'/g)) keys.add(m[1] as string);
    expect(keys.size).toBeGreaterThan(15);
    for (const k of keys) {
      expect(catalogs.en[k], k).toBeTypeOf('string');
      expect(catalogs.ru[k], k).toBeTypeOf('string');
    }
  });

  it('tell the user what to do, in both languages', () => {
    for (const lang of ['en', 'ru'] as const) {
      const t = translator(lang);
      expect(t('adb.noServer', { host: '127.0.0.1', port: 5199, command: 'adb -P 5199 start-server' })).toContain('`adb -P 5199 start-server`');
      expect(t('adb.noServerRemote', { host: '10.0.0.2', port: 5199 })).toContain('-P 5199');
      expect(t('adb.severalDevices', { devices: 'A (device), B (device)' })).toContain('-s');
      expect(t('adb.unauthorized', { serial: 'X' })).toMatch(lang === 'en' ? /Allow USB debugging\?/ : /Разрешить отладку по USB\?/);
      expect(t('adb.versionMismatch', { host: 'h', port: 1, server: 40, client: 41 })).toContain('40');
    }
  });

  it('device errors end the CLI with exit code 2', () => {
    expect(exitCodeFor(new AppError('device', 'adb.noDevice'))).toBe(2);
  });
});
