/**
 * The raw API records behind a test's oracle, read straight from the sandbox over HTTP with
 * `filter[id][]`, so the oracle does not depend on the client under test.
 */
import type { ApiContact } from '../../src/amocrm/types.js';
import type { AmoSandbox } from '../../src/sandbox/amocrm/types.js';
import { call } from '../sandbox/amocrm/http.js';

export async function recordsByIds(sb: AmoSandbox, ids: readonly number[]): Promise<ApiContact[]> {
  const out: ApiContact[] = [];
  for (let i = 0; i < ids.length; i += 250) {
    const filter = ids.slice(i, i + 250).map((id) => `filter[id][]=${id}`).join('&');
    const r = await call(sb, `/api/v4/contacts?limit=250&${filter}`);
    if (r.status !== 200 && r.status !== 204) throw new Error(`status ${r.status}: ${r.text}`);
    out.push(...((r.json?._embedded?.contacts ?? []) as ApiContact[]));
  }
  return out;
}

export function hasPhone(c: ApiContact): boolean {
  return (c.custom_fields_values ?? []).some((f) => f.field_code === 'PHONE' && f.values.some((v) => String(v.value ?? '').trim() !== ''));
}
