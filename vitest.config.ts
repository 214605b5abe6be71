import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A temp dir of the run's own that must be empty at the end; the closing line on missing tools.
    globalSetup: ['test/helpers/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: more forks only fight over the CPU and make the HTTP timing tests flaky.
    maxWorkers: 2,
    env: { NO_COLOR: '1', FORCE_COLOR: '0' },
  },
});
