/**
 * runExport spools every contact before writing: output ordered by account and id, and the spool's
 * temp files gone afterwards, whether the export succeeds, its output fails, or it is aborted
 * half-way through writing. Real sandbox over HTTP; runs made tiny so the spool goes to disk.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAmoClient, type AmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { runExport, type AccountJob, type ExportRequest } from '../../src/export/run.js';
import type { Sink } from '../../src/export/output.js';
import { fixture, vcardIds, type Fixture } from './helpers.js';

let f: Fixture;
let client: AmoClient;
let job: AccountJob;
const parent = mkdtempSync(join(tmpdir(), 'run-spool-'));

beforeAll(async () => {
  f = await fixture({ contacts: 300, bulkEditSize: 120 });
  client = createAmoClient({ baseUrl: f.sb.url, auth: staticTokenProvider(f.sb.longLivedToken), rps: 7 });
  job = { profile: 'main', client, account: await client.account(), since: 0, fromWatermark: false, host: new URL(f.sb.url).host };
});
afterAll(async () => {
  await client?.close();
  await f?.close();
  rmSync(parent, { recursive: true, force: true });
});

function sink(o: { failAt?: number; onWrite?(n: number): void } = {}): Sink & { text: string; aborted: boolean; committed: boolean } {
  let n = 0;
  const s = {
    text: '',
    aborted: false,
    committed: false,
    async write(t: string) {
      n++;
      o.onWrite?.(n);
      if (o.failAt !== undefined && n >= o.failAt) throw new Error('disk full');
      s.text += t;
    },
    async commit() {
      s.committed = true;
    },
    async abort() {
      s.aborted = true;
    },
  };
  return s;
}

const request = (out: Sink, extra: Partial<ExportRequest> = {}): ExportRequest => ({
  jobs: [job], by: 'updated', format: 'vcard', sink: out, target: 't', nowSec: () => Math.floor(Date.now() / 1000),
  spool: { dir: parent, runChars: 4000 }, ...extra,
});
const leftovers = () => readdirSync(parent);

describe('runExport through the spool', () => {
  it('writes every contact in id order with its amoCRM link and leaves no temp file', async () => {
    const out = sink();
    const r = await runExport(request(out));
    expect(out.committed).toBe(true);
    const ids = vcardIds(out.text);
    expect(ids.length).toBe(r.accounts[0]!.exported);
    expect(ids.length).toBeGreaterThan(100);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(out.text).toContain(`item1.URL:http://${job.host}/contacts/detail/${ids[0]}\r\n`);
    expect(leftovers()).toEqual([]);
  });

  it('removes the spool when the output fails during the merge', async () => {
    const out = sink({ failAt: 3 });
    await expect(runExport(request(out))).rejects.toThrow('disk full');
    expect(out.aborted).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('stops writing and removes the spool when aborted half-way through the merge', async () => {
    const ac = new AbortController();
    const out = sink({ onWrite: (n) => n === 20 && ac.abort(new Error('cancelled by the user')) });
    await expect(runExport(request(out, { signal: ac.signal }))).rejects.toThrow('cancelled by the user');
    expect(out.aborted).toBe(true);
    expect(out.committed).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
