/**
 * A simulated Android phone as the adb transports see it: identity, connection state and a shell.
 * The shell's behaviour (AOSP output formats, vendor profiles, state changes) lives behind `run`.
 */
export interface PhoneShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export type PhoneConnectionState = 'device' | 'unauthorized' | 'offline';

export interface SimulatedPhone {
  /** Serial reported by the host-protocol sandbox server (the real adb server uses host:port instead). */
  serial: string;
  state: PhoneConnectionState;
  /** For the CNXN banner and `devices -l`. */
  product: string;
  model: string;
  device: string;
  /** adb features, e.g. ['shell_v2', 'cmd', 'stat_v2']. */
  features: string[];
  /** Runs a command line, or a script when `stdin` carries one (`sh` reading commands from stdin). */
  run(command: string, stdin?: string): Promise<PhoneShellResult>;
}
