/**
 * The other side of the wire for transport tests: a tiny phone shell that understands a handful of
 * commands, remembers what it was asked, and can be told to hang. It stands in for the real phone
 * profiles (src/sandbox/phone/phone.ts), which the doctor's tests use.
 */
import type { PhoneConnectionState, PhoneShellResult, SimulatedPhone } from '../../src/sandbox/phone/types.js';

export interface PeerPhone extends SimulatedPhone {
  calls: { command: string; stdin?: string }[];
  /** Resolves when the next command starts running on the phone. */
  nextRun(): Promise<string>;
}

/** `big N` repeats this; Cyrillic makes multi-byte characters straddle packet and chunk boundaries. */
export const BIG_PATTERN = 'Контакт 0123456789 abcdef\n';

/** `chars` characters of the pattern (a little more in bytes: the Cyrillic takes two each). */
export function bigOutput(chars: number): string {
  return BIG_PATTERN.repeat(Math.ceil(chars / BIG_PATTERN.length)).slice(0, chars);
}

export function peerPhone(serial: string, o: { state?: PhoneConnectionState; features?: string[]; model?: string; props?: Record<string, string> } = {}): PeerPhone {
  const waiters: ((c: string) => void)[] = [];
  const props = { 'ro.serialno': serial, 'ro.build.version.sdk': '34', ...o.props };
  const line = async (cmd: string): Promise<PhoneShellResult> => {
    const [name = '', ...rest] = cmd.trim().split(/\s+/);
    // exec: quotes each argument (`exec:getprop 'x'`); a phone's sh would strip the quotes.
    const arg = rest.join(' ').replace(/'/g, '');
    switch (name) {
      case '':
        return { stdout: '', stderr: '', exitCode: 0 };
      case 'echo':
        return { stdout: `${arg}\n`, stderr: '', exitCode: 0 };
      case 'getprop':
        return { stdout: `${props[arg as keyof typeof props] ?? ''}\n`, stderr: '', exitCode: 0 };
      case 'warn':
        return { stdout: '', stderr: `${arg}\n`, exitCode: 0 };
      case 'exit':
        return { stdout: '', stderr: '', exitCode: Number(arg) };
      case 'sleep':
        await new Promise((r) => setTimeout(r, Number(arg)));
        return { stdout: 'slept\n', stderr: '', exitCode: 0 };
      case 'unplug-me':
        // What the real profiles do when their cable is pulled mid-command: go offline and throw.
        phone.state = 'offline';
        throw new Error('device offline');
      case 'big':
        return { stdout: bigOutput(Number(arg)), stderr: '', exitCode: 0 };
      default:
        return { stdout: '', stderr: `/system/bin/sh: ${name}: inaccessible or not found\n`, exitCode: 127 };
    }
  };
  const phone: PeerPhone = {
    serial,
    state: o.state ?? 'device',
    product: 'peer_product',
    model: o.model ?? 'Peer Phone',
    device: 'peer',
    features: o.features ?? ['shell_v2', 'cmd', 'stat_v2'],
    calls: [],
    nextRun: () => new Promise((r) => waiters.push(r)),
    async run(command, stdin) {
      phone.calls.push(stdin === undefined ? { command } : { command, stdin });
      waiters.splice(0).forEach((w) => w(command));
      // A script (stdin) runs line by line like `sh`; outputs add up, the last status wins.
      // The legacy shell has no stdin, so our client sends scripts as a here-document instead.
      const hereDoc = /^sh <<'(\w+)'\n([\s\S]*)\n\1$/.exec(command);
      const script = stdin ?? hereDoc?.[2];
      const lines = script !== undefined ? script.split('\n').filter((l) => l.trim() !== '') : [command];
      const total: PhoneShellResult = { stdout: '', stderr: '', exitCode: 0 };
      for (const l of lines) {
        const r = await line(l);
        total.stdout += r.stdout;
        total.stderr += r.stderr;
        total.exitCode = r.exitCode;
      }
      return total;
    },
  };
  return phone;
}
