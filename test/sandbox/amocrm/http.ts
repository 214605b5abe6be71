/** Real HTTP to a sandbox started by the test: status, headers and the parsed body. */
import { request } from 'undici';
import type { AmoSandbox } from '../../../src/sandbox/amocrm/index.js';

export interface Got {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export async function call(sb: AmoSandbox, path: string, o: { token?: string | null; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = {}): Promise<Got> {
  const headers: Record<string, string> = { ...o.headers };
  const token = o.token === undefined ? sb.longLivedToken : o.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await request(`${sb.url}${path}`, { method: o.method ?? 'GET', headers, body: o.body });
  const text = await res.body.text();
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, headers: res.headers, text, json: type.includes('json') && text ? JSON.parse(text) : undefined };
}

export async function contactsPage(sb: AmoSandbox, query: string, token?: string, headers?: Record<string, string>): Promise<{ status: number; ids: number[]; body: Got }> {
  const r = await call(sb, `/api/v4/contacts?${query}`, { token, headers });
  const list = (r.json?._embedded?.contacts ?? []) as { id: number }[];
  return { status: r.status, ids: list.map((c) => c.id), body: r };
}

/** Every contact of a listing (query starts with '&'), walking pages until 204. */
export async function allContacts<T>(sb: AmoSandbox, query = ''): Promise<T[]> {
  const out: T[] = [];
  for (let page = 1; ; page++) {
    const r = await call(sb, `/api/v4/contacts?limit=250&page=${page}${query}`);
    if (r.status === 204) return out;
    out.push(...(r.json._embedded.contacts as T[]));
  }
}

/** Every id of a listing, walking pages until 204 or a short page. */
export async function allIds(sb: AmoSandbox, query: string, token?: string, headers?: Record<string, string>): Promise<number[]> {
  const out: number[] = [];
  for (let page = 1; ; page++) {
    const r = await contactsPage(sb, `${query}&limit=250&page=${page}`, token, headers);
    if (r.status === 204) break;
    if (r.status !== 200) throw new Error(`status ${r.status}: ${r.body.text}`);
    out.push(...r.ids);
    if (r.ids.length < 250) break;
  }
  return out;
}
