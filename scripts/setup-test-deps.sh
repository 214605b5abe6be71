#!/usr/bin/env bash
# Installs the Debian packages the test suite checks our output with, when they are missing:
# python3-vobject, khard and ez-vcard (independent vCard parsers), adb (the real adb server) and
# radicale (the CardDAV server the sync tests write into).
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import vobject' 2>/dev/null || missing+=(python3-vobject)
command -v khard >/dev/null 2>&1 || missing+=(khard)
[ -f /usr/share/java/ez-vcard.jar ] || missing+=(libez-vcard-java)
[ -f /usr/share/java/vinnie.jar ] || missing+=(libvinnie-java)
command -v adb >/dev/null 2>&1 || missing+=(adb)
command -v javac >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v radicale >/dev/null 2>&1 || missing+=(radicale)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "setup: installing Debian packages: ${missing[*]}" >&2
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
