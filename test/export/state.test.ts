import { afterEach, describe, expect, it } from 'vitest';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { openConfig } from '../../src/config/store.js';
import { readWatermark, resetWatermarks, writeWatermarks, type Watermark } from '../../src/export/state.js';
import { tempDir } from '../helpers/cli.js';

const dirs: { cleanup(): void }[] = [];
afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

function store() {
  const d = tempDir();
  dirs.push(d);
  return { s: openConfig({ AMO_PHONEBOOK_CONFIG_DIR: d.path }), dir: d.path };
}

const mark = (profile: string, target: string, until: number): Watermark => ({ profile, accountId: 1, by: 'updated', target, until, savedAt: 'x' });

describe('watermarks', () => {
  it('are kept per profile, --by and target, in a 0600 file', () => {
    const { s, dir } = store();
    writeWatermarks(s, [mark('a', 'vcard:/x.vcf', 100), mark('b', 'vcard:/x.vcf', 200), mark('a', 'ios', 300)]);
    expect(readWatermark(s, { profile: 'a', by: 'updated', target: 'vcard:/x.vcf' })?.until).toBe(100);
    expect(readWatermark(s, { profile: 'a', by: 'created', target: 'vcard:/x.vcf' })).toBeUndefined();
    expect(readWatermark(s, { profile: 'a', by: 'updated', target: 'ios' })?.until).toBe(300);
    expect(statSync(join(dir, 'config.json')).mode & 0o777).toBe(0o600);
  });

  it('reset forgets only what matches', () => {
    const { s } = store();
    writeWatermarks(s, [mark('a', 't1', 1), mark('b', 't1', 2), mark('a', 't2', 3)]);
    expect(resetWatermarks(s, { profiles: ['a'], target: 't1' })).toHaveLength(1);
    expect(readWatermark(s, { profile: 'a', by: 'updated', target: 't1' })).toBeUndefined();
    expect(readWatermark(s, { profile: 'a', by: 'updated', target: 't2' })?.until).toBe(3);
    expect(resetWatermarks(s, {})).toHaveLength(2);
    expect(readWatermark(s, { profile: 'b', by: 'updated', target: 't1' })).toBeUndefined();
  });
});
