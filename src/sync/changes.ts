/**
 * The amoCRM side of a sync: which cards this run must write and which must go. A complete run
 * (the first, or --full) reads the whole period; a later one reads only the contacts changed
 * since the watermark, plus the deletion events and the contacts that lost their last phone or
 * left the export rights in that window.
 */
import type { AmoClient } from '../amocrm/client.js';
import type { ApiAccount } from '../amocrm/types.js';
import type { Contact } from '../contacts/contact.js';
import { contactFromApi, needsFieldDefinitions, type FromApiContext } from '../contacts/from-api.js';
import { deletedBetween, type DeletedContact } from '../contacts/deleted.js';
import { allowedByRights, resolveRights, type RightsFilter } from '../contacts/rights.js';
import { contactSource, definitionsOnDemand, newCounters, sourceWindow, type SourceCounters } from '../contacts/source.js';
import { isAppError } from '../errors.js';
import { cardHash, type CardRenderer } from './card.js';
import type { Desired } from './plan.js';

export interface AccountChanges {
  desired: Desired[];
  gone: Set<string>;
  deleted: DeletedContact[];
  window: { since: number; until: number };
  counters: SourceCounters;
  rights: RightsFilter;
  /** The event log was not readable (rights): deletions wait for a --full run. */
  deletionsUnknown: boolean;
}

export interface ChangesRequest {
  client: AmoClient;
  rightsClient?: AmoClient;
  account: ApiAccount;
  asUser?: number;
  renderer: CardRenderer;
  since: number;
  until?: number;
  complete: boolean;
  by: 'updated' | 'created';
  concurrency?: number;
  nowSec: () => number;
  signal?: AbortSignal;
}

export function desiredOf(c: Contact, r: CardRenderer): Desired {
  const card = r.render(c);
  return { uid: r.uidOf(c.id), id: c.id, at: Math.max(c.createdAt, c.updatedAt), card, hash: cardHash(card) };
}

export async function collectChanges(q: ChangesRequest): Promise<AccountChanges & { load(ids: number[]): Promise<{ found: Desired[]; missing: number[] }> }> {
  const rights = await resolveRights(q.rightsClient ?? q.client, q.account, q.asUser);
  // Read only if a record leaves out a code they could give.
  const definitions = definitionsOnDemand(q.client);
  const counters = newCounters();
  const window = sourceWindow({ since: q.since, until: q.until, nowSec: q.nowSec });
  const region = (q.account.country || 'RU').toUpperCase();
  const gone = new Set<string>();
  const desired: Desired[] = [];
  const source = contactSource(q.client, {
    since: window.since,
    until: window.until,
    by: q.by,
    rights,
    defaultRegion: region,
    accountId: q.account.id,
    concurrency: q.concurrency,
    signal: q.signal,
    counters,
    nowSec: q.nowSec,
    onSkipped: (id) => gone.add(q.renderer.uidOf(id)),
    fields: definitions,
  });
  for await (const c of source) desired.push(desiredOf(c, q.renderer));

  let deleted: DeletedContact[] = [];
  let deletionsUnknown = false;
  if (!q.complete && window.since > 0) {
    try {
      deleted = await deletedBetween(q.client, window.since, window.until);
    } catch (e) {
      if (!(isAppError(e) && e.kind === 'rights')) throw e;
      deletionsUnknown = true;
    }
    for (const d of deleted) gone.add(q.renderer.uidOf(d.id));
  }

  /** Contacts by id (cards the phone changed that amoCRM's version must replace). */
  const load = async (ids: number[]): Promise<{ found: Desired[]; missing: number[] }> => {
    const found: Desired[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < ids.length; i += 250) {
      const batch = ids.slice(i, i + 250);
      const records = [];
      for await (const page of q.client.contacts({ ids: batch })) records.push(...page);
      const companyIds = [...new Set(records.flatMap((r) => (r._embedded?.companies ?? []).map((c) => c.id)))];
      const names = new Map((companyIds.length ? await q.client.companiesByIds(companyIds) : []).map((c) => [c.id, c.name]));
      const maps = records.some(needsFieldDefinitions) ? await definitions() : {};
      const ctx: FromApiContext = { accountId: q.account.id, defaultRegion: region, companyName: (id) => names.get(id), ...maps };
      for (const api of records) {
        if (!batch.includes(api.id) || seen.has(api.id) || (api as { is_deleted?: boolean }).is_deleted) continue;
        const c = contactFromApi(api, ctx);
        if (c.phones.length === 0 || !allowedByRights(c, rights)) continue;
        seen.add(c.id);
        found.push(desiredOf(c, q.renderer));
      }
    }
    return { found, missing: ids.filter((id) => !seen.has(id)) };
  };

  return { desired, gone, deleted, window, counters, rights, deletionsUnknown, load };
}
