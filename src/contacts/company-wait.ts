/**
 * Contacts wait here until their company's name is known (ORG). Names are asked for in batches of
 * exactly COMPANY_BATCH new ids, one request each, in turn with the contact pages: at background
 * priority they waited whenever the page readers kept the limiter busy (always, against a fast
 * server), and the contacts waiting for them piled up to tens of thousands. Only the last, partial
 * batch waits for the end.
 */
import type { Priority } from '../amocrm/limiter.js';
import type { ApiContact } from '../amocrm/types.js';
import { COMPANY_BATCH, companyIdOf, type CompanyNames } from './companies.js';

/**
 * Batches asked for and not yet answered before a page reader waits for one. Several, so that a
 * reader seldom waits: each takes a round trip, and the limiter may hold it behind contact pages.
 */
const MAX_SENDING = 6;
/** Contacts waiting at most: an account with few companies would otherwise hold them all to the end. */
const WAITING_MAX = 5000;

export interface CompanyWait {
  /** Passes on the contacts whose company is known and keeps the others until it is. */
  add(contacts: ApiContact[]): Promise<void>;
  /**
   * Asks for everything still missing now, in a slot no page wants: near the end of the reading,
   * a look-up sent as its contacts arrive overlaps the last pages instead of following them.
   */
  askEarly(): void;
  /** Asks for everything still missing; resolves when every contact was passed on. */
  finish(): Promise<void>;
}

export function companyWait(names: CompanyNames, deliver: (contacts: ApiContact[]) => Promise<void>, fail: (e: unknown) => void): CompanyWait {
  let waiting: ApiContact[] = [];
  const unasked = new Set<number>(); // in first-seen order
  const sending = new Set<Promise<void>>();

  /** Asks for `ids` (all when null) and passes on the waiting contacts that then have a name. */
  const send = (ids: Set<number> | null, priority?: Priority) => {
    if (ids) for (const id of ids) unasked.delete(id);
    else unasked.clear();
    const go: ApiContact[] = [];
    const stay: ApiContact[] = [];
    for (const c of waiting) (unasked.has(companyIdOf(c)!) ? stay : go).push(c);
    waiting = stay;
    const p = names.resolve(go, priority).then(() => deliver(go));
    sending.add(p);
    p.then(
      () => sending.delete(p),
      (e: unknown) => {
        sending.delete(p);
        // Those contacts are out of the stream: a failed look-up must fail the run.
        fail(e);
      },
    );
  };

  return {
    async add(contacts) {
      const ready: ApiContact[] = [];
      for (const c of contacts) {
        const id = companyIdOf(c);
        if (id === undefined || names.known(id)) {
          ready.push(c);
          continue;
        }
        waiting.push(c);
        if (!names.asked(id)) unasked.add(id);
      }
      if (ready.length) await deliver(ready);
      while (unasked.size >= COMPANY_BATCH) send(new Set([...unasked].slice(0, COMPANY_BATCH)));
      if (waiting.length >= WAITING_MAX) send(null);
      while (sending.size > MAX_SENDING) await Promise.race(sending).catch(() => undefined);
    },
    askEarly() {
      if (unasked.size) send(null, 'background');
    },
    async finish() {
      if (waiting.length) send(null);
      while (sending.size) await Promise.race(sending).catch(() => undefined);
    },
  };
}
