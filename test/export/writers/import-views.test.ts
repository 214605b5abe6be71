/**
 * What a person sees after import, per target, read the way that target reads our file:
 * Google Contacts maps its CSV by header name and shows Prefix First Middle Last Suffix; Outlook
 * maps its CSV by column name (the column is the phone's label); the iPhone shows N (given middle
 * family); Android shows FN. Files are parsed by Python's csv and python-vobject, not by us, and
 * written through writeContacts (the spool: sorted, header sized by the largest contact).
 * Every target must show amoCRM's `name`, every number with its own label, every messenger as an
 * IM, the link to the amoCRM card, and no character we added.
 */
import { copyFileSync, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeContacts, type ExportFormat, type WriterOptions } from '../../../src/export/writers/index.js';
import { csvParse, ezVcardValidate, khardList, vobjectParse, type VobjectLine } from '../../helpers/validators.js';
import { ACCOUNT, LINK_BASE, importCases, importContacts, type ImportCase } from './import-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'import-views-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportFile(format: ExportFormat, o: Partial<WriterOptions> = {}): Promise<string> {
  const file = join(dir, `${format}-${Object.keys(o).join('-') || 'default'}.${format.endsWith('csv') ? 'csv' : 'vcf'}`);
  const out = createWriteStream(file);
  await writeContacts(importContacts(), out, format, { uidPrefix: `amocrm-${ACCOUNT}`, linkBase: LINK_BASE, ...o });
  out.end();
  await finished(out);
  return file;
}

/** What one imported contact looks like in the target's address book. */
interface View {
  shown: string;
  /** Given, middle, family. */
  parts: string[];
  phones: { label: string; value: string }[];
  ims: { service: string; value: string }[];
  links: { label: string; value: string }[];
  notes: string;
}

const byId = new Map(importCases().map((c) => [c.record.id, c]));
const sortedIds = [...byId.keys()].sort((a, b) => a - b);
const linkOf = (id: number) => `${LINK_BASE}/contacts/detail/${id}`;
const idOfLink = (v: View): number => Number(/\/contacts\/detail\/(\d+)$/.exec(v.links.find((l) => l.label === 'amoCRM')?.value ?? '')?.[1]);

/** Checks one view against its case: name, numbers with labels, IMs, link, notes. */
function expectView(v: View, want: ImportCase, phoneLabel: (kind: string, label: string) => boolean, o: { imExact?: boolean } = {}): void {
  expect(v.shown, want.relation).toBe(want.shown);
  expect(v.parts, want.relation).toEqual(want.parts);
  expect(v.phones.map((p) => p.value), want.relation).toEqual(want.phones.map((p) => p.text));
  v.phones.forEach((p, i) => expect(phoneLabel(want.phones[i]!.kind, p.label), `${p.value}: ${p.label}`).toBe(true));
  for (const m of want.messengers) {
    const hit = v.ims.find((x) => x.service === m.service);
    expect(hit, `${m.service} of ${want.relation}`).toBeDefined();
    if (o.imExact !== false) expect(hit!.value).toBe(m.handle);
  }
  expect(v.links).toContainEqual({ label: 'amoCRM', value: linkOf(want.record.id) });
  for (const n of want.phoneNotes) expect(v.notes).toContain(n);
  for (const n of want.phoneNotes) expect(v.phones.some((p) => p.value.includes(n))).toBe(false);
}

// --- Google Contacts: by header name -----------------------------------------------------------
const GOOGLE_LABEL: Record<string, string> = { cell: 'Mobile', work: 'Work', home: 'Home', fax: 'Work Fax', other: 'Other' };

function googleView(header: string[], row: Record<string, string>): View {
  const groups = (what: string) => header.filter((h) => new RegExp(`^${what} \\d+ - Value$`).test(h)).map((h) => h.replace(/ - Value$/, ''));
  // Google splits ` ::: ` inside a cell into several values of the same label.
  const pairs = (what: string, second: string) =>
    groups(what).flatMap((g) => (row[`${g} - Value`] ? row[`${g} - Value`]!.split(' ::: ').map((value) => ({ label: row[`${g} - ${second}`] ?? '', value })) : []));
  return {
    shown: ['Name Prefix', 'First Name', 'Middle Name', 'Last Name', 'Name Suffix'].map((h) => row[h]).filter(Boolean).join(' '),
    parts: ['First Name', 'Middle Name', 'Last Name'].map((h) => row[h] ?? ''),
    phones: pairs('Phone', 'Label'),
    ims: pairs('IM', 'Service').map((p) => ({ service: p.label, value: p.value })),
    links: pairs('Website', 'Label'),
    notes: row.Notes ?? '',
  };
}

// --- Outlook: by column name; the column is the label --------------------------------------------
const OUTLOOK_OWN: Record<string, string[]> = {
  cell: ['Mobile Phone', 'Car Phone', 'Radio Phone'],
  work: ['Business Phone', 'Business Phone 2', 'Company Main Phone'],
  home: ['Home Phone', 'Home Phone 2'],
  fax: ['Business Fax', 'Other Fax', 'Home Fax'],
  other: ['Other Phone'],
};
const OUTLOOK_PHONE_COLUMNS = [...new Set([...Object.values(OUTLOOK_OWN).flat(), 'Primary Phone', 'Callback', "Assistant's Phone", 'Pager', 'Telex', 'TTY/TDD Phone'])];

function outlookView(row: Record<string, string>): View {
  // Outlook has one IM column; the others are listed in Notes as `Service: handle`.
  const notes = row.Notes ?? '';
  const ims = notes.split(/\r?\n/).flatMap((l) => {
    const m = /^(Skype|Jabber|ICQ|Telegram|WhatsApp|Viber|VK|IM): (.+)$/.exec(l);
    return m ? [{ service: m[1]!, value: m[2]! }] : [];
  });
  return {
    shown: ['Title', 'First Name', 'Middle Name', 'Last Name', 'Suffix'].map((h) => row[h]).filter(Boolean).join(' '),
    parts: ['First Name', 'Middle Name', 'Last Name'].map((h) => row[h] ?? ''),
    // In the order Outlook's card lists them does not matter: match by value below.
    phones: OUTLOOK_PHONE_COLUMNS.filter((h) => row[h]).map((h) => ({ label: h, value: row[h]! })),
    ims: row.IMAddress ? [{ service: 'IMAddress', value: row.IMAddress }, ...ims] : ims,
    links: row['Web Page'] ? [{ label: 'amoCRM', value: row['Web Page'] }] : [],
    notes,
  };
}

// --- vCard: iPhone by N, Android by FN --------------------------------------------------------------
const VCARD3_TYPES: Record<string, string[]> = { cell: ['cell'], work: ['work'], home: ['home'], fax: ['fax', 'work'], other: ['other'] };
const VCARD4_TYPES: Record<string, string[]> = { cell: ['cell'], work: ['work', 'voice'], home: ['home', 'voice'], fax: ['work', 'fax'], other: ['voice'] };
// Android's importer (VCardEntry sImMap) and the IMPP URI Apple and Google's Contacts app read.
const ANDROID_IM: Record<string, string> = { 'X-SKYPE-USERNAME': 'Skype', 'X-JABBER': 'Jabber', 'X-ICQ': 'ICQ' };

function vcardView(lines: VobjectLine[], by: 'N' | 'FN'): View {
  const value = (l: VobjectLine) => (Array.isArray(l.value) ? l.value.join(',') : l.value);
  const types = (l: VobjectLine) => (l.params.TYPE ?? []).flatMap((t) => t.split(',')).map((t) => t.toLowerCase()).sort();
  const n = lines.find((l) => l.name === 'N')?.value as string[];
  const shown = by === 'N' ? [n[3], n[1], n[2], n[0], n[4]].filter(Boolean).join(' ') : value(lines.find((l) => l.name === 'FN')!);
  const label = (group: string | null) => (group ? lines.find((l) => l.group === group && l.name === 'X-ABLABEL') : undefined);
  const impp = lines.filter((l) => l.name === 'IMPP').map((l) => ({ service: l.params['X-SERVICE-TYPE']?.[0] ?? '', value: decodeURIComponent(value(l)) }));
  const classic = by === 'FN' ? lines.filter((l) => ANDROID_IM[l.name]).map((l) => ({ service: ANDROID_IM[l.name]!, value: value(l) })) : [];
  return {
    shown,
    parts: [n[1] ?? '', n[2] ?? '', n[0] ?? ''],
    phones: lines.filter((l) => l.name === 'TEL').map((l) => ({ label: types(l).join(','), value: value(l).replace(/^tel:/, '') })),
    ims: [...classic, ...impp],
    links: lines.filter((l) => l.name === 'URL').map((l) => ({ label: label(l.group) ? value(label(l.group)!) : 'amoCRM', value: value(l) })),
    notes: lines.filter((l) => l.name === 'NOTE').map(value).join('\n'),
  };
}

/** 4.0 writes valid numbers as tel: URIs: compare the number, and the text of the others. */
function asTyped4(c: ImportCase): ImportCase {
  const uri = (t: string) => (/^\+[\d ]+( ext\. \d+)?$/.test(t) ? t.replace(/ ext\. (\d+)$/, ';ext=$1').replace(/ /g, '') : t);
  return { ...c, phones: c.phones.map((p) => ({ ...p, text: uri(p.text) })) };
}

describe('imported the way each target reads it', () => {
  it('Google CSV (by header name): name, labelled numbers, IM columns, amoCRM website, nothing added', async () => {
    const { header, rows } = csvParse(await exportFile('google-csv'));
    expect(rows).toHaveLength(byId.size);
    const views = rows.map((r) => googleView(header, r));
    expect(views.map(idOfLink)).toEqual(sortedIds);
    for (const v of views) expectView(v, byId.get(idOfLink(v))!, (kind, label) => label === GOOGLE_LABEL[kind]);
    // Each value in a column of its own: no ` ::: ` anywhere.
    for (const r of rows) for (const [h, cell] of Object.entries(r)) if (/ - Value$/.test(h)) expect(cell).not.toContain(':::');
    expect(header.some((h) => h.startsWith('Custom Field'))).toBe(false);
  });

  it('Outlook CSV (by column name): name, each number in a phone column of its type, messengers, Web Page', async () => {
    const { rows } = csvParse(await exportFile('outlook-csv'));
    const views = rows.map(outlookView);
    expect(views.map(idOfLink)).toEqual(sortedIds);
    for (const v of views) {
      const want = byId.get(idOfLink(v))!;
      // Outlook's card lists phones by column: compare as sets, each in a column of its own type.
      const sorted = { ...v, phones: want.phones.map((p) => v.phones.find((x) => x.value === p.text) ?? { label: '', value: '' }) };
      expectView(sorted, want, (kind, label) => OUTLOOK_OWN[kind]!.includes(label), { imExact: false });
      expect(v.phones).toHaveLength(want.phones.length);
      for (const m of want.messengers) expect(v.ims).toContainEqual({ service: m.service, value: m.handle });
      if (want.messengers[0]) expect(v.ims[0]).toEqual({ service: 'IMAddress', value: want.messengers[0].handle });
      expect(v.notes).not.toMatch(/^Phone \(/m);
    }
  });

  for (const [format, types, fix] of [['vcard', VCARD3_TYPES, (c: ImportCase) => c], ['vcard4', VCARD4_TYPES, asTyped4]] as const) {
    it(`${format}: the iPhone (by N) and Android (by FN) show name, typed numbers, IMs and the amoCRM URL`, async () => {
      const file = await exportFile(format);
      const cards = vobjectParse(file);
      expect(ezVcardValidate(file).warnings).toEqual([]);
      if (format === 'vcard') {
        // khard (a vdir client) lists every card and shows the big one, link and all.
        const kdir = mkdtempSync(join(dir, 'khard-'));
        copyFileSync(file, join(kdir, 'book.vcf'));
        const big = `amocrm-${ACCOUNT}-40000110`;
        const listed = khardList(kdir, [big]);
        expect(listed).toHaveLength(byId.size);
        expect(JSON.stringify(listed.find((l) => l.uid === big)!.yaml)).toContain(linkOf(40000110));
      }
      for (const by of ['N', 'FN'] as const) {
        const views = cards.map((c) => vcardView(c.lines, by));
        expect(views.map(idOfLink)).toEqual(sortedIds);
        for (const v of views) {
          const want = fix(byId.get(idOfLink(v))!);
          expectView(v, want, (kind, label) => label === [...types[kind]!].sort().join(','), { imExact: false });
          // IMPP carries the handle in a URI: the handle (without Telegram's @) must be in it.
          for (const m of want.messengers) {
            const im = v.ims.filter((x) => x.service === m.service);
            const bare = m.service === 'WhatsApp' ? m.handle.replace(/\D/g, '') : m.handle.replace(/^@/, '');
            expect(im.some((x) => x.value.includes(bare)), `${by} ${m.service}`).toBe(true);
          }
        }
      }
      // Android keeps only the classic X- properties it knows; those carry the handle exactly.
      const big = cards.find((c) => c.uid.endsWith('40000110'))!;
      expect(vcardView(big.lines, 'FN').ims.filter((m) => m.service in { Skype: 1, Jabber: 1, ICQ: 1 }).length).toBeGreaterThanOrEqual(format === 'vcard' ? 3 : 0);
    });
  }

  it('--spreadsheet-safe guards numbers and handles too; the default leaves them as typed', async () => {
    const safe = csvParse(await exportFile('google-csv', { spreadsheetSafe: true })).rows;
    const plain = csvParse(await exportFile('google-csv')).rows;
    const big = (rows: Record<string, string>[]) => rows.find((r) => r['Website 1 - Value'] === linkOf(40000110))!;
    const values = (r: Record<string, string>, what: string) => Object.entries(r).filter(([h]) => new RegExp(`^${what} \\d+ - Value$`).test(h)).map(([, v]) => v).filter(Boolean);
    expect(values(big(plain), 'IM')).toContain('@mikhail_egorov7');
    expect(values(big(plain), 'IM')).toContain('+7 999 123-45-67');
    expect(values(big(plain), 'Phone')).toContain('+7 999 100 00 01');
    expect(values(big(safe), 'IM')).toContain(`'@mikhail_egorov7`);
    expect(values(big(safe), 'IM')).toContain(`'+7 999 123-45-67`);
    expect(values(big(safe), 'Phone')).toContain(`'+7 999 100 00 01`);
    for (const r of safe) for (const v of Object.values(r)) expect(v).not.toMatch(/^[=+\-@]/);
  });
});
