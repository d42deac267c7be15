#!/usr/bin/env bash
# bench/billing.sh RESULTS_FILE - rating and billing of a month of usage (issue 6), measured
# side by side with its ceiling in one run, appended to RESULTS_FILE:
#   SQLite: `egov usage import` of a month of records (and, for the ingest's cost of keeping
#           usage_daily, bench/usage_ceiling.c on the same file); then `egov billing run`
#           (from usage_daily), `egov billing run --from-records`, `egov billing verify`, each
#           with its peak RSS, against ONE plain SQL query in sqlite3 that does the same
#           aggregation from usage_records (and, like for like with the default path, from
#           usage_daily); the plain query's per-agency totals must equal egov's bills exactly;
#   PostgreSQL (tests/with-pg.sh, a throwaway server): the same with psql.
# BENCH_BILLING_RECORDS (default BENCH_USAGE_RECORDS, else 10000000) sets the size,
# BENCH_BILLING_PG_RECORDS (default the same) the PostgreSQL size; BENCH_STORES as in run.sh.
# The month is 2026-03 of China Standard Time; everything runs on 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$here/RESULTS.md}
bin=$root/build-bench/egov
N=${BENCH_BILLING_RECORDS:-${BENCH_USAGE_RECORDS:-10000000}}
NPG=${BENCH_BILLING_PG_RECORDS:-$N}
STORES=${BENCH_STORES:-sqlite pg}
ALLOCS=1000
MONTH=2026-03
AIM=5
W=$(mktemp -d /tmp/egov-billing.XXXXXX)
chmod 755 "$W"
trap 'rm -rf "$W"' EXIT

gen() { python3 "$here/usage_gen.py" "$@"; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
# Runs a command, prints "SECONDS PEAK_RSS_KB" of it; its output is in $W/last.out.
timed() { /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/last.out" 2>"$W/last.err"; cat "$W/time"; }

# The month's bounds: Unix ms of its first and next CST midnight, and their day numbers (the
# day of a CST time t ms is (t + 28800000) / 86400000, as usage_daily keeps it).
read -r MS0 MS1 D0 D1 < <(python3 - "$MONTH" <<'PY'
import datetime, sys
y, m = map(int, sys.argv[1].split("-"))
cst = datetime.timezone(datetime.timedelta(hours=8))
a = datetime.datetime(y, m, 1, tzinfo=cst)
b = datetime.datetime(y + m // 12, m % 12 + 1, 1, tzinfo=cst)
ms = lambda d: int(d.timestamp()) * 1000
print(ms(a), ms(b), (ms(a) + 28800000) // 86400000, (ms(b) + 28800000) // 86400000)
PY
)

# plain_sql sqlite|pg records|daily: ONE query doing the whole rating: usage summed per series
# and CST day (or read from usage_daily), joined to the allocation (agency, application system,
# service level), the metric's product and provider, the order's budget line and the price
# basis in force on the day; grouped into bill lines; each line priced in graduated tiers
# (the level's rates, else standard's, else the basis' price; no basis: the list price), rounded
# half up to the fen once per line; answered per agency: lines, records, total fen.
plain_sql() {
  local least=MIN rnd_a="(" rnd_b=") / 10000000000" day_of days
  day_of() { echo "CAST(julianday($1) - 2440587.5 AS INTEGER)"; }
  if [[ $1 == pg ]]; then
    least=LEAST rnd_a="div(" rnd_b=", 10000000000)"
    day_of() { echo "($1::date - DATE '1970-01-01')"; }
  fi
  if [[ $2 == records ]]; then
    days="SELECT allocation_id, metric_id, (period_start + 28800000) / 86400000 AS day,
         SUM(quantity) AS q, COUNT(*) AS n
  FROM usage_records WHERE period_start >= $MS0 AND period_start < $MS1
  GROUP BY allocation_id, metric_id, (period_start + 28800000) / 86400000"
  else
    days="SELECT allocation_id, metric_id, day, quantity AS q, records AS n
  FROM usage_daily WHERE day >= $D0 AND day < $D1"
  fi
  cat <<SQL
WITH
days AS (
  $days),
bases AS (
  SELECT id, metric_id, price_fen, $(day_of valid_from) AS d0, $(day_of valid_to) AS d1
  FROM price_basis),
lines AS (
  SELECT a.user_id, p.provider_id, m.product_id, m.id AS metric_id, a.application,
         a.service_level AS level, b.id AS basis_id, b.price_fen, m.list_price_fen,
         COALESCE(ob.budget, 0) AS budget, SUM(d.q) AS q, SUM(d.n) AS n
  FROM days d
  JOIN allocations a ON a.id = d.allocation_id
  LEFT JOIN (SELECT oi.allocation_id, MAX(o.budget_line_id) AS budget FROM order_items oi
             JOIN orders o ON o.id = oi.order_id GROUP BY oi.allocation_id) ob
    ON ob.allocation_id = a.id
  JOIN product_metrics m ON m.id = d.metric_id
  JOIN products p ON p.id = m.product_id
  LEFT JOIN bases b ON b.metric_id = d.metric_id AND d.day BETWEEN b.d0 AND b.d1
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
tiers AS (
  SELECT basis_id, service_level, tier_from, unit_price,
         LEAD(tier_from) OVER (PARTITION BY basis_id, service_level ORDER BY tier_from) AS tier_to
  FROM price_rates),
priced AS (
  SELECT l.user_id, l.n,
         CASE
           WHEN l.basis_id IS NULL THEN l.q * l.list_price_fen * 10000
           WHEN NOT EXISTS (SELECT 1 FROM tiers t WHERE t.basis_id = l.basis_id)
             THEN l.q * l.price_fen * 10000
           ELSE (SELECT SUM(CASE WHEN l.q > t.tier_from
                                 THEN ($least(l.q, COALESCE(t.tier_to, l.q)) - t.tier_from)
                                      * t.unit_price
                                 ELSE 0 END)
                 FROM tiers t
                 WHERE t.basis_id = l.basis_id
                   AND t.service_level = CASE WHEN EXISTS (SELECT 1 FROM tiers x
                         WHERE x.basis_id = l.basis_id AND x.service_level = l.level)
                       THEN l.level ELSE 'standard' END)
         END AS exact
  FROM lines l)
SELECT user_id, COUNT(*), SUM(n), SUM(${rnd_a}exact + 5000000000$rnd_b)
FROM priced GROUP BY user_id ORDER BY user_id;
SQL
}
BILLS_SQL="SELECT user_id, line_count, records, total_fen FROM bills WHERE period = '$MONTH' AND state = 'draft' ORDER BY user_id"
plain_sql sqlite records >"$W/plain-sqlite-records.sql"
plain_sql sqlite daily >"$W/plain-sqlite-daily.sql"
plain_sql pg records >"$W/plain-pg-records.sql"
plain_sql pg daily >"$W/plain-pg-daily.sql"

declare -A R
MISMATCH=()
# check LABEL FILE_A FILE_B: per-agency lines, records and totals must be equal, byte for byte.
check() {
  if cmp -s "$2" "$3"; then R[$1.check]=equal; return 0; fi
  R[$1.check]="**MISMATCH**"
  MISMATCH+=("$1")
  echo "billing bench: MISMATCH ($1): egov's bills against the plain query" >&2
  diff "$2" "$3" >&2 || true
}
total() { awk -F'|' '{s += $4} END {print s + 0}' "$1"; }
# egov_run LABEL ARGS...: a timed `egov billing run|verify`, which must have rated all N records.
egov_billing() {
  local label=$1 n=$2; shift 2
  read -r R[$label.s] R[$label.rss] < <(timed "$bin" billing "$@")
  if [[ $1 == run ]]; then
    grep -q "^$MONTH: $n records rated" "$W/last.out" || { cat "$W/last.out" "$W/last.err" >&2; return 1; }
  else
    grep -q " 0 differences" "$W/last.out" || { cat "$W/last.out" "$W/last.err" >&2; return 1; }
  fi
}

echo "billing bench: generating $N records of $MONTH"
gen records --allocs $ALLOCS --count "$N" --month $MONTH >"$W/month.ndjson"

if [[ " $STORES " == *" sqlite "* ]]; then
  echo "billing bench: SQLite"
  db=$W/run.db
  "$bin" demo --db "sqlite:$db" >/dev/null 2>&1
  gen fixture --allocs $ALLOCS --billing | sqlite3 "$db"
  cc -O2 -o "$W/ceiling" "$here/usage_ceiling.c" -lsqlite3
  cp "$db" "$W/ceiling.db"
  line=$("$W/ceiling" "$W/ceiling.db" "$W/month.ndjson" unique)
  R[ceil.s]=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
  rm -f "$W/ceiling.db"*
  R[load_sqlite]=$(cut -d' ' -f1-3 /proc/loadavg)
  read -r R[imp.s] R[imp.rss] < <(timed "$bin" usage import "$W/month.ndjson" --db "sqlite:$db")
  grep -q "$N accepted" "$W/last.out" || { cat "$W/last.out" "$W/last.err" >&2; exit 1; }
  egov_billing run "$N" run $MONTH --db "sqlite:$db"
  sqlite3 "$db" "$BILLS_SQL" >"$W/bills-run"
  egov_billing from "$N" run $MONTH --from-records --db "sqlite:$db"
  sqlite3 "$db" "$BILLS_SQL" >"$W/bills-from"
  read -r R[plain.s] R[plain.rss] < <(timed sqlite3 "$db" <"$W/plain-sqlite-records.sql")
  cp "$W/last.out" "$W/plain-records"
  read -r R[plaind.s] R[plaind.rss] < <(timed sqlite3 "$db" <"$W/plain-sqlite-daily.sql")
  cp "$W/last.out" "$W/plain-daily"
  egov_billing verify 0 verify $MONTH --db "sqlite:$db"
  check run "$W/bills-run" "$W/plain-records"
  check from "$W/bills-from" "$W/plain-records"
  check daily "$W/bills-run" "$W/plain-daily"
  R[total]=$(total "$W/bills-run"); R[bills]=$(wc -l <"$W/bills-run")
  R[lines]=$(awk -F'|' '{s += $2} END {print s + 0}' "$W/bills-run")
  R[dbsize]=$(du -m "$db" | cut -f1)
  rm -f "$db"*
fi

if [[ " $STORES " == *" pg "* ]] && [[ -x $root/tests/with-pg.sh ]] &&
   ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "billing bench: PostgreSQL ($NPG records)"
  if [[ $NPG != "$N" ]]; then
    gen records --allocs $ALLOCS --count "$NPG" --month $MONTH >"$W/month-pg.ndjson"
  else
    ln -s "$W/month.ndjson" "$W/month-pg.ndjson"
  fi
  cat >"$W/pg.sh" <<'PG'
set -euo pipefail
W=$1; bin=$2; N=$3; here=$4; MONTH=$5; BILLS_SQL=$6
psql() { command psql -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$EGOV_TEST_PG" "$@"; }
t() { /usr/bin/time -f "%e %M" -o "$W/pgtime" "$@" >"$W/pg.last" 2>&1; cat "$W/pgtime"; }
"$bin" demo --db "$EGOV_TEST_PG" >/dev/null 2>&1
python3 "$here/usage_gen.py" fixture --allocs 1000 --billing | psql >/dev/null
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "imp $(t "$bin" usage import "$W/month-pg.ndjson" --db "$EGOV_TEST_PG")"
grep -q "$N accepted" "$W/pg.last" || { cat "$W/pg.last" >&2; exit 1; }
psql -c "VACUUM ANALYZE"
echo "run $(t "$bin" billing run "$MONTH" --db "$EGOV_TEST_PG")"
grep -q "^$MONTH: $N records rated" "$W/pg.last" || { cat "$W/pg.last" >&2; exit 1; }
psql -c "$BILLS_SQL" >"$W/pg-bills-run"
echo "from $(t "$bin" billing run "$MONTH" --from-records --db "$EGOV_TEST_PG")"
grep -q "^$MONTH: $N records rated" "$W/pg.last" || { cat "$W/pg.last" >&2; exit 1; }
psql -c "$BILLS_SQL" >"$W/pg-bills-from"
plain() { t "$(type -P psql)" -X -q -A -t -F '|' -v ON_ERROR_STOP=1 "$EGOV_TEST_PG" -f "$1"; }
echo "plain $(plain "$W/plain-pg-records.sql")"
cp "$W/pg.last" "$W/pg-plain-records"
echo "plaind $(plain "$W/plain-pg-daily.sql")"
cp "$W/pg.last" "$W/pg-plain-daily"
echo "verify $(t "$bin" billing verify "$MONTH" --db "$EGOV_TEST_PG")"
grep -q " 0 differences" "$W/pg.last" || { cat "$W/pg.last" >&2; exit 1; }
PG
  "$root/tests/with-pg.sh" bash "$W/pg.sh" "$W" "$bin" "$NPG" "$here" "$MONTH" "$BILLS_SQL" >"$W/pg.res"
  R[pg.load]=$(grep '^load' "$W/pg.res" | cut -d' ' -f2-)
  for k in imp run from plain plaind verify; do
    read -r _ R[pg.$k.s] R[pg.$k.rss] < <(grep "^$k " "$W/pg.res")
  done
  check pg.run "$W/pg-bills-run" "$W/pg-plain-records"
  check pg.from "$W/pg-bills-from" "$W/pg-plain-records"
  check pg.daily "$W/pg-bills-run" "$W/pg-plain-daily"
  R[pg.total]=$(total "$W/pg-bills-run")
  R[pg.ran]=1
fi

met() { python3 -c "import sys; print('met' if float(sys.argv[1]) <= float(sys.argv[2]) else '**missed**')" "$1" "$2"; }
# row WHAT SECONDS RSS CEILING_SECONDS [NOTE [noaim]]: one line of the table, against the 5 s
# aim (unless noaim: the import is not rating) and the ceiling's time.
row() {
  local r="" aim="—"
  [[ -n $4 ]] && r="$(ratio "$2" "$4") × — $(met "$2" "$4")"
  [[ ${6:-} == noaim ]] || aim="$(met "$2" $AIM)"
  echo "| $1 | $2 | ${3:+$3 kB} | $r | $aim | ${5:-} |"
}
{
  echo
  echo "## Rating and billing, $N records (issue 6)"
  echo
  echo "Run: \`bench/billing.sh\` (part of \`make bench\`, after \`bench/usage.sh\`), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores."
  echo "Month $MONTH (CST): $ALLOCS series (allocations × metric) over 5 user agencies, 3 application systems, 3 service levels, every 3rd allocation charged to a budget line through an order; 1 in 10 series on a metric without a price basis (list price); the other metric's price basis changes on March 16 (two lines a month), graduated tiers 12.5 → 10 fen from 1000 units (standard), premium dearer on the first basis. Records: \`bench/usage_gen.py records --allocs $ALLOCS --count N --month $MONTH\`, fixture \`bench/usage_gen.py fixture --allocs $ALLOCS --billing\`."
  echo "Aims (issue 6): ≤ $AIM s on SQLite, and no slower than the same aggregation as one plain SQL query (ratio = egov's time / the plain query's time, ≤ 1 met). Every figure is the wall time of the whole process (/usr/bin/time -f \"%e %M\": seconds, peak RSS), page cache warm (the database was just written)."
  if [[ -n ${R[imp.s]:-} ]]; then
    echo
    echo "**SQLite**, $N records, load average before the import: ${R[load_sqlite]}; result: ${R[bills]} bills, ${R[lines]} lines, ${R[total]} fen; store ${R[dbsize]} MB."
    echo
    echo "| what | seconds | peak RSS | against the plain query from records | ≤ $AIM s | |"
    echo "| --- | ---: | ---: | --- | --- | --- |"
    row "\`egov usage import\` of the month (not part of the aim)" "${R[imp.s]}" "${R[imp.rss]}" "" "$(rate "$N" "${R[imp.s]}") records/s; C ceiling on the same file ${R[ceil.s]} s, so $(ratio "${R[imp.s]}" "${R[ceil.s]}") × its time" noaim
    row "a. \`egov billing run $MONTH\` (usage_daily)" "${R[run.s]}" "${R[run.rss]}" "${R[plain.s]}" "${R[run.check]} to the plain query; $(ratio "${R[run.s]}" "${R[plaind.s]}") × the plain query over usage_daily"
    row "b. \`egov billing run $MONTH --from-records\`" "${R[from.s]}" "${R[from.rss]}" "${R[plain.s]}" "${R[from.check]} to the plain query"
    row "c. plain SQL in \`sqlite3\`, from usage_records (the ceiling)" "${R[plain.s]}" "${R[plain.rss]}" "" ""
    row "c'. plain SQL in \`sqlite3\`, from usage_daily" "${R[plaind.s]}" "${R[plaind.rss]}" "" "${R[daily.check]} to egov's bills"
    row "d. \`egov billing verify $MONTH\`" "${R[verify.s]}" "${R[verify.rss]}" "${R[plain.s]}" "0 differences"
  fi
  if [[ -n ${R[pg.ran]:-} ]]; then
    echo
    echo "**PostgreSQL** (\`tests/with-pg.sh\`: fsync, synchronous_commit and full_page_writes off), $NPG records, load average before the import: ${R[pg.load]}; total ${R[pg.total]} fen. egov's peak RSS is the client's; the server's work is in the seconds. \`VACUUM ANALYZE\` after the import (not timed)."
    echo
    echo "| what | seconds | peak RSS | against the plain query from records | ≤ $AIM s | |"
    echo "| --- | ---: | ---: | --- | --- | --- |"
    row "\`egov usage import\` of the month (COPY path; not part of the aim)" "${R[pg.imp.s]}" "${R[pg.imp.rss]}" "" "$(rate "$NPG" "${R[pg.imp.s]}") records/s" noaim
    row "a. \`egov billing run $MONTH\` (usage_daily)" "${R[pg.run.s]}" "${R[pg.run.rss]}" "${R[pg.plain.s]}" "${R[pg.run.check]} to the plain query; $(ratio "${R[pg.run.s]}" "${R[pg.plaind.s]}") × the plain query over usage_daily"
    row "b. \`egov billing run $MONTH --from-records\`" "${R[pg.from.s]}" "${R[pg.from.rss]}" "${R[pg.plain.s]}" "${R[pg.from.check]} to the plain query"
    row "c. plain SQL in \`psql\`, from usage_records (the ceiling)" "${R[pg.plain.s]}" "" "" ""
    row "c'. plain SQL in \`psql\`, from usage_daily" "${R[pg.plaind.s]}" "" "" "${R[pg.daily.check]} to egov's bills"
    row "d. \`egov billing verify $MONTH\`" "${R[pg.verify.s]}" "${R[pg.verify.rss]}" "${R[pg.plain.s]}" "0 differences"
  fi
  echo
  echo "Commands (DB: \`sqlite:FILE\` or the PostgreSQL URL): \`egov usage import month.ndjson --db DB\`; \`egov billing run $MONTH --db DB\`; \`egov billing run $MONTH --from-records --db DB\` (replaces the draft of the run before); \`sqlite3 FILE < plain.sql\` / \`psql -X -A -t -f plain.sql\`; \`egov billing verify $MONTH --db DB\`; ceiling of the import: \`usage_ceiling FILE month.ndjson unique\` (bench/usage_ceiling.c). The plain query is written out by \`plain_sql\` in bench/billing.sh; its per-agency lines, records and total fen are compared with \`$BILLS_SQL\`."
  if ((${#MISMATCH[@]})); then
    echo
    echo "**MISMATCH between egov's bills and the plain query: ${MISMATCH[*]}.**"
  fi
} >>"$out"
echo "billing bench: appended to $out"
((${#MISMATCH[@]} == 0))
