/**
 * One HTTP exchange with an amoCRM-compatible server, reduced to what the retry policy needs:
 * status, request id, and a body that is JSON only when the server said so (gateways answer
 * 403/429/504 with HTML pages).
 */
import type { Dispatcher } from 'undici';
import { lazy } from '../lazy.js';
import { AppError } from '../errors.js';
import { DEFAULT_TIMEOUT_MS } from './rates.js';

const undici = lazy<typeof import('undici')>('undici');

export interface Reply {
  status: number;
  requestId: string;
  contentType: string;
  /** Parsed body for JSON content types; undefined for empty and non-JSON bodies. */
  json: unknown;
  isHtml: boolean;
  /**
   * The server's wait before a retry, as it wrote it: the JSON `retry_after` token, else the
   * Retry-After header. Kept as text so a value we refuse can be quoted back.
   */
  retryAfter?: string;
  /** The Location header of a redirect (never followed). */
  location?: string;
  ms: number;
}

export const ACCEPT = 'application/hal+json, application/problem+json';

/** The largest response body we read (a page of 250 contacts is a few MB at most). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

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
  /** The whole exchange, body included, must end within this (default DEFAULT_TIMEOUT_MS). */
  timeoutMs?: number;
  /** default MAX_BODY_BYTES */
  maxBodyBytes?: number;
}

/**
 * The request outlived its deadline. undici's own timeouts only limit silence, so a server that
 * drips a byte every few seconds would otherwise hold a run forever.
 */
export class DeadlineExceeded extends Error {
  readonly code = 'DEADLINE_EXCEEDED';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
  }
}

/** The body grew past the cap; reading on would only fill memory. */
export class BodyTooLarge extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly maxBytes: number) {
    super(`response body larger than ${maxBytes} bytes`);
  }
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) throw new BodyTooLarge(max);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** The `retry_after` member exactly as written (1e999 parses to Infinity, which says nothing). */
function rawRetryAfter(text: string): string | undefined {
  return /"retry_after"\s*:\s*("(?:[^"\\]|\\.){0,40}"|[^,}\s]{1,40})/.exec(text)?.[1];
}

/**
 * Throws AppError('api') only for a JSON body that does not parse; DeadlineExceeded and
 * BodyTooLarge for answers too slow or too big; network errors pass through.
 */
export async function send(o: SendOptions): Promise<Reply> {
  const started = performance.now();
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
  const signal = o.signal ? AbortSignal.any([o.signal, deadline.signal]) : deadline.signal;
  let res: Dispatcher.ResponseData<unknown>;
  let body: Buffer;
  try {
    res = await undici().request(o.url, { method: o.method, headers: o.headers, body: o.body, dispatcher: o.dispatcher, signal, opaque: o.opaque });
    const max = o.maxBodyBytes ?? MAX_BODY_BYTES;
    try {
      // A declared length past the cap fails before a byte is read.
      if (Number(res.headers['content-length']) > max) throw new BodyTooLarge(max);
      body = await readCapped(res.body, max);
    } catch (e) {
      res.body.destroy();
      throw e;
    }
  } catch (e) {
    // Our own deadline, not the caller's cancellation: say so instead of a bare AbortError.
    if (deadline.signal.aborted && !o.signal?.aborted) throw deadline.signal.reason as DeadlineExceeded;
    throw e;
  } finally {
    clearTimeout(timer);
  }
  const text = body.toString('utf8');
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
  const retryAfter = (jsonType ? rawRetryAfter(text) : undefined) ?? (header('retry-after') || undefined);
  return {
    status: res.statusCode,
    requestId,
    contentType,
    json,
    isHtml: /^text\/html\b/i.test(contentType) || (!jsonType && /^\s*</.test(text)),
    retryAfter,
    location: header('location') || undefined,
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
