#!/usr/bin/env bash
# tests/cli/demo_supply.sh EGOV STORE - `egov demo --supply` on a fresh store (STORE sqlite, or
# pg: a database created on the server named by EGOV_TEST_PG, see tests/with-pg.sh), then the
# counts of the service chain read back with sqlite3/psql: two months of issued bills, the newest
# month's drafts, issued settlements with the 0.95 quality coefficient, a budget alert past 80 %,
# an intact audit chain; a second run changes nothing. On pg the same run on SQLite must give the
# same bills (the generated usage is deterministic and the rating exact on both stores).
set -euo pipefail
bin=$1 store=$2
dir=$(mktemp -d /tmp/egov-demo-supply.XXXXXX)
db_name=""
cleanup() {
  [[ -n $db_name ]] && psql -q "$EGOV_TEST_PG" -c "DROP DATABASE IF EXISTS $db_name" >/dev/null 2>&1
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "demo_supply: $*" >&2; exit 1; }

if [[ $store == pg ]]; then
  [[ -n ${EGOV_TEST_PG:-} ]] || fail "store pg needs EGOV_TEST_PG (run under tests/with-pg.sh)"
  db_name="egov_demo_$$_$RANDOM"
  psql -q "$EGOV_TEST_PG" -c "CREATE DATABASE $db_name" >/dev/null
  url="${EGOV_TEST_PG%/*}/$db_name"
  q() { psql -X -A -t -q "$url" -c "$1"; }
else
  url="sqlite:$dir/egov.db"
  q() { sqlite3 -batch -bail "$dir/egov.db" "$1"; }
fi

# The service chain signs catalogue editions: a PostgreSQL store has no folder to keep the key
# beside, so name a key file (generated on first use, docs/keys.md).
"$bin" demo --supply --db "$url" --signing-key "file:$dir/signing.key" >"$dir/out" 2>"$dir/err" || { cat "$dir/out" "$dir/err" >&2; fail "demo --supply failed"; }
grep -q "demo service chain created" "$dir/out" || fail "no summary printed: $(cat "$dir/out")"

eq() { # what, got, want
  [[ $2 == "$3" ]] || fail "$1: got '$2', want '$3'"
}
ge() {
  [[ $2 =~ ^[0-9]+$ && $2 -ge $3 ]] || fail "$1: got '$2', want at least $3"
}
newest=$(q "SELECT max(period) FROM bills")
eq "periods with bills" "$(q "SELECT count(DISTINCT period) FROM bills")" 3
eq "states of the two oldest months" "$(q "SELECT DISTINCT state FROM bills WHERE period < '$newest'")" issued
eq "state of the newest month" "$(q "SELECT DISTINCT state FROM bills WHERE period = '$newest'")" draft
ge "issued bills" "$(q "SELECT count(*) FROM bills WHERE state = 'issued'")" 6
ge "bill lines at the list price (no basis)" "$(q "SELECT count(*) FROM bill_lines WHERE basis_id IS NULL")" 1
ge "service levels billed" "$(q "SELECT count(DISTINCT service_level) FROM bill_lines")" 3
eq "issued settlements" "$(q "SELECT count(*) FROM settlements WHERE state = 'issued'")" 2
eq "coefficients" "$(q "SELECT coefficient FROM settlements ORDER BY period")" $'9500\n10000'
# A line counts the bills of its own fiscal year; the demo's lines are of the current year (CST),
# so from January to March fewer (or no) issued months count towards an alert.
year=$(TZ=Asia/Shanghai date +%Y)
if [[ -n $(q "SELECT period FROM bills WHERE state = 'issued' AND period LIKE '$year-%' LIMIT 1") ]]; then
  ge "budget alerts" "$(q "SELECT count(*) FROM budget_alerts WHERE threshold_pct = 80")" 1
fi
ge "usage records" "$(q "SELECT count(*) FROM usage_records")" 3000
eq "orders delivered" "$(q "SELECT count(*) FROM orders WHERE state = 'delivered'")" 6
eq "products online" "$(q "SELECT count(*) FROM products WHERE state = 'online'")" 2
"$bin" audit verify --db "$url" >/dev/null 2>&1 || fail "audit verify after demo --supply"

# Twice: harmless. Exit 0, says so, writes nothing (not even an audit record).
audit=$(q "SELECT count(*) FROM audit_log") bills=$(q "SELECT count(*) FROM bills")
"$bin" demo --supply --db "$url" --signing-key "file:$dir/signing.key" >"$dir/out2" 2>"$dir/err2" || { cat "$dir/err2" >&2; fail "second demo --supply exited non-zero"; }
grep -q "already in this store" "$dir/out2" || fail "second run did not say the chain is there"
eq "audit records after a second run" "$(q "SELECT count(*) FROM audit_log")" "$audit"
eq "bills after a second run" "$(q "SELECT count(*) FROM bills")" "$bills"

if [[ $store == pg ]]; then
  "$bin" demo --supply --db "sqlite:$dir/twin.db" >/dev/null 2>&1 || fail "demo --supply on SQLite failed"
  want=$(sqlite3 -batch "$dir/twin.db" "SELECT period || ' ' || state || ' ' || sum(total_fen) FROM bills GROUP BY period, state ORDER BY period")
  eq "bills on PostgreSQL and SQLite" "$(q "SELECT period || ' ' || state || ' ' || sum(total_fen) FROM bills GROUP BY period, state ORDER BY period")" "$want"
fi
echo "demo_supply ($store): ok"
