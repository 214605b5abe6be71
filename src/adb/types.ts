/** What the doctor and `amo-callerid --exclude-from-device` need from a phone: a shell with exit codes. */
export interface ShellResult {
  stdout: string;
  stderr: string;
  /** EXIT_CODE_UNKNOWN when the phone reports none (the legacy shell of Android 6 and older). */
  exitCode: number;
}

/** Exit code reported when the legacy shell gives none: never a guessed 0. */
export const EXIT_CODE_UNKNOWN = -1;

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
