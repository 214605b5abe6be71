import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BULK_EDIT_AT, DATA_TO, startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { call, contactsPage } from './http.js';

const MB = (n: number) => `${Math.round(n / 1e6)} MB`;

let sb: AmoSandbox;
let grown: { heap: number; arrays: number };
beforeAll(async () => {
  const before = process.memoryUsage();
  const t0 = performance.now();
  sb = await startAmoSandbox({ contacts: 1_000_000, seed: 3 });
  const after = process.memoryUsage();
  grown = { heap: after.heapUsed - before.heapUsed, arrays: after.arrayBuffers - before.arrayBuffers };
  console.log(
    `1,000,000-contact sandbox: started in ${Math.round(performance.now() - t0)} ms; ` +
      `rss ${MB(before.rss)} → ${MB(after.rss)}, heap ${MB(after.heapUsed)}, typed arrays ${MB(after.arrayBuffers)}`,
  );
}, 60_000);
afterAll(() => sb?.close());

describe('a million contacts', () => {
  it('start in typed arrays of about 35 bytes a contact, not in objects', () => {
    // Generous bounds: a contact held as an object would take several hundred MB of heap.
    expect(grown.arrays).toBeLessThan(100e6);
    expect(grown.heap).toBeLessThan(150e6);
  });

  it('serves the first, a deep and a windowed page without materialising the account', async () => {
    const first = await contactsPage(sb, 'limit=250&order[updated_at]=asc');
    expect(first.ids.length).toBe(250);
    const deep = await contactsPage(sb, 'limit=250&page=3900&order[updated_at]=asc');
    expect(deep.ids.length).toBe(250);
    const deepest = deep.body.json._embedded.contacts.at(-1).updated_at as number;
    expect(deepest).toBeLessThanOrEqual(DATA_TO);
    const bulk = await contactsPage(sb, `limit=250&page=5&filter[updated_at][from]=${BULK_EDIT_AT}&filter[updated_at][to]=${BULK_EDIT_AT}&order[updated_at]=asc`);
    expect(bulk.ids.length).toBe(200);
    expect(sb.idsInWindow(BULK_EDIT_AT, BULK_EDIT_AT)).toHaveLength(1200);
    const live = sb.idsInWindow(0, 2 ** 31).length;
    expect(live).toBeGreaterThan(990_000);
    expect(live).toBeLessThan(1_000_000);
    const t0 = performance.now();
    const r = await call(sb, '/api/v4/contacts?limit=250&page=2000');
    console.log(`a 250-contact page at 1,000,000 contacts: ${r.text.length} bytes in ${(performance.now() - t0).toFixed(1)} ms; rss ${MB(process.memoryUsage().rss)}`);
    expect(r.status).toBe(200);
    // Deep pages are rendered on demand: serving them keeps the heap far below one object per contact.
    expect(process.memoryUsage().heapUsed).toBeLessThan(400e6);
  });

  it('keeps its indexes right after mutations', async () => {
    const ids = sb.idsInWindow(0, 2 ** 31);
    const victim = ids[123_456]!;
    const edited = ids[654_321]!;
    sb.deleteContact(victim);
    sb.editContact(edited);
    const now = Math.floor(Date.now() / 1000) - 1;
    const recent = await contactsPage(sb, `filter[updated_at][from]=${now}`);
    expect(recent.ids).toEqual([edited]);
    expect(sb.idsInWindow(0, 2 ** 31).length).toBe(ids.length - 1);
    sb.restoreContact(victim);
    expect(sb.idsInWindow(0, 2 ** 31).length).toBe(ids.length);
  });
});
