import { describe, expect, it } from 'vitest';
import { phoneChanges, plan, type Desired, type Listing, type PlanInput } from '../../src/sync/plan.js';
import type { MapEntry } from '../../src/sync/map.js';

const BOOK = 'http://dav.test/anna/amocrm/';
const url = (uid: string) => `${BOOK}${uid}.vcf`;
const d = (n: number, hash = `h${n}`, at = n): Desired => ({ uid: `u${n}`, id: n, at, card: `card ${n} ${hash}`, hash });
const e = (n: number, etag = `e${n}`, hash = `h${n}`, at = n): [string, MapEntry] => [`u${n}`, { url: url(`u${n}`), etag, hash, id: n, at }];
const full = (entries: [string, string][]): Listing => ({ kind: 'full', cards: new Map(entries), deleted: new Set() });
const delta = (changed: [string, string][], deleted: string[] = []): Listing => ({ kind: 'delta', cards: new Map(changed), deleted: new Set(deleted) });

function input(p: Partial<PlanInput>): PlanInput {
  return { desired: [], complete: false, gone: new Set(), map: new Map(), adopted: new Map(), listing: delta([]), onConflict: 'crm', urlFor: url, ...p };
}
const kinds = (ops: { kind: string; uid: string }[]) => ops.map((o) => `${o.kind}:${o.uid}`).sort();

describe('sync plan', () => {
  it('creates new contacts, updates changed ones, leaves unchanged ones alone', () => {
    const ops = plan(input({ desired: [d(1), d(2, 'h2-new'), d(3)], map: new Map([e(2), e(3)]) }));
    expect(kinds(ops)).toEqual(['create:u1', 'update:u2']);
    const upd = ops.find((o) => o.kind === 'update')!;
    expect(upd).toMatchObject({ etag: 'e2', savePhone: false });
  });

  it('deletes cards of contacts that left; a complete run deletes every card it no longer wants', () => {
    expect(kinds(plan(input({ map: new Map([e(1), e(2)]), gone: new Set(['u1']) })))).toEqual(['delete:u1']);
    expect(kinds(plan(input({ complete: true, desired: [d(2)], map: new Map([e(1), e(2)]), listing: full([[url('u1'), 'e1'], [url('u2'), 'e2']]) })))).toEqual(['delete:u1']);
  });

  it('a phone edit is a conflict settled by the policy', () => {
    const base = { desired: [d(1, 'h1-new')], map: new Map([e(1)]), listing: delta([[url('u1'), 'phone']]) };
    expect(plan(input({ ...base, onConflict: 'crm' }))).toEqual([expect.objectContaining({ kind: 'update', etag: 'phone', savePhone: true })]);
    expect(kinds(plan(input({ ...base, onConflict: 'phone' })))).toEqual(['conflict:u1', 'record:u1']);
    expect(kinds(plan(input({ ...base, onConflict: 'skip' })))).toEqual(['conflict:u1']);
    expect(phoneChanges(new Map([e(1), e(2)]), delta([[url('u1'), 'phone']]))).toEqual(['u1']);
  });

  it('a card the phone deleted is re-created under crm, forgotten under phone', () => {
    const base = { desired: [d(1, 'h1-new')], map: new Map([e(1)]), listing: delta([], [url('u1')]) };
    expect(kinds(plan(input({ ...base, onConflict: 'crm' })))).toEqual(['create:u1']);
    expect(kinds(plan(input({ ...base, onConflict: 'phone' })))).toEqual(['conflict:u1', 'forget:u1']);
  });

  it('adopted cards are recorded, then rewritten when their contact is in the run', () => {
    const [uid, entry] = e(5, 'srv', '');
    const ops = plan(input({ desired: [d(5)], adopted: new Map([[uid, entry]]) }));
    expect(kinds(ops)).toEqual(['record:u5', 'update:u5']);
  });

  it('--limit keeps the newest N of the book, deleting the oldest and not creating what falls out', () => {
    const ops = plan(input({ limit: 2, desired: [d(10), d(1)], map: new Map([e(5), e(3)]) }));
    expect(kinds(ops)).toEqual(['create:u10', 'delete:u3']);
  });

  it('never touches a card that is not in the map', () => {
    const ops = plan(input({ complete: true, desired: [], listing: full([[`${BOOK}mine.vcf`, 'x']]) }));
    expect(ops).toEqual([]);
  });
});
