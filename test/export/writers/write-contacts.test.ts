import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Contact } from '../../../src/contacts/contact.js';
import { toPhone } from '../../../src/contacts/phone.js';
import { createWriter, EXPORT_FORMATS, writeContacts } from '../../../src/export/writers/index.js';

function makeContact(id: number): Contact {
  return {
    accountId: 30000001, id, name: `Контакт ${id}`, firstName: 'Контакт', lastName: String(id),
    phones: [toPhone(`+7 999 ${String(id).padStart(7, '0')}`, 'cell', 'RU')], emails: [{ value: `c${id}@example.com`, kind: 'work' }],
    messengers: [], tags: [], responsibleUserId: 1, groupId: 0, createdAt: 1767280012, updatedAt: 1767351234,
  };
}

async function* slowSource(n: number): AsyncGenerator<Contact> {
  for (let i = 1; i <= n; i++) {
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    yield makeContact(i);
  }
}

/** A sink that accepts little and drains slowly, recording how much it ever held. */
class SlowSink extends Writable {
  chunks: Buffer[] = [];
  maxBuffered = 0;
  constructor() {
    super({ highWaterMark: 16 * 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.chunks.push(chunk);
    this.maxBuffered = Math.max(this.maxBuffered, this.writableLength);
    setTimeout(cb, 1);
  }
}

describe('writeContacts', () => {
  for (const format of EXPORT_FORMATS) {
    it(`streams ${format} with backpressure and writes exactly what the writer formats`, async () => {
      const sink = new SlowSink();
      const o = { uidPrefix: 'amocrm-30000001' };
      const r = await writeContacts(slowSource(3000), sink, format, o);
      expect(r.written).toBe(3000);
      const w = createWriter(format, o);
      let expected = w.header();
      for (let i = 1; i <= 3000; i++) expected += w.write(makeContact(i));
      expected += w.footer();
      expect(Buffer.concat(sink.chunks).toString('utf8')).toBe(expected);
      // One batch (64 KiB of UTF-16 units, at most ~192 KiB of UTF-8) beyond the high-water mark at most.
      expect(sink.maxBuffered).toBeLessThan(16 * 1024 + 200 * 1024);
    });
  }

  it('accepts a plain iterable and writes only the header for no contacts', async () => {
    const sink = new SlowSink();
    const r = await writeContacts([], sink, 'google-csv', { uidPrefix: 'x', bom: true });
    expect(r.written).toBe(0);
    const text = Buffer.concat(sink.chunks).toString('utf8');
    expect(text.startsWith('\ufeffFirst Name,')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(2);
  });
});
