import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe } from 'vitest';
import { ROOT } from './cli.js';
import { recordSkip } from './tools.js';

/**
 * Phone-book exports written for this project (test/fixtures/phonebook-exports/README.md lists the
 * quirk each file carries): every clone has them.
 */
export const PHONEBOOK_FIXTURES = resolve(ROOT, 'test/fixtures/phonebook-exports');

/**
 * Real exports nobody here wrote, in `shared/` beside the checkout when it is there (CI has it;
 * AMO_TEST_SHARED_FIXTURES points elsewhere): an extra run of the same checks, never a requirement.
 */
export const SHARED_PHONEBOOK_FIXTURES = resolve(process.env.AMO_TEST_SHARED_FIXTURES || resolve(ROOT, '../shared/fixtures/phonebook-exports'));
export const hasSharedFixtures = existsSync(SHARED_PHONEBOOK_FIXTURES);

/** `describe` when the shared corpus is there; otherwise skipped, and said so in the closing line. */
export function describeShared(name: string, fn: () => void): void {
  if (hasSharedFixtures) {
    describe(name, fn);
    return;
  }
  recordSkip('shared-corpus', `${SHARED_PHONEBOOK_FIXTURES} is not there (optional: real exports beside the checkout)`);
  describe.skip(name, fn);
}
