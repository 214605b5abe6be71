/**
 * Everything an export file needs to see before its first byte: the CSV header is sized by the
 * contact with the most phones, e-mails and messengers, and cards are ordered by account, then
 * contact id (diffs of two exports stay quiet). Records (a contact's JSON, or a card already
 * rendered) are kept as they arrive; when the buffer reaches RUN_CHARS it is sorted and written out
 * as a run to a private temp file, and sorted() merges the runs (external merge sort), so memory
 * stays bounded by one buffer plus one record per run, whatever the account's size. A spool that
 * never filled its buffer stays in memory.
 *
 * Temp files live in a fresh mkdtemp directory (mode 0700, unique name), each opened with mode
 * 0600 and exclusive create; cleanup() removes the directory and is called on success, failure and
 * abort alike (idempotent).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { Contact } from '../contacts/contact.js';
import { columnNeeds, maxNeeds, type ColumnNeeds } from './writers/display.js';

// ≈4 M UTF-16 units of JSON per run: about 6–10 k contacts, under 10 MB of strings.
const RUN_CHARS = 4 * 1024 * 1024;
const WRITE_CHUNK = 1 << 18;
const READ_CHUNK = 1 << 14;

export interface SpoolEntry {
  accountId: number;
  id: number;
  text: string;
}

type Keyed = Pick<Contact, 'accountId' | 'id'>;
const byAccountThenId = (a: Keyed, b: Keyed): number => a.accountId - b.accountId || a.id - b.id;

export interface SpoolOptions {
  /** Parent of the temp directory; default os.tmpdir(). */
  dir?: string;
  /** Buffer size before a run is written (tests make it small to exercise the merge). */
  runChars?: number;
}

/**
 * A run record: `accountId,id,length` and a line break, then the text itself (`length` UTF-16
 * units, line breaks and all): read back by slicing, with nothing to unescape.
 */
function toRecord(e: SpoolEntry): string {
  return `${e.accountId},${e.id},${e.text.length}\n${e.text}`;
}

/**
 * One run file read record by record, with synchronous reads into one reused buffer: the run files
 * are local and small reads are fast, and the thread pool's per-thread allocations (a stream per
 * run) cost more resident memory than the reads cost time. `head` is its smallest unread record.
 */
class RunReader {
  head: SpoolEntry | undefined;
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK);
  private readonly decoder = new StringDecoder('utf8');
  private text = '';
  private at = 0;
  private eof = false;

  constructor(private fd: number | undefined) {}

  next(): void {
    let nl: number;
    while ((nl = this.text.indexOf('\n', this.at)) < 0 && this.fill());
    if (nl < 0) {
      this.head = undefined;
      this.close();
      return;
    }
    const header = this.text.slice(this.at, nl);
    const a = header.indexOf(',');
    const b = header.indexOf(',', a + 1);
    const length = Number(header.slice(b + 1));
    this.at = nl + 1;
    while (this.text.length - this.at < length) if (!this.fill()) throw new Error('spool run cut short');
    this.head = { accountId: Number(header.slice(0, a)), id: Number(header.slice(a + 1, b)), text: this.text.slice(this.at, this.at + length) };
    this.at += length;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.eof = true;
    this.text = '';
    this.at = 0;
  }

  /** Appends the next chunk to what is left unread; false at the end of the file. */
  private fill(): boolean {
    if (this.eof) return false;
    const n = readSync(this.fd!, this.buf, 0, READ_CHUNK, null);
    const more = n > 0 ? this.decoder.write(this.buf.subarray(0, n)) : this.decoder.end();
    if (n === 0) this.eof = true;
    this.text = this.text.slice(this.at) + more;
    this.at = 0;
    return n > 0 || more.length > 0;
  }
}

/** The records not spilled, sorted in memory: merged with the runs instead of going to disk and back. */
class MemoryRun {
  head: SpoolEntry | undefined;
  private at = 0;
  constructor(private readonly entries: SpoolEntry[]) {}
  next(): void {
    this.head = this.entries[this.at++];
  }
}

type Run = Pick<RunReader, 'head' | 'next'>;

/** Min-heap of runs by their head entry. */
function siftDown(heap: Run[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && byAccountThenId(heap[l]!.head!, heap[m]!.head!) < 0) m = l;
    if (r < heap.length && byAccountThenId(heap[r]!.head!, heap[m]!.head!) < 0) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}

/** Records ordered by account, then id, spilled to sorted runs on disk past RUN_CHARS. */
export class RecordSpool {
  private buffer: SpoolEntry[] = [];
  private chars = 0;
  private runs: string[] = [];
  private dir: string | undefined;
  private readers: RunReader[] = [];
  private closed = false;

  constructor(private readonly o: SpoolOptions = {}) {}

  /** True once a run went to disk (the temp directory exists until cleanup()). */
  get spilled(): boolean {
    return this.runs.length > 0;
  }

  get tempDir(): string | undefined {
    return this.dir;
  }

  async add(accountId: number, id: number, text: string): Promise<void> {
    if (this.closed) throw new Error('spool already read');
    this.buffer.push({ accountId, id, text });
    this.chars += text.length;
    if (this.chars >= (this.o.runChars ?? RUN_CHARS)) await this.spill();
  }

  private async spill(): Promise<void> {
    const entries = this.buffer.sort(byAccountThenId);
    this.buffer = [];
    this.chars = 0;
    this.dir ??= await mkdtemp(join(this.o.dir ?? tmpdir(), 'amo-export-spool-'));
    const path = join(this.dir, `run-${this.runs.length}.jsonl`);
    this.runs.push(path);
    // Synchronous, like the reads: a run of a few MB takes milliseconds to write.
    const fd = openSync(path, 'wx', 0o600);
    try {
      let chunk = '';
      for (const e of entries) {
        chunk += toRecord(e);
        if (chunk.length >= WRITE_CHUNK) {
          writeSync(fd, chunk, null, 'utf8');
          chunk = '';
        }
      }
      if (chunk) writeSync(fd, chunk, null, 'utf8');
    } finally {
      closeSync(fd);
    }
  }

  /** Every record added, ordered by account, then id. Read once. */
  async *sorted(): AsyncGenerator<SpoolEntry> {
    if (this.closed) throw new Error('spool already read');
    this.closed = true;
    if (!this.runs.length) {
      const entries = this.buffer.sort(byAccountThenId);
      this.buffer = [];
      yield* entries;
      return;
    }
    const heap: Run[] = [];
    const runs: Run[] = [new MemoryRun(this.buffer.sort(byAccountThenId))];
    this.buffer = [];
    for (const path of this.runs) {
      const r = new RunReader(openSync(path, 'r'));
      this.readers.push(r);
      runs.push(r);
    }
    for (const r of runs) {
      r.next();
      if (r.head) heap.push(r);
    }
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    while (heap.length) {
      const top = heap[0]!;
      const e = top.head!;
      top.next();
      if (!top.head) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      if (heap.length) siftDown(heap, 0);
      yield e;
    }
  }

  /** Removes the temp files; safe to call more than once and after a failure at any point. */
  async cleanup(): Promise<void> {
    this.closed = true;
    this.buffer = [];
    for (const r of this.readers) r.close();
    this.readers = [];
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}

/** Contacts themselves (as JSON), for a file whose header depends on all of them (CSV). */
export class ContactSpool {
  private readonly records: RecordSpool;
  private max: ColumnNeeds = { phones: 0, emails: 0, messengers: 0 };

  constructor(o: SpoolOptions = {}) {
    this.records = new RecordSpool(o);
  }

  /** The most phone / e-mail / messenger columns any contact added so far needs. */
  get needs(): ColumnNeeds {
    return this.max;
  }

  get spilled(): boolean {
    return this.records.spilled;
  }

  get tempDir(): string | undefined {
    return this.records.tempDir;
  }

  async add(c: Contact): Promise<void> {
    this.max = maxNeeds(this.max, columnNeeds(c));
    await this.records.add(c.accountId, c.id, JSON.stringify(c));
  }

  /** Every contact added, ordered by account, then id. Read once. */
  async *sorted(): AsyncGenerator<Contact> {
    for await (const e of this.records.sorted()) yield JSON.parse(e.text) as Contact;
  }

  cleanup(): Promise<void> {
    return this.records.cleanup();
  }
}
