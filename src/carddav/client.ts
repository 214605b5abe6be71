/**
 * CardDAV operations over a DavTransport: discovery, books, conditional writes, listings, sync
 * reports and multiget. Knows the protocol and the servers' quirks, nothing about amoCRM.
 */
import { AppError } from '../errors.js';
import { parseMultiStatus, type DavResource } from './multistatus.js';
import type { DavReply, DavTransport } from './transport.js';
import { escapeXml } from './xml.js';

export interface CardRef {
  url: string;
  etag: string;
}

export interface CardData extends CardRef {
  data: string;
}

export interface BookInfo {
  url: string;
  displayName: string;
}

export interface SyncDelta {
  changed: CardRef[];
  /** URLs gone since the token. */
  deleted: string[];
  token?: string;
}

export type WriteResult =
  | { ok: true; url: string; etag?: string }
  /** 412: exists already (create) or changed since (update). */
  | { ok: false; reason: 'precondition' }
  /** The UID is already used by another resource (Radicale 409 no-uid-conflict, Sabre 400). */
  | { ok: false; reason: 'uid-conflict'; detail: string }
  | { ok: false; reason: 'rejected'; status: number; detail: string };

const XML = 'application/xml; charset=utf-8';
const VCARD = 'text/vcard; charset=utf-8';
export const MULTIGET_BATCH = 100;

const propfindBody = (props: string) =>
  `<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav" xmlns:cs="http://calendarserver.org/ns/"><d:prop>${props}</d:prop></d:propfind>`;

/** A collection URL always ends with a slash, so relative hrefs and comparisons agree. */
export function collectionUrl(url: string): string {
  const u = new URL(url);
  u.hash = '';
  u.search = '';
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u.href;
}

function firstLine(body: string): string {
  return body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** A server's answer that says the UID lives elsewhere already. */
export function isUidConflict(reply: DavReply): boolean {
  if (reply.status === 409 && /no-uid-conflict/i.test(reply.body)) return true;
  return (reply.status === 400 || reply.status === 409 || reply.status === 403) && /uid[^\n]{0,40}already exists|no-uid-conflict/i.test(reply.body);
}

export class CardDavClient {
  constructor(private readonly http: DavTransport) {}

  get stats() {
    return this.http.stats;
  }

  async propfind(url: string, depth: 0 | 1, props: string): Promise<{ reply: DavReply; resources: DavResource[] }> {
    const reply = await this.http.send({ method: 'PROPFIND', url, headers: { depth: String(depth), 'content-type': XML }, body: propfindBody(props) });
    if (reply.status !== 207) return { reply, resources: [] };
    return { reply, resources: parseMultiStatus(reply.body, url).resources };
  }

  private unexpected(reply: DavReply, method: string, url: string): AppError {
    if (reply.status === 403) return new AppError('rights', 'sync.error.forbidden', { method, url: new URL(url).pathname, detail: firstLine(reply.body) || '—' });
    return new AppError('api', 'sync.error.http', { method, status: reply.status, url: new URL(url).pathname, detail: firstLine(reply.body) || '—' });
  }

  /** The resource itself (Depth 0) — its type, name, principal and home when the server says. */
  async describe(url: string): Promise<DavResource | undefined> {
    const { resources } = await this.propfind(url, 0, '<d:resourcetype/><d:displayname/><d:current-user-principal/><card:addressbook-home-set/>');
    return resources.find((r) => r.status === 200) ?? resources[0];
  }

  /** The context path the server names at /.well-known/carddav (RFC 6764), following redirects. */
  async wellKnown(origin: string): Promise<string | undefined> {
    let url = new URL('/.well-known/carddav', origin).href;
    for (let hop = 0; hop < 5; hop++) {
      const reply = await this.http.send({ method: 'PROPFIND', url, headers: { depth: '0', 'content-type': XML }, body: propfindBody('<d:current-user-principal/>') });
      if (reply.status >= 300 && reply.status < 400 && reply.headers.location) {
        url = new URL(reply.headers.location, url).href;
        continue;
      }
      if (reply.status === 207) {
        const r = parseMultiStatus(reply.body, url).resources[0];
        return r?.principal ?? url;
      }
      return undefined;
    }
    return undefined;
  }

  async listBooks(home: string): Promise<BookInfo[]> {
    const { reply, resources } = await this.propfind(home, 1, '<d:resourcetype/><d:displayname/>');
    if (reply.status !== 207) throw this.unexpected(reply, 'PROPFIND', home);
    return resources.filter((r) => r.isAddressBook).map((r) => ({ url: collectionUrl(r.url), displayName: r.displayName ?? '' }));
  }

  /** Extended MKCOL (RFC 5689); false when the server does not let us create books. */
  async createBook(url: string, displayName: string): Promise<boolean> {
    const body = `<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/><card:addressbook/></d:resourcetype><d:displayname>${escapeXml(displayName)}</d:displayname></d:prop></d:set></d:mkcol>`;
    const reply = await this.http.send({ method: 'MKCOL', url, headers: { 'content-type': XML }, body });
    if (reply.status === 201) return true;
    if ([403, 405, 409, 415, 501].includes(reply.status)) return false;
    throw this.unexpected(reply, 'MKCOL', url);
  }

  /**
   * RFC 6578 sync-collection. Returns undefined when the token is not valid any more (403/409
   * valid-sync-token) or the server has no such report, so the caller lists the book instead.
   */
  async syncCollection(book: string, token: string | undefined): Promise<SyncDelta | undefined> {
    const body = `<?xml version="1.0" encoding="utf-8"?><d:sync-collection xmlns:d="DAV:"><d:sync-token>${escapeXml(token ?? '')}</d:sync-token><d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>`;
    const reply = await this.http.send({ method: 'REPORT', url: book, headers: { depth: '1', 'content-type': XML }, body });
    if (reply.status !== 207) {
      if (reply.status >= 400 && reply.status < 500) return undefined;
      throw this.unexpected(reply, 'REPORT', book);
    }
    const ms = parseMultiStatus(reply.body, book);
    const delta: SyncDelta = { changed: [], deleted: [], token: ms.syncToken };
    for (const r of ms.resources) {
      if (collectionUrl(r.url) === book) continue;
      if (r.status === 404) delta.deleted.push(r.url);
      else if (r.etag) delta.changed.push({ url: r.url, etag: r.etag });
    }
    return delta;
  }

  /** Every card's URL and ETag (PROPFIND Depth 1): the listing when sync-collection is unusable. */
  async listEtags(book: string): Promise<CardRef[]> {
    const { reply, resources } = await this.propfind(book, 1, '<d:getetag/><d:resourcetype/>');
    if (reply.status !== 207) throw this.unexpected(reply, 'PROPFIND', book);
    return resources.filter((r) => !r.isCollection && r.etag && collectionUrl(r.url) !== book).map((r) => ({ url: r.url, etag: r.etag! }));
  }

  /** addressbook-multiget in batches; missing cards are left out. */
  async multiget(book: string, urls: readonly string[], onBatch?: (cards: CardData[]) => void): Promise<CardData[]> {
    const out: CardData[] = [];
    const batches: string[][] = [];
    for (let i = 0; i < urls.length; i += MULTIGET_BATCH) batches.push(urls.slice(i, i + MULTIGET_BATCH) as string[]);
    await Promise.all(
      batches.map(async (batch) => {
        const hrefs = batch.map((u) => `<d:href>${escapeXml(new URL(u).pathname)}</d:href>`).join('');
        const body = `<?xml version="1.0" encoding="utf-8"?><card:addressbook-multiget xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop>${hrefs}</card:addressbook-multiget>`;
        const reply = await this.http.send({ method: 'REPORT', url: book, headers: { depth: '1', 'content-type': XML }, body });
        if (reply.status !== 207) throw this.unexpected(reply, 'REPORT', book);
        const cards: CardData[] = [];
        for (const r of parseMultiStatus(reply.body, book).resources) {
          if (r.status === 200 && r.etag && r.addressData !== undefined) cards.push({ url: r.url, etag: r.etag, data: r.addressData });
        }
        onBatch?.(cards);
        out.push(...cards);
      }),
    );
    return out;
  }

  /** The card with this UID (addressbook-query, RFC 6352 §8.6), to adopt it after a uid conflict. */
  async findByUid(book: string, uid: string): Promise<CardData | undefined> {
    const body = `<?xml version="1.0" encoding="utf-8"?><card:addressbook-query xmlns:d="DAV:" xmlns:card="urn:ietf:params:xml:ns:carddav"><d:prop><d:getetag/><card:address-data/></d:prop><card:filter><card:prop-filter name="UID"><card:text-match collation="i;octet" match-type="equals">${escapeXml(uid)}</card:text-match></card:prop-filter></card:filter></card:addressbook-query>`;
    const reply = await this.http.send({ method: 'REPORT', url: book, headers: { depth: '1', 'content-type': XML }, body });
    if (reply.status !== 207) throw this.unexpected(reply, 'REPORT', book);
    const hit = parseMultiStatus(reply.body, book).resources.find((r) => r.status === 200 && r.etag && r.addressData !== undefined);
    return hit ? { url: hit.url, etag: hit.etag!, data: hit.addressData! } : undefined;
  }

  /**
   * PUT of one card. `etag` undefined = create (If-None-Match: *), else update (If-Match). A
   * server may store the card elsewhere and say where in Location (Google): that URL is returned.
   */
  async put(url: string, card: string, etag: string | undefined): Promise<WriteResult> {
    const headers: Record<string, string> = { 'content-type': VCARD };
    if (etag === undefined) headers['if-none-match'] = '*';
    else headers['if-match'] = etag;
    const reply = await this.http.send({ method: 'PUT', url, headers, body: card });
    if (reply.status === 200 || reply.status === 201 || reply.status === 204) {
      const at = reply.headers.location ? new URL(reply.headers.location, url).href : url;
      return { ok: true, url: at, etag: reply.headers.etag || undefined };
    }
    if (reply.status === 412) return { ok: false, reason: 'precondition' };
    if (isUidConflict(reply)) return { ok: false, reason: 'uid-conflict', detail: firstLine(reply.body) };
    if (reply.status === 400 || reply.status === 403 || reply.status === 409 || reply.status === 415 || reply.status === 422) {
      return { ok: false, reason: 'rejected', status: reply.status, detail: firstLine(reply.body) || '—' };
    }
    throw this.unexpected(reply, 'PUT', url);
  }

  /** DELETE with If-Match; a card already gone counts as deleted. */
  async delete(url: string, etag: string | undefined): Promise<'ok' | 'precondition'> {
    const reply = await this.http.send({ method: 'DELETE', url, headers: etag ? { 'if-match': etag } : {} });
    if (reply.status === 200 || reply.status === 204 || reply.status === 404) return 'ok';
    if (reply.status === 412) return 'precondition';
    throw this.unexpected(reply, 'DELETE', url);
  }

  /** The current ETag of one card (PUT answers without one), or undefined when it is gone. */
  async etagOf(url: string): Promise<string | undefined> {
    const { resources } = await this.propfind(url, 0, '<d:getetag/>');
    return resources.find((r) => r.status === 200)?.etag;
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
