/**
 * A sorted set of (time, contact index) pairs packed into one float64: time * 2^21 + index. Native
 * numeric sort builds it fast, and a window query is two binary searches. Mutations shift the
 * array (a memmove of at most 8 MB at a million contacts), so no rebuild is ever needed.
 */
export const INDEX_BITS = 2 ** 21;
export const MAX_CONTACTS = INDEX_BITS - 1;

export function packKey(time: number, index: number): number {
  return time * INDEX_BITS + index;
}

export function keyIndex(key: number): number {
  return key % INDEX_BITS;
}

export function keyTime(key: number): number {
  return Math.floor(key / INDEX_BITS);
}

export class SortedIndex {
  constructor(
    private keys: Float64Array,
    public length: number,
  ) {}

  /** Builds from unsorted keys (takes ownership of the array). */
  static fromUnsorted(keys: Float64Array, length: number): SortedIndex {
    keys.subarray(0, length).sort();
    return new SortedIndex(keys, length);
  }

  at(pos: number): number {
    return this.keys[pos]!;
  }

  /** First position whose key is >= key. */
  lowerBound(key: number): number {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(key: number): void {
    if (this.length === this.keys.length) {
      const grown = new Float64Array(Math.max(16, this.keys.length * 2));
      grown.set(this.keys);
      this.keys = grown;
    }
    const pos = this.lowerBound(key);
    if (pos < this.length) this.keys.copyWithin(pos + 1, pos, this.length);
    this.keys[pos] = key;
    this.length++;
  }

  remove(key: number): boolean {
    const pos = this.lowerBound(key);
    if (pos >= this.length || this.keys[pos] !== key) return false;
    this.keys.copyWithin(pos, pos + 1, this.length);
    this.length--;
    return true;
  }
}
