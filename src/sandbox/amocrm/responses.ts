/** Response bodies in the forms the real API and its gateway use (amocrm-api.md §9, §12). */
import type { ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';

export interface Reply {
  status: number;
  contentType?: string;
  body?: string;
}

export const hal = (value: unknown): Reply => ({ status: 200, contentType: 'application/hal+json', body: JSON.stringify(value) });
export const noContent = (): Reply => ({ status: 204 });

export function problem(status: number, title: string, detail: string, extra: Record<string, unknown> = {}): Reply {
  return {
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ title, type: `https://httpstatus.es/${status}`, status, detail, ...extra }),
  };
}

export const unauthorized = () => problem(401, 'Unauthorized', 'Invalid user name or password');
export const paymentRequired = () => problem(402, 'Payment Required', 'Payment required');
export const forbidden = (detail = 'Access denied') => problem(403, 'Forbidden', detail);
export const notFound = (method: string, path: string) => problem(404, 'Not Found', `Cannot ${method} ${path}`);
export const serverError = () => problem(500, 'Internal Server Error', 'Internal server error', { trace_id: randomBytes(16).toString('hex') });

export function validation(path: string, detail: string, code = 'NotSupportedChoice'): Reply {
  return {
    status: 400,
    contentType: 'application/problem+json',
    body: JSON.stringify({
      'validation-errors': [{ request_id: '0', errors: [{ code, path, detail }] }],
      title: 'Bad Request',
      type: 'https://httpstatus.es/400',
      status: 400,
      detail: 'Request validation failed',
    }),
  };
}

const gatewayPage = (code: string) =>
  `<html>\r\n<head><title>${code}</title></head>\r\n<body>\r\n<center><h1>${code}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

export const html = (status: number, text: string): Reply => ({ status, contentType: 'text/html', body: gatewayPage(`${status} ${text}`) });
export const blockedPage = () => html(403, 'Forbidden');
export const gatewayTimeout = () => html(504, 'Gateway Time-out');

export function tooMany(format: 'json' | 'html', retryAfterSec: number | null): Reply {
  if (format === 'html') return html(429, 'Too Many Requests');
  return problem(429, 'Too Many Requests', 'Too many requests', retryAfterSec === null ? {} : { retry_after: retryAfterSec });
}

export function send(res: ServerResponse, reply: Reply, requestId: string): void {
  if (res.destroyed || res.headersSent) return;
  const headers: Record<string, string | number> = { 'X-Request-Id': requestId, Server: 'nginx' };
  if (reply.status !== 204 && reply.body !== undefined) {
    headers['Content-Type'] = reply.contentType === 'text/html' ? 'text/html; charset=utf-8' : reply.contentType ?? 'application/json';
    headers['Content-Length'] = Buffer.byteLength(reply.body);
  }
  res.writeHead(reply.status, headers);
  res.end(reply.status === 204 ? undefined : reply.body);
}
