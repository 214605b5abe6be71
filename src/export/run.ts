/**
 * One export: for each account, its rights, its window, its contacts (optionally only the most
 * recent N), its deletions; all into one sink; then the sink is committed and only then are the
 * new watermarks returned for the caller to store.
 */
import type { AmoClient } from '../amocrm/client.js';
import type { ApiAccount } from '../amocrm/types.js';
import type { Contact } from '../contacts/contact.js';
import { contactSource, definitionsOnDemand, newCounters, sourceWindow, type SourceCounters } from '../contacts/source.js';
import { resolveRights, type RightsFilter } from '../contacts/rights.js';
import { deletedBetween, type DeletedContact } from '../contacts/deleted.js';
import { createWriter } from './writers/index.js';
import type { ContactWriter, ExportFormat, WriterOptions } from './writers/types.js';
import { linkBaseOf } from './writers/display.js';
import { ContactSpool, RecordSpool, type SpoolOptions } from './spool.js';
import { mostRecent } from './most-recent.js';
import type { Sink } from './output.js';
import type { Watermark } from './state.js';
import { isAppError } from '../errors.js';

export interface AccountJob {
  profile: string;
  client: AmoClient;
  /**
   * The account, or its request (sent when called): contact pages and deletions do not need it, so
   * they go out beside it (rights and the contacts' conversion wait for it).
   */
  account: ApiAccount | Promise<ApiAccount> | (() => Promise<ApiAccount>);
  asUser?: number;
  /**
   * A client without X-Context-User-ID for reading the --as-user's rights: with the header the
   * server answers as that user, and a non-admin may not read /users/{id}.
   */
  rightsClient?: AmoClient;
  /** First second of the window (0 = everything). */
  since: number;
  /** Last second requested; the source caps it at now − 60 s. */
  until?: number;
  /** The window start came from a stored watermark. */
  fromWatermark: boolean;
  /** API host (`x.amocrm.ru`, or the sandbox's): where the contact links point. */
  host?: string;
}

export interface ExportRequest {
  jobs: AccountJob[];
  by: 'updated' | 'created';
  format: ExportFormat;
  sink: Sink;
  target: string;
  bom?: boolean;
  /** CSV: guard phones and handles against spreadsheet formulas too. */
  spreadsheetSafe?: boolean;
  /** Where and in what runs contacts are spooled before writing (tests make runs small). */
  spool?: SpoolOptions;
  limit?: number;
  category?: string;
  concurrency?: number;
  /** Keep the list of unparsable phone strings (for --invalid-report). */
  collectInvalid?: boolean;
  /**
   * List deletions even on a first run (--deleted-report asks for those since the period start).
   * Otherwise only a run that continues from a watermark lists them: nobody has the contacts of
   * a target that never ran in a phone book yet.
   */
  deletedSincePeriodStart?: boolean;
  nowSec: () => number;
  signal?: AbortSignal;
  onProgress?(exported: number): void;
  onRights?(account: ApiAccount, rights: RightsFilter): void;
  onWarning?(key: string, params: Record<string, string>): void;
}

export interface InvalidNumber {
  accountId: number;
  contactId: number;
  name: string;
  raw: string;
}

export interface AccountDeleted extends DeletedContact {
  accountId: number;
}

export interface AccountSummary {
  profile: string;
  accountId: number;
  accountName: string;
  since: number;
  until: number;
  exported: number;
  skippedWithoutPhone: number;
  skippedByRights: number;
  /** Dropped by --limit / --target ios. */
  overLimit: number;
  invalidNumbers: number;
  deleted: number;
  rights: RightsFilter['mode'];
  rightsSource?: RightsFilter['source'];
  rightsNote?: string;
  filterIgnored: boolean;
  requests: number;
}

export interface ExportResult {
  accounts: AccountSummary[];
  invalid: InvalidNumber[];
  deleted: AccountDeleted[];
  /** To be stored by the caller; the output is already committed when these exist. */
  watermarks: Watermark[];
  droppedPhones: number;
}

/**
 * Deletions in the window: events after its end belong to the next run, which starts at until + 1.
 * The event log is subject to rights too; without it the phone book itself is still complete.
 */
async function readDeletions(job: AccountJob, account: Promise<ApiAccount>, window: { since: number; until: number }, req: ExportRequest): Promise<DeletedContact[]> {
  try {
    // In the slots the contact pages leave: the source keeps just enough readers to keep the rate
    // limiter busy, so slots fall free along the run. Three at first, beside the start-up requests; then one at a time, so
    // at most one page is asked for past the end.
    return await deletedBetween(job.client, window.since, window.until, { ahead: 3, steady: 1, priority: 'background' });
  } catch (e) {
    if (!(isAppError(e) && e.kind === 'rights')) throw e;
    req.onWarning?.('export.deletedUnavailable', { account: (await account).name });
    return [];
  }
}

export async function runExport(req: ExportRequest): Promise<ExportResult> {
  const result: ExportResult = { accounts: [], invalid: [], deleted: [], watermarks: [], droppedPhones: 0 };
  let exportedTotal = 0;
  // The whole set is spooled first: cards are written ordered by account, then id. A card depends
  // on its contact only, so it is rendered as the contact arrives, while the run waits on the
  // network, and the end only merges text; a CSV header depends on every contact (its columns), so
  // CSV contacts wait as they are and are rendered at the end.
  const renderLate = req.format === 'google-csv' || req.format === 'outlook-csv';
  const spool = renderLate ? new ContactSpool(req.spool) : undefined;
  const cards = renderLate ? undefined : new RecordSpool(req.spool);
  const writerOptions = new Map<number, WriterOptions>();
  const writers = new Map<number, ContactWriter>();
  const writerOf = (accountId: number): ContactWriter => {
    let w = writers.get(accountId);
    if (!w) writers.set(accountId, (w = createWriter(req.format, { ...writerOptions.get(accountId)!, columns: spool?.needs })));
    return w;
  };
  try {
    for (const job of req.jobs) {
      const window = sourceWindow({ since: job.since, until: job.until, nowSec: req.nowSec });
      // Start-up requests go out together, just before the source's first pages: the contacts wait
      // in a bounded channel until the rights are known, and the readers those pages start would
      // delay these requests. Field definitions are read only for a record that leaves out a code.
      // Deletions are read meanwhile at background priority, in the slots the page readers leave.
      const account = Promise.resolve(typeof job.account === 'function' ? job.account() : job.account);
      const rightsRead = account.then(async (a) => {
        const r = await resolveRights(job.rightsClient ?? job.client, a, job.asUser);
        req.onRights?.(a, r);
        return r;
      });
      const fields = definitionsOnDemand(job.client);
      const wantDeleted = window.since > 0 && window.since <= window.until && (job.fromWatermark || req.deletedSincePeriodStart === true);
      const deletions = wantDeleted ? readDeletions(job, account, window, req) : Promise.resolve([]);
      // Each is awaited below (or by the source); until then a failure must not count as unhandled.
      for (const p of [account, rightsRead, deletions]) p.catch(() => undefined);
      const counters: SourceCounters = newCounters();
      const source = contactSource(job.client, {
        since: window.since,
        until: window.until,
        by: req.by,
        rights: rightsRead,
        defaultRegion: account.then((a) => (a.country || 'RU').toUpperCase()),
        accountId: account.then((a) => a.id),
        concurrency: req.concurrency,
        signal: req.signal,
        counters,
        nowSec: req.nowSec,
        fields,
      });
      const optionsOf = (acc: ApiAccount): WriterOptions => ({
        category: req.category,
        uidPrefix: `amocrm-${acc.id}`,
        bom: req.bom,
        spreadsheetSafe: req.spreadsheetSafe,
        linkBase: job.host ? linkBaseOf(acc.subdomain ?? '', job.host) : undefined,
      });
      // The account's writer needs its id and subdomain; the source yields no contact before the account is known.
      const optionsKnown = account.then((a) => void writerOptions.set(a.id, optionsOf(a)));
      optionsKnown.catch(() => undefined); // awaited below
      let exported = 0;
      let invalidNumbers = 0;
      const put = async (c: Contact) => {
        for (const p of c.phones) {
          if (p.valid) continue;
          invalidNumbers++;
          if (req.collectInvalid) result.invalid.push({ accountId: c.accountId, contactId: c.id, name: c.name, raw: p.raw });
        }
        if (spool) await spool.add(c);
        else {
          await optionsKnown;
          await cards!.add(c.accountId, c.id, writerOf(c.accountId).write(c));
        }
        exported++;
        exportedTotal++;
        req.onProgress?.(exportedTotal);
      };
      let overLimit = 0;
      if (req.limit !== undefined) {
        const { kept, dropped } = await mostRecent(source, req.limit);
        overLimit = dropped;
        for (const c of kept) await put(c);
      } else {
        for await (const c of source) await put(c);
      }

      const acc = await account;
      await optionsKnown;
      const rights = await rightsRead;
      const deleted = await deletions;
      for (const d of deleted) result.deleted.push({ ...d, accountId: acc.id });
      result.accounts.push({
        profile: job.profile,
        accountId: acc.id,
        accountName: acc.name,
        since: window.since,
        until: window.until,
        exported,
        skippedWithoutPhone: counters.skippedNoPhone,
        skippedByRights: counters.skippedByRights,
        overLimit,
        invalidNumbers,
        deleted: deleted.length,
        rights: rights.mode,
        rightsSource: rights.source,
        rightsNote: rights.note,
        filterIgnored: counters.filterIgnored,
        requests: counters.requests,
      });
      result.watermarks.push({
        profile: job.profile,
        accountId: acc.id,
        by: req.by,
        target: req.target,
        until: Math.max(window.until, window.since - 1),
        savedAt: new Date(req.nowSec() * 1000).toISOString(),
      });
    }
    if (writerOptions.size) {
      const first = writerOf(writerOptions.keys().next().value!);
      await req.sink.write(first.header());
      if (spool) {
        for await (const c of spool.sorted()) {
          req.signal?.throwIfAborted();
          await req.sink.write(writerOf(c.accountId).write(c));
        }
      } else {
        for await (const e of cards!.sorted()) {
          req.signal?.throwIfAborted();
          await req.sink.write(e.text);
        }
      }
      await req.sink.write(first.footer());
      for (const w of writers.values()) result.droppedPhones += w.warnings.droppedPhones;
    }
    await req.sink.commit();
  } catch (e) {
    await req.sink.abort();
    throw e;
  } finally {
    await (spool ?? cards!).cleanup();
  }
  return result;
}
