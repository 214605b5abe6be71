/**
 * CardDAV sync into a local Radicale (Debian's, started here on a free loopback port):
 *
 * 1. first sync of N contacts (default 10,000) against a plain concurrent PUT loop — the same
 *    cards, the same concurrency (4), If-None-Match: * — measured in the same run: ratio of rates;
 * 2. a sync with nothing changed: DAV requests and PUTs it sent;
 * 3. 100 contacts changed: writes and other requests;
 * 4. memory over 1,000 unchanged rounds (what --watch repeats): heap after round 100 vs round 1,000.
 *
 *   node --expose-gc --import tsx bench/carddav-sync.ts [contacts=10000] [radicale|sandbox] [rounds=1000]
 *
 * Each figure is printed as soon as it is measured. `rounds` 0 leaves out step 4 (against a
 * 10,000-card Radicale each unchanged round costs Radicale a scan of the book).
 *
 * `sandbox` runs the same against our in-memory CardDAV server instead (src/sandbox/carddav/):
 * it shows our own overhead at full size where Radicale's per-create cost would dominate.
 *
 * Radicale checks every existing card for a UID clash on each create, so a create costs O(cards
 * in the book) there and 10,000 creates take long on a small machine; both loops pay it alike.
 */
import { Agent, request } from 'undici';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRadicale } from '../test/carddav/radicale.js';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createDavTransport } from '../src/carddav/transport.js';
import { CardDavClient } from '../src/carddav/client.js';
import { cardRenderer, cardUrl } from '../src/sync/card.js';
import { desiredOf } from '../src/sync/changes.js';
import { SyncMap } from '../src/sync/map.js';
import { syncBook } from '../src/sync/run.js';
import type { Contact } from '../src/contacts/contact.js';

const N = Number(process.argv[2] ?? 10_000);
const SERVER = process.argv[3] === 'sandbox' ? 'sandbox' : 'radicale';
const CONCURRENCY = 4;
const ROUNDS = Number(process.argv[4] ?? 1000);

function contact(id: number, suffix = ''): Contact {
  const phone = `+7916${String(1_000_000 + id).padStart(7, '0')}`;
  return {
    accountId: 1, id, name: `Имя${id} Фамилия${suffix}`, firstName: `Имя${id}`, lastName: `Фамилия${suffix}`, tags: ['клиент'], messengers: [],
    emails: [{ value: `p${id}@example.com`, kind: 'work' }], responsibleUserId: 1, groupId: 0, createdAt: 1_700_000_000, updatedAt: 1_700_000_000 + id,
    phones: [{ raw: phone, kind: 'cell', e164: phone, valid: true, international: phone }],
  };
}

/** Our CardDAV sandbox in a process of its own, so that its work does not count as ours. */
async function sandboxProcess(): Promise<{ url: string; user: string; password: string; base: string; stop(): Promise<void> }> {
  const code = `import { startCardDavSandbox } from ${JSON.stringify(new URL('../src/sandbox/carddav/server.ts', import.meta.url).href)};
const s = await startCardDavSandbox({ user: 'anna', password: 'p4ss' });
console.log(s.url);`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return {
    url,
    user: 'anna',
    password: 'p4ss',
    base: `${url}/dav/home/anna/`,
    stop: async () => {
      child.kill();
      await new Promise((r) => child.once('exit', r));
    },
  };
}

async function main() {
  // Storage in memory where there is some: the disk is shared, and both loops pay Radicale's costs alike.
  const rad =
    SERVER === 'radicale'
      ? await startRadicale({ parent: existsSync('/dev/shm') ? '/dev/shm' : undefined })
      : await sandboxProcess();
  const cfg = mkdtempSync(join(tmpdir(), 'amo-bench-cfg-'));
  const env = { AMO_PHONEBOOK_CONFIG_DIR: cfg };
  const auth = { kind: 'basic' as const, user: rad.user, password: rad.password };
  const setup = new CardDavClient(createDavTransport({ auth }));
  const base = 'base' in rad ? rad.base : `${rad.url}/${rad.user}/`;
  await setup.propfind(base, 0, '<d:resourcetype/>'); // Radicale creates the principal on first use
  await setup.createBook(`${base}plain/`, 'plain');
  await setup.createBook(`${base}synced/`, 'synced');
  await setup.close();
  const renderer = cardRenderer(1);
  const contacts = Array.from({ length: N }, (_, i) => contact(40_000_001 + i));
  try {
    // Baseline: a plain PUT loop, CONCURRENCY workers, keep-alive, the same cards.
    const plainBook = `${base}plain/`;
    const agent = new Agent({ connections: CONCURRENCY });
    const authz = `Basic ${Buffer.from(`${rad.user}:${rad.password}`).toString('base64')}`;
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < contacts.length) {
          const c = contacts[next++]!;
          const uid = renderer.uidOf(c.id);
          const res = await request(cardUrl(plainBook, uid), { method: 'PUT', dispatcher: agent, headers: { authorization: authz, 'content-type': 'text/vcard; charset=utf-8', 'if-none-match': '*' }, body: renderer.render(c) });
          await res.body.text();
          if (res.statusCode !== 201) throw new Error(`plain PUT ${res.statusCode}`);
        }
      }),
    );
    const plainSec = (performance.now() - t0) / 1000;
    await agent.close();

    // Ours: the whole sync (render, listing, plan, PUTs, journal, commit).
    const book = `${base}synced/`;
    const dav = new CardDavClient(createDavTransport({ auth, concurrency: CONCURRENCY }));
    const run = (list: Contact[], complete: boolean) =>
      syncBook({ dav, book, map: SyncMap.open(env, 'bench', book), renderer, desired: list.map((c) => desiredOf(c, renderer)), complete, gone: new Set(), onConflict: 'crm', conflictsDir: join(cfg, 'conflicts'), workers: CONCURRENCY * 2 });
    const t1 = performance.now();
    const first = await run(contacts, true);
    const syncSec = (performance.now() - t1) / 1000;
    if (first.created !== N) throw new Error(`created ${first.created} of ${N}`);
    const plainRate = N / plainSec;
    const syncRate = N / syncSec;
    console.log(`${SERVER}, first sync: ${N} cards in ${syncSec.toFixed(1)} s = ${syncRate.toFixed(0)} cards/s; plain PUT loop: ${plainSec.toFixed(1)} s = ${plainRate.toFixed(0)} cards/s; ratio ${(syncRate / plainRate * 100).toFixed(0)} % (goal ≥ 80 %)`);

    const before = () => ({ all: dav.stats.requests, put: dav.stats.byMethod.PUT ?? 0 });
    let b = before();
    const idle = await run([], false);
    const idleReq = dav.stats.requests - b.all;
    const idlePut = (dav.stats.byMethod.PUT ?? 0) - b.put;
    console.log(`nothing changed: ${idleReq} DAV requests, ${idlePut} PUT (goal ≤ 3, 0); written ${idle.created + idle.updated + idle.deleted}`);

    b = before();
    const changed = contacts.slice(0, 100).map((c) => contact(c.id, ' изменён'));
    const hundred = await run(changed, false);
    const hundredReq = dav.stats.requests - b.all;
    const hundredPut = (dav.stats.byMethod.PUT ?? 0) - b.put;
    console.log(`100 changed: ${hundredPut} PUT + ${hundredReq - hundredPut} other requests; updated ${hundred.updated} (goal exactly 100 writes + a constant)`);

    let heapAt100 = 0;
    for (let round = 1; round <= ROUNDS; round++) {
      await run([], false);
      if (round === 100) {
        global.gc?.();
        heapAt100 = process.memoryUsage().heapUsed;
      }
    }
    global.gc?.();
    const heapAt1000 = process.memoryUsage().heapUsed;
    await dav.close();

    if (ROUNDS >= 1000) console.log(`1,000 unchanged rounds: heap ${(heapAt100 / 1e6).toFixed(1)} MB after round 100, ${(heapAt1000 / 1e6).toFixed(1)} MB after round 1,000 (ratio ${(heapAt1000 / heapAt100).toFixed(2)})${global.gc ? '' : ' — run with node --expose-gc for exact figures'}`);
  } finally {
    await rad.stop();
    rmSync(cfg, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
