/**
 * Turns what the user typed (acme.amocrm.ru, https://acme.kommo.com/, --base-url) into the base
 * URL of the REST API. Plain http is allowed only to this machine: a token sent in clear over a
 * network is a leaked token.
 */
import { AppError } from '../errors.js';
import { lazy } from '../lazy.js';

export interface ResolvedHost {
  /** https://acme.amocrm.ru (no trailing slash, no path). */
  baseUrl: string;
  /** acme.amocrm.ru or 127.0.0.1:4000 */
  host: string;
}

// node:net costs ~2 ms to load, and --help declares options that import this module.
const net = lazy<typeof import('node:net')>('node:net');

const AMO_HOST = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:amocrm\.ru|kommo\.com|amocrm\.com)$/i;

function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (net().isIP(h) === 4) return h.startsWith('127.');
  if (net().isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1';
  return false;
}

function parse(text: string, flag: string): URL {
  try {
    return new URL(text);
  } catch {
    throw new AppError('input', 'amocrm.error.badHost', { value: text, flag });
  }
}

/** `--host`: an account host of amoCRM/Kommo, bare or as an https URL. */
export function resolveAccountHost(text: string): ResolvedHost {
  const trimmed = text.trim();
  const url = parse(/^[a-z]+:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`, '--host');
  // Only --base-url may be plain http (to this computer); say so instead of the loopback rule.
  if (url.protocol !== 'https:') throw new AppError('input', 'amocrm.error.hostNotHttps', { value: trimmed });
  if (!AMO_HOST.test(url.hostname)) throw new AppError('input', 'amocrm.error.notAmoHost', { value: trimmed });
  const host = url.hostname.toLowerCase();
  return { baseUrl: `https://${host}`, host };
}

/** `--base-url`: any amoCRM-compatible server (a proxy, the sandbox). */
export function resolveBaseUrl(text: string): ResolvedHost {
  const flag = '--base-url';
  const value = text.trim();
  const url = parse(value, flag);
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname)) throw new AppError('input', 'amocrm.error.plainHttp', { value, flag });
  } else if (url.protocol !== 'https:') {
    throw new AppError('input', 'amocrm.error.badHost', { value, flag });
  }
  if (url.username || url.password) throw new AppError('input', 'amocrm.error.badHost', { value, flag });
  const path = url.pathname.replace(/\/+$/, '');
  return { baseUrl: `${url.protocol}//${url.host}${path}`, host: url.host };
}
