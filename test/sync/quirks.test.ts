/**
 * The server quirks the sync must survive, each against our CardDAV sandbox with that quirk on:
 * Google, iCloud, Nextcloud/Sabre, Yandex and Radicale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { startCardDavSandbox, type CardDavQuirks, type CardDavSandbox } from '../../src/sandbox/carddav/server.js';
import { createDavTransport, type DavAuth } from '../../src/carddav/transport.js';
import { CardDavClient } from '../../src/carddav/client.js';
import { findBook } from '../../src/carddav/discover.js';
import { SyncMap } from '../../src/sync/map.js';
import { syncBook } from '../../src/sync/run.js';
import { cardRenderer } from '../../src/sync/card.js';
import { desiredOf } from '../../src/sync/changes.js';
import type { Contact } from '../../src/contacts/contact.js';
import type { ConflictPolicy } from '../../src/sync/plan.js';
import { tempDir } from '../helpers/cli.js';

const ACCOUNT = 7;
const renderer = cardRenderer(ACCOUNT);

function contact(id: number, name = `Person ${id}`, phone = `+7916000${String(id).padStart(4, '0')}`): Contact {
  const [firstName = '', lastName = ''] = name.split(' ');
  return {
    accountId: ACCOUNT, id, name, firstName, lastName, tags: [], emails: [], messengers: [], responsibleUserId: 1, groupId: 0, createdAt: 1_700_000_000, updatedAt: 1_700_000_000 + id,
    phones: [{ raw: phone, kind: 'cell', e164: phone, valid: true, international: phone }],
  };
}

let server: CardDavSandbox | undefined;
let dav: CardDavClient | undefined;
let dir: { path: string; cleanup: () => void } | undefined;
afterEach(async () => {
  await dav?.close();
  await server?.close();
  dir?.cleanup();
  dav = server = dir = undefined;
});

async function setup(quirks: Partial<CardDavQuirks>, auth?: DavAuth) {
  server = await startCardDavSandbox({ quirks });
  dir = tempDir('amo-quirks-');
  dav = new CardDavClient(createDavTransport({ auth: auth ?? { kind: 'basic', user: 'anna', password: 'secret' }, backoffBaseMs: 10 }));
  const book = `${server.url}${server.bookPath}`;
  const env = { AMO_PHONEBOOK_CONFIG_DIR: dir.path };
  const run = (contacts: Contact[], o: { complete?: boolean; onConflict?: ConflictPolicy } = {}) =>
    syncBook({ dav: dav!, book, map: SyncMap.open(env, 'dest', book), renderer, desired: contacts.map((c) => desiredOf(c, renderer)), complete: o.complete ?? true, gone: new Set(), onConflict: o.onConflict ?? 'crm', conflictsDir: `${dir!.path}/conflicts`, workers: 4 });
  return { book, env, run, sb: server };
}

describe('CardDAV server quirks', () => {
  it('Google: bearer only, no MKCOL, the href from Location, the UID rewritten — and still no duplicates', async () => {
    const s = await startCardDavSandbox({ quirks: { google: true } });
    server = s;
    const basic = new CardDavClient(createDavTransport({ auth: { kind: 'basic', user: 'anna', password: 'secret' } }));
    await expect(findBook(basic, s.url, 'amoCRM')).rejects.toMatchObject({ kind: 'auth' });
    await basic.close();
    await server.close();

    const { book, run, sb } = await setup({ google: true }, { kind: 'bearer', token: 'ya29.sandbox-token' });
    await expect(findBook(dav!, sb.url, 'amoCRM')).rejects.toMatchObject({ kind: 'input', key: 'sync.error.cannotCreateBook', params: { books: 'Contacts' } });
    expect((await findBook(dav!, sb.url, 'Contacts')).url).toBe(book);

    const first = await run([contact(1), contact(2), contact(3)]);
    expect(first).toMatchObject({ created: 3, failures: [] });
    const names = [...sb.cards().keys()];
    expect(names.every((n) => !n.endsWith('.vcf'))).toBe(true);
    expect([...sb.cards().values()].every((c) => !c.uid.startsWith('amocrm-'))).toBe(true);

    const again = await run([contact(1), contact(2, 'Renamed Two'), contact(3)]);
    expect(again).toMatchObject({ created: 0, updated: 1, deleted: 0, failures: [] });
    expect(sb.cards().size).toBe(3);
    expect([...sb.cards().values()].some((c) => c.data.includes('FN:Renamed Two'))).toBe(true);
    expect([...sb.cards().values()].every((c) => /TEL;TYPE=CELL/.test(c.data))).toBe(true);
  });

  it('iCloud: every card carries N, so none is refused — even a contact with only a company name', async () => {
    const { run, sb } = await setup({ icloud: true });
    const companyOnly: Contact = { ...contact(9, ''), name: '', firstName: '', lastName: '', company: { id: 1, name: 'ООО Ромашка' } };
    const r = await run([contact(1), companyOnly]);
    expect(r).toMatchObject({ created: 2, failures: [] });
    expect([...sb.cards().values()].every((c) => /^N:/m.test(c.data))).toBe(true);
  });

  it('Nextcloud/Sabre: 400 "uid already exists" adopts that href; a 412 on If-Match re-reads once, then crm wins and the phone version is saved', async () => {
    const { run, sb } = await setup({ sabre: true });
    const uid2 = renderer.uidOf(2);
    let raced = false;
    sb.beforeRequest = (method, path) => {
      if (method === 'PUT' && path.endsWith(`${uid2}.vcf`) && !raced) {
        raced = true;
        sb.phoneWrite('imported-2.vcf', `BEGIN:VCARD\r\nVERSION:3.0\r\nUID:${uid2}\r\nFN:Imported\r\nN:;Imported;;;\r\nEND:VCARD\r\n`);
      }
    };
    const first = await run([contact(1), contact(2)]);
    expect(first).toMatchObject({ failures: [] });
    expect(first.adopted).toBe(1);
    expect([...sb.cards().values()].filter((c) => c.uid === uid2).map((c) => c.name)).toEqual(['imported-2.vcf']);
    expect(sb.cards().get('imported-2.vcf')!.data).toContain('FN:Person 2');

    // The phone edits card 1 while our update is on its way: 412, one re-read, amoCRM's version wins.
    const name1 = `${renderer.uidOf(1)}.vcf`;
    sb.beforeRequest = (method, path) => {
      if (method === 'PUT' && path.endsWith(name1)) {
        sb.beforeRequest = undefined;
        sb.phoneWrite(name1, sb.cards().get(name1)!.data.replace('FN:Person 1', 'FN:Edited On Phone'));
      }
    };
    const second = await run([contact(1, 'Person One'), contact(2)]);
    expect(second.failures).toEqual([]);
    expect(second.conflicts).toHaveLength(1);
    const saved = second.conflicts[0]!.saved!;
    expect(existsSync(saved)).toBe(true);
    expect(readFileSync(saved, 'utf8')).toContain('FN:Edited On Phone');
    expect(sb.cards().get(name1)!.data).toContain('FN:Person One');
  });

  it('Yandex: a CTag that changes on every request does not make an unchanged sync write anything', async () => {
    const { run, sb } = await setup({ yandex: true });
    await run([contact(1), contact(2)]);
    const c1 = await dav!.propfind(`${sb.url}${sb.bookPath}`, 0, '<cs:getctag/>');
    const c2 = await dav!.propfind(`${sb.url}${sb.bookPath}`, 0, '<cs:getctag/>');
    expect(c1.resources[0]!.ctag).not.toBe(c2.resources[0]!.ctag);
    sb.log.length = 0;
    const r = await run([contact(1), contact(2)], { complete: false });
    expect(r).toMatchObject({ created: 0, updated: 0, deleted: 0 });
    expect(sb.log.map((l) => l.method)).toEqual(['REPORT']);
  });

  it('Radicale: an update answering 201 counts as an update; an unknown sync token falls back to one full listing', async () => {
    const { book, env, run, sb } = await setup({ radicale: true });
    await run([contact(1), contact(2)]);
    const r = await run([contact(1, 'Person Uno'), contact(2)], { complete: false });
    expect(r).toMatchObject({ created: 0, updated: 1, failures: [] });
    expect(sb.log.filter((l) => l.method === 'PUT').at(-1)!.status).toBe(201);

    // The server forgot the token (expired): 403 valid-sync-token, then a full listing, no duplicates.
    const map = SyncMap.open(env, 'dest', book);
    map.commit('urn:sandbox:sync:999');
    sb.log.length = 0;
    const after = await run([contact(1, 'Person Uno'), contact(2)], { complete: false });
    expect(after).toMatchObject({ created: 0, updated: 0, deleted: 0, fullListing: true });
    expect(sb.log.map((l) => `${l.method} ${l.status}`)).toEqual(['REPORT 403', 'REPORT 207']);
    expect(sb.cards().size).toBe(2);
  });
});
