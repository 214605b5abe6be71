import { resolve } from 'node:path';
import { ROOT } from './cli.js';

/** Real phone-book exports nobody here wrote; `shared/` sits beside the checkout (locally and on CI). */
export const PHONEBOOK_FIXTURES = resolve(ROOT, '../shared/fixtures/phonebook-exports');
