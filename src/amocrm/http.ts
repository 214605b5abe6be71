/**
 * One HTTP exchange with an amoCRM-compatible server, reduced to what the retry policy needs:
 * status, request id, and a body that is JSON only when the server said so (gateways answer
 * 403/429/504 with HTML pages).
 */
import type { Dispatcher } from 'undici';
import { lazy } from '../lazy.js';
import { AppError } from '../errors.js';

const undici = lazy<typeof import('undici')>('undici');

export interface Reply {
  status: number;
  requestId: string;
  contentType: string;
  /** Parsed body for JSON content types; undefined for empty and non-JSON bodies. */
  json: unknown;
  isHtml: boolean;
  ms: number;
}

export const ACCEPT = 'application/hal+json, application/problem+json';

function isJsonType(ct: string): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(ct) || /^text\/json\b/i.test(ct);
}

export interface SendOptions {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  dispatcher: Dispatcher;
  signal?: AbortSignal;
  /** Passed through to interceptors (the limiter ticket). */
  opaque?: unknown;
}

/** Throws AppError('api') only for a JSON body that does not parse; network errors pass through. */
export async function send(o: SendOptions): Promise<Reply> {
  const started = performance.now();
  const res = await undici().request(o.url, { method: o.method, headers: o.headers, body: o.body, dispatcher: o.dispatcher, signal: o.signal, opaque: o.opaque });
  const text = await res.body.text();
  const header = (name: string) => {
    const v = res.headers[name];
    return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
  };
  const contentType = header('content-type');
  const requestId = header('x-request-id');
  const jsonType = isJsonType(contentType);
  let json: unknown;
  if (text.length > 0 && jsonType) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new AppError('api', 'amocrm.error.badJson', { status: res.statusCode, requestId: requestId || '—' }, { cause: e });
    }
  }
  return {
    status: res.statusCode,
    requestId,
    contentType,
    json,
    isHtml: /^text\/html\b/i.test(contentType) || (!jsonType && /^\s*</.test(text)),
    ms: Math.round(performance.now() - started),
  };
}

/** The human part of a problem+json body: detail, title, and validation-errors details. */
export function problemDetail(json: unknown): string {
  if (typeof json !== 'object' || json === null) return '';
  const o = json as Record<string, unknown>;
  const parts: string[] = [];
  const vErrors = o['validation-errors'];
  if (Array.isArray(vErrors)) {
    for (const v of vErrors) {
      const errs = (v as { errors?: unknown }).errors;
      if (Array.isArray(errs)) {
        for (const e of errs) {
          const { path, detail } = e as { path?: unknown; detail?: unknown };
          if (typeof detail === 'string') parts.push(typeof path === 'string' && path ? `${path}: ${detail}` : detail);
        }
      }
    }
  }
  if (!parts.length) {
    if (typeof o.detail === 'string' && o.detail) parts.push(o.detail);
    else if (typeof o.title === 'string' && o.title) parts.push(o.title);
    if (typeof o.hint === 'string' && o.hint) parts.push(o.hint);
  }
  // One line, bounded: a server's text may be long or multi-line.
  return parts.join('; ').replace(/\s+/g, ' ').slice(0, 300);
}

export function networkReason(e: unknown): string {
  const err = e as { code?: unknown; cause?: { code?: unknown }; message?: unknown };
  const code = typeof err.code === 'string' ? err.code : typeof err.cause?.code === 'string' ? err.cause.code : undefined;
  return code ?? (typeof err.message === 'string' ? err.message.split('\n')[0]! : String(e));
}
