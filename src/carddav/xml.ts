/**
 * A small namespace-aware XML reader for DAV multistatus bodies. Servers spell the same element
 * with any prefix (`d:href`, `D:href`, `href` under a default namespace), so elements are matched
 * by (namespace, local name), never by their prefix. Enough of XML for WebDAV: elements,
 * attributes, text, CDATA, comments, processing instructions, the five entities and numeric ones.
 */
export const DAV = 'DAV:';
export const CARDDAV = 'urn:ietf:params:xml:ns:carddav';
export const CS = 'http://calendarserver.org/ns/';

export interface XmlElement {
  ns: string;
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e] ?? m;
  });
}

export function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

export class XmlError extends Error {}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

/** Parses a whole document into its root element; throws XmlError on malformed input. */
export function parseXml(src: string): XmlElement {
  type Open = { el: XmlElement; qname: string; scope: Map<string, string> };
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  let i = 0;
  const n = src.length;
  const resolve = (qname: string, scope: Map<string, string>, isAttr: boolean): { ns: string; name: string } => {
    const colon = qname.indexOf(':');
    if (colon < 0) return { ns: isAttr ? '' : (scope.get('') ?? ''), name: qname };
    const prefix = qname.slice(0, colon);
    const ns = scope.get(prefix);
    if (ns === undefined) throw new XmlError(`undeclared prefix ${prefix}`);
    return { ns, name: qname.slice(colon + 1) };
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i && stack.length) stack[stack.length - 1]!.el.text += decodeEntities(src.slice(i, textEnd));
    if (lt < 0) break;
    if (src.startsWith('<!--', lt)) {
      const end = src.indexOf('-->', lt + 4);
      if (end < 0) throw new XmlError('unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', lt)) {
      const end = src.indexOf(']]>', lt + 9);
      if (end < 0) throw new XmlError('unterminated CDATA');
      if (stack.length) stack[stack.length - 1]!.el.text += src.slice(lt + 9, end);
      i = end + 3;
    } else if (src.startsWith('<?', lt) || src.startsWith('<!', lt)) {
      const end = src.indexOf('>', lt + 2);
      if (end < 0) throw new XmlError('unterminated declaration');
      i = end + 1;
    } else if (src[lt + 1] === '/') {
      const end = src.indexOf('>', lt + 2);
      if (end < 0) throw new XmlError('unterminated end tag');
      const qname = src.slice(lt + 2, end).trim();
      const open = stack.pop();
      if (!open || open.qname !== qname) throw new XmlError(`unexpected </${qname}>`);
      i = end + 1;
    } else {
      // A start tag: find its end outside quoted attribute values.
      let j = lt + 1;
      let quote = '';
      for (; j < n; j++) {
        const ch = src[j]!;
        if (quote) {
          if (ch === quote) quote = '';
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === '>') break;
      }
      if (j >= n) throw new XmlError('unterminated start tag');
      let body = src.slice(lt + 1, j);
      const selfClosing = body.endsWith('/');
      if (selfClosing) body = body.slice(0, -1);
      const m = /^[^\s/>]+/.exec(body);
      if (!m) throw new XmlError('empty tag');
      const qname = m[0];
      const parentScope = stack.length ? stack[stack.length - 1]!.scope : new Map<string, string>([['xml', 'http://www.w3.org/XML/1998/namespace']]);
      let scope = parentScope;
      const rawAttrs: [string, string][] = [];
      for (const a of body.slice(qname.length).matchAll(ATTR)) {
        const key = a[1]!;
        const value = decodeEntities(a[3] ?? a[4] ?? '');
        if (key === 'xmlns' || key.startsWith('xmlns:')) {
          if (scope === parentScope) scope = new Map(parentScope);
          scope.set(key === 'xmlns' ? '' : key.slice(6), value);
        } else rawAttrs.push([key, value]);
      }
      const { ns, name } = resolve(qname, scope, false);
      const attrs: Record<string, string> = {};
      for (const [k, v] of rawAttrs) attrs[resolve(k, scope, true).name] = v;
      const el: XmlElement = { ns, name, attrs, children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.el.children.push(el);
      else if (root) throw new XmlError('two root elements');
      else root = el;
      if (!selfClosing) stack.push({ el, qname, scope });
      i = j + 1;
    }
  }
  if (stack.length) throw new XmlError(`unclosed <${stack[stack.length - 1]!.qname}>`);
  if (!root) throw new XmlError('no root element');
  return root;
}

export function child(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.ns === ns && c.name === name);
}

export function children(el: XmlElement | undefined, ns: string, name: string): XmlElement[] {
  return el ? el.children.filter((c) => c.ns === ns && c.name === name) : [];
}

/** Depth-first search for the first descendant with this name. */
export function find(el: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  if (!el) return undefined;
  for (const c of el.children) {
    if (c.ns === ns && c.name === name) return c;
    const deep = find(c, ns, name);
    if (deep) return deep;
  }
  return undefined;
}
