/**
 * amo-export --to against Debian's Radicale: the first sync fills the book, edits, deletions, lost
 * phones and new contacts in amoCRM reach it on the next sync, a card added by hand stays, and
 * the book equals the file export card by card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, type Fixture } from '../export/helpers.js';
import { startRadicale, type Radicale } from '../carddav/radicale.js';
import { requireTool } from '../helpers/tools.js';
import { compareBook, davFor, exportedCards, readBook } from './book.js';
import { CONTACT_ID_BASE } from '../../src/sandbox/amocrm/index.js';

// Minimal guard until a shared tool check exists: Radicale comes from scripts/setup-test-deps.sh.
requireTool('radicale').describe('amo-export --to a Radicale book', () => {
  let rad: Radicale;
  let f: Fixture;
  const later = (s: number) => () => new Date(Date.now() + s * 1000);

  beforeAll(async () => {
    rad = await startRadicale();
    f = await fixture({ contacts: 150, bulkEditSize: 20 });
  }, 30_000);
  afterAll(async () => {
    await f?.close();
    await rad?.stop();
  });

  const sync = (extra: string[] = [], now?: () => Date) =>
    runInProcess(main, ['--to', rad.url, '--dav-user', rad.user, ...extra], { env: { ...f.env, AMO_DAV_PASSWORD: rad.password }, now });

  it('fills the book, then carries edits and deletions over, leaving a hand-made card alone', async () => {
    const first = await sync(['--since', '2000-01-01', '--json']);
    expect(first.stderr).not.toContain(rad.password);
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as { book: string; created: number };
    expect(first.stdout).not.toContain(rad.password);
    const book = summary.book;
    expect(book).toBe(`${rad.url}/${rad.user}/amocrm/`);
    const dav = davFor(rad.user, rad.password);
    try {
      let expected = await exportedCards(f.env, () => new Date());
      expect(summary.created).toBe(expected.size);
      expect(compareBook(await readBook(dav, book), expected)).toEqual([]);

      // The owner's own card, added on the phone.
      const own = 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:owner-card-1\r\nFN:Mum\r\nN:;Mum;;;\r\nTEL;TYPE=CELL:+7 916 111-22-33\r\nEND:VCARD\r\n';
      const put = await dav.put(`${book}owner-card-1.vcf`, own, undefined);
      expect(put.ok).toBe(true);
      const ownEtag = put.ok ? put.etag : undefined;

      const ids = [...expected.keys()].map((u) => Number(u.split('-').pop()));
      const [edited, removed, noPhone] = [ids[3]!, ids[7]!, ids[11]!];
      f.sb.editContact(edited, { name: 'Пётр Переименованный', phones: ['+7 916 000-00-01'] });
      f.sb.deleteContact(removed);
      f.sb.editContact(noPhone, { phones: [] });
      const added = f.sb.addContact({ name: 'New Person', phones: ['+7 495 123-45-67'] });

      // Mutations are stamped "now"; the source waits 60 s for writes to settle, so look from later.
      const second = await sync(['--json'], later(120));
      expect(second.code, second.stderr).toBe(0);
      const s2 = JSON.parse(second.stdout) as { created: number; updated: number; deleted: number };
      expect(s2).toMatchObject({ created: 1, updated: 1, deleted: 2 });

      expected = await exportedCards(f.env, later(120));
      const now = await readBook(dav, book);
      expect(compareBook(now, expected, new Set(['owner-card-1']))).toEqual([]);
      expect(now.get(`amocrm-${f.sb.accountId}-${edited}`)?.fn).toBe('Пётр Переименованный');
      expect(now.has(`amocrm-${f.sb.accountId}-${removed}`)).toBe(false);
      expect(now.has(`amocrm-${f.sb.accountId}-${noPhone}`)).toBe(false);
      expect(now.has(`amocrm-${f.sb.accountId}-${added}`)).toBe(true);
      expect(now.get('owner-card-1')?.etag).toBe(ownEtag);
      expect(added).toBeGreaterThan(CONTACT_ID_BASE);

      // Nothing changed: nothing written.
      const third = await sync(['--json'], later(240));
      expect(third.code, third.stderr).toBe(0);
      expect(JSON.parse(third.stdout)).toMatchObject({ created: 0, updated: 0, deleted: 0 });

      // --full re-checks every card and still leaves the owner's card alone.
      const full = await sync(['--json', '--full'], later(240));
      expect(full.code, full.stderr).toBe(0);
      expect(JSON.parse(full.stdout)).toMatchObject({ created: 0, updated: 0, deleted: 0 });
      expect((await readBook(dav, book)).get('owner-card-1')?.etag).toBe(ownEtag);
    } finally {
      await dav.close();
    }
  }, 120_000);
});
