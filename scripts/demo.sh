#!/usr/bin/env bash
# The main job on the built-in sandbox account: build, then export every contact edited since
# 2024-01-01 to sandbox-contacts.vcf (vCard 3.0), with the one-line summary on stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
npm run --silent build
out="${1:-sandbox-contacts.vcf}"
node bin/amo-export.js --sandbox --since 2024-01-01 -o "$out"
echo "demo: wrote $(grep -c '^BEGIN:VCARD' "$out") contacts to $out" >&2
