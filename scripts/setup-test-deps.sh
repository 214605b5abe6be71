#!/usr/bin/env bash
# Installs the Debian packages the test suite checks our output with, when they are missing:
# python3-vobject, khard and ez-vcard (independent vCard parsers), adb (the real adb server) and
# radicale (a real CardDAV server). Exits 1 when something is missing and cannot be installed (no
# root, no password-less sudo, no apt): scripts/test.sh then goes on, and the tests that need a
# missing tool are skipped (test/helpers/tools.ts detects each tool the same way as below).
set -uo pipefail

PY=${AMO_TEST_PYTHON:-/usr/bin/python3}
missing=()
"$PY" -c 'import vobject' 2>/dev/null || missing+=(python3-vobject)
command -v khard >/dev/null 2>&1 || missing+=(khard)
[ -f /usr/share/java/ez-vcard.jar ] || missing+=(libez-vcard-java)
[ -f /usr/share/java/vinnie.jar ] || missing+=(libvinnie-java)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v adb >/dev/null 2>&1 || missing+=(adb)
command -v radicale >/dev/null 2>&1 || "$PY" -c 'import radicale' 2>/dev/null || missing+=(radicale)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=()
if [ "$(id -u)" != 0 ]; then
  # -n: never wait for a password nobody is there to type.
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
  else
    echo "setup: not installing ${missing[*]}: needs root or password-less sudo" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: not installing ${missing[*]}: no apt-get (Debian packages)" >&2
  exit 1
fi
echo "setup: installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
