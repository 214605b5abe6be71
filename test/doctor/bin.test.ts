/** The built bin as a user runs it (npm test builds dist/ first): the --sandbox demo needs no adb. */
import { describe, expect, it } from 'vitest';
import { baseEnv, spawnBin, tempDir } from '../helpers/cli.js';

describe('amo-doctor bin', () => {
  it('--sandbox runs the checklist over TCP and exits 1 on problems; --help lists the profiles', async () => {
    const config = tempDir('amo-doctor-bin-');
    try {
      const env = baseEnv({ AMO_PHONEBOOK_CONFIG_DIR: config.path, LANG: 'ru_RU.UTF-8' });
      const r = await spawnBin('amo-doctor', ['--sandbox', 'huawei-emui-10'], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('[✗] Энергосбережение: включено');
      expect(r.stdout).toContain('EMUI (Android 10)');
      expect(r.stderr).toBe('');
      const help = await spawnBin('amo-doctor', ['--help'], { env });
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('xiaomi-miui-13');
    } finally {
      config.cleanup();
    }
  }, 30_000);
});
