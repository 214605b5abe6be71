/**
 * One TCP connection to an adb server, read as a byte stream: replies and shell packets arrive in
 * arbitrary TCP chunks, so every read asks for exactly the bytes it needs.
 */
import net from 'node:net';

/** The server answered FAIL; `reason` is its text (see AOSP `transport.cpp`). */
export class AdbFailure extends Error {
  constructor(readonly reason: string) {
    super(`FAIL ${reason}`);
    this.name = 'AdbFailure';
  }
}

/** The peer hung up before the bytes we needed arrived. */
export class ConnectionClosed extends Error {
  constructor() {
    super('connection closed');
    this.name = 'ConnectionClosed';
  }
}

/** Our own deadline expired; the socket has been destroyed. */
export class DeadlineExpired extends Error {
  constructor() {
    super('deadline expired');
    this.name = 'DeadlineExpired';
  }
}

/** The bytes do not look like the adb host protocol. */
export class ProtocolViolation extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'ProtocolViolation';
  }
}

export class ConnectRefused extends Error {
  constructor(readonly code: string, readonly reason: string) {
    super(reason);
    this.name = 'ConnectRefused';
  }
}

export class ConnectTimeout extends Error {
  constructor() {
    super('connect timeout');
    this.name = 'ConnectTimeout';
  }
}

/** 4 hex digits of length, then the payload: host requests and the payloads after OKAY/FAIL. */
export function lengthPrefixed(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  if (body.length > 0xffff) throw new ProtocolViolation(`payload longer than 65535 bytes`);
  return Buffer.concat([Buffer.from(body.length.toString(16).padStart(4, '0'), 'ascii'), body]);
}

export class AdbConnection {
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (c: Buffer) => {
      this.chunks.push(c);
      this.size += c.length;
      this.notify();
    });
    sock.on('end', () => {
      this.ended = true;
      this.notify();
    });
    sock.on('close', () => {
      this.ended = true;
      this.notify();
    });
    sock.on('error', (e) => {
      this.failure ??= e;
      this.notify();
    });
  }

  /** Reads from a socket someone else accepted (the sandbox servers read requests this way). */
  static wrap(sock: net.Socket): AdbConnection {
    return new AdbConnection(sock);
  }

  static open(host: string, port: number, connectTimeoutMs: number): Promise<AdbConnection> {
    return new Promise((resolve, reject) => {
      const sock = net.connect({ host, port });
      const timer = setTimeout(() => {
        sock.destroy();
        reject(new ConnectTimeout());
      }, connectTimeoutMs);
      sock.once('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new ConnectRefused(e.code ?? 'ERROR', e.message));
      });
      sock.once('connect', () => {
        clearTimeout(timer);
        sock.removeAllListeners('error');
        sock.setNoDelay(true);
        resolve(new AdbConnection(sock));
      });
    });
  }

  sendRequest(payload: string): void {
    this.sock.write(lengthPrefixed(payload));
  }

  write(data: Buffer): void {
    this.sock.write(data);
  }

  /** OKAY, or FAIL with its reason thrown as AdbFailure. */
  async readStatus(): Promise<void> {
    const status = (await this.readExactly(4)).toString('latin1');
    if (status === 'OKAY') return;
    if (status === 'FAIL') throw new AdbFailure(await this.readLengthPrefixed());
    throw new ProtocolViolation(`expected OKAY or FAIL, got ${JSON.stringify(status)}`);
  }

  async readLengthPrefixed(): Promise<string> {
    const hex = (await this.readExactly(4)).toString('latin1');
    if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ProtocolViolation(`bad length prefix ${JSON.stringify(hex)}`);
    return (await this.readExactly(parseInt(hex, 16))).toString('utf8');
  }

  async readExactly(n: number): Promise<Buffer> {
    while (this.size < n) {
      if (this.failure) throw this.failure;
      if (this.ended) throw new ConnectionClosed();
      await this.nextEvent();
    }
    return this.take(n);
  }

  /** Whatever has arrived, or null once the peer has hung up. */
  async readChunk(): Promise<Buffer | null> {
    while (this.size === 0) {
      if (this.failure) throw this.failure;
      if (this.ended) return null;
      await this.nextEvent();
    }
    return this.take(this.size);
  }

  async readToEnd(): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let c = await this.readChunk(); c !== null; c = await this.readChunk()) parts.push(c);
    return Buffer.concat(parts);
  }

  /** Ends the connection; pending and later reads fail with `reason` when one is given. */
  destroy(reason?: Error): void {
    if (reason) this.failure ??= reason;
    this.sock.destroy();
    this.notify();
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
    const head = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.size = rest.length;
    return head;
  }

  private nextEvent(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
