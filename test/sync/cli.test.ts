/**
 * The CLI around the sync, against our CardDAV sandbox: discovery and book creation from a server
 * URL, --save, secrets kept out of every output, reset --to [--delete-cards] leaving the owner's
 * card, ios-profile with and without the password, and one-line usage errors.
 */
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';
import { fixture, type Fixture } from '../export/helpers.js';
import { startCardDavSandbox, type CardDavSandbox } from '../../src/sandbox/carddav/server.js';
import { openConfig } from '../../src/config/store.js';
import { readWatermark } from '../../src/export/state.js';
import { watermarkTarget } from '../../src/sync/destination.js';

const PASSWORD = 'secret';

describe('amo-export --to (CLI)', () => {
  let f: Fixture;
  let dav: CardDavSandbox;
  beforeAll(async () => {
    f = await fixture({ contacts: 40, bulkEditSize: 5 });
  });
  afterAll(() => f?.close());
  afterEach(() => dav?.close());

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => runInProcess(main, args, { env: { ...f.env, ...env } });

  it('discovers the home from the server URL, creates the book, saves the credentials only with --save, never prints them', async () => {
    dav = await startCardDavSandbox({ password: PASSWORD });
    const first = await run(['--to', dav.url, '--dav-user', 'anna', '--since', '2000-01-01', '--save', '--json', '-v'], { AMO_DAV_PASSWORD: PASSWORD });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/Created the address book "amoCRM"/);
    expect(first.stdout + first.stderr).not.toContain(PASSWORD);
    const book = `${dav.url}/dav/home/anna/amocrm/`;
    const summary = JSON.parse(first.stdout) as { book: string; created: number };
    expect(summary.book).toBe(book);
    expect(dav.cards('/dav/home/anna/amocrm/').size).toBe(summary.created);
    const config = openConfig(f.env);
    expect(statSync(config.path).mode & 0o777).toBe(0o600);
    expect(readFileSync(config.path, 'utf8')).toContain(PASSWORD);

    // Saved: no password needed, and one request (the sync report) for an unchanged book.
    dav.log.length = 0;
    const second = await run(['--to', dav.url, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(dav.log.map((l) => l.method)).toEqual(['REPORT']);
  });

  it('a lost map is rebuilt from the book by UID: no duplicate, no deletion, the period kept', async () => {
    dav = await startCardDavSandbox({ password: PASSWORD });
    const to = `${dav.url}${dav.bookPath}`;
    const env = { AMO_DAV_PASSWORD: PASSWORD };
    const first = await run(['--to', to, '--dav-user', 'anna', '--since', '2026-06-01', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    const before = new Map([...dav.cards().values()].map((c) => [c.uid, c.etag]));
    expect(before.size).toBeGreaterThan(0);
    rmSync(join(f.env.AMO_PHONEBOOK_CONFIG_DIR!, 'carddav'), { recursive: true, force: true });
    const again = await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--json'], { env: { ...f.env, ...env }, now: () => new Date(Date.now() + 120_000) });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ created: 0, deleted: 0, adopted: before.size });
    expect(new Set([...dav.cards().values()].map((c) => c.uid))).toEqual(new Set(before.keys()));
  });

  it('--limit keeps the newest N in the book: a new contact pushes the oldest card out', async () => {
    dav = await startCardDavSandbox({ password: PASSWORD });
    const to = `${dav.url}${dav.bookPath}`;
    const env = { AMO_DAV_PASSWORD: PASSWORD };
    const first = await run(['--to', to, '--dav-user', 'anna', '--since', '2000-01-01', '--limit', '5', '--json'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(dav.cards().size).toBe(5);
    const before = new Set([...dav.cards().values()].map((c) => c.uid));
    const added = f.sb.addContact({ name: 'Newest Person', phones: ['+7 495 765-43-21'] });
    const second = await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--limit', '5', '--json'], { env: { ...f.env, ...env }, now: () => new Date(Date.now() + 120_000) });
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 1, deleted: 1 });
    const after = new Set([...dav.cards().values()].map((c) => c.uid));
    expect(after.size).toBe(5);
    expect(after.has(`amocrm-${f.sb.accountId}-${added}`)).toBe(true);
    expect([...before].filter((u) => !after.has(u))).toHaveLength(1);
  });

  it('without a password off a terminal: a one-line error naming AMO_DAV_PASSWORD; a bad URL is a usage error', async () => {
    dav = await startCardDavSandbox();
    const r = await run(['--to', `${dav.url}/dav/`, '--dav-user', 'nobody', '--since', '2000-01-01']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/AMO_DAV_PASSWORD/);
    const bad = await run(['--to', 'ftp://user:pw@host/x', '--dav-user', 'anna']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).not.toContain('pw@');
  });

  it('reset --to forgets the watermark; --delete-cards removes our cards and leaves the owner\'s', async () => {
    dav = await startCardDavSandbox({ password: PASSWORD });
    const to = `${dav.url}${dav.bookPath}`;
    const env = { AMO_DAV_PASSWORD: PASSWORD };
    expect((await run(['--to', to, '--dav-user', 'anna', '--since', '2000-01-01'], env)).code).toBe(0);
    dav.phoneWrite('mine.vcf', 'BEGIN:VCARD\r\nVERSION:3.0\r\nUID:mine\r\nFN:Mine\r\nN:;Mine;;;\r\nEND:VCARD\r\n');
    const target = { profile: 'main', by: 'updated' as const, target: watermarkTarget(to) };
    expect(readWatermark(openConfig(f.env), target)).toBeDefined();

    const reset = await run(['reset', '--to', to, '--json']);
    expect(reset.code, reset.stderr).toBe(0);
    expect(JSON.parse(reset.stdout)).toMatchObject({ watermarksRemoved: 1, cardsDeleted: 0 });
    expect(readWatermark(openConfig(f.env), target)).toBeUndefined();

    const ours = dav.cards().size - 1;
    expect(ours).toBeGreaterThan(10);
    const wipe = await run(['reset', '--to', to, '--delete-cards', '--dav-user', 'anna', '--json'], env);
    expect(wipe.code, wipe.stderr).toBe(0);
    expect(JSON.parse(wipe.stdout)).toMatchObject({ cardsDeleted: ours });
    expect([...dav.cards().keys()]).toEqual(['mine.vcf']);
  });

  it('Google-style: a bearer token from AMO_DAV_TOKEN, the book URL given directly; a second run adds no duplicate', async () => {
    dav = await startCardDavSandbox({ quirks: { google: true }, token: 'ya29.secret-token' });
    const to = `${dav.url}${dav.bookPath}`;
    const env = { AMO_DAV_TOKEN: 'ya29.secret-token' };
    const first = await run(['--to', to, '--since', '2000-01-01', '--json', '-v'], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout + first.stderr).not.toContain('ya29.secret-token');
    const created = (JSON.parse(first.stdout) as { created: number }).created;
    expect(dav.cards().size).toBe(created);
    const second = await run(['--to', to, '--full', '--json'], env);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ created: 0, deleted: 0 });
    expect(dav.cards().size).toBe(created);
  });

  it('ios-profile writes a CardDAV payload, with the password only when asked', async () => {
    const out = join(f.dir, 'amocrm.mobileconfig');
    const plain = await run(['ios-profile', '--to', 'https://dav.example.com/dav/principals/anna/', '--dav-user', 'anna', '-o', out], { AMO_DAV_PASSWORD: PASSWORD });
    expect(plain.code, plain.stderr).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).toContain('<string>com.apple.carddav.account</string>');
    expect(text).toMatch(/<key>CardDAVHostName<\/key>\s*<string>dav.example.com<\/string>/);
    expect(text).toMatch(/<key>CardDAVPrincipalURL<\/key>\s*<string>\/dav\/principals\/anna\/<\/string>/);
    expect(text).toMatch(/<key>CardDAVUseSSL<\/key>\s*<true\/>/);
    expect(text).not.toContain(PASSWORD);
    const withPw = await run(['ios-profile', '--to', 'https://dav.example.com/', '--dav-user', 'anna', '-o', out, '--include-password'], { AMO_DAV_PASSWORD: PASSWORD });
    expect(withPw.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/<key>CardDAVPassword<\/key>\s*<string>secret<\/string>/);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });
});
