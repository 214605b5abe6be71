/** The parts of a 207 Multi-Status body that CardDAV clients read (RFC 4918 §13, RFC 6578). */
import { AppError } from '../errors.js';
import { CARDDAV, CS, DAV, child, children, parseXml, XmlError, type XmlElement } from './xml.js';

export interface DavResource {
  /** Absolute URL of the resource, resolved against the request URL. */
  url: string;
  /** HTTP status of the response (404 = gone, in a sync report). */
  status: number;
  etag?: string;
  addressData?: string;
  displayName?: string;
  isCollection: boolean;
  isAddressBook: boolean;
  /** Hrefs of DAV:current-user-principal / CARDDAV:addressbook-home-set, resolved. */
  principal?: string;
  home?: string;
  ctag?: string;
  /** The prop element of the 200 propstat, for anything else. */
  prop?: XmlElement;
}

export interface MultiStatus {
  resources: DavResource[];
  syncToken?: string;
}

function statusCode(el: XmlElement | undefined): number | undefined {
  const m = el ? /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(el.text) : null;
  return m ? Number(m[1]) : undefined;
}

/** An href as an absolute URL; servers send paths, full URLs, and sometimes unescaped characters. */
export function resolveHref(href: string, base: string): string {
  return new URL(href.trim(), base).href;
}

export function parseMultiStatus(body: string, base: string): MultiStatus {
  let root: XmlElement;
  try {
    root = parseXml(body);
  } catch (e) {
    throw new AppError('api', 'sync.error.badXml', { url: new URL(base).pathname, reason: e instanceof XmlError ? e.message : String(e) }, { cause: e });
  }
  if (root.ns !== DAV || root.name !== 'multistatus') throw new AppError('api', 'sync.error.badXml', { url: new URL(base).pathname, reason: `root <${root.name}>` });
  const resources: DavResource[] = [];
  for (const r of children(root, DAV, 'response')) {
    const href = child(r, DAV, 'href');
    if (!href) continue;
    const url = resolveHref(href.text, base);
    const res: DavResource = { url, status: statusCode(child(r, DAV, 'status')) ?? 200, isCollection: false, isAddressBook: false };
    for (const ps of children(r, DAV, 'propstat')) {
      if ((statusCode(child(ps, DAV, 'status')) ?? 200) !== 200) continue;
      const prop = child(ps, DAV, 'prop');
      if (!prop) continue;
      res.prop = prop;
      const etag = child(prop, DAV, 'getetag')?.text.trim();
      if (etag) res.etag = etag;
      const data = child(prop, CARDDAV, 'address-data');
      if (data) res.addressData = data.text;
      const dn = child(prop, DAV, 'displayname');
      if (dn) res.displayName = dn.text.trim();
      const rt = child(prop, DAV, 'resourcetype');
      if (rt) {
        res.isCollection = Boolean(child(rt, DAV, 'collection'));
        res.isAddressBook = Boolean(child(rt, CARDDAV, 'addressbook'));
      }
      const principal = child(child(prop, DAV, 'current-user-principal'), DAV, 'href');
      if (principal) res.principal = resolveHref(principal.text, base);
      const home = child(child(prop, CARDDAV, 'addressbook-home-set'), DAV, 'href');
      if (home) res.home = resolveHref(home.text, base);
      const ctag = child(prop, CS, 'getctag');
      if (ctag) res.ctag = ctag.text.trim();
    }
    resources.push(res);
  }
  const token = child(root, DAV, 'sync-token')?.text.trim();
  return { resources, syncToken: token || undefined };
}
