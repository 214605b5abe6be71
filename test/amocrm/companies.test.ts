import { describe, expect, it } from 'vitest';
import { COMPANY_ID_BASE } from '../../src/sandbox/amocrm/index.js';
import { companyCount } from '../../src/sandbox/amocrm/generate.js';
import { useSandbox } from './sandbox.js';

const CONTACTS = 8000;
const env = useSandbox({ contacts: CONTACTS, seed: 3 });

describe('company names', () => {
  it('answers a full batch of 250 ids with one request, not a second page that can only be empty', async () => {
    const existing = companyCount(CONTACTS);
    expect(existing).toBeGreaterThan(300); // two batches, the first one full
    const ids = Array.from({ length: 300 }, (_, i) => COMPANY_ID_BASE + i);
    const companies = await env.client().companiesByIds(ids);
    expect(companies.map((c) => c.id).sort((a, b) => a - b)).toEqual(ids);
    const calls = env.sb.stats.requests.filter((r) => r.path === '/api/v4/companies');
    expect(calls).toHaveLength(2);
  });
});
