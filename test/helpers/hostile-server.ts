/**
 * A small amoCRM look-alike on 127.0.0.1 that answers account, user, custom fields and events
 * normally and turns hostile on the contacts list, one case at a time: a body that drips, one
 * that never ends, absurd or garbage Retry-After values, escape sequences in server text,
 * redirects and `next` links to another host, broken JSON, HTML pages. A second listener (the
 * "other host") records whether anything, above all our token, was sent there.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type HostileCase =
  | 'ok'
  | 'drip'
  | 'hugeBody'
  | 'retryAfterHuge'
  | 'retryAfterInfinite'
  | 'retryAfterHeader'
  | 'retryAfterGarbage'
  | 'always429'
  | 'escapes'
  | 'redirect'
  | 'nextOtherHost'
  | 'invalidJson'
  | 'html200'
  | 'html500';

/** ESC ] (window title), ESC [2J (clear screen), a C1 CSI, BEL, and a right-to-left override. */
export const HOSTILE_TEXT = '\u001b]0;pwned\u0007\u001b[2J\u009b31mEvil\u202eCorp';

export interface HostileServer {
  url: string;
  /** The other host's base URL (a different port: another origin). */
  otherUrl: string;
  token: string;
  accountId: number;
  userId: number;
  setCase(c: HostileCase): void;
  /** Requests that reached the other host, with their Authorization header. */
  otherHits: { path: string; authorization?: string }[];
  /** Contacts-list requests that reached this server in the current case. */
  contactHits: number;
  /** When they arrived (ms, performance.now()). */
  contactTimes: number[];
  close(): Promise<void>;
}

const ACCOUNT_ID = 31337;
const DRIP_MS = 500;
const USER_ID = 4242;
const NOW = () => Math.floor(Date.now() / 1000);

/** The request id header; the escapes case puts a C1 CSI (byte 0x9b, legal in a header) into it. */
let requestIdHeader = 'hostile-1';

function json(res: ServerResponse, status: number, body: unknown, type = 'application/hal+json'): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text), 'x-request-id': requestIdHeader });
  res.end(text);
}

function contact(id: number, at: number) {
  return {
    id,
    name: `Contact ${id}`,
    first_name: 'Contact',
    last_name: String(id),
    responsible_user_id: USER_ID,
    group_id: 0,
    created_by: USER_ID,
    updated_by: USER_ID,
    created_at: at,
    updated_at: at,
    closest_task_at: null,
    is_deleted: false,
    account_id: ACCOUNT_ID,
    custom_fields_values: [{ field_id: 1, field_name: 'Phone', field_code: 'PHONE', field_type: 'multitext', values: [{ value: `+7916${String(1000000 + id).slice(-7)}`, enum_code: 'WORK' }] }],
  };
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

export async function startHostileServer(): Promise<HostileServer> {
  const token = `hostile-token-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  let current: HostileCase = 'ok';
  let garbageLeft = 0;
  const timers = new Set<NodeJS.Timeout>();
  // Two contacts an hour old: inside any window that reaches "now − 60 s".
  const at = NOW() - 3600;
  const contacts = [contact(1, at), contact(2, at)];
  // A full page's worth, one second apart.
  const full = Array.from({ length: 260 }, (_, i) => contact(1000 + i, at - 300 + i));
  const s: HostileServer = {
    url: '',
    otherUrl: '',
    token,
    accountId: ACCOUNT_ID,
    userId: USER_ID,
    otherHits: [],
    contactHits: 0,
    contactTimes: [],
    setCase(c) {
      current = c;
      requestIdHeader = c === 'escapes' ? 'hostile\u009b2J-1' : 'hostile-1';
      s.contactHits = 0;
      s.contactTimes = [];
      garbageLeft = 2;
    },
    close: async () => {},
  };

  /** An honest list: filters, order and limit applied, offset pages from `page`. */
  function contactsList(url: URL, res: ServerResponse, list = contacts, next?: string): void {
    const q = url.searchParams;
    const from = Number(q.get('filter[updated_at][from]') ?? -Infinity);
    const to = Number(q.get('filter[updated_at][to]') ?? Infinity);
    const ids = q.getAll('filter[id][]').map(Number);
    const page = Number(q.get('page') ?? 1);
    const limit = Number(q.get('limit') ?? 250);
    const desc = q.get('order[updated_at]') === 'desc' || q.get('order[id]') === 'desc';
    const byId = q.has('order[id]');
    const items = list
      .filter((c) => c.updated_at >= from && c.updated_at <= to && (!ids.length || ids.includes(c.id)))
      .sort((x, y) => (byId ? x.id - y.id : x.updated_at - y.updated_at || x.id - y.id) * (desc ? -1 : 1))
      .slice((page - 1) * limit, page * limit);
    if (!items.length) {
      res.writeHead(204, { 'x-request-id': 'hostile-204' });
      res.end();
      return;
    }
    json(res, 200, { _page: page, _links: { self: { href: `${s.url}${url.pathname}${url.search}` }, ...(next ? { next: { href: next } } : {}) }, _embedded: { contacts: items } });
  }

  function hostileContacts(url: URL, res: ServerResponse): void {
    switch (current) {
      case 'ok':
        return contactsList(url, res);
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/hal+json' });
        res.write('{');
        // A byte at a time, more often than any silence timeout fires (the 10 s against
        // undici's 60 s; here 0.5 s against the test's --timeout 2): only an overall deadline ends it.
        const t = setInterval(() => res.write(' '), DRIP_MS);
        timers.add(t);
        res.on('close', () => {
          clearInterval(t);
          timers.delete(t);
        });
        return;
      }
      case 'hugeBody': {
        res.writeHead(200, { 'content-type': 'application/hal+json' });
        // 40 MB of blanks (finite, so a client without a cap fails on memory-safe ground).
        const chunk = Buffer.alloc(1024 * 1024, 0x20);
        let left = 40;
        const pump = () => {
          while (!res.destroyed && left > 0) {
            left--;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end(']}}');
        };
        res.write('{"_embedded":{"contacts":[');
        pump();
        return;
      }
      case 'retryAfterHuge': {
        const text = '{"title":"Too Many Requests","status":429,"detail":"slow down","retry_after":1e9}';
        res.writeHead(429, { 'content-type': 'application/problem+json' });
        res.end(text);
        return;
      }
      case 'retryAfterInfinite': {
        const text = '{"title":"Too Many Requests","status":429,"detail":"slow down","retry_after":1e999}';
        res.writeHead(429, { 'content-type': 'application/problem+json' });
        res.end(text);
        return;
      }
      case 'retryAfterHeader':
        res.writeHead(429, { 'content-type': 'text/html', 'retry-after': 'Fri, 01 Jan 2100 00:00:00 GMT' });
        res.end('<html><body>429 Too Many Requests</body></html>');
        return;
      case 'retryAfterGarbage':
        // Meaningless waits twice, then the page: the client must fall back to its own backoff.
        if (garbageLeft-- > 0) {
          res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '-5, soon' });
          res.end('{"title":"Too Many Requests","status":429,"retry_after":"NaN"}');
          return;
        }
        return contactsList(url, res);
      case 'always429':
        return json(res, 429, { title: 'Too Many Requests', status: 429, detail: 'slow down', retry_after: 0 }, 'application/problem+json');
      case 'escapes':
        return json(res, 400, { title: 'Bad Request', status: 400, detail: `bad filter ${HOSTILE_TEXT}` }, 'application/problem+json');
      case 'redirect':
        res.writeHead(302, { location: `${s.otherUrl}/api/v4/contacts?stolen=1` });
        res.end();
        return;
      case 'nextOtherHost':
        // Every page's `next` points at another host; the pages themselves are honest.
        return contactsList(url, res, full, `${s.otherUrl}/api/v4/contacts?page=2&limit=250`);
      case 'invalidJson':
        res.writeHead(200, { 'content-type': 'application/hal+json' });
        res.end('{"_embedded":{"contacts":[{"id":1,');
        return;
      case 'html200':
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html><body>Please log in to the Wi-Fi</body></html>');
        return;
      case 'html500':
        res.writeHead(500, { 'content-type': 'text/html' });
        res.end('<html><body>500 Internal Server Error</body></html>');
        return;
    }
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { title: 'Unauthorized', status: 401 }, 'application/problem+json');
    const name = current === 'escapes' ? `Acme ${HOSTILE_TEXT}` : 'Acme';
    switch (url.pathname) {
      case '/api/v4/account':
        return json(res, 200, { id: ACCOUNT_ID, name, subdomain: 'acme', current_user_id: USER_ID, country: 'RU', currency: 'RUB', contact_name_display_order: 1 });
      case `/api/v4/users/${USER_ID}`: {
        const r = { view: 'A', edit: 'A', add: 'A', delete: 'A', export: 'A' };
        return json(res, 200, { id: USER_ID, name: 'Admin', email: 'a@example.com', lang: 'en', rights: { leads: r, contacts: r, companies: r, tasks: { edit: 'A', delete: 'A' }, mail_access: true, catalog_access: true, is_admin: true, is_free: false, is_active: true, group_id: null, role_id: null } });
      }
      case '/api/v4/contacts/custom_fields':
      case '/api/v4/events':
      case '/api/v4/companies':
        res.writeHead(204);
        res.end();
        return;
      case '/api/v4/contacts':
        s.contactHits++;
        s.contactTimes.push(performance.now());
        return hostileContacts(url, res);
      default:
        return json(res, 404, { title: 'Not Found', status: 404, detail: `Cannot GET ${url.pathname}` }, 'application/problem+json');
    }
  }

  const main = createServer(handle);
  const other = createServer((req, res) => {
    s.otherHits.push({ path: req.url ?? '', authorization: req.headers.authorization });
    json(res, 200, { _embedded: { contacts: [] } });
  });
  s.url = await listen(main);
  s.otherUrl = await listen(other);
  s.close = async () => {
    for (const t of timers) clearInterval(t);
    for (const srv of [main, other]) {
      srv.closeAllConnections();
      await new Promise<void>((resolve) => srv.close(() => resolve()));
    }
  };
  return s;
}
