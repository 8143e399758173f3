#!/usr/bin/env bash
# The dsr demo: installs what is missing, builds, generates sample data for
# every kind of source from the same customers (CRM database, support
# mailbox, ticket system, spreadsheets, address book, chat logs), creates a
# demo agent and a demo DPO with API tokens, starts the coordinator (embedded
# SQLite store), a local stand-in for Zendesk and one worker per source, files
# real requests over the HTTP API with those tokens, and shows what came
# back. Then it stops what it started. Everything runs as in production:
# workers authenticate with CurveZMQ keys, the API speaks HTTPS (keys and a
# self-signed certificate are made under the demo's folder).
#
#   deploy/demo.sh           run the demo once and stop
#   deploy/demo.sh --serve   leave coordinator and workers running on the
#                            sample data until Ctrl-C or SIGTERM
set -euo pipefail

serve=false
case "${1:-}" in
  "") ;;
  --serve) serve=true ;;
  -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
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
cmake --build "$build" --target dsr-coordinator dsr-worker dsrctl dsr-sample-crm \
  dsr-zendesk-standin | tail -n 1

work="$(mktemp -d /tmp/dsr-demo.XXXXXX)"
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap stop_all EXIT

say "Generating sample data for every source in $work"
"$bin/dsr-sample-crm" --out "$work/crm.db" --mailbox "$work/mailbox" --tickets "$work/tickets.json" \
  --files "$work/files" | tee "$work/samples.txt" | sed 's/^/  /'

# wait_for SECONDS COMMAND...: polls COMMAND until it succeeds, or fails after SECONDS.
wait_for() {
  local limit=$(( $1 * 10 )); shift
  for (( i = 0; i < limit; i++ )); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

say "Making CurveZMQ keys (dsrctl keygen) and a self-signed certificate in $work"
mkdir -p "$work/keys" "$work/tls"
"$bin/dsrctl" keygen --name coordinator --dir "$work/keys" >/dev/null
for source in crm mail tickets files; do
  # The example coordinator config allows key NAME-1 for source NAME.
  "$bin/dsrctl" keygen --name "$source-1" --sources "$source" --dir "$work/keys" >/dev/null
done
echo "  $(ls "$work/keys" | tr '\n' ' ')"
ca="$work/tls/coordinator.crt"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
  -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  -keyout "$work/tls/coordinator.key" -out "$ca" 2>/dev/null
chmod 600 "$work/tls/coordinator.key"
echo "  certificate $ca (clients trust it with --ca-file / DSR_CA_FILE, curl --cacert)"
export DSR_CA_FILE="$ca"
curl() { command curl --cacert "$ca" "$@"; }

say "Creating a demo agent and a demo DPO, each with an API token"
# Users and tokens live in the store; dsrctl makes them there before the
# coordinator runs (docs/SECURITY.md, "Users, roles and tokens").
store_url="sqlite3://db=$work/dsr.db"
for role in agent dpo; do
  head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$work/demo-$role.password"
  chmod 600 "$work/demo-$role.password"
  "$bin/dsrctl" user add --store "$store_url" --name "demo-$role" --role "$role" \
    --password-file "$work/demo-$role.password" | sed 's/^/  /'
  "$bin/dsrctl" token create --store "$store_url" --user "demo-$role" --label demo \
    > "$work/demo-$role.token" 2>/dev/null
  chmod 600 "$work/demo-$role.token"
done
agent_token="$(cat "$work/demo-agent.token")"
dpo_token="$(cat "$work/demo-dpo.token")"
echo "TOKEN agent: $agent_token"
echo "TOKEN dpo: $dpo_token"

say "Starting the coordinator (store: $work/dsr.db)"
# The data key that encrypts everything holding personal data at rest.
mkdir -p "$work/keys" && chmod 700 "$work/keys"
[ -f "$work/keys/data.key" ] || "$bin/dsrctl" datakey generate --out "$work/keys/data.key" >/dev/null
sed -e "s#/var/lib/dsr/dsr.db#$work/dsr.db#" \
    -e "s#/etc/dsr/keys/#$work/keys/#" -e "s#/etc/dsr/tls/#$work/tls/#" \
    -e "s#^data_dir: /var/lib/dsr#data_dir: $work/data#" \
    -e "s#/var/lib/dsr/audit.key#$work/audit.key#" \
    -e "s|^  # key_file: /etc/dsr/data.key|  key_file: $work/keys/data.key|" \
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

say "Starting dsr-zendesk-standin, a local stand-in for Zendesk (not Zendesk), on the sample tickets"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/zendesk.token"
chmod 600 "$work/zendesk.token"
"$bin/dsr-zendesk-standin" --data "$work/tickets.json" --token-file "$work/zendesk.token" \
  --auth-email dsr@example.com --listen 127.0.0.1:0 --ready-file "$work/zendesk.json" \
  >"$work/zendesk-standin.log" 2>&1 &
pids+=("$!")
if ! wait_for 30 test -s "$work/zendesk.json"; then
  echo "the stand-in did not start; its log:" >&2; cat "$work/zendesk-standin.log" >&2; exit 1
fi
zendesk="$(sed -n 's/.*"url": *"\([^"]*\)".*/\1/p' "$work/zendesk.json")"
echo "  Zendesk API stand-in at $zendesk"

# The secret for keyed hashes of anonymized values (erasure in the CRM).
head -c 48 /dev/urandom > "$work/anonymize.key"
chmod 600 "$work/anonymize.key"
# start_worker SOURCE WHAT: a worker from deploy/examples/worker-SOURCE.yaml on the sample data.
start_worker() {
  local source="$1"
  echo "  $source: $2"
  sed -e "s#tcp://127.0.0.1:5555#$broker#" -e "s#/var/lib/dsr/sample-crm.db#$work/crm.db#" \
      -e "s#/etc/dsr/keys/#$work/keys/#" \
      -e "s#/var/lib/dsr/anonymize.key#$work/anonymize.key#" \
      -e "s#/var/lib/dsr/worker-journal#$work/worker-journal#" \
      -e "s#/var/lib/dsr/sample-mailbox#$work/mailbox#" \
      -e "s#/var/lib/dsr/sample-files#$work/files#" \
      -e "s#http://127.0.0.1:8090#$zendesk#" -e "s#/etc/dsr/zendesk.token#$work/zendesk.token#" \
      "$repo/deploy/examples/worker-$source.yaml" > "$work/worker-$source.yaml"
  "$bin/dsr-worker" --config "$work/worker-$source.yaml" >"$work/worker-$source.log" 2>&1 &
  pids+=("$!")
  if ! wait_for 30 eval "curl -sf -H 'Authorization: Bearer $agent_token' '$api/api/v1/sources' |
                        grep -q '\"$source-1\"'"; then
    echo "the $source worker did not connect; its log:" >&2; cat "$work/worker-$source.log" >&2
    exit 1
  fi
}
say "Starting one worker per source"
start_worker crm "SQL connector on the sample CRM"
start_worker mail "mail connector on the support mailbox (Maildir)"
start_worker tickets "http connector, Zendesk profile, on the stand-in"
start_worker files "files connector on spreadsheets, an address book and chat logs"

# sample_field KIND FIELD: a field of the first SAMPLE line of that kind.
sample_field() {
  grep "case=$1" "$work/samples.txt" | head -n 1 | sed -n "s/.* $2=\([^ ]*\) .*/\1/p"
}
# The agent files and handles requests; the DPO decides what is theirs to
# decide (extensions, refusals, answers that keep data under legal holds) and
# reads the dashboard.
dsrctl() { DSR_TOKEN="$agent_token" "$bin/dsrctl" "$@"; }
as_dpo() { DSR_TOKEN="$dpo_token" "$bin/dsrctl" "$@"; }

# handle ID [APPROVER]: what an agent does with a new request: record the
# identity check, wait for the sources, exclude ambiguous records; then the
# agent (or APPROVER, e.g. as_dpo) approves.
handle() {
  local id="$1" approve="${2:-dsrctl}"
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
  "$approve" approve "$id" --note "checked by the demo" >/dev/null
  dsrctl wait "$id" --timeout 60 >/dev/null
}

email="$(sample_field typical email)"
customer="$(sample_field typical customer_id)"
say "1. Access (Art. 15 GDPR) for customer $customer <$email>, across every source"
access="$(dsrctl submit --type access --email "$email" --channel email --language de)"
handle "$access"
# "Differs" shows where the sources disagree about the subject (Art. 5(1)(d)):
# this customer's phone number in the ticket system is an old one.
dsrctl show "$access" | sed '/^Events/,$d'
bundle="$work/dsr-$access.zip"
dsrctl bundle "$access" --out "$bundle" >/dev/null
echo "  Bundle: $bundle"
unzip -l "$bundle" | sed 's/^/  /'
echo "  Records per source and table, folder or file:"
for records in $(unzip -Z1 "$bundle" | grep 'records.json$'); do
  count="$(unzip -p "$bundle" "$records" | grep -c '^{' || true)"
  printf '    %-56s %s\n' "$records" "$count"
done
# The data subject gets the answer by a link that expires, with a code the
# agent tells them by another channel (phone, SMS); no login needed.
delivery="$(dsrctl deliver "$access" --days 14 --code 2>/dev/null)"
link="$(echo "$delivery" | sed -n 1p)"
code="$(echo "$delivery" | sed -n 2p | grep -o '[0-9]\{8\}')"
echo "  Delivery link for the data subject: $link (one-time code $code)"
curl -fsS --data-urlencode "code=$code" "$link/bundle" -o "$work/delivered.zip"
if cmp -s "$bundle" "$work/delivered.zip"; then
  echo "  Downloaded by link with the code: the same bundle"
else
  echo "demo.sh: the bundle downloaded by link differs from the agent's" >&2
  exit 1
fi

email="$(sample_field mixed-case-email email)"
customer="$(sample_field mixed-case-email customer_id)"
say "2. Rectification (Art. 16) for customer $customer: new e-mail address and postal address"
echo "  (the mailbox cannot be corrected, and says so; the others are)"
rectification="$(dsrctl submit --type rectification --email "$email" --language en \
  --new-email "new.address@example.net" --new-street "Lindenstraße 5" --new-postal-code 50674 \
  --new-city Köln --new-country DE)"
handle "$rectification"
dsrctl show "$rectification" | sed -n '/^Tasks/,/^Events/p' | sed '$d'
dsrctl letter "$rectification" --out "$work/letter-rectification.html" >/dev/null
echo "  Letter: $work/letter-rectification.html"

email="$(sample_field invoice-paid-next-year email)"
customer="$(sample_field invoice-paid-next-year customer_id)"
say "3. Erasure (Art. 17) for customer $customer across every source"
echo "  (invoices and business letters are kept under legal holds, the rest is erased)"
erasure="$(dsrctl submit --type erasure --email "$email" --language de)"
echo "  (an answer that keeps data under holds is approved by the DPO, not the agent)"
handle "$erasure" as_dpo
dsrctl show "$erasure" | sed -n '/^Tasks/,/^Events/p' | sed '$d'
dsrctl letter "$erasure" --out "$work/letter-erasure.html" >/dev/null
echo "  Letter: $work/letter-erasure.html"
echo "  Holds (erased by the engine itself when they end):"
dsrctl holds | sed 's/^/  /'

say "4. A refused request (Art. 12(5)), with the letter that says why and where to complain"
rejected="$(dsrctl submit --type access --email "$email" --language en)"
as_dpo reject "$rejected" --ground excessive \
  --reason "This is the fourth identical request within two weeks; we answered it on the first." >/dev/null
dsrctl letter "$rejected" --out "$work/letter-rejection.html" >/dev/null
echo "  Letter: $work/letter-rejection.html"

say "5. Where is personal data the record of processing does not list? (dsr-worker --discover)"
for source in crm mail tickets files; do
  "$bin/dsr-worker" --config "$work/worker-$source.yaml" --discover \
    > "$work/discover-$source.json" 2>> "$work/discover.log"
done
as_dpo discover "$work"/discover-{crm,mail,tickets,files}.json

say "6. The DPO's view: an extended deadline (Art. 12(3)), the dashboard and the report (Art. 5(2))"
received="$(TZ=Europe/Berlin date -d '-25 days' +%F)"
busy="$(dsrctl submit --type access --email "$email" --language de --received "$received" 2>/dev/null)"
as_dpo extend "$busy" --reason "Wir erhalten derzeit außergewöhnlich viele Anfragen und \
müssen Ihre Daten aus vier Systemen zusammentragen." 2>&1 >/dev/null | sed 's/^/  /'
dsrctl letter "$busy" --extension --out "$work/letter-extension.html" >/dev/null
echo "  Notice of the extension: $work/letter-extension.html"
echo "  Open requests due within 70 days:"
dsrctl requests --due-within 70d | sed 's/^/  /'
as_dpo dashboard | sed 's/^/  /'
curl -fsS -H "Authorization: Bearer $dpo_token" "$api/api/v1/reports/requests.html?lang=de" \
  -o "$work/report.html"
echo "  Report of the last 90 days: $work/report.html"

say "The audit trail"
dsrctl list
dsrctl audit verify --store "sqlite3://db=$work/dsr.db"

if ! $serve; then
  say "Done. Files are in $work (logs, store, bundle); the processes are stopped."
  exit 0
fi

say "dsr is running on the sample data. Ctrl-C stops it."
echo "API: $api"
echo "TOKEN agent: $agent_token"
echo "TOKEN dpo: $dpo_token"
echo "Its certificate is self-signed: $ca"
echo "Try:"
echo "  export DSR_URL=$api DSR_CA_FILE=$ca DSR_TOKEN=$agent_token"
echo "  $bin/dsrctl list"
echo "  $bin/dsrctl show $access"
echo "  curl --cacert $ca -s -H 'Authorization: Bearer $agent_token' $api/api/v1/sources"
echo "  DSR_TOKEN=$dpo_token $bin/dsrctl dashboard"
echo "Web interface: $api/ (sign in as demo-agent or demo-dpo)"
echo "  password of demo-agent: $(cat "$work/demo-agent.password")"
echo "  password of demo-dpo:   $(cat "$work/demo-dpo.password")"
echo "Sample identities (from $work/samples.txt):"
sed -e 's/^SAMPLE /  /' "$work/samples.txt" | grep -v '^CREATED'
first_email="$(sed -n 's/.* email=\([^ ]*\) .*/\1/p' "$work/samples.txt" | sed -n 2p)"
echo "  e.g.  $bin/dsrctl submit --email $first_email && $bin/dsrctl list"
trap 'stop_all; exit 0' INT TERM
wait
