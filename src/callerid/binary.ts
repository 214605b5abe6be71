/**
 * The two little-endian binary files an iOS extension memory-maps (layouts in
 * README.md, "Dataset format"): CRMI, the full list, and CRMD, a delta of removals then additions.
 * Encoders trust their input (the builder checked it); decoders trust nothing, for `verify`.
 */
export interface Entry {
  /** E.164 digits without `+`. */
  number: number;
  label: string;
}

export interface Delta {
  remove: number[];
  add: Entry[];
}

export const FULL_MAGIC = 'CRMI';
export const DELTA_MAGIC = 'CRMD';
export const BINARY_VERSION = 1;
const FULL_HEADER = 32;
const DELTA_HEADER = 40;

function labelTable(labels: string[]): { idx: Uint32Array; table: Buffer } {
  const ids = new Map<string, number>();
  const idx = new Uint32Array(labels.length);
  const chunks: Buffer[] = [Buffer.alloc(4)];
  for (let i = 0; i < labels.length; i++) {
    let id = ids.get(labels[i]!);
    if (id === undefined) {
      id = ids.size;
      ids.set(labels[i]!, id);
      const bytes = Buffer.from(labels[i]!, 'utf8');
      const len = Buffer.alloc(2);
      len.writeUInt16LE(bytes.length);
      chunks.push(len, bytes);
    }
    idx[i] = id;
  }
  chunks[0]!.writeUInt32LE(ids.size);
  return { idx, table: Buffer.concat(chunks) };
}

function i64s(numbers: ArrayLike<number>): Buffer {
  const b = Buffer.alloc(numbers.length * 8);
  for (let i = 0; i < numbers.length; i++) b.writeBigInt64LE(BigInt(numbers[i]!), i * 8);
  return b;
}

function u32s(a: Uint32Array): Buffer {
  const b = Buffer.alloc(a.length * 4);
  for (let i = 0; i < a.length; i++) b.writeUInt32LE(a[i]!, i * 4);
  return b;
}

export function encodeFull(entries: Entry[]): Buffer {
  const { idx, table } = labelTable(entries.map((e) => e.label));
  const numbers = i64s(entries.map((e) => e.number));
  const header = Buffer.alloc(FULL_HEADER);
  header.write(FULL_MAGIC, 0, 'latin1');
  header.writeUInt32LE(BINARY_VERSION, 4);
  header.writeBigUInt64LE(BigInt(entries.length), 8);
  header.writeBigUInt64LE(BigInt(FULL_HEADER + numbers.length + idx.length * 4), 16);
  return Buffer.concat([header, numbers, u32s(idx), table]);
}

export function encodeDelta(d: Delta): Buffer {
  const { idx, table } = labelTable(d.add.map((e) => e.label));
  const remove = i64s(d.remove);
  const add = i64s(d.add.map((e) => e.number));
  const header = Buffer.alloc(DELTA_HEADER);
  header.write(DELTA_MAGIC, 0, 'latin1');
  header.writeUInt32LE(BINARY_VERSION, 4);
  header.writeBigUInt64LE(BigInt(d.remove.length), 8);
  header.writeBigUInt64LE(BigInt(d.add.length), 16);
  header.writeBigUInt64LE(BigInt(DELTA_HEADER + remove.length + add.length + idx.length * 4), 24);
  return Buffer.concat([header, remove, add, u32s(idx), table]);
}

/** A structural defect: `what` is a catalog key suffix, `at` a position for the message. */
export class FormatError extends Error {
  constructor(
    readonly what: string,
    readonly at: string,
  ) {
    super(`${what} at ${at}`);
  }
}

function readLabels(b: Buffer, off: number): string[] {
  if (off + 4 > b.length) throw new FormatError('truncated', `labels@${off}`);
  const n = b.readUInt32LE(off);
  const out: string[] = [];
  let p = off + 4;
  const dec = new TextDecoder('utf-8', { fatal: true });
  for (let i = 0; i < n; i++) {
    if (p + 2 > b.length) throw new FormatError('truncated', `label#${i}`);
    const len = b.readUInt16LE(p);
    p += 2;
    if (p + len > b.length) throw new FormatError('truncated', `label#${i}`);
    try {
      out.push(dec.decode(b.subarray(p, p + len)));
    } catch {
      throw new FormatError('badUtf8', `label#${i}`);
    }
    p += len;
  }
  if (p !== b.length) throw new FormatError('trailingBytes', `${p}`);
  return out;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function readNumbers(b: Buffer, off: number, n: number): number[] {
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const v = b.readBigInt64LE(off + i * 8);
    out[i] = v > MAX_SAFE || v < 0n ? Number.NaN : Number(v);
  }
  return out;
}

function labelled(b: Buffer, numbers: number[], idxOff: number, labels: string[]): Entry[] {
  return numbers.map((number, i) => {
    const li = b.readUInt32LE(idxOff + i * 4);
    if (li >= labels.length) throw new FormatError('badLabelIndex', `entry#${i}`);
    return { number, label: labels[li]! };
  });
}

export function decodeFull(b: Buffer): { entries: Entry[]; labelCount: number } {
  if (b.length < FULL_HEADER) throw new FormatError('truncated', 'header');
  if (b.toString('latin1', 0, 4) !== FULL_MAGIC) throw new FormatError('badMagic', 'header');
  if (b.readUInt32LE(4) !== BINARY_VERSION) throw new FormatError('badVersion', 'header');
  const count = Number(b.readBigUInt64LE(8));
  const labelsOff = Number(b.readBigUInt64LE(16));
  if (labelsOff !== FULL_HEADER + count * 12 || labelsOff > b.length) throw new FormatError('badOffset', 'header');
  const labels = readLabels(b, labelsOff);
  const numbers = readNumbers(b, FULL_HEADER, count);
  return { entries: labelled(b, numbers, FULL_HEADER + count * 8, labels), labelCount: labels.length };
}

export function decodeDelta(b: Buffer): Delta & { labelCount: number } {
  if (b.length < DELTA_HEADER) throw new FormatError('truncated', 'header');
  if (b.toString('latin1', 0, 4) !== DELTA_MAGIC) throw new FormatError('badMagic', 'header');
  if (b.readUInt32LE(4) !== BINARY_VERSION) throw new FormatError('badVersion', 'header');
  const nRemove = Number(b.readBigUInt64LE(8));
  const nAdd = Number(b.readBigUInt64LE(16));
  const labelsOff = Number(b.readBigUInt64LE(24));
  if (labelsOff !== DELTA_HEADER + nRemove * 8 + nAdd * 12 || labelsOff > b.length) throw new FormatError('badOffset', 'header');
  const labels = readLabels(b, labelsOff);
  const remove = readNumbers(b, DELTA_HEADER, nRemove);
  const addNumbers = readNumbers(b, DELTA_HEADER + nRemove * 8, nAdd);
  const add = labelled(b, addNumbers, DELTA_HEADER + nRemove * 8 + nAdd * 8, labels);
  return { remove, add, labelCount: labels.length };
}

export function encodeTsv(entries: Entry[]): Buffer {
  let s = '';
  for (const e of entries) s += `${e.number}\t${e.label}\n`;
  return Buffer.from(s, 'utf8');
}

export function decodeTsv(b: Buffer): Entry[] {
  const text = b.toString('utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new FormatError('truncated', 'end');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, i) => {
      const tab = line.indexOf('\t');
      const digits = line.slice(0, tab);
      if (tab < 0 || !/^[1-9]\d{0,14}$/.test(digits)) throw new FormatError('badLine', `line ${i + 1}`);
      return { number: Number(digits), label: line.slice(tab + 1) };
    });
}
