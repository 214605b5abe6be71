/**
 * Cuts whole length-prefixed frames out of a byte stream: TCP reads and adb WRTE payloads never
 * line up with frames. Pure wire-format code (no I/O, no state beyond the bytes held back), which
 * is why the sandbox may import it alongside shell-protocol.ts: both sides must frame identically.
 */
export class FrameReassembler {
  private buf: Buffer = Buffer.alloc(0);

  /** `bodyLength` reads the body's length from a complete header; it may throw to reject the header. */
  constructor(
    private readonly headerBytes: number,
    private readonly bodyLength: (header: Buffer) => number,
  ) {}

  /** Every frame (header and body) this chunk completes. */
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const frames: Buffer[] = [];
    while (this.buf.length >= this.headerBytes) {
      const end = this.headerBytes + this.bodyLength(this.buf);
      if (this.buf.length < end) break;
      frames.push(this.buf.subarray(0, end));
      this.buf = this.buf.subarray(end);
    }
    return frames;
  }

  get pendingBytes(): number {
    return this.buf.length;
  }
}
