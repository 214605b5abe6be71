/**
 * The device end of a shell stream, shared by both sandbox servers: parses the service string,
 * collects shell-v2 stdin, asks the simulated phone and frames the answer as adbd would.
 */
import { ShellPacket, ShellPacketDecoder, encodeShellPacket, encodeShellStream } from '../../adb/shell-protocol.js';
import { readsScriptFromStdin } from './shell.js';
import type { PhoneShellResult, SimulatedPhone } from './types.js';

export interface ShellService {
  /** v2: shell protocol packets; raw: plain bytes, stderr mixed in, no exit code (legacy `shell:`, `exec:`). */
  mode: 'v2' | 'raw';
  command: string;
}

/** `shell,v2,TERM=xterm,raw:CMD`, `shell:CMD`, `exec:CMD`; anything else is not a shell. */
export function parseShellService(service: string): ShellService | null {
  const colon = service.indexOf(':');
  if (colon < 0) return null;
  const head = service.slice(0, colon);
  const command = service.slice(colon + 1);
  if (head === 'exec') return { mode: 'raw', command };
  const [name, ...args] = head.split(',');
  if (name !== 'shell') return null;
  return { mode: args.includes('v2') ? 'v2' : 'raw', command };
}

export interface ShellOutput {
  write(data: Buffer): void;
  end(): void;
  /** The phone's shell failed (it throws when unplugged): drop the stream with no exit status. */
  abort(): void;
}

export class ShellSession {
  private readonly decoder = new ShellPacketDecoder();
  private readonly stdin: Buffer[] = [];
  private started = false;
  private dead = false;

  constructor(
    private readonly phone: SimulatedPhone,
    private readonly service: ShellService,
    private readonly out: ShellOutput,
  ) {}

  /**
   * Call once the stream is accepted. A command that reads its script from stdin runs only after
   * close-stdin; any other starts at once, as on a phone, and ignores stdin — waiting would hang
   * `adb shell getprop` typed in a terminal.
   */
  start(): void {
    if (this.service.mode === 'raw' || !readsScriptFromStdin(this.service.command)) this.run(undefined);
  }

  /** Bytes from the client. */
  push(data: Buffer): void {
    if (this.service.mode !== 'v2' || this.started) return;
    for (const f of this.decoder.push(data)) {
      if (f.id === ShellPacket.stdin) this.stdin.push(Buffer.from(f.data));
      else if (f.id === ShellPacket.closeStdin) this.run(Buffer.concat(this.stdin).toString('utf8'));
    }
  }

  /** The stream is gone (client hung up or the cable was pulled): write nothing more. */
  abort(): void {
    this.dead = true;
  }

  private run(stdin: string | undefined): void {
    if (this.started) return;
    this.started = true;
    void this.phone.run(this.service.command, stdin).then(
      (r) => this.reply(r),
      () => {
        if (!this.dead) this.out.abort();
      },
    );
  }

  private reply(r: PhoneShellResult): void {
    if (this.dead) return;
    if (this.service.mode === 'v2') {
      for (const p of encodeShellStream(ShellPacket.stdout, r.stdout)) this.out.write(p);
      for (const p of encodeShellStream(ShellPacket.stderr, r.stderr)) this.out.write(p);
      this.out.write(encodeShellPacket(ShellPacket.exit, Buffer.from([r.exitCode & 0xff])));
    } else {
      if (r.stdout) this.out.write(Buffer.from(r.stdout, 'utf8'));
      if (r.stderr) this.out.write(Buffer.from(r.stderr, 'utf8'));
    }
    this.out.end();
  }
}
