/**
 * The built `amo-export` against the sandbox, in every format, read back by parsers we did not
 * write: python-vobject, khard and ez-vcard (vCard 3.0), vcard4 (4.0), Python's csv (both CSVs).
 * Every contact with a phone must be there with its phones and e-mails.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnBin } from '../helpers/cli.js';
import { csvParse, ezVcardValidate, khardList, vcard4Parse, vobjectParse } from '../helpers/validators.js';
import { fixture, vcardIds, type Fixture } from './helpers.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import type { ApiContact } from '../../src/amocrm/types.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';

let f: Fixture;
/** Contacts with at least one phone string; `phones` holds the ones with enough digits to compare. */
let expected: { id: number; phones: string[]; emails: string[]; anyPhone: boolean }[];
const SINCE = new Date(DATA_FROM * 1000).toISOString().slice(0, 10);

const digits = (s: string) => s.replace(/\D/g, '');
/** The subscriber part survives any normalization (8 → +7, spaces, brackets). */
const tail = (s: string) => digits(s).slice(-7);

beforeAll(async () => {
  f = await fixture({ contacts: 300, bulkEditSize: 120 });
  const client = createAmoClient({ baseUrl: f.sb.url, auth: staticTokenProvider(f.sb.longLivedToken), rps: 7 });
  const raw: ApiContact[] = [];
  for await (const page of client.contacts({ limit: 250, order: { field: 'id', dir: 'asc' } })) raw.push(...page);
  await client.close();
  const now = Math.floor(Date.now() / 1000) - 60;
  expected = raw
    .filter((c) => c.updated_at >= DATA_FROM && c.updated_at <= now)
    .map((c) => {
      const field = (code: string) => (c.custom_fields_values ?? []).filter((x) => x.field_code === code).flatMap((x) => x.values.map((v) => String(v.value ?? '').trim()));
      const phones = field('PHONE').filter(Boolean);
      return { id: c.id, anyPhone: phones.length > 0, phones: phones.filter((p) => digits(p).length >= 7), emails: field('EMAIL').filter((e) => /^[^@\s]+@[^@\s]+\.[a-z]+$/i.test(e)) };
    })
    .filter((c) => c.anyPhone);
  expect(expected.length).toBeGreaterThan(100);
});
afterAll(async () => {
  await f?.close();
});

async function exportAs(format: string, file: string) {
  const path = join(f.dir, file);
  const r = await spawnBin('amo-export', ['--since', SINCE, '--format', format, '-o', path, '--rps', '7', '--json'], { env: f.env });
  expect(r.code, r.stderr).toBe(0);
  expect(r.stdout + r.stderr).not.toContain(f.sb.longLivedToken);
  const text = readFileSync(path, 'utf8');
  expect(text).not.toContain(f.sb.longLivedToken);
  return { path, text, summary: JSON.parse(r.stdout) as { exported: number } };
}

function expectPhonesAndEmails(byId: Map<number, { tels: string[]; emails: string[] }>) {
  for (const c of expected) {
    const got = byId.get(c.id);
    expect(got, `contact ${c.id} missing`).toBeDefined();
    const tels = new Set(got!.tels.map(tail));
    for (const p of c.phones) expect(tels.has(tail(p)), `phone ${p} of ${c.id}`).toBe(true);
    const emails = new Set(got!.emails.map((e) => e.toLowerCase()));
    for (const e of c.emails) expect(emails.has(e.toLowerCase()), `email ${e} of ${c.id}`).toBe(true);
  }
}

describe('amo-export end to end, independent parsers', () => {
  it('vCard 3.0: vobject, khard and ez-vcard read every contact without errors', async () => {
    const { path, summary } = await exportAs('vcard', 'contacts.vcf');
    expect(summary.exported).toBe(expected.length);
    const cards = vobjectParse(path);
    expect(cards).toHaveLength(expected.length);
    const byId = new Map(cards.map((c) => [Number(c.uid.split('-').pop()), { tels: c.tels.map((t) => t.value), emails: c.emails.map((e) => e.value) }]));
    expectPhonesAndEmails(byId);
    // Cards in id order, so two exports diff quietly.
    expect([...byId.keys()]).toEqual(expected.map((c) => c.id).sort((a, b) => a - b));
    const ez = ezVcardValidate(path);
    expect(ez.cards).toBe(expected.length);
    expect(ez.warnings).toEqual([]);
    const dir = join(f.dir, 'khard');
    mkdirSync(dir);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'contacts.vcf'), readFileSync(path));
    const listed = khardList(dir, [cards[0]!.uid]);
    expect(listed).toHaveLength(expected.length);
    expect(new Set(listed.map((l) => l.uid))).toEqual(new Set(cards.map((c) => c.uid)));
  });

  it('vCard 4.0: the vcard4 parser reads every contact', async () => {
    const { text, summary } = await exportAs('vcard4', 'contacts4.vcf');
    expect(summary.exported).toBe(expected.length);
    const cards = vcard4Parse(text);
    expect(cards).toHaveLength(expected.length);
    // Phones and e-mails per card, read from the text the parser accepted.
    const byId = new Map<number, { tels: string[]; emails: string[] }>();
    for (const block of text.split(/(?=^BEGIN:VCARD\r$)/m).filter((b) => b.trim())) {
      const unfolded = block.replace(/\r\n[ \t]/g, '');
      const id = vcardIds(unfolded)[0] ?? Number(/^UID[^:]*:amocrm-\d+-(\d+)/m.exec(unfolded)?.[1]);
      const tels = [...unfolded.matchAll(/^TEL[^:]*:(.*)\r$/gm)].map((m) => m[1]!);
      const emails = [...unfolded.matchAll(/^EMAIL[^:]*:(.*)\r$/gm)].map((m) => m[1]!);
      byId.set(id, { tels, emails });
    }
    expectPhonesAndEmails(byId);
  });

  it.each([
    ['google-csv', 'google.csv', 'Website 1 - Value'],
    ['outlook-csv', 'outlook.csv', 'Web Page'],
  ])('%s: Python csv reads one row per contact, in id order, each with its own phones and e-mails', async (format, file, linkColumn) => {
    const { path, summary } = await exportAs(format, file);
    expect(summary.exported).toBe(expected.length);
    const { header, rows } = csvParse(path);
    expect(rows).toHaveLength(expected.length);
    const phoneCols = header.filter((h) => /phone|fax/i.test(h) && !/type|label/i.test(h));
    const emailCols = header.filter((h) => /e-?mail/i.test(h) && !/type|label|display/i.test(h));
    const notes = header.filter((h) => /notes/i.test(h));
    const cells = (row: Record<string, string>, cols: string[]) => cols.flatMap((h) => (row[h] ?? '').split(' ::: ')).filter(Boolean);
    // Each row names its contact by the amoCRM link; phones and e-mails are checked in that row only.
    const host = new URL(f.sb.url).host;
    const ids = rows.map((r) => {
      const m = new RegExp(`^http://${host.replace(/\./g, '\\.')}/contacts/detail/(\\d+)$`).exec(r[linkColumn] ?? '');
      expect(m, `link ${r[linkColumn]}`).not.toBeNull();
      return Number(m![1]);
    });
    expect(ids).toEqual(expected.map((c) => c.id).sort((a, b) => a - b));
    const byId = new Map(rows.map((r, i) => [ids[i]!, {
      tels: [...cells(r, phoneCols), ...cells(r, notes).flatMap((n) => n.split(/[\n,;]/))],
      emails: cells(r, emailCols),
    }]));
    expectPhonesAndEmails(byId);
  });
});
