/**
 * Contacts waiting for their company's name (ORG), against the sandbox over 127.0.0.1: names are
 * asked for in full batches while pages keep coming, and what is still missing when the last pages
 * are on their way goes out at once instead of after them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startAmoSandbox } from '../../src/sandbox/amocrm/index.js';
import { createAmoClient } from '../../src/amocrm/client.js';
import { staticTokenProvider } from '../../src/amocrm/auth.js';
import { companyNames, companyIdOf } from '../../src/contacts/companies.js';
import { companyWait } from '../../src/contacts/company-wait.js';
import type { ApiContact } from '../../src/amocrm/types.js';
import { DATA_FROM } from '../../src/sandbox/amocrm/generate.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0).reverse()) await o.close();
});

describe('company wait', () => {
  it('holds a partial batch until asked early, then asks once and passes every contact on with its name', async () => {
    const sb = await startAmoSandbox({ contacts: 600 });
    open.push(sb);
    const client = createAmoClient({ baseUrl: sb.url, auth: staticTokenProvider(sb.longLivedToken), rps: 7 });
    open.push(client);
    const page = await client.contactsPage({ page: 1, limit: 250, updatedAt: { from: DATA_FROM }, order: { field: 'updated_at', dir: 'asc' } });
    const withCompany = page.items.filter((c) => companyIdOf(c) !== undefined);
    expect(withCompany.length).toBeGreaterThan(10);
    const names = companyNames(client);
    const passed: ApiContact[] = [];
    const gate = companyWait(names, async (cs) => void passed.push(...cs), (e) => {
      throw e;
    });
    sb.stats.reset();
    await gate.add(page.items);
    // Fewer than a batch of new companies: nothing asked yet, their contacts wait.
    expect(sb.stats.requests.filter((q) => q.path === '/api/v4/companies')).toHaveLength(0);
    expect(passed.length).toBe(page.items.length - withCompany.length);
    gate.askEarly();
    // The look-up goes out now, not at finish(): every contact is passed on before it is called.
    for (let i = 0; i < 200 && passed.length < page.items.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(passed.length).toBe(page.items.length);
    await gate.finish();
    expect(sb.stats.requests.filter((q) => q.path === '/api/v4/companies')).toHaveLength(1);
    for (const c of withCompany) expect(names.known(companyIdOf(c)!)).toBe(true);
    // Asked early with nothing left to ask: no request.
    gate.askEarly();
    await gate.finish();
    expect(sb.stats.requests.filter((q) => q.path === '/api/v4/companies')).toHaveLength(1);
  });
});
