/** What the doctor and `amo-callerid --exclude-from-device` need from a phone: a shell with exit codes. */
export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface ShellOptions {
  /** Whole-command timeout; on expiry the call rejects with AppError('device', 'adb.timeout'). */
  timeoutMs?: number;
  /** Bytes sent as the command's stdin (shell v2 stdin packets), then close-stdin. */
  stdin?: string;
}

export interface DeviceShell {
  serial: string;
  shell(command: string, options?: ShellOptions): Promise<ShellResult>;
}
