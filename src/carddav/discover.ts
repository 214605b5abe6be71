/**
 * From whatever URL the user gave (a book, a principal, a home or just the server) to the address
 * book to write into: RFC 6764 well-known, current-user-principal, addressbook-home-set, then the
 * book named `bookName`, created with extended MKCOL where the server allows it.
 */
import { AppError } from '../errors.js';
import { collectionUrl, type BookInfo, type CardDavClient } from './client.js';

export interface FoundBook {
  url: string;
  displayName: string;
  created: boolean;
  /** The books the home holds (empty when the URL was a book already). */
  books: BookInfo[];
}

/** A path segment for a new book: its name, lower-cased, without anything a URL would escape. */
export function bookSlug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'amocrm';
}

async function homeOf(client: CardDavClient, url: string): Promise<string | undefined> {
  let principal: string | undefined;
  const here = await client.describe(url);
  if (here?.home) return here.home;
  principal = here?.principal;
  if (!principal) principal = await client.wellKnown(new URL(url).origin);
  if (!principal) return undefined;
  const p = await client.describe(principal);
  return p?.home ?? (p?.principal && p.principal !== principal ? (await client.describe(p.principal))?.home : undefined);
}

export async function findBook(client: CardDavClient, url: string, bookName: string): Promise<FoundBook> {
  const given = collectionUrl(url);
  const here = await client.describe(given);
  if (here?.isAddressBook) return { url: given, displayName: here.displayName ?? '', created: false, books: [] };
  const home = await homeOf(client, given);
  if (!home) throw new AppError('input', 'sync.error.noHome', { url: new URL(given).origin + new URL(given).pathname });
  const homeUrl = collectionUrl(home);
  const books = await client.listBooks(homeUrl);
  const wanted = bookName.trim().toLowerCase();
  const hit =
    books.find((b) => b.displayName.trim().toLowerCase() === wanted) ??
    books.find((b) => decodeURIComponent(new URL(b.url).pathname.split('/').filter(Boolean).pop() ?? '').toLowerCase() === wanted);
  if (hit) return { url: hit.url, displayName: hit.displayName, created: false, books };
  const target = collectionUrl(new URL(bookSlug(bookName), homeUrl).href);
  if (await client.createBook(target, bookName)) return { url: target, displayName: bookName, created: true, books };
  throw new AppError('input', 'sync.error.cannotCreateBook', { book: bookName, books: books.map((b) => b.displayName || new URL(b.url).pathname).join(', ') || '—' });
}
