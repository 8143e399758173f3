#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in their own build
# directory and runs each for a bounded time on its seed corpus
# (fuzz/corpus/<target>). Prints one line per target and fails if any target
# found a crash, a hang, a leak or an out-of-memory; the input that did it is
# kept under <build>/findings/<target>/.
#
#   fuzz/run.sh                         # 30 s per target, as CI runs it
#   FUZZ_SECONDS=600 fuzz/run.sh        # longer, by hand
#   FUZZ_TARGETS="wire_fuzz" fuzz/run.sh
#
# New inputs found are written to <build>/corpus/<target>, never into the
# repository's seed corpus; minimize them (-merge=1) before adding any.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DSR_FUZZ_BUILD_DIR:-$repo/build-fuzz}"
seconds="${FUZZ_SECONDS:-30}"
targets=(${FUZZ_TARGETS:-wire_fuzz api_body_fuzz config_fuzz csv_fuzz vcard_fuzz mime_fuzz})

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++-14 -DDSR_BUILD_FUZZ=ON -DDSR_WERROR=ON \
  -DDSR_BUILD_TESTS=OFF -DDSR_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null
cmake --build "$build" --target dsr_fuzz

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:allocator_may_return_null=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
failed=0
printf '%-14s %10s %8s %7s  %s\n' target executions exec/s corpus result
for target in "${targets[@]}"; do
  work="$build/corpus/$target"
  findings="$build/findings/$target"
  log="$build/logs/$target.log"
  mkdir -p "$work" "$findings" "$(dirname "$log")"
  status=0
  # Hangs: -timeout per input; memory: -rss_limit_mb and -malloc_limit_mb.
  "$build/fuzz/$target" "$work" "$repo/fuzz/corpus/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
    -max_len=65536 -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1 || status=$?
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  speed="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  corpus="$(find "$work" -type f | wc -l)"
  if [ "$status" -eq 0 ]; then
    result=ok
  else
    failed=1
    result="FAILED (exit $status): $(ls "$findings" | head -3 | tr '\n' ' ')see $log"
  fi
  printf '%-14s %10s %8s %7s  %s\n' "$target" "${runs:-?}" "${speed:-?}" "$corpus" "$result"
done
if [ "$failed" -ne 0 ]; then
  echo "fuzz: a target failed; the inputs are under $build/findings" >&2
  exit 1
fi
