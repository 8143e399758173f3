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
    -e "s#/var/lib/dsr/audit.key#$work/audit.key#" \
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
# The secret for keyed hashes of anonymized values (erasure).
head -c 48 /dev/urandom > "$work/anonymize.key"
chmod 600 "$work/anonymize.key"
sed -e "s#tcp://127.0.0.1:5555#$broker#" -e "s#/var/lib/dsr/sample-crm.db#$work/crm.db#" \
    -e "s#/var/lib/dsr/anonymize.key#$work/anonymize.key#" \
    "$repo/deploy/examples/worker-crm.yaml" > "$work/worker-crm.yaml"
"$bin/dsr-worker" --config "$work/worker-crm.yaml" >"$work/worker-crm.log" 2>&1 &
pids+=("$!")
worker_connected() { curl -sf "$api/api/v1/sources" | grep -q '"crm-1"'; }
if ! wait_for 30 worker_connected; then
  echo "the worker did not connect; its log:" >&2; cat "$work/worker-crm.log" >&2; exit 1
fi

# sample_field KIND FIELD: a field of the first SAMPLE line of that kind.
sample_field() {
  grep "case=$1" "$work/samples.txt" | head -n 1 | sed -n "s/.* $2=\([^ ]*\) .*/\1/p"
}
dsrctl() { "$bin/dsrctl" "$@"; }

# handle ID: what an agent does with a new request: record the identity
# check, wait for the sources, exclude ambiguous records, approve.
handle() {
  local id="$1"
  dsrctl identity "$id" --method email_reply --outcome confirmed >/dev/null
  dsrctl wait "$id" --until in_review --timeout 60 >/dev/null
  local line task collection
  while read -r task collection line; do
    dsrctl review "$id" --task "$task" --collection "$collection" --line "$line" --exclude \
      --reason "not shown to be the data subject's" >/dev/null
  done < <(dsrctl records "$id" --ambiguous --limit 500 --json |
           python3 -c 'import json,sys
for r in json.load(sys.stdin)["records"]:
    if r["decision"] is None: print(r["task_id"], r["collection"], r["line"])')
  dsrctl approve "$id" --note "checked by the demo" >/dev/null
  dsrctl wait "$id" --timeout 60 >/dev/null
}

email="$(sample_field typical email)"
customer="$(sample_field typical customer_id)"
say "1. Access (Art. 15 GDPR) for customer $customer <$email>"
access="$(dsrctl submit --type access --email "$email" --channel email --language de)"
handle "$access"
dsrctl show "$access" | sed -n '1,12p'
bundle="$work/dsr-$access.zip"
dsrctl bundle "$access" --out "$bundle" >/dev/null
echo "  Bundle: $bundle"
unzip -l "$bundle" | sed 's/^/  /'
echo "  Records per table:"
for records in $(unzip -Z1 "$bundle" | grep 'records.json$'); do
  count="$(unzip -p "$bundle" "$records" | grep -c '^{' || true)"
  printf '    %-42s %s\n' "$records" "$count"
done

email="$(sample_field mixed-case-email email)"
customer="$(sample_field mixed-case-email customer_id)"
say "2. Rectification (Art. 16) for customer $customer: new e-mail address and postal address"
rectification="$(dsrctl submit --type rectification --email "$email" --language en \
  --new-email "new.address@example.net" --new-street "Lindenstraße 5" --new-postal-code 50674 \
  --new-city Köln --new-country DE)"
handle "$rectification"
dsrctl show "$rectification" | sed -n '/^Tasks/,/^Events/p' | sed '$d'
dsrctl letter "$rectification" --out "$work/letter-rectification.html" >/dev/null
echo "  Letter: $work/letter-rectification.html"

email="$(sample_field invoice-paid-next-year email)"
customer="$(sample_field invoice-paid-next-year customer_id)"
say "3. Erasure (Art. 17) for customer $customer: invoices are kept under a legal hold"
erasure="$(dsrctl submit --type erasure --email "$email" --language de)"
handle "$erasure"
dsrctl show "$erasure" | sed -n '/^Tasks/,/^Events/p' | sed '$d'
dsrctl letter "$erasure" --out "$work/letter-erasure.html" >/dev/null
echo "  Letter: $work/letter-erasure.html"
echo "  Holds (erased by the engine itself when they end):"
dsrctl holds | sed 's/^/  /'

say "4. A refused request (Art. 12(5)), with the letter that says why and where to complain"
rejected="$(dsrctl submit --type access --email "$email" --language en)"
dsrctl reject "$rejected" --ground excessive \
  --reason "This is the fourth identical request within two weeks; we answered it on the first." >/dev/null
dsrctl letter "$rejected" --out "$work/letter-rejection.html" >/dev/null
echo "  Letter: $work/letter-rejection.html"

say "The audit trail"
dsrctl list
dsrctl audit verify --store "sqlite3://db=$work/dsr.db"

if ! $serve; then
  say "Done. Files are in $work (logs, store, bundle); the processes are stopped."
  exit 0
fi

say "dsr is running on the sample data. Ctrl-C stops it."
echo "API: $api"
echo "Try:"
echo "  export DSR_URL=$api"
echo "  $bin/dsrctl list"
echo "  $bin/dsrctl show $access"
echo "  curl -s $api/api/v1/sources"
echo "Sample identities (from $work/samples.txt):"
sed -e 's/^SAMPLE /  /' "$work/samples.txt" | grep -v '^CREATED'
first_email="$(sed -n 's/.* email=\([^ ]*\) .*/\1/p' "$work/samples.txt" | sed -n 2p)"
echo "  e.g.  $bin/dsrctl submit --email $first_email && $bin/dsrctl list"
trap 'stop_all; exit 0' INT TERM
wait
