import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildDataset, type BuildOptions } from '../../src/callerid/build.js';
import { parseTemplate, type LabelTemplate, graphemeCount } from '../../src/callerid/label.js';
import { sha256 } from '../../src/callerid/files.js';
import { verifyDataset } from '../../src/callerid/verify.js';
import { decodeTsv } from '../../src/callerid/binary.js';
import { applyDelta } from '../../src/callerid/delta.js';
import type { Contact } from '../../src/contacts/contact.js';
import { tempDir } from '../helpers/cli.js';
import { PYTHON, needTool } from '../helpers/tools.js';
import { HOSTILE_NAMES, contact, iterate, phone } from './gen.js';

const READER = join(import.meta.dirname, 'read_dataset.py');
const py = (kind: string, file: string) => (needTool('python3'), execFileSync(PYTHON, [READER, kind, file], { encoding: 'utf8' }));

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));
function dir(): string {
  const d = tempDir('callerid-');
  cleanups.push(d.cleanup);
  return d.path;
}

function opts(outDir: string, o: Partial<BuildOptions> = {}): BuildOptions {
  return {
    outDir,
    platforms: ['ios', 'android'],
    limits: { ios: 100_000, android: 50_000 },
    template: parseTemplate('{name} · {company}') as LabelTemplate,
    region: 'RU',
    exclude: new Set(),
    excludeAndroid: new Set(),
    source: { crm: 'file', accountKey: 'test' },
    keepInvalid: true,
    now: new Date('2026-11-22T03:00:00Z'),
    ...o,
  };
}

function hostileContacts(): Contact[] {
  const cs = HOSTILE_NAMES.map((name, i) =>
    contact({ id: i + 1, name, updatedAt: 1000 + i, phones: [phone(`+7999123${String(i).padStart(4, '0')}`), phone(`+1202555${String(i).padStart(4, '0')}`)] }),
  );
  // One number shared by two contacts of one company, one by two unrelated people, one invalid phone.
  cs.push(contact({ id: 100, name: 'Анна', company: { id: 5, name: 'ООО Ромашка' }, updatedAt: 5, phones: [phone('+74950000001'), phone(null, '123')] }));
  cs.push(contact({ id: 101, name: 'Борис', company: { id: 5, name: 'ООО Ромашка' }, updatedAt: 6, phones: [phone('+74950000001')] }));
  cs.push(contact({ id: 102, name: 'Вера', updatedAt: 7, phones: [phone('+74950000002')] }));
  cs.push(contact({ id: 103, name: 'Глеб', updatedAt: 8, phones: [phone('+74950000002')] }));
  return cs;
}

describe('dataset files', () => {
  it('read back by an independent reader (Python struct and sqlite3) equal the TSV', async () => {
    const out = dir();
    const r = await buildDataset(iterate(hostileContacts()), opts(out));
    expect(r.manifest.counts.phonesInvalid).toBe(1);
    expect(r.manifest.counts.duplicatesMerged).toBe(2);
    for (const p of ['ios', 'android'] as const) {
      const tsv = readFileSync(join(out, p, 'callerid.tsv'), 'utf8');
      const entries = decodeTsv(Buffer.from(tsv));
      expect(entries.length).toBe(HOSTILE_NAMES.length * 2 + 2);
      for (const e of entries) {
        expect(e.label.length).toBeGreaterThan(0);
        expect(graphemeCount(e.label)).toBeLessThanOrEqual(40);
      }
      expect(py(p === 'ios' ? 'crmi' : 'sqlite', join(out, p, p === 'ios' ? 'callerid.bin' : 'callerid.sqlite'))).toBe(tsv);
      const byNumber = new Map(entries.map((e) => [e.number, e.label]));
      expect(byNumber.get(74950000001)).toBe('ООО Ромашка (2)');
      expect(byNumber.get(74950000002)).toBe('Глеб +1');
      expect(byNumber.get(79991230010)).toBe('Клиент amoCRM');
    }
    const v = await verifyDataset(out);
    expect(v.problems).toEqual([]);
    for (const f of r.manifest.files) {
      const b = readFileSync(join(out, f.path));
      expect([b.length, sha256(b)]).toEqual([f.bytes, f.sha256]);
    }
  });

  it('writes a delta against the previous build that turns the old snapshot into the new one', async () => {
    const out = dir();
    const first = hostileContacts();
    const r1 = await buildDataset(iterate(first), opts(out));
    const oldIos = readFileSync(join(out, 'ios', 'callerid.tsv'), 'utf8');
    const second = first.filter((c) => c.id !== 1).map((c) => (c.id === 2 ? { ...c, name: 'Новое имя', updatedAt: 3000 } : c));
    second.push(contact({ id: 200, name: 'Добавлен', updatedAt: 4000, phones: [phone('+79990000000')] }));
    const r2 = await buildDataset(iterate(second), opts(out, { now: new Date('2026-11-23T03:00:00Z') }));
    expect(r2.manifest.baseBuildId).toBe(r1.manifest.buildId);
    expect(r2.manifest.counts.ios).toMatchObject({ added: 1, removed: 2, changed: 2 });
    expect(readFileSync(join(out, 'ios', 'base.tsv'), 'utf8')).toBe(oldIos);
    const newIos = readFileSync(join(out, 'ios', 'callerid.tsv'), 'utf8');
    // Python applies the delta: removals, then additions, to the old list.
    const lines = py('crmd', join(out, 'ios', 'delta.bin')).split('\n').filter(Boolean);
    const removed = new Set(lines.filter((l) => l.startsWith('-')).map((l) => Number(l.slice(1))));
    const added = lines.filter((l) => l.startsWith('+')).map((l) => l.slice(1));
    expect(removed.size).toBe(4);
    const applied = applyDelta(decodeTsv(Buffer.from(oldIos)), { remove: [...removed], add: decodeTsv(Buffer.from(added.join('\n') + '\n')) });
    expect(applied).toEqual(decodeTsv(Buffer.from(newIos)));
    expect((await verifyDataset(out)).problems).toEqual([]);
  });

  it('respects limits and exclusions per platform and records the cut-off', async () => {
    const out = dir();
    const cs = Array.from({ length: 20 }, (_, i) => contact({ id: i + 1, name: `N${i}`, updatedAt: 1_700_000_000 + i * 86400, phones: [phone(`+7916000${String(i).padStart(4, '0')}`)] }));
    const r = await buildDataset(iterate(cs), opts(out, { limits: { ios: 10, android: 5 }, exclude: new Set([79160000019]), excludeAndroid: new Set([79160000018]) }));
    expect(r.manifest.counts.ios).toMatchObject({ entries: 10, excluded: 1, droppedOverLimit: 9 });
    expect(r.manifest.counts.android).toMatchObject({ entries: 5, excluded: 2, droppedOverLimit: 13 });
    const ios = decodeTsv(readFileSync(join(out, 'ios', 'callerid.tsv'))).map((e) => e.number);
    expect(ios).toEqual(Array.from({ length: 10 }, (_, i) => 79160000009 + i));
    expect(r.manifest.counts.ios!.cutoff).toBe(new Date((1_700_000_000 + 9 * 86400) * 1000).toISOString().replace('.000', ''));
  });

  it('verify rejects damaged, reordered and half-written datasets', async () => {
    const out = dir();
    await buildDataset(iterate(hostileContacts()), opts(out));
    const bin = join(out, 'ios', 'callerid.bin');
    const good = readFileSync(bin);

    const flipped = Buffer.from(good);
    flipped[40] = flipped[40]! ^ 1;
    writeFileSync(bin, flipped);
    expect((await verifyDataset(out)).problems.map((p) => p.key)).toContain('callerid.verify.checksum');

    // Swap the first two numbers and make the manifest agree: the order check must still catch it.
    const swapped = Buffer.from(good);
    good.copy(swapped, 32, 40, 48);
    good.copy(swapped, 40, 32, 40);
    writeFileSync(bin, swapped);
    const mPath = join(out, 'manifest.json');
    const m = JSON.parse(readFileSync(mPath, 'utf8'));
    m.files.find((f: { path: string }) => f.path === 'ios/callerid.bin').sha256 = sha256(swapped);
    writeFileSync(mPath, JSON.stringify(m));
    const keys = (await verifyDataset(out)).problems.map((p) => p.key);
    expect(keys).toContain('callerid.verify.order');
    expect(keys).toContain('callerid.verify.mismatch');

    rmSync(mPath);
    expect((await verifyDataset(out)).problems.map((p) => p.key)).toEqual(['callerid.verify.manifest.missing']);
  });

  it('an interrupted build leaves nothing that verify accepts', async () => {
    const out = dir();
    await buildDataset(iterate(hostileContacts()), opts(out));
    expect((await verifyDataset(out)).ok).toBe(true);
    // A directory where the new SQLite file must go makes the commit fail half-way.
    rmSync(join(out, 'android', 'callerid.sqlite'));
    mkdirSync(join(out, 'android', 'callerid.sqlite', 'x'), { recursive: true });
    await expect(buildDataset(iterate(hostileContacts().slice(2)), opts(out))).rejects.toMatchObject({ key: 'error.fileWrite' });
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    expect((await verifyDataset(out)).ok).toBe(false);
  });
});
