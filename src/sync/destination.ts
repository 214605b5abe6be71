/**
 * Where a sync writes, as the config remembers it: the URL the user gave (without credentials),
 * the book it led to (so later runs skip discovery), and, with --save, the credentials, in the
 * same 0600 config file as the amoCRM tokens. Keys are per profile and URL.
 */
import type { ConfigStore } from '../config/store.js';
import { AppError } from '../errors.js';

export const DESTINATIONS_KEY = 'carddavDestinations';

export interface DestinationRecord {
  book?: string;
  /** Start of the period the sync covers, kept beside the map so that a lost map does not lose it. */
  since?: number;
  user?: string;
  password?: string;
  token?: string;
}

type Store = Pick<ConfigStore, 'getData' | 'updateData'>;
type Records = Record<string, DestinationRecord>;

export interface GivenUrl {
  /** Without user info, fragment; a collection path ends with '/'. */
  url: string;
  user?: string;
  password?: string;
}

/** Parses --to: http(s) only; user:password@ in it are taken out as credentials. */
export function parseDavUrl(value: string): GivenUrl {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new AppError('usage', 'sync.error.badUrl', { value: value.replace(/\/\/[^/@]*@/, '//…@') });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('usage', 'sync.error.badUrl', { value: `${u.protocol}//${u.host}${u.pathname}` });
  const user = u.username ? decodeURIComponent(u.username) : undefined;
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  u.username = '';
  u.password = '';
  u.hash = '';
  if (!u.pathname.endsWith('/') && !/\.vcf$/i.test(u.pathname)) u.pathname += '/';
  return { url: u.href, user, password };
}

function key(profile: string, url: string): string {
  return `${profile} ${url}`;
}

export function readDestination(store: Store, profile: string, url: string): DestinationRecord {
  return store.getData<Records>(DESTINATIONS_KEY)?.[key(profile, url)] ?? {};
}

export function updateDestination(store: Store, profile: string, url: string, patch: DestinationRecord): void {
  store.updateData<Records>(DESTINATIONS_KEY, (cur) => {
    const all = { ...(cur && typeof cur === 'object' ? cur : {}) };
    all[key(profile, url)] = { ...all[key(profile, url)], ...patch };
    return all;
  });
}

/** The lock and map name of one destination: a profile writing into one book. */
export function destinationName(profile: string, book: string): string {
  return `carddav:${profile}:${book}`;
}

/** The watermark target (watermarks are per profile already). */
export function watermarkTarget(book: string): string {
  return `carddav:${book}`;
}
