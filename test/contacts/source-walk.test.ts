/**
 * The fallback walk (newest first, offset pages, no date filter) while contacts are deleted: a
 * deletion above the read position shifts later pages, so the walk must either lose nothing or
 * stop with a clear error and no result — never skip a contact silently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import type { SandboxBehaviour } from '../../src/sandbox/amocrm/types.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { contactSource, newCounters } from '../../src/contacts/source.js';
import { AppError } from '../../src/errors.js';
import { DATA_FROM, DATA_TO } from '../../src/sandbox/amocrm/generate.js';
import { hasPhone, recordsByIds } from './records.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

async function walkWithChurn(churn: SandboxBehaviour['churn'], churnRequests = Infinity) {
  const sb = await startAmoSandbox({ contacts: 3000, bulkEditSize: 10, behaviour: { ignoreDateFilter: true } });
  open.push(sb);
  const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7, backoffBaseMs: 5 });
  open.push(client);
  const before = new Set(sb.idsInWindow(DATA_FROM, DATA_TO, 'updated'));
  const counters = newCounters();
  const ids: number[] = [];
  sb.setBehaviour({ churn });
  let error: unknown;
  try {
    for await (const c of contactSource(client, { since: DATA_FROM, until: DATA_TO, by: 'updated', rights: { mode: 'A', userId: 0, groupId: null }, defaultRegion: 'RU', accountId: 1, counters, concurrency: 4 })) {
      ids.push(c.id);
      if (sb.stats.count() >= churnRequests) sb.setBehaviour({ churn: null });
    }
  } catch (e) {
    error = e;
  }
  sb.setBehaviour({ churn: null });
  const after = sb.idsInWindow(DATA_FROM, DATA_TO, 'updated');
  // Contacts present from start to end and never edited: each one must have come out, unless phoneless.
  const stayed = after.filter((id) => before.has(id));
  const got = new Set(ids);
  const missing = (await recordsByIds(sb, stayed)).filter((c) => hasPhone(c) && !got.has(c.id)).map((c) => c.id);
  return { error, ids, missing, counters };
}

describe('the unfiltered walk under deletions', () => {
  it('loses nothing when contacts are deleted during the first reading only', async () => {
    // Deletions stop after a while: the first walk saw some, a later one sees none and proves the result.
    const r = await walkWithChurn({ everyNRequests: 1, edits: 1, deletes: 3 }, 12);
    expect(r.error).toBeUndefined();
    expect(r.counters.filterIgnored).toBe(true);
    expect(new Set(r.ids).size).toBe(r.ids.length);
    expect(r.missing).toEqual([]);
  });

  it('stops with a clear error rather than risk a skipped contact when deletions never stop', async () => {
    const r = await walkWithChurn({ everyNRequests: 1, edits: 0, deletes: 150 });
    expect(r.error).toBeInstanceOf(AppError);
    expect((r.error as AppError).key).toBe('export.error.changedTooFast');
  });
});
