#!/usr/bin/env bash
# The whole test suite from a fresh clone: Debian checkers, build, vitest, and the plain
# closing line "N passed, N failed" that CI reads.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup-test-deps.sh || exit 1
[ -d node_modules ] || npm ci || exit 1
npm run --silent build || exit 1

mkdir -p .test-results
rm -f .test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=.test-results/vitest.json "$@"
status=$?
node scripts/test-summary.mjs .test-results/vitest.json
summary=$?
[ $status -eq 0 ] && [ $summary -eq 0 ] && exit 0
exit 1
