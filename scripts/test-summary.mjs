// Prints "N passed, N failed" (", N skipped" when some were) from vitest's JSON report, after the
// run's own notes written beside it by test/helpers/global-setup.ts: which outside tools were
// missing (one line), and what the tests left in the temp dir (counted as a failure). Exits 1 on
// any failure or on no tests.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const note = (name) => {
  try {
    return readFileSync(join(dirname(process.argv[2]), name), 'utf8').trim();
  } catch {
    return '';
  }
};

let report;
try {
  report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
} catch (e) {
  console.log('0 passed, 1 failed');
  console.error(`no vitest report: ${e.message}`);
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A test file that fails to load has no failed tests of its own; count it so it cannot hide.
const brokenFiles = (report.testResults ?? []).filter(
  (f) => f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed'),
).length;
const skippedNote = note('skipped-tools.txt');
const leftovers = note('temp-leftovers.txt');
const failed = (report.numFailedTests ?? 0) + brokenFiles + (leftovers ? 1 : 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
if (leftovers) console.log(`FAIL ${leftovers}`);
if (skippedNote) console.log(skippedNote);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
