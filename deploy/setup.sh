#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing dsr need.
# Idempotent and quiet: packages already present are not touched. Run as root.
# Then installs the browser tests' npm packages (tests/browser) from their lock file.
set -euo pipefail

packages=(
  # build
  cmake ninja-build ccache g++ pkg-config git
  # fuzz/run.sh: clang and its libFuzzer and sanitizer runtimes
  clang-14 libclang-rt-14-dev
  # libraries
  libzmq3-dev cppzmq-dev libsoci-dev libboost-dev libsqlite3-dev libmariadb-dev libssl-dev
  libsodium-dev libpoco-dev libyaml-cpp-dev nlohmann-json3-dev libvalijson-dev doctest-dev libkainjow-mustache-dev
  # run time and tests
  sqlite3 tzdata unzip curl python3 ca-certificates mariadb-server-core mariadb-client-core
  # mail connector tests: a real IMAP server, and openssl for its TLS certificate
  # (also the coordinator's self-signed certificate in the demo and the tests)
  dovecot-imapd openssl
  # reminder tests: a real SMTP server
  python3-aiosmtpd
  # browser tests (tests/browser): Debian's Chromium, driven headless, and a font
  chromium fonts-dejavu-core
)
# The browser tests' runner: the machine's Node.js and npm when it has them,
# else Debian's.
command -v node >/dev/null || packages+=(nodejs)
command -v npm >/dev/null || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup.sh: missing packages (${missing[*]}); run this script as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  # --no-install-recommends: valijson would otherwise pull in a desktop stack.
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The browser tests' npm packages, exactly as the lock file pins them; again
# only when the installed ones are not those of the current lock file.
browser="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
if ! cmp -s "$browser/package-lock.json" "$browser/node_modules/.dsr-lock"; then
  (cd "$browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$browser/package-lock.json" "$browser/node_modules/.dsr-lock"
fi
