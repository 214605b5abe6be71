/**
 * Company names for the contacts' ORG (amocrm-api.md §4 "rec"): distinct ids from each page are
 * resolved in batches of `filter[id][]` and cached, so a company is asked for once per run.
 */
import type { AmoClient } from '../amocrm/client.js';
import type { Priority } from '../amocrm/limiter.js';
import type { ApiContact } from '../amocrm/types.js';

// The API's page size: the client answers a full batch with one request.
export const COMPANY_BATCH = 250;

export interface CompanyNames {
  /** Makes sure every company referenced by these contacts is known. Safe to call concurrently. */
  resolve(contacts: readonly ApiContact[], priority?: Priority): Promise<void>;
  name(id: number): string | undefined;
  /** Resolved already (a name, or known to be unreadable). */
  known(id: number): boolean;
  /** Resolved or being looked up. */
  asked(id: number): boolean;
}

export function companyIdOf(c: ApiContact): number | undefined {
  return c._embedded?.companies?.[0]?.id;
}

export function companyNames(client: AmoClient): CompanyNames {
  const names = new Map<number, string>();
  const pending = new Map<number, Promise<void>>();
  return {
    async resolve(contacts, priority) {
      const waits = new Set<Promise<void>>();
      const unknown = new Set<number>();
      for (const c of contacts) {
        const id = companyIdOf(c);
        if (id === undefined || names.has(id)) continue;
        const p = pending.get(id);
        if (p) waits.add(p);
        else unknown.add(id);
      }
      const missing = [...unknown];
      for (let i = 0; i < missing.length; i += COMPANY_BATCH) {
        const ids = missing.slice(i, i + COMPANY_BATCH);
        const p = client.companiesByIds(ids, priority).then((companies) => {
          for (const co of companies) names.set(co.id, co.name);
          // A company we may not view (or deleted) still gets an entry, so we do not ask again.
          for (const id of ids) if (!names.has(id)) names.set(id, '');
        });
        const settled = p.finally(() => {
          for (const id of ids) pending.delete(id);
        });
        for (const id of ids) pending.set(id, settled);
        waits.add(settled);
      }
      await Promise.all(waits);
    },
    known: (id) => names.has(id),
    asked: (id) => names.has(id) || pending.has(id),
    name(id) {
      const n = names.get(id);
      return n ? n : undefined;
    },
  };
}
