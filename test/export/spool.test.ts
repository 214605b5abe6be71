import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Contact } from '../../src/contacts/contact.js';
import { toPhone } from '../../src/contacts/phone.js';
import { ContactSpool, RecordSpool } from '../../src/export/spool.js';

const parent = mkdtempSync(join(tmpdir(), 'spool-test-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

function contact(accountId: number, id: number, phones = 1): Contact {
  return {
    accountId, id, name: `Контакт ${id}`, firstName: '', lastName: '',
    phones: Array.from({ length: phones }, (_, i) => toPhone(`+7 999 ${String(id % 1e6).padStart(6, '0')}${i}`, 'cell', 'RU')),
    emails: [{ value: `c${id}@example.com`, kind: 'work' }], messengers: [], tags: [], responsibleUserId: 1, groupId: 0, createdAt: 1, updatedAt: 2,
  };
}

/** A deterministic shuffle of ids over two accounts, the second listed first. */
function shuffled(n: number): Contact[] {
  const out: Contact[] = [];
  for (let i = 0; i < n; i++) {
    const id = 40000000 + ((i * 7919) % n);
    out.push(contact(i % 3 ? 30000002 : 30000001, id, 1 + (id % 4)));
  }
  return out;
}

describe('ContactSpool', () => {
  it('merges runs written to private temp files into (account, id) order and measures the widest contact', async () => {
    const spool = new ContactSpool({ dir: parent, runChars: 20_000 });
    const input = shuffled(2000);
    for (const c of input) await spool.add(c);
    expect(spool.spilled).toBe(true);
    const dir = spool.tempDir!;
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const runs = readdirSync(dir);
    expect(runs.length).toBeGreaterThan(5);
    for (const f of runs) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(spool.needs).toEqual({ phones: 4, emails: 1, messengers: 0 });

    const out: Contact[] = [];
    for await (const c of spool.sorted()) out.push(c);
    const key = (c: Contact) => [c.accountId, c.id];
    const want = [...input].sort((a, b) => a.accountId - b.accountId || a.id - b.id);
    expect(out.map(key)).toEqual(want.map(key));
    expect(out).toEqual(want);
    await spool.cleanup();
    expect(existsSync(dir)).toBe(false);
  });

  it('keeps rendered cards (line breaks, quotes, backslashes, commas) exact through runs on disk', async () => {
    const spool = new RecordSpool({ dir: parent, runChars: 3_000 });
    const card = (a: number, id: number) => `BEGIN:VCARD\r\nFN:Ivan "Q" \\, ${a}/${id}\r\nNOTE:a\\nb\nc\r\nEND:VCARD\r\n`;
    const input = shuffled(400).map((c) => ({ accountId: c.accountId, id: c.id, text: card(c.accountId, c.id) }));
    for (const e of input) await spool.add(e.accountId, e.id, e.text);
    expect(spool.spilled).toBe(true);
    const out = [];
    for await (const e of spool.sorted()) out.push(e);
    expect(out).toEqual([...input].sort((a, b) => a.accountId - b.accountId || a.id - b.id));
    await spool.cleanup();
  });

  it('keeps a small export in memory: no temp file at all', async () => {
    const spool = new ContactSpool({ dir: parent });
    const input = shuffled(50);
    for (const c of input) await spool.add(c);
    const keys: string[] = [];
    for await (const c of spool.sorted()) keys.push(`${c.accountId}/${c.id}`);
    expect(spool.tempDir).toBeUndefined();
    expect(keys).toEqual(input.sort((a, b) => a.accountId - b.accountId || a.id - b.id).map((c) => `${c.accountId}/${c.id}`));
    await spool.cleanup();
  });

  it('removes its files when the export fails half-way, even in the middle of the merge', async () => {
    const spool = new ContactSpool({ dir: parent, runChars: 5_000 });
    let dir: string | undefined;
    await expect(
      (async () => {
        try {
          for (const c of shuffled(600)) await spool.add(c);
          dir = spool.tempDir;
          let n = 0;
          for await (const _ of spool.sorted()) if (++n === 10) throw new Error('disk full');
        } finally {
          await spool.cleanup();
        }
      })(),
    ).rejects.toThrow('disk full');
    expect(dir).toBeDefined();
    expect(existsSync(dir!)).toBe(false);
    await spool.cleanup();
    expect(readdirSync(parent).filter((f) => f.startsWith('amo-export-spool-'))).toEqual([]);
  });
});
