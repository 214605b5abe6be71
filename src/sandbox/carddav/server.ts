/**
 * A small in-memory CardDAV server on 127.0.0.1 with switchable quirks of the servers people sync
 * phones with (Google, iCloud, Nextcloud/Sabre, Yandex, Radicale), for tests of what Radicale
 * alone cannot show. It speaks just enough CardDAV: well-known, principal, home, PROPFIND, MKCOL,
 * PUT/GET/DELETE with preconditions, sync-collection, addressbook-multiget, addressbook-query by UID.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CardDavQuirks {
  /** Google: PUT's resource name ignored (new href in Location), UID rewritten, TYPE upper-cased, no MKCOL, bearer only, empty sync token refused. */
  google: boolean;
  /** iCloud: a card without N is refused with 403. */
  icloud: boolean;
  /** Nextcloud/Sabre: a UID already stored at another href → 400 "VCard object with uid already exists". */
  sabre: boolean;
  /** Yandex: the CTag changes on every request, even when nothing changed. */
  yandex: boolean;
  /** Radicale: an update answers 201; an unknown sync token is 403 valid-sync-token. */
  radicale: boolean;
}

export interface StoredCard {
  name: string;
  data: string;
  etag: string;
  uid: string;
}

export interface CardDavSandbox {
  url: string;
  /** Path of the user's default book (exists from the start; Google has no other). */
  bookPath: string;
  quirks: CardDavQuirks;
  /** Cards of a book by resource name. */
  cards(bookPath?: string): Map<string, StoredCard>;
  /** Writes a card as a phone would (new ETag, sync log entry). */
  phoneWrite(name: string, data: string, bookPath?: string): StoredCard;
  phoneDelete(name: string, bookPath?: string): void;
  /** Every request: method and path, in order. */
  log: { method: string; path: string; status: number }[];
  /** Runs before a request is handled (e.g. a phone edit racing our PUT); a number returned is answered instead. */
  beforeRequest?: (method: string, path: string) => number | void;
  close(): Promise<void>;
}

interface Book {
  displayName: string;
  cards: Map<string, StoredCard>;
  log: { name: string; rev: number }[];
  rev: number;
  ctag: number;
}

const XML_HEAD = '<?xml version="1.0" encoding="utf-8"?>';
const NS = 'xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unesc(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Text of every element with this local name, whatever its prefix. */
function texts(xml: string, local: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:[\\w-]+:)?${local}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w-]+:)?${local}>`, 'g'))].map((m) => unesc(m[1]!.trim()));
}

function has(xml: string, local: string): boolean {
  return new RegExp(`<(?:[\\w-]+:)?${local}[\\s/>]`).test(xml);
}

function uidOf(data: string): string {
  const m = /^UID(?:;[^:\r\n]*)?:(.*)$/im.exec(data.replace(/\r?\n[ \t]/g, ''));
  return m ? m[1]!.trim() : '';
}

function etagOf(data: string): string {
  return `"${createHash('sha1').update(data).digest('hex').slice(0, 16)}"`;
}

export async function startCardDavSandbox(o: { user?: string; password?: string; token?: string; quirks?: Partial<CardDavQuirks> } = {}): Promise<CardDavSandbox> {
  const user = o.user ?? 'anna';
  const password = o.password ?? 'secret';
  const token = o.token ?? 'ya29.sandbox-token';
  const quirks: CardDavQuirks = { google: false, icloud: false, sabre: false, yandex: false, radicale: false, ...o.quirks };
  const home = `/dav/home/${user}/`;
  const principal = `/dav/principals/${user}/`;
  const books = new Map<string, Book>();
  const bookPath = `${home}default/`;
  books.set(bookPath, { displayName: 'Contacts', cards: new Map(), log: [], rev: 0, ctag: 0 });

  const touch = (b: Book, name: string) => {
    b.rev++;
    b.ctag++;
    b.log.push({ name, rev: b.rev });
  };
  const write = (b: Book, name: string, data: string): StoredCard => {
    const card = { name, data, etag: etagOf(data + String(b.rev)), uid: uidOf(data) };
    b.cards.set(name, card);
    touch(b, name);
    return card;
  };

  const authorized = (req: IncomingMessage): boolean => {
    const h = req.headers.authorization ?? '';
    if (h === `Bearer ${token}`) return true;
    if (quirks.google) return false;
    return h === `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  };

  const propResponse = (href: string, props: string, status = 'HTTP/1.1 200 OK') => `<d:response><d:href>${esc(href)}</d:href><d:propstat><d:prop>${props}</d:prop><d:status>${status}</d:status></d:propstat></d:response>`;
  const multistatus = (res: ServerResponse, body: string, token?: string) => {
    res.writeHead(207, { 'content-type': 'application/xml; charset=utf-8' });
    res.end(`${XML_HEAD}<d:multistatus ${NS}>${body}${token ? `<d:sync-token>${esc(token)}</d:sync-token>` : ''}</d:multistatus>`);
  };
  const syncToken = (b: Book) => `urn:sandbox:sync:${b.rev}`;

  const bookProps = (path: string, b: Book, body: string) => {
    let p = `<d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>${esc(b.displayName)}</d:displayname>`;
    if (has(body, 'getctag')) p += `<cs:getctag>${quirks.yandex ? randomUUID() : String(b.ctag)}</cs:getctag>`;
    if (has(body, 'sync-token')) p += `<d:sync-token>${syncToken(b)}</d:sync-token>`;
    return propResponse(path, p);
  };
  const cardProps = (path: string, c: StoredCard, withData: boolean) =>
    propResponse(path, `<d:getetag>${esc(c.etag)}</d:getetag><d:resourcetype/>${withData ? `<card:address-data>${esc(c.data)}</card:address-data>` : ''}`);

  function bookOf(path: string): { b?: Book; bp?: string; name?: string } {
    for (const [bp, b] of books) {
      if (path === bp || path === bp.slice(0, -1)) return { b, bp };
      if (path.startsWith(bp) && !path.slice(bp.length).includes('/')) return { b, bp, name: decodeURIComponent(path.slice(bp.length)) };
    }
    return {};
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const method = req.method ?? 'GET';
    if (path === '/.well-known/carddav') {
      res.writeHead(301, { location: '/dav/' });
      return void res.end();
    }
    if (!authorized(req)) {
      res.writeHead(401, { 'www-authenticate': quirks.google ? 'Bearer realm="google"' : 'Basic realm="sandbox"' });
      return void res.end();
    }
    const depth = req.headers.depth ?? '0';
    if (method === 'PROPFIND') {
      if (path === '/dav/' || path === principal) {
        return multistatus(res, propResponse(path, `<d:current-user-principal><d:href>${principal}</d:href></d:current-user-principal><card:addressbook-home-set><d:href>${home}</d:href></card:addressbook-home-set><d:resourcetype><d:collection/></d:resourcetype>`));
      }
      if (path === home) {
        let out = propResponse(home, '<d:resourcetype><d:collection/></d:resourcetype>');
        if (depth !== '0') for (const [bp, b] of books) out += bookProps(bp, b, body);
        return multistatus(res, out);
      }
      const { b, bp, name } = bookOf(path);
      if (b && bp && name === undefined) {
        let out = bookProps(bp, b, body);
        if (depth !== '0') for (const c of b.cards.values()) out += cardProps(bp + encodeURIComponent(c.name), c, false);
        return multistatus(res, out);
      }
      const c = b && name !== undefined ? b.cards.get(name) : undefined;
      if (c) return multistatus(res, cardProps(path, c, false));
      res.writeHead(404);
      return void res.end();
    }
    if (method === 'MKCOL') {
      if (quirks.google || !path.startsWith(home) || books.has(path.endsWith('/') ? path : `${path}/`)) {
        res.writeHead(quirks.google ? 403 : 405);
        return void res.end();
      }
      const p = path.endsWith('/') ? path : `${path}/`;
      books.set(p, { displayName: texts(body, 'displayname')[0] ?? '', cards: new Map(), log: [], rev: 0, ctag: 0 });
      res.writeHead(201);
      return void res.end();
    }
    const { b, bp, name } = bookOf(path);
    if (!b || !bp) {
      res.writeHead(404);
      return void res.end();
    }
    if (method === 'REPORT') {
      if (has(body, 'sync-collection')) {
        const tok = texts(body, 'sync-token')[0] ?? '';
        let from = 0;
        if (tok === '') {
          if (quirks.google) {
            res.writeHead(400);
            return void res.end('empty sync token');
          }
        } else {
          const m = /^urn:sandbox:sync:(\d+)$/.exec(tok);
          if (!m || Number(m[1]) > b.rev) {
            res.writeHead(quirks.radicale ? 403 : 409, { 'content-type': 'application/xml' });
            return void res.end(`${XML_HEAD}<d:error xmlns:d="DAV:"><d:valid-sync-token/></d:error>`);
          }
          from = Number(m[1]);
        }
        const names = new Set(b.log.filter((e) => e.rev > from).map((e) => e.name));
        if (tok === '') for (const n of b.cards.keys()) names.add(n);
        let out = '';
        for (const n of names) {
          const c = b.cards.get(n);
          const href = bp + encodeURIComponent(n);
          out += c ? cardProps(href, c, false) : `<d:response><d:href>${esc(href)}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`;
        }
        return multistatus(res, out, syncToken(b));
      }
      if (has(body, 'addressbook-multiget')) {
        let out = '';
        for (const href of texts(body, 'href')) {
          const c = b.cards.get(decodeURIComponent(href.slice(bp.length)));
          out += c ? cardProps(href, c, true) : `<d:response><d:href>${esc(href)}</d:href><d:status>HTTP/1.1 404 Not Found</d:status></d:response>`;
        }
        return multistatus(res, out);
      }
      if (has(body, 'addressbook-query')) {
        const want = texts(body, 'text-match')[0] ?? '';
        let out = '';
        for (const c of b.cards.values()) if (c.uid === want) out += cardProps(bp + encodeURIComponent(c.name), c, true);
        return multistatus(res, out);
      }
      res.writeHead(501);
      return void res.end();
    }
    if (name === undefined) {
      res.writeHead(405);
      return void res.end();
    }
    const existing = b.cards.get(name);
    const ifMatch = req.headers['if-match'];
    const ifNoneMatch = req.headers['if-none-match'];
    if (method === 'GET') {
      if (!existing) {
        res.writeHead(404);
        return void res.end();
      }
      res.writeHead(200, { 'content-type': 'text/vcard; charset=utf-8', etag: existing.etag });
      return void res.end(existing.data);
    }
    if (method === 'DELETE') {
      if (!existing) {
        res.writeHead(404);
        return void res.end();
      }
      if (ifMatch && ifMatch !== existing.etag) {
        res.writeHead(412);
        return void res.end();
      }
      b.cards.delete(name);
      touch(b, name);
      res.writeHead(204);
      return void res.end();
    }
    if (method === 'PUT') {
      if ((ifNoneMatch === '*' && existing) || (ifMatch && (!existing || ifMatch !== existing.etag))) {
        res.writeHead(412);
        return void res.end();
      }
      let data = body;
      if (quirks.icloud && !/^N[;:]/m.test(data)) {
        res.writeHead(403);
        return void res.end('card without N');
      }
      const uid = uidOf(data);
      const clash = [...b.cards.values()].find((c) => c.uid === uid && c.name !== name);
      if (clash && !quirks.google) {
        if (quirks.sabre) {
          res.writeHead(400, { 'content-type': 'application/xml' });
          return void res.end(`${XML_HEAD}<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns"><s:message>VCard object with uid already exists in this addressbook collection.</s:message></d:error>`);
        }
        res.writeHead(409, { 'content-type': 'application/xml' });
        return void res.end(`${XML_HEAD}<d:error xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><card:no-uid-conflict><d:href>${esc(bp + encodeURIComponent(clash.name))}</d:href></card:no-uid-conflict></d:error>`);
      }
      let target = name;
      if (quirks.google) {
        // The resource name is ignored on create, the UID replaced, TYPE values upper-cased.
        if (!existing) target = `c${randomUUID().replace(/-/g, '').slice(0, 20)}`;
        data = data.replace(/^UID(?:;[^:\r\n]*)?:.*$/im, existing ? `UID:${existing.uid}` : `UID:${target}`).replace(/TYPE=([^:;]+)/g, (_m, t: string) => `TYPE=${t.toUpperCase()}`);
      }
      const card = write(b, target, data);
      const headers: Record<string, string> = { etag: card.etag };
      if (target !== name) headers.location = bp + encodeURIComponent(target);
      res.writeHead(existing && !quirks.radicale ? 204 : 201, headers);
      return void res.end();
    }
    res.writeHead(405);
    res.end();
  }

  const sandbox: CardDavSandbox = {
    url: '',
    bookPath,
    quirks,
    log: [],
    cards: (p = bookPath) => books.get(p)?.cards ?? new Map(),
    phoneWrite(name, data, p = bookPath) {
      return write(books.get(p)!, name, data);
    },
    phoneDelete(name, p = bookPath) {
      const b = books.get(p)!;
      b.cards.delete(name);
      touch(b, name);
    },
    close: async () => {
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      const forced = sandbox.beforeRequest?.(req.method ?? 'GET', path);
      const done = () => sandbox.log.push({ method: req.method ?? 'GET', path, status: res.statusCode });
      res.once('finish', done);
      if (typeof forced === 'number') {
        res.writeHead(forced, { 'content-type': 'text/plain' });
        return void res.end('refused by the test');
      }
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        res.writeHead(500);
        res.end(String(e));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sandbox.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return sandbox;
}
