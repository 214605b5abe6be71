/**
 * Runs once around the whole vitest run (vitest.config.ts `globalSetup`):
 * - gives the run a temp dir of its own (TMPDIR, inherited by the test workers and everything they
 *   spawn), so that what a test leaves behind is this run's and nobody else's. After the run the
 *   dir must be empty: anything left fails the run, named, and is removed;
 * - collects the outside tools that were missing (test/helpers/tools.ts) into one closing line.
 * Both results also go to .test-results/ (AMO_TEST_RESULTS_DIR moves it) for scripts/test-summary.mjs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './cli.js';

/** The skip note test/helpers/fixtures.ts leaves for the shared corpus (not a tool). */
const SHARED_CORPUS = 'shared-corpus';

export default function setup(): () => void {
  const run = mkdtempSync(join(tmpdir(), 'amo-phonebook-test-'));
  const tmp = join(run, 'tmp');
  const skipsDir = join(run, 'skips');
  mkdirSync(tmp);
  mkdirSync(skipsDir);
  const saved = { TMPDIR: process.env.TMPDIR, AMO_TEST_SKIPS_DIR: process.env.AMO_TEST_SKIPS_DIR };
  process.env.TMPDIR = tmp;
  process.env.AMO_TEST_SKIPS_DIR = skipsDir;
  const results = process.env.AMO_TEST_RESULTS_DIR || join(ROOT, '.test-results');
  mkdirSync(results, { recursive: true });
  // scripts/test-summary.mjs reads these two names.
  const files = { skipped: join(results, 'skipped-tools.txt'), leftovers: join(results, 'temp-leftovers.txt') };
  rmSync(files.skipped, { force: true });
  rmSync(files.leftovers, { force: true });

  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    const skips = readdirSync(skipsDir)
      .sort()
      .map((name) => ({ name, reason: readFileSync(join(skipsDir, name), 'utf8') }));
    const left = readdirSync(tmp).sort();
    rmSync(run, { recursive: true, force: true });
    // scripts/test.sh prints both notes itself, beside its closing line.
    const say = process.env.AMO_TEST_NOTES_BY_SUMMARY ? () => undefined : (line: string) => console.warn(line);
    if (skips.length) {
      const tools = skips.some((s) => s.name !== SHARED_CORPUS) ? ' scripts/setup-test-deps.sh installs the tools (root or sudo).' : '';
      const line = `skipped: ${skips.map((s) => s.reason).join('; ')}.${tools}`;
      writeFileSync(files.skipped, `${line}\n`);
      say(line);
    }
    if (left.length) {
      const line = `left in the temp dir by the tests (removed now): ${left.join(', ')}`;
      writeFileSync(files.leftovers, `${line}\n`);
      say(line);
      // Vitest's exit code follows process.exitCode; the summary script counts this as a failure too.
      process.exitCode = 1;
    }
  };
}
