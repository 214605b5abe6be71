/**
 * `amo-export` in-process against the sandbox on 127.0.0.1: periods, watermarks, targets, limits,
 * several accounts, rights, deletions, the JSON summary, and no token anywhere in the output.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, saveProfile, vcardIds, vcardIdsOf, type Fixture } from '../export/helpers.js';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';
import { isoSeconds } from '../../src/export/dates.js';
import { openConfig } from '../../src/config/store.js';
import { readWatermark } from '../../src/export/state.js';
import { isPartialName } from '../../src/export/output.js';

const fixtures: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0).reverse()) await f.close();
});
async function fx(...a: Parameters<typeof fixture>): Promise<Fixture> {
  const f = await fixture(...a);
  fixtures.push(f);
  return f;
}

/** Our client at the sandbox's pace: 7 requests/s, the most amoCRM allows. */
function run(argv: string[], o: Parameters<typeof runInProcess>[2]) {
  return runInProcess(main, [...argv, '--rps', '7'], o);
}

const SINCE = isoSeconds(DATA_FROM).slice(0, 10);

function expectNoSecrets(f: Fixture, ...texts: string[]) {
  for (const t of texts) {
    expect(t).not.toContain(f.sb.longLivedToken);
    expect(t).not.toContain(f.sb.longLivedToken.split('.')[2]!);
  }
}

describe('amo-export', () => {
  it('without --since and off a TTY, the first run is a usage error naming --since', async () => {
    const f = await fx();
    const r = await run(['-o', join(f.dir, 'x.vcf')], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since');
    expect(r.stdout).toBe('');
    expect(existsSync(join(f.dir, 'x.vcf'))).toBe(false);
  });

  it('rejects a bad date in one line', async () => {
    const f = await fx();
    const r = await run(['--since', '2024-02-31'], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('--since');
  });

  it('exports to stdout, then continues from the watermark with only the changes', async () => {
    const f = await fx();
    const first = await run(['--since', SINCE], { env: f.env });
    expect(first.code).toBe(0);
    const ids = vcardIds(first.stdout);
    expect(ids.length).toBeGreaterThan(500);
    expect(new Set(ids).size).toBe(ids.length);
    expect(first.stderr).toMatch(/Exported \d+ contacts/);
    expectNoSecrets(f, first.stdout, first.stderr);

    const mark = readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: 'vcard:stdout' });
    expect(mark).toBeDefined();
    const edited = ids.slice(0, 5);
    for (const id of edited) f.sb.editContact(id, { name: `Renamed ${id}` });
    // A later clock, so the edits (stamped "now") are older than the 60 s settling margin.
    const later = () => new Date(Date.now() + 120_000);
    const second = await run(['--json'], { env: f.env, now: later });
    expect(second.code).toBe(0);
    expect(new Set(vcardIds(second.stdout))).toEqual(new Set(edited));
    // The summary goes to stderr when the contacts take stdout.
    const summary = JSON.parse(second.stderr.trim().split('\n').pop()!);
    expect(summary.exported).toBe(5);
    expect(summary.accounts[0].since).toBe(isoSeconds(mark!.until + 1));
  });

  it('writes -o atomically with a JSON summary on stdout; --full ignores the watermark; reset forgets it', async () => {
    const f = await fx();
    const out = join(f.dir, 'contacts.vcf');
    const r = await run(['--since', SINCE, '-o', out, '--json', '--invalid-report', join(f.dir, 'invalid.tsv')], { env: f.env });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    const ids = vcardIdsOf(out);
    expect(s.exported).toBe(ids.length);
    expect(s.skippedWithoutPhone).toBeGreaterThan(0);
    expect(typeof s.invalidNumbers).toBe('number');
    expect(s.accounts[0].watermark).toMatch(/^\d{4}-\d\d-\d\dT/);
    const invalid = readFileSync(join(f.dir, 'invalid.tsv'), 'utf8').trim().split('\n');
    expect(invalid.length - 1).toBe(s.invalidNumbers);
    expect(readdirSync(f.dir).filter(isPartialName)).toEqual([]);
    expectNoSecrets(f, r.stdout, r.stderr, readFileSync(out, 'utf8'));

    const before = readFileSync(out, 'utf8');
    const again = await run(['-o', out, '--json'], { env: f.env });
    expect(JSON.parse(again.stdout).exported).toBe(0);
    // Nothing new: the earlier export stays as it was.
    expect(readFileSync(out, 'utf8')).toBe(before);
    const full = await run(['-o', out, '--json', '--full', '--since', SINCE], { env: f.env });
    expect(JSON.parse(full.stdout).exported).toBe(ids.length);

    const reset = await runInProcess(main, ['reset', '--account', 'main'], { env: f.env });
    expect(reset.code).toBe(0);
    const after = await run(['-o', out], { env: f.env });
    expect(after.code).toBe(2);
    expect(after.stderr).toContain('--since');
  });

  it('--target ios keeps the 5,000 most recent, --limit N the N most recent per account', async () => {
    const f = await fx();
    const all = await run(['--since', SINCE, '--format', 'vcard', '--json', '-o', join(f.dir, 'all.vcf')], { env: f.env });
    const total = JSON.parse(all.stdout).exported as number;
    const ios = await run(['--since', SINCE, '--target', 'ios', '--json', '-o', join(f.dir, 'ios.vcf')], { env: f.env });
    expect(JSON.parse(ios.stdout).exported).toBe(Math.min(total, 5000));
    const lim = await run(['--since', SINCE, '--limit', '7', '-o', join(f.dir, 'lim.vcf'), '--json'], { env: f.env });
    const j = JSON.parse(lim.stdout);
    expect(j.exported).toBe(7);
    expect(j.overLimit).toBe(total - 7);
    expect(vcardIdsOf(join(f.dir, 'lim.vcf'))).toHaveLength(7);
    expect(readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: 'ios' })).toBeDefined();
  });

  it('exports several accounts into one file, each with its own watermark', async () => {
    const f = await fx({ seed: 1 });
    const other = await startAmoSandbox({ contacts: 600, bulkEditSize: 300, seed: 2 });
    fixtures.push(other);
    saveProfile(f.env, 'second', other);
    const out = join(f.dir, 'both.vcf');
    const r = await run(['--since', SINCE, '--account', 'main', '--account', 'second', '-o', out, '--json', '--limit', '300'], { env: f.env });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.accounts).toHaveLength(2);
    expect(s.accounts.map((a: { exported: number }) => a.exported)).toEqual([300, 300]);
    const text = readFileSync(out, 'utf8');
    expect(text.match(/^BEGIN:VCARD/gm)).toHaveLength(600);
    const store = openConfig(f.env);
    const target = `vcard:${out}`;
    expect(readWatermark(store, { profile: 'main', by: 'updated', target })).toBeDefined();
    expect(readWatermark(store, { profile: 'second', by: 'updated', target })).toBeDefined();
  });

  it('lists contacts deleted since the last run on stderr and in --deleted-report', async () => {
    const f = await fx();
    const out = join(f.dir, 'c.vcf');
    const first = await run(['--since', SINCE, '-o', out], { env: f.env });
    expect(first.code).toBe(0);
    const [a, b] = vcardIdsOf(out);
    // Deletions are stamped "now"; the next run's clock is later, so they fall in its window.
    f.sb.deleteContact(a!);
    f.sb.deleteContact(b!);
    f.sb.restoreContact(b!);
    const report = join(f.dir, 'deleted.tsv');
    const second = await run(['-o', out, '--replace', '--deleted-report', report, '--json'], { env: f.env, now: () => new Date(Date.now() + 120_000) });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).deleted).toBe(1);
    expect(second.stderr).toContain(String(a));
    const lines = readFileSync(report, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split('\t').slice(0, 3)).toEqual([String(f.sb.accountId), String(a), 'deleted']);
  });

  it('a first run lists no deletions and reads no events; the next lists those since the first, and -q silences the list', async () => {
    const f = await fx({ contacts: 3000 });
    const out = join(f.dir, 'c.vcf');
    // The seeded history holds deletions in the period, but a new target never had those contacts.
    const first = await run(['--since', SINCE, '-o', out, '--json'], { env: f.env });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).deleted).toBe(0);
    expect(f.sb.stats.requests.filter((r) => r.path === '/api/v4/events')).toEqual([]);
    const mark = readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: `vcard:${out}` })!;
    const [a] = vcardIdsOf(out);
    f.sb.deleteContact(a!);
    const second = await run(['-o', out, '-q', '--json'], { env: f.env, now: () => new Date(Date.now() + 120_000) });
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).deletedContacts.map((d: { id: number }) => d.id)).toEqual([a]);
    expect(second.stderr).not.toContain(String(a));
    const events = f.sb.stats.requests.filter((r) => r.path === '/api/v4/events');
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) expect(Number(new URLSearchParams(e.query).get('filter[created_at][from]'))).toBe(mark.until + 1);
  });

  it('honours export rights: --as-user with G and M, refuses D with exit 4', async () => {
    const f = await fx();
    const users = f.sb.users();
    const all = await run(['--since', SINCE, '--format', 'google-csv', '--json', '-o', join(f.dir, 'a.csv')], { env: f.env });
    const total = JSON.parse(all.stdout).exported as number;
    const g = users.find((u) => u.exportRight === 'G' && !u.isAdmin)!;
    const m = users.find((u) => u.exportRight === 'M' && !u.isAdmin)!;
    const d = users.find((u) => u.exportRight === 'D' && !u.isAdmin)!;
    const rg = await run(['--since', SINCE, '--as-user', String(g.id), '--json', '-o', join(f.dir, 'g.vcf')], { env: f.env });
    expect(rg.code).toBe(0);
    const rm = await run(['--since', SINCE, '--as-user', String(m.id), '--json', '-o', join(f.dir, 'm.vcf')], { env: f.env });
    expect(rm.code).toBe(0);
    const eg = JSON.parse(rg.stdout).exported as number;
    const em = JSON.parse(rm.stdout).exported as number;
    expect(eg).toBeGreaterThan(0);
    expect(em).toBeGreaterThan(0);
    expect(eg).toBeLessThan(total);
    expect(em).toBeLessThan(eg + 1);
    const rd = await run(['--since', SINCE, '--as-user', String(d.id), '-o', join(f.dir, 'd.vcf')], { env: f.env });
    expect(rd.code).toBe(4);
    expect(rd.stderr).toContain('export');
    expect(existsSync(join(f.dir, 'd.vcf'))).toBe(false);
  });

  it('--sandbox exports from a built-in account and stores no watermark', async () => {
    const f = await fx();
    const out = join(f.dir, 'sb.csv');
    const r = await run(['--sandbox', '--since', SINCE, '--format', 'outlook-csv', '-o', out, '--json'], { env: f.env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).exported).toBeGreaterThan(1000);
    expect(readWatermark(openConfig(f.env), { profile: 'sandbox', by: 'updated', target: `outlook-csv:${out}` })).toBeUndefined();
  });

  it('a period that ends before it starts is a usage error', async () => {
    const f = await fx();
    const r = await run(['--since', '2024-05-02', '--until', '2024-05-01'], { env: f.env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--since');
    expect(r.stdout).toBe('');
  });
});
