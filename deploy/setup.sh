#!/usr/bin/env bash
# Installs every Debian 12 package that building, running and testing dsr need.
# Idempotent and quiet: packages already present are not touched. Run as root.
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
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh: missing packages (${missing[*]}); run this script as root" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# --no-install-recommends: valijson would otherwise pull in a desktop stack.
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
