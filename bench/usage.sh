#!/usr/bin/env bash
# bench/usage.sh RESULTS_FILE - the usage ingest of issue 6, measured side by side with its
# ceilings in one run, appended to RESULTS_FILE:
#   SQLite: bench/usage_ceiling.c (a plain C program: prepared inserts of the same rows into a
#           table of the same shape with the same unique key, one transaction) with ids in
#           arrival order, in random order, and without a key; then `egov usage import` of the
#           same records as NDJSON (ids in order and in random order) and as CSV, each into a
#           fresh copy of one store, with its peak RSS;
#   PostgreSQL: `egov usage import` against `COPY` of the same CSV from psql into a table of the
#           same columns with the same primary key;
#   HTTP: one client streaming the NDJSON file to POST /api/v1/usage with curl (chunked).
# BENCH_USAGE_RECORDS (default 10000000) sets the size; everything runs on 127.0.0.1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$here/RESULTS.md}
bin=$root/build-bench/egov
N=${BENCH_USAGE_RECORDS:-10000000}
ALLOCS=1000
W=$(mktemp -d /tmp/egov-usage.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT

gen() { python3 "$here/usage_gen.py" "$@"; }
rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):,.0f}')" "$1" "$2"; }
# Runs a command, prints "SECONDS PEAK_RSS_KB" of it.
timed() { /usr/bin/time -f "%e %M" -o "$W/time" "$@" >"$W/last.out" 2>"$W/last.err"; cat "$W/time"; }

echo "usage bench: generating $N records"
gen records --allocs $ALLOCS --count "$N" --order seq >"$W/seq.ndjson"
gen records --allocs $ALLOCS --count "$N" --order random >"$W/rnd.ndjson"
gen records --allocs $ALLOCS --count "$N" --order seq --format csv >"$W/seq.csv"
cc -O2 -o "$W/ceiling" "$here/usage_ceiling.c" -lsqlite3

"$bin" demo --db "sqlite:$W/base.db" >/dev/null 2>&1
gen fixture --allocs $ALLOCS | sqlite3 "$W/base.db"
fresh() { rm -f "$W/run.db"*; cp "$W/base.db" "$W/run.db"; }

declare -A R
ceiling() { # label file mode
  fresh
  local line; line=$("$W/ceiling" "$W/run.db" "$2" "$3")
  R[$1]=$(echo "$line" | sed -E 's/.* = ([0-9]+) rows\/s/\1/')
  R[$1.s]=$(echo "$line" | sed -E 's/.* in ([0-9.]+) s.*/\1/')
}
import() { # label file [args]
  local label=$1 file=$2; shift 2
  fresh
  read -r secs rss < <(timed "$bin" usage import "$file" --db "sqlite:$W/run.db" "$@")
  grep -q "$N accepted" "$W/last.out" || { cat "$W/last.out" "$W/last.err" >&2; return 1; }
  R[$label]=$(rate "$N" "$secs"); R[$label.s]=$secs; R[$label.rss]=$rss
}
echo "usage bench: SQLite"
ceiling c_seq "$W/seq.ndjson" unique
ceiling c_rnd "$W/rnd.ndjson" unique
ceiling c_nokey "$W/seq.ndjson" nokey
import e_seq "$W/seq.ndjson"
import e_rnd "$W/rnd.ndjson"
import e_csv "$W/seq.csv"
# re-sending the whole file: every record is a duplicate
read -r secs rss < <(timed "$bin" usage import "$W/seq.ndjson" --db "sqlite:$W/run.db" --format ndjson)
R[e_dup]=$(rate "$N" "$secs"); R[e_dup.s]=$secs; R[e_dup.rss]=$rss

echo "usage bench: HTTP"
fresh
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" serve --db "sqlite:$W/run.db" --listen "127.0.0.1:$port" --log-level warn --jobs-interval-s 0 &
PIDS+=($!)
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
token=$(curl -sf -H 'Content-Type: application/json' -d '{"login":"qy.admin","password":"Egov-Demo-2026"}' \
  "http://127.0.0.1:$port/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
# the fixture's provider is the first provider; qy (黔云) is it in the demo
start=$(date +%s.%N)
# -T - streams stdin in chunks (--data-binary would read the whole file into memory first)
curl -sf -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/x-ndjson' \
  -T - "http://127.0.0.1:$port/api/v1/usage" <"$W/seq.ndjson" >"$W/http.json"
end=$(date +%s.%N)
secs=$(python3 -c "print(round($end - $start, 2))")
accepted=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["accepted"])' "$W/http.json")
R[h_seq]=$(rate "$accepted" "$secs"); R[h_seq.s]=$secs; R[h_acc]=$accepted
R[h_rss]=$(awk '/^VmHWM:/{print $2}' "/proc/${PIDS[-1]}/status")
kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true; PIDS=()

echo "usage bench: PostgreSQL"
cat >"$W/pg.sh" <<'PG'
set -euo pipefail
W=$1; bin=$2; N=$3; here=$4
psql() { command psql -X -q -v ON_ERROR_STOP=1 "$EGOV_TEST_PG" "$@"; }
"$bin" demo --db "$EGOV_TEST_PG" >/dev/null 2>&1
python3 "$here/usage_gen.py" fixture --allocs 1000 | psql >/dev/null
psql -c "CREATE TABLE ceiling (id TEXT PRIMARY KEY, allocation_id BIGINT, metric_id BIGINT, quantity NUMERIC(24,6), period_start TIMESTAMPTZ, period_end TIMESTAMPTZ, source TEXT)"
s=$(date +%s.%N)
psql -c "\\copy ceiling FROM '$W/seq.csv' WITH (FORMAT csv, HEADER true)"
e=$(date +%s.%N)
echo "copy $(python3 -c "print(round($e - $s, 2))")"
/usr/bin/time -f "%e %M" -o "$W/pgtime" "$bin" usage import "$W/seq.ndjson" --db "$EGOV_TEST_PG" >"$W/pg.out" 2>&1
grep -q "$N accepted" "$W/pg.out" || { cat "$W/pg.out" >&2; exit 1; }
echo "egov $(cat "$W/pgtime")"
PG
"$root/tests/with-pg.sh" bash "$W/pg.sh" "$W" "$bin" "$N" "$here" >"$W/pg.res"
read -r _ pgcopy < <(grep '^copy' "$W/pg.res")
read -r _ pgsecs pgrss < <(grep '^egov' "$W/pg.res")
R[p_copy]=$(rate "$N" "$pgcopy"); R[p_copy.s]=$pgcopy
R[p_egov]=$(rate "$N" "$pgsecs"); R[p_egov.s]=$pgsecs; R[p_egov.rss]=$pgrss

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$1" "$2"; }
load=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo
  echo "## Usage ingest, $N records (issue 6)"
  echo
  echo "Run: \`bench/usage.sh\` (part of \`make bench\`), $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average before the PostgreSQL part: $load."
  echo "Records: $ALLOCS allocations × hourly periods of one metric, generated by \`bench/usage_gen.py\`; ids \`r000000000000…\` in arrival order, or 128-bit random hex."
  echo
  echo "| what | seconds | records/s | peak RSS | against its ceiling |"
  echo "| --- | ---: | ---: | ---: | --- |"
  echo "| SQLite ceiling: C, prepared INSERT, unique id in arrival order | ${R[c_seq.s]} | ${R[c_seq]} | | |"
  echo "| SQLite ceiling: same, ids in random order | ${R[c_rnd.s]} | ${R[c_rnd]} | | |"
  echo "| SQLite ceiling: same, no key | ${R[c_nokey.s]} | ${R[c_nokey]} | | |"
  echo "| \`egov usage import\` NDJSON, ids in order | ${R[e_seq.s]} | ${R[e_seq]} | ${R[e_seq.rss]} kB | $(ratio "${R[e_seq.s]}" "${R[c_seq.s]}") × the ceiling's time (aim ≤ 1.5; aim ≥ 500,000/s) |"
  echo "| \`egov usage import\` NDJSON, ids in random order | ${R[e_rnd.s]} | ${R[e_rnd]} | ${R[e_rnd.rss]} kB | $(ratio "${R[e_rnd.s]}" "${R[c_rnd.s]}") × the random-order ceiling's time |"
  echo "| \`egov usage import\` CSV, ids in order | ${R[e_csv.s]} | ${R[e_csv]} | ${R[e_csv.rss]} kB | $(ratio "${R[e_csv.s]}" "${R[c_seq.s]}") × the ceiling's time |"
  echo "| \`egov usage import\` of the same file again (all duplicated) | ${R[e_dup.s]} | ${R[e_dup]} | ${R[e_dup.rss]} kB | |"
  echo "| \`POST /api/v1/usage\`, one curl client, chunked NDJSON | ${R[h_seq.s]} | ${R[h_seq]} | ${R[h_rss]} kB (server) | aim ≥ 300,000/s; ${R[h_acc]} accepted |"
  echo "| PostgreSQL: \`COPY\` of the CSV from psql | ${R[p_copy.s]} | ${R[p_copy]} | | |"
  echo "| PostgreSQL: \`egov usage import\` NDJSON | ${R[p_egov.s]} | ${R[p_egov]} | ${R[p_egov.rss]} kB | $(ratio "${R[p_egov.s]}" "${R[p_copy.s]}") × COPY's time (aim ≤ 1.5) |"
  echo
  echo "Commands: \`cc -O2 bench/usage_ceiling.c -lsqlite3\` then \`usage_ceiling DB FILE unique|nokey\`; \`egov usage import FILE --db sqlite:DB\`; \`psql -c \"\\\\copy ceiling FROM 'seq.csv' WITH (FORMAT csv, HEADER true)\"\`; \`curl -X POST -T - …/api/v1/usage < seq.ndjson\` (chunked)."
  echo "Rating and billing of a month (the third aim of issue 6): see the section written by bench/billing.sh."
} >>"$out"
echo "usage bench: appended to $out"
