/**
 * The in-process path to a simulated phone: a DeviceShell that calls `phone.run()` directly, with
 * the same timeout and error kinds the adb transport gives. Fast tests and benchmarks use it.
 * It lives with the CLI's wiring because it joins both sides: the sandbox's phone and the
 * product's shell contract and errors, which neither side may import from the other.
 */
import type { DeviceShell, ShellOptions, ShellResult } from '../adb/types.js';
import { AppError } from '../errors.js';
import type { SimulatedPhone } from '../sandbox/phone/types.js';

export function simulatedPhoneShell(phone: SimulatedPhone, defaultTimeoutMs = 30_000): DeviceShell {
  return {
    serial: phone.serial,
    async shell(command: string, o: ShellOptions = {}): Promise<ShellResult> {
      if (phone.state === 'unauthorized') throw new AppError('device', 'adb.unauthorized', { serial: phone.serial });
      if (phone.state === 'offline') throw new AppError('device', 'adb.offline', { serial: phone.serial });
      const timeoutMs = o.timeoutMs ?? defaultTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new AppError('device', 'adb.timeout', { seconds: Math.round(timeoutMs / 100) / 10, command })), timeoutMs);
      });
      try {
        return await Promise.race([phone.run(command, o.stdin), timeout]);
      } catch (e) {
        if (e instanceof AppError) throw e;
        throw new AppError('device', 'adb.disconnected', { serial: phone.serial }, { cause: e });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
