import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Collector } from '../../src/callerid/collect.js';
import { applyDelta, computeDelta } from '../../src/callerid/delta.js';
import { DEFAULT_TEMPLATE, graphemeCount, isValidLabel, parseTemplate, type LabelTemplate } from '../../src/callerid/label.js';
import type { Contact } from '../../src/contacts/contact.js';
import { contactArb } from './gen.js';

const template = parseTemplate(DEFAULT_TEMPLATE) as LabelTemplate;

function collect(contacts: Contact[]): Collector {
  const c = new Collector({ template, region: 'RU', keepInvalid: true });
  for (const x of contacts) c.add(x);
  return c;
}

/** The rule written out naively: winner per number = newest, then lowest id, then first seen. */
function model(contacts: Contact[]) {
  const best = new Map<number, { recency: number; id: number; order: number; ids: Set<number> }>();
  contacts.forEach((c, order) => {
    const recency = Math.max(c.updatedAt, c.createdAt);
    const seen = new Set<number>();
    for (const p of c.phones) {
      if (!p.valid || !p.e164) continue;
      const n = Number(p.e164.slice(1));
      if (seen.has(n)) continue;
      seen.add(n);
      const cur = best.get(n);
      if (!cur) best.set(n, { recency, id: c.id, order, ids: new Set([order]) });
      else {
        cur.ids.add(order);
        if (recency > cur.recency || (recency === cur.recency && c.id < cur.id)) Object.assign(cur, { recency, id: c.id, order });
      }
    }
  });
  return best;
}

describe('caller-ID selection (property)', () => {
  it('is ascending, unique, labelled, within the limit, and keeps the highest-priority numbers', () => {
    fc.assert(
      fc.property(fc.array(contactArb, { maxLength: 40 }), fc.integer({ min: 1, max: 35 }), fc.array(fc.integer({ min: 0, max: 29 }), { maxLength: 5 }), (contacts, limit, excludedIdx) => {
        const col = collect(contacts);
        const excluded = new Set(excludedIdx.map((i) => 79990000000 + i));
        const sel = col.select(limit, excluded);
        const recs = Array.from(sel.slots, (s) => col.record(s));
        const m = model(contacts);
        const eligible = [...m.entries()].filter(([n]) => !excluded.has(n));
        expect(recs.length).toBe(Math.min(limit, eligible.length));
        expect(sel.dropped).toBe(eligible.length - recs.length);
        for (let i = 1; i < recs.length; i++) expect(recs[i]!.number).toBeGreaterThan(recs[i - 1]!.number);
        for (const r of recs) {
          expect(isValidLabel(r.label), JSON.stringify(r.label)).toBe(true);
          expect(graphemeCount(r.label)).toBeLessThanOrEqual(40);
          expect(excluded.has(r.number)).toBe(false);
          const w = m.get(r.number)!;
          expect(r.contactId).toBe(w.id);
          expect(r.recency).toBe(w.recency);
          expect(r.contacts).toBe(w.ids.size);
        }
        const ranked = eligible.sort(([na, a], [nb, b]) => b.recency - a.recency || a.id - b.id || na - nb).slice(0, limit).map(([n]) => n);
        expect(recs.map((r) => r.number)).toEqual(ranked.sort((a, b) => a - b));
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same labels whatever the order of the input', () => {
    fc.assert(
      fc.property(fc.array(contactArb, { maxLength: 30 }).chain((cs) => fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: cs.length, maxLength: cs.length }))), ([a, b]) => {
        // Equal (recency, id) pairs fall back to input order, so make ids unique for this check.
        const uniq = (cs: Contact[]) => cs.map((c) => ({ ...c, id: a.indexOf(c) + 1 }));
        const x = collect(uniq(a));
        const y = collect(uniq(b));
        const lx = Array.from(x.select(1000, new Set()).slots, (s) => x.record(s));
        const ly = Array.from(y.select(1000, new Set()).slots, (s) => y.record(s));
        expect(ly.map((r) => [r.number, r.label])).toEqual(lx.map((r) => [r.number, r.label]));
      }),
      { numRuns: 100 },
    );
  });
});

const entriesArb = fc
  .uniqueArray(fc.integer({ min: 70000000000, max: 70000000040 }), { maxLength: 30 })
  .chain((nums) => fc.tuple(...nums.map((n) => fc.constantFrom('A', 'B', 'Иван').map((label) => ({ number: n, label })))))
  .map((es) => [...es].sort((a, b) => a.number - b.number));

describe('deltas (property)', () => {
  it('delta(old→new) applied to old equals new; removals first, both lists ascending and unique', () => {
    fc.assert(
      fc.property(entriesArb, entriesArb, (oldE, newE) => {
        const d = computeDelta(oldE, newE);
        expect(applyDelta(oldE, d)).toEqual(newE);
        for (const list of [d.remove, d.add.map((e) => e.number)]) for (let i = 1; i < list.length; i++) expect(list[i]!).toBeGreaterThan(list[i - 1]!);
        expect(d.remove.length).toBe(d.removed + d.changed);
        expect(d.add.length).toBe(d.added + d.changed);
        const oldMap = new Map(oldE.map((e) => [e.number, e.label]));
        expect(d.changed).toBe(newE.filter((e) => oldMap.has(e.number) && oldMap.get(e.number) !== e.label).length);
      }),
      { numRuns: 300 },
    );
  });
});
