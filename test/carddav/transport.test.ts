/**
 * The DAV transport's retry policy and the XML reader, against a real HTTP server on loopback
 * that answers what a busy or broken CardDAV server answers.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDavTransport, retryAfterMs } from '../../src/carddav/transport.js';
import { parseMultiStatus } from '../../src/carddav/multistatus.js';
import { DAV, parseXml } from '../../src/carddav/xml.js';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

async function serve(answers: { status: number; headers?: Record<string, string> }[]): Promise<{ url: string; seen: { at: number; auth?: string }[] }> {
  const seen: { at: number; auth?: string }[] = [];
  server = createServer((req, res) => {
    seen.push({ at: Date.now(), auth: req.headers.authorization });
    const a = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    req.resume();
    res.writeHead(a.status, a.headers);
    res.end();
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server!.address() as AddressInfo).port}/book/x.vcf`, seen };
}

describe('DAV transport', () => {
  it('waits out 429/503 Retry-After and backs off after 5xx, then returns the answer', async () => {
    const { url, seen } = await serve([{ status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '0' } }, { status: 500 }, { status: 201, headers: { etag: '"e1"' } }]);
    const t = createDavTransport({ auth: { kind: 'basic', user: 'anna', password: 'pw' }, backoffBaseMs: 20 });
    const r = await t.send({ method: 'PUT', url, body: 'x' });
    await t.close();
    expect(r.status).toBe(201);
    expect(seen).toHaveLength(4);
    expect(seen[1]!.at - seen[0]!.at).toBeGreaterThanOrEqual(950);
    expect(seen[0]!.auth).toBe(`Basic ${Buffer.from('anna:pw').toString('base64')}`);
    expect(t.stats.retries).toBe(3);
  });

  it('gives up after repeated 5xx with an api error, and maps 401 to an auth error', async () => {
    const { url } = await serve([{ status: 502 }]);
    const t = createDavTransport({ auth: { kind: 'bearer', token: 'tok' }, backoffBaseMs: 1 });
    await expect(t.send({ method: 'GET', url })).rejects.toMatchObject({ kind: 'api', key: 'sync.error.server' });
    await t.close();
    await new Promise<void>((r) => server!.close(() => r()));
    const again = await serve([{ status: 401 }]);
    const t2 = createDavTransport({ auth: { kind: 'bearer', token: 'tok' } });
    await expect(t2.send({ method: 'GET', url: again.url })).rejects.toMatchObject({ kind: 'auth' });
    expect(again.seen[0]!.auth).toBe('Bearer tok');
    await t2.close();
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});

describe('XML reader', () => {
  it('matches DAV elements by namespace whatever the prefix, with entities and CDATA', () => {
    const body = `<?xml version="1.0"?><multistatus xmlns="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><response><href>/b/a%20b.vcf</href><propstat><prop><getetag>&quot;1&quot;</getetag><C:address-data><![CDATA[BEGIN:VCARD\r\nFN:A & B\r\nEND:VCARD\r\n]]></C:address-data></prop><status>HTTP/1.1 200 OK</status></propstat></response><D:response xmlns:D="DAV:"><D:href>/b/gone.vcf</D:href><D:status>HTTP/1.1 404 Not Found</D:status></D:response><sync-token>tok-2</sync-token></multistatus>`;
    const ms = parseMultiStatus(body, 'http://h/b/');
    expect(ms.syncToken).toBe('tok-2');
    expect(ms.resources).toEqual([
      expect.objectContaining({ url: 'http://h/b/a%20b.vcf', status: 200, etag: '"1"', addressData: 'BEGIN:VCARD\r\nFN:A & B\r\nEND:VCARD\r\n' }),
      expect.objectContaining({ url: 'http://h/b/gone.vcf', status: 404 }),
    ]);
    expect(parseXml('<a:x xmlns:a="DAV:"><!-- c --><a:y>1 &lt; 2 &#x41;</a:y></a:x>').children[0]).toMatchObject({ ns: DAV, name: 'y', text: '1 < 2 A' });
    expect(() => parseXml('<a><b></a>')).toThrow();
    expect(() => parseXml('<x:a/>')).toThrow();
  });
});
