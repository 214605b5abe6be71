/**
 * The sandbox looks like a real account where it matters for the export's speed: most history is
 * recent, about 1 % of contacts were deleted (with their events), and field definitions take two
 * pages of 50.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_FROM, DATA_TO, startAmoSandbox, type AmoSandbox } from '../../../src/sandbox/amocrm/index.js';
import { call } from './http.js';

const YEAR = 365 * 86_400;
const N = 20_000;
let sb: AmoSandbox;
beforeAll(async () => {
  sb = await startAmoSandbox({ contacts: N, seed: 4 });
});
afterAll(() => sb?.close());

async function allEvents(): Promise<{ type: string; entity_id: number }[]> {
  const out: { type: string; entity_id: number }[] = [];
  for (let page = 1; ; page++) {
    const r = await call(sb, `/api/v4/events?filter[entity]=contact&filter[type][]=contact_deleted&filter[type][]=contact_restored&filter[type][]=entity_merged&limit=100&page=${page}`);
    if (r.status === 204) return out;
    out.push(...r.json._embedded.events);
  }
}

describe('a realistic account', () => {
  it('has most contacts created and edited in the last years, the oldest year sparse', () => {
    const live = sb.idsInWindow(0, 2 ** 31, 'created').length;
    const lastYear = sb.idsInWindow(DATA_TO - YEAR, DATA_TO, 'created').length;
    const firstYear = sb.idsInWindow(DATA_FROM, DATA_FROM + YEAR, 'created').length;
    expect(lastYear / live).toBeGreaterThan(0.5);
    expect(firstYear / live).toBeLessThan(0.1);
    expect(sb.idsInWindow(DATA_TO - 2 * YEAR, DATA_TO, 'updated').length / live).toBeGreaterThan(0.8);
  });

  it('has about 1 % of contacts deleted or merged, each with its event, and a few restored', async () => {
    const live = sb.idsInWindow(0, 2 ** 31).length;
    const events = await allEvents();
    const gone = events.filter((e) => e.type !== 'contact_restored');
    expect(N - live).toBeGreaterThan(0.007 * N);
    expect(N - live).toBeLessThan(0.013 * N);
    // Every deleted contact has its event; restored ones have a deletion before the restore.
    const restored = new Set(events.filter((e) => e.type === 'contact_restored').map((e) => e.entity_id));
    expect(restored.size).toBeGreaterThan(0);
    expect(gone.length - restored.size).toBe(N - live);
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(['contact_deleted', 'contact_restored', 'entity_merged']));
  });

  it('serves field definitions 50 per page, and refuses users/{id} to a non-admin', async () => {
    const first = await call(sb, '/api/v4/contacts/custom_fields?limit=50');
    expect(first.json._embedded.custom_fields).toHaveLength(50);
    expect(first.json._links.next).toBeDefined();
    expect((await call(sb, '/api/v4/contacts/custom_fields?limit=250')).status).toBe(422);
    const viewer = sb.users().find((u) => !u.isAdmin && u.isActive && !u.isFree)!;
    expect((await call(sb, `/api/v4/users/${viewer.id}`, { token: sb.issueLongLivedToken(viewer.id) })).status).toBe(403);
  });
});
