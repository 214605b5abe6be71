/** Masking in the support bundle, and where the two files go. */
import { describe, expect, it } from 'vitest';
import { maskName, maskNumber, maskText, reportPaths } from '../../src/doctor/report.js';

describe('support report masking', () => {
  it('keeps the country code and the last two digits of numbers, the first letter of names', () => {
    expect(maskNumber('+7 999 000-00-01')).toBe('+7 *** ***-**-01');
    expect(maskNumber('89990000001')).toBe('8********01');
    expect(maskName('Пётр Образцов')).toBe('П*** О***');
  });

  it('masks numbers in text, URIs and content rows but not dates, uids or versions', () => {
    const s = { names: ['Пётр Образцов'], numbers: [] };
    const text = [
      "content query --uri 'content://com.android.contacts/phone_lookup/%2B79990000001'",
      'Row: 0 display_name=Пётр Образцов, number=8 999 000-00-01',
      'Пётр Образцов called from +79990000001',
      'lastUpdateTime=2026-10-14 09:12:47 userId=10232 versionCode=2310',
    ].join('\n');
    const out = maskText(text, s);
    expect(out).not.toContain('Образцов');
    expect(out).not.toMatch(/9990000001|999 000-00/);
    expect(out).toContain('%2B7********01');
    expect(out).toContain('2026-10-14 09:12:47 userId=10232 versionCode=2310');
  });

  it('masks the numbers it is told about even when they are too short for the general pattern', () => {
    const out = maskText('checked 123-45-67 and 1234567 in the contacts', { names: [], numbers: ['123-45-67', '1234567'] });
    expect(out).toBe('checked 1**-**-67 and 1****67 in the contacts');
  });

  it('FILE, FILE.md and FILE.json all give both files', () => {
    expect(reportPaths('/tmp/r')).toEqual({ md: '/tmp/r.md', json: '/tmp/r.json' });
    expect(reportPaths('/tmp/r.md')).toEqual({ md: '/tmp/r.md', json: '/tmp/r.json' });
    expect(reportPaths('/tmp/r.JSON')).toEqual({ md: '/tmp/r.md', json: '/tmp/r.JSON' });
  });
});
