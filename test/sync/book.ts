/**
 * Test helpers for the sync tests: a CardDAV client for a Radicale user, the book read back card
 * by card, and the same contacts as the file export writes them (the oracle).
 */
import { createDavTransport } from '../../src/carddav/transport.js';
import { CardDavClient } from '../../src/carddav/client.js';
import { main } from '../../src/cli/amo-export.js';
import { runInProcess } from '../helpers/cli.js';

export interface CardFacts {
  url?: string;
  etag?: string;
  fn: string;
  tels: string[];
  data: string;
}

export function davFor(user: string, password: string): CardDavClient {
  return new CardDavClient(createDavTransport({ auth: { kind: 'basic', user, password } }));
}

function unescape(v: string): string {
  return v.replace(/\\n/gi, '\n').replace(/\\([,;\\])/g, '$1');
}

/** Cards of a vCard text (one or many), by UID. */
export function cardsOf(text: string): Map<string, CardFacts> {
  const out = new Map<string, CardFacts>();
  for (const block of text.replace(/\r?\n[ \t]/g, '').split(/^BEGIN:VCARD\r?$/m).slice(1)) {
    const lines = block.split(/\r?\n/);
    const value = (name: string) => lines.filter((l) => new RegExp(`^(?:[\\w-]+\\.)?${name}[;:]`, 'i').test(l)).map((l) => unescape(l.slice(l.indexOf(':') + 1)));
    const uid = value('UID')[0];
    if (uid) out.set(uid, { fn: value('FN')[0] ?? '', tels: value('TEL').sort(), data: `BEGIN:VCARD${block}` });
  }
  return out;
}

export async function readBook(dav: CardDavClient, book: string): Promise<Map<string, CardFacts>> {
  const refs = await dav.listEtags(book);
  const out = new Map<string, CardFacts>();
  for (const c of await dav.multiget(book, refs.map((r) => r.url))) {
    for (const [uid, facts] of cardsOf(c.data)) out.set(uid, { ...facts, url: c.url, etag: c.etag });
  }
  return out;
}

/** What the file export writes for the same account and clock: the book must hold exactly this. */
export async function exportedCards(env: NodeJS.ProcessEnv, now: () => Date, extra: string[] = []): Promise<Map<string, CardFacts>> {
  const r = await runInProcess(main, ['--since', '2000-01-01', '--format', 'vcard', '--target', 'oracle', ...extra], { env, now });
  if (r.code !== 0) throw new Error(`oracle export failed: ${r.stderr}`);
  return cardsOf(r.stdout);
}

/** The book and the export agree card by card (name and numbers), apart from `ignore`. */
export function compareBook(book: Map<string, CardFacts>, expected: Map<string, CardFacts>, ignore: Set<string> = new Set()): string[] {
  const problems: string[] = [];
  for (const [uid, want] of expected) {
    const got = book.get(uid);
    if (!got) problems.push(`${uid}: missing`);
    else if (got.fn !== want.fn || got.tels.join('|') !== want.tels.join('|')) problems.push(`${uid}: ${got.fn} ${got.tels.join(',')} ≠ ${want.fn} ${want.tels.join(',')}`);
  }
  for (const uid of book.keys()) if (!expected.has(uid) && !ignore.has(uid)) problems.push(`${uid}: should not be in the book`);
  return problems;
}
