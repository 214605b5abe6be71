/**
 * What a sync must survive: SIGKILL in the middle (the rerun adopts what was written, no
 * duplicates), a server that is down or refuses the password (non-zero exit, watermark kept), a
 * second sync of the same destination (refused at once), and --watch stopped by SIGTERM.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/amo-export.js';
import { ROOT, runInProcess, spawnBin } from '../helpers/cli.js';
import { fixture, type Fixture } from '../export/helpers.js';
import { startRadicale, type Radicale } from '../carddav/radicale.js';
import { requireTool } from '../helpers/tools.js';
import { startCardDavSandbox, type CardDavSandbox } from '../../src/sandbox/carddav/server.js';
import { openConfig } from '../../src/config/store.js';
import { readWatermark } from '../../src/export/state.js';
import { acquireTargetLock } from '../../src/config/target-lock.js';
import { destinationName, watermarkTarget } from '../../src/sync/destination.js';
import { compareBook, davFor, exportedCards, readBook } from './book.js';

function cardFiles(storage: string, user: string): number {
  try {
    return readdirSync(join(storage, 'collection-root', user, 'amocrm')).filter((n) => n.endsWith('.vcf')).length;
  } catch {
    return 0;
  }
}

requireTool('radicale').describe('a sync killed with SIGKILL', () => {
  let rad: Radicale;
  let f: Fixture;
  beforeAll(async () => {
    rad = await startRadicale();
    f = await fixture({ contacts: 400, bulkEditSize: 20 });
  }, 30_000);
  afterAll(async () => {
    await f?.close();
    await rad?.stop();
  });

  it('is rerun into a book equal to amoCRM, without duplicates', async () => {
    const env = { ...f.env, AMO_DAV_PASSWORD: rad.password };
    const args = ['--to', rad.url, '--dav-user', rad.user, '--since', '2000-01-01'];
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), ...args], { env, stdio: 'ignore' });
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    const until = Date.now() + 60_000;
    while (cardFiles(rad.storage, rad.user) < 40 && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGKILL');
    await exited;
    const written = cardFiles(rad.storage, rad.user);
    expect(written).toBeGreaterThanOrEqual(40);

    const store = openConfig(f.env);
    const book = `${rad.url}/${rad.user}/amocrm/`;
    expect(readWatermark(store, { profile: 'main', by: 'updated', target: watermarkTarget(book) })).toBeUndefined();

    const again = await spawnBin('amo-export', [...args, '--json'], { env });
    expect(again.code, again.stderr).toBe(0);
    const expected = await exportedCards(f.env, () => new Date());
    const dav = davFor(rad.user, rad.password);
    try {
      const cards = await readBook(dav, book);
      expect(compareBook(cards, expected)).toEqual([]);
      expect((await dav.listEtags(book)).length).toBe(expected.size);
    } finally {
      await dav.close();
    }
    expect(readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: watermarkTarget(book) })).toBeDefined();
  }, 120_000);
});

describe('a sync that cannot finish', () => {
  let f: Fixture;
  let dav: CardDavSandbox | undefined;
  beforeAll(async () => {
    f = await fixture({ contacts: 60, bulkEditSize: 10 });
  });
  afterAll(() => f?.close());
  afterEach(async () => {
    await dav?.close();
    dav = undefined;
  });

  const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...f.env, AMO_DAV_PASSWORD: 'secret', ...extra });

  it('server down or password refused: non-zero exit, one clear line, the watermark stays', async () => {
    dav = await startCardDavSandbox();
    const to = `${dav.url}/dav/`;
    const ok = await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--since', '2000-01-01'], { env: env() });
    expect(ok.code, ok.stderr).toBe(0);
    const book = `${dav.url}${dav.bookPath}`.replace(/default\/$/, 'amocrm/');
    const store = openConfig(f.env);
    const mark = readWatermark(store, { profile: 'main', by: 'updated', target: watermarkTarget(book) });
    expect(mark).toBeDefined();

    const refused = await runInProcess(main, ['--to', to, '--dav-user', 'anna'], { env: env({ AMO_DAV_PASSWORD: 'wrong-password' }), now: () => new Date(Date.now() + 120_000) });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/refused the credentials/);
    expect(refused.stderr).not.toContain('wrong-password');

    await dav.close();
    dav = undefined;
    const down = await runInProcess(main, ['--to', to, '--dav-user', 'anna'], { env: env(), now: () => new Date(Date.now() + 120_000) });
    expect(down.code).toBe(1);
    expect(down.stderr.trim().split('\n')).toHaveLength(1);
    expect(down.stderr).toMatch(/Cannot reach the CardDAV server .*ECONNREFUSED/);
    expect(readWatermark(openConfig(f.env), { profile: 'main', by: 'updated', target: watermarkTarget(book) })).toEqual(mark);
  });

  it('--watch backs off after a failed round and keeps going until stopped', async () => {
    const gone = await startCardDavSandbox();
    const to = `${gone.url}${gone.bookPath}`;
    await gone.close();
    const stop = new AbortController();
    const started = Date.now();
    const pending = runInProcess(main, ['--to', to, '--dav-user', 'anna', '--since', '2000-01-01', '--watch', '1'], { env: env(), signal: stop.signal });
    // Two failed rounds take ~1.5 s of connection retries each plus a 2 s, then a 4 s backoff.
    await new Promise((r) => setTimeout(r, 5_000));
    stop.abort();
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(30_000);
    const lines = r.stderr.split('\n').filter((l) => /round \d+ failed/.test(l));
    expect(lines[0]).toMatch(/round 1 failed: Cannot reach the CardDAV server .* Next try in 2 s/);
    expect(r.stderr).toMatch(/Stopped after \d+ rounds/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('a second sync of the same destination refuses at once', async () => {
    dav = await startCardDavSandbox();
    const to = `${dav.url}${dav.bookPath}`;
    const first = await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--since', '2000-01-01'], { env: env() });
    expect(first.code, first.stderr).toBe(0);
    const lock = await acquireTargetLock(f.env, destinationName('main', to));
    try {
      const started = Date.now();
      const second = await spawnBin('amo-export', ['--to', to, '--dav-user', 'anna'], { env: env() });
      expect(second.code).toBe(7);
      expect(second.stderr).toMatch(/is writing to/);
      expect(Date.now() - started).toBeLessThan(20_000);
    } finally {
      lock.release();
    }
  });

  it('--watch prints one line per round and stops cleanly on SIGTERM', async () => {
    dav = await startCardDavSandbox();
    const to = `${dav.url}${dav.bookPath}`;
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'amo-export.js'), '--to', to, '--dav-user', 'anna', '--since', '2000-01-01', '--watch', '1'], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const until = Date.now() + 30_000;
    while ((stderr.match(/ round \d+:/g) ?? []).length < 3 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const rounds = stderr.split('\n').filter((l) => / round \d+:/.test(l));
    expect(rounds.length).toBeGreaterThanOrEqual(3);
    expect(rounds[0]).toMatch(/round 1: 5\d created/);
    expect(rounds[1]).toMatch(/round 2: 0 created, 0 updated, 0 deleted/);
    expect(stderr).toMatch(/Stopped after \d+ rounds/);
  }, 60_000);
});

describe('a partial sync', () => {
  let f: Fixture;
  let dav: CardDavSandbox | undefined;
  beforeAll(async () => {
    f = await fixture({ contacts: 60, bulkEditSize: 10 });
  });
  afterAll(async () => {
    await dav?.close();
    await f?.close();
  });

  it('keeps what it wrote in the map, not the watermark; the next run sends only the rest', async () => {
    dav = await startCardDavSandbox();
    const sb = dav;
    const to = `${sb.url}${sb.bookPath}`;
    const env = { ...f.env, AMO_DAV_PASSWORD: 'secret' };
    const store = () => openConfig(f.env);
    const key = { profile: 'main', by: 'updated' as const, target: watermarkTarget(to) };
    expect((await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--since', '2000-01-01'], { env })).code).toBe(0);
    const mark = readWatermark(store(), key);

    const ids = [...sb.cards().values()].map((c) => Number(c.uid.split('-').pop())).slice(0, 10);
    for (const id of ids) f.sb.editContact(id, { name: `Edited ${id}` });
    let puts = 0;
    sb.beforeRequest = (method) => (method === 'PUT' && ++puts > 4 ? 400 : undefined);
    const later = () => new Date(Date.now() + 120_000);
    const partial = await runInProcess(main, ['--to', to, '--dav-user', 'anna'], { env, now: later });
    expect(partial.code).toBe(1);
    expect(partial.stderr).toMatch(/6 cards could not be written/);
    expect(readWatermark(store(), key)).toEqual(mark);

    sb.beforeRequest = undefined;
    sb.log.length = 0;
    const rest = await runInProcess(main, ['--to', to, '--dav-user', 'anna', '--json'], { env, now: later });
    expect(rest.code, rest.stderr).toBe(0);
    expect(JSON.parse(rest.stdout)).toMatchObject({ updated: 6, created: 0 });
    expect(sb.log.filter((l) => l.method === 'PUT')).toHaveLength(6);
    expect(readWatermark(store(), key)!.until).toBeGreaterThan(mark!.until);
    for (const id of ids) expect([...sb.cards().values()].some((c) => c.data.includes(`FN:Edited ${id}`))).toBe(true);
  });
});
