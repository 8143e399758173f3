#!/usr/bin/env bash
# The dsr demo: installs what is missing, builds, generates a sample CRM,
# starts the coordinator (embedded SQLite store) and one SQL worker, files a
# real access request for a sample customer over the HTTP API, waits for it,
# and shows the response bundle. Then it stops what it started.
#
#   deploy/demo.sh           run the demo once and stop
#   deploy/demo.sh --serve   leave coordinator and worker running on the
#                            sample data until Ctrl-C or SIGTERM
set -euo pipefail

serve=false
case "${1:-}" in
  "") ;;
  --serve) serve=true ;;
  -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "demo.sh: unknown option '$1' (use --serve or --help)" >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$repo/build"
bin="$build/bin"

say() { printf '\n== %s\n' "$*"; }

say "Installing build and run-time packages (Debian 12)"
bash "$repo/deploy/setup.sh"

say "Building dsr in $build"
cmake -S "$repo" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target dsr-coordinator dsr-worker dsrctl dsr-sample-crm | tail -n 1

work="$(mktemp -d /tmp/dsr-demo.XXXXXX)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

say "Generating a sample CRM in $work/crm.db"
"$bin/dsr-sample-crm" --out "$work/crm.db" | tee "$work/samples.txt" | sed 's/^/  /'

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds, or fails after SECONDS.
wait_for() {
  local limit=$(( $1 * 10 )); shift
  for (( i = 0; i < limit; i++ )); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

say "Starting the coordinator (store: $work/dsr.db)"
sed -e "s#/var/lib/dsr/dsr.db#$work/dsr.db#" \
    -e "s#^data_dir: /var/lib/dsr#data_dir: $work/data#" \
    -e "s#127.0.0.1:8080#127.0.0.1:0#" \
    -e "s#tcp://127.0.0.1:5555#tcp://127.0.0.1:*#" \
    "$repo/deploy/examples/coordinator.yaml" > "$work/coordinator.yaml"
"$bin/dsr-coordinator" --config "$work/coordinator.yaml" --ready-file "$work/ready.json" \
  >"$work/coordinator.log" 2>&1 &
pids+=("$!")
if ! wait_for 30 test -s "$work/ready.json"; then
  echo "the coordinator did not start; its log:" >&2; cat "$work/coordinator.log" >&2; exit 1
fi
api="$(sed -n 's/.*"http":"\([^"]*\)".*/\1/p' "$work/ready.json")"
broker="$(sed -n 's/.*"broker":"\([^"]*\)".*/\1/p' "$work/ready.json")"
export DSR_URL="$api"
echo "  API $api, workers connect to $broker"

say "Starting a worker for source 'crm' (SQL connector on the sample CRM)"
sed -e "s#tcp://127.0.0.1:5555#$broker#" -e "s#/var/lib/dsr/sample-crm.db#$work/crm.db#" \
    "$repo/deploy/examples/worker-crm.yaml" > "$work/worker-crm.yaml"
"$bin/dsr-worker" --config "$work/worker-crm.yaml" >"$work/worker-crm.log" 2>&1 &
pids+=("$!")
if ! wait_for 30 grep -q '"crm-1"' <(curl -sf "$api/api/v1/sources"); then
  echo "the worker did not connect; its log:" >&2; cat "$work/worker-crm.log" >&2; exit 1
fi

sample_line="$(grep 'case=typical' "$work/samples.txt" | head -n 1)"
email="$(sed -n 's/.* email=\([^ ]*\) .*/\1/p' <<<"$sample_line")"
customer="$(sed -n 's/.*customer_id=\([^ ]*\) .*/\1/p' <<<"$sample_line")"

say "Filing an access request (Art. 15 GDPR) for customer $customer <$email>"
id="$("$bin/dsrctl" submit --type access --email "$email" --channel email --language de)"
"$bin/dsrctl" wait "$id" --timeout 60 >/dev/null
"$bin/dsrctl" show "$id"

say "The response bundle"
bundle="$work/dsr-$id.zip"
"$bin/dsrctl" bundle "$id" --out "$bundle" >/dev/null
echo "  Bundle: $bundle"
unzip -l "$bundle" | sed 's/^/  /'
echo "  Records per table:"
for records in $(unzip -Z1 "$bundle" | grep 'records.json$'); do
  count="$(unzip -p "$bundle" "$records" | grep -c '^{' || true)"
  printf '    %-42s %s\n' "$records" "$count"
done

if ! $serve; then
  say "Done. Files are in $work (logs, store, bundle); the processes are stopped."
  exit 0
fi

say "dsr is running on the sample data. Ctrl-C stops it."
echo "API: $api"
echo "Try:"
echo "  export DSR_URL=$api"
echo "  $bin/dsrctl list"
echo "  $bin/dsrctl show $id"
echo "  curl -s $api/api/v1/sources"
echo "Sample identities (from $work/samples.txt):"
sed -e 's/^SAMPLE /  /' "$work/samples.txt" | grep -v '^CREATED'
first_email="$(sed -n 's/.* email=\([^ ]*\) .*/\1/p' "$work/samples.txt" | sed -n 2p)"
echo "  e.g.  $bin/dsrctl submit --email $first_email && $bin/dsrctl list"
trap 'stop_all; exit 0' INT TERM
wait
