#!/usr/bin/env bash
# Runs every test of dsr on a Debian 12 machine: installs the packages the
# build and the tests need, builds with warnings as errors, runs CTest (unit
# tests per module and end-to-end tests that start the real binaries).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DSR_BUILD_DIR:-$repo/build}"

bash "$repo/deploy/setup.sh"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDSR_WERROR=ON \
  -DDSR_BUILD_TESTS=ON >/dev/null
cmake --build "$build"
ctest --test-dir "$build" --output-on-failure --timeout 600 -j 2
