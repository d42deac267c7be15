#!/usr/bin/env bash
# bench/search.sh RESULTS_FILE - catalogue search on 100,000 products (issue 4), on SQLite and
# on PostgreSQL, appended to RESULTS_FILE. The products are inserted with one SQL statement per
# store (the FTS5 triggers and pg_trgm indexes see them as they would API writes); the search
# runs through the real API with wrk on 127.0.0.1, as the provider that owns them:
#   q of 4 characters (indexed: FTS5 trigram / pg_trgm), q of 2 characters (too short for a
#   trigram: a scan), a 4-character q that matches nothing, and the plain page without q.
# The indexed query is compared with the scan in the same run. Bounded: 10 s per wrk run.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$here/RESULTS.md}
bin=$root/build-bench/egov
W=$(mktemp -d /tmp/egov-search.XXXXXX)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$W"; }
trap cleanup EXIT
N=100000

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
urlq() { python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# One SELECT that makes N online products of provider $1 (a dialect-neutral row source is
# passed in $2). Every 20th description speaks of 容灾备份; "量子加密" appears nowhere.
rows_sql() {
  cat <<SQL
SELECT 9000000000000 + i, $1, '政务云产品' || i,
  CASE i % 5 WHEN 0 THEN 'planning_consulting' WHEN 1 THEN 'service_design'
    WHEN 2 THEN 'integration_implementation' WHEN 3 THEN 'operation_maintenance'
    ELSE 'training_promotion' END,
  CASE i % 20 WHEN 0 THEN '提供政务外网数据库异地容灾备份服务，第' || i || '号'
    WHEN 1 THEN '七乘二十四小时运行维护与故障处理' WHEN 2 THEN '上云迁移咨询与规划设计'
    ELSE '通用云计算资源服务，编号' || i END,
  'online', 0, '', '', '520000', 0, 0, 1 FROM $2
SQL
}
COLS='(id, provider_id, name, category, description, state, recommended, recommend_note, eliminate_note, region, created_at, updated_at, version)'

measure() { # store url token
  local store=$1 url=$2 token=$3 q label
  for spec in "容灾备份|4 characters, 1 in 20 rows match (trigram index)" \
              "容灾|2 characters, 1 in 20 rows match (too short for trigrams: scan)" \
              "量子加密|4 characters, no row matches (trigram index)" \
              "|no q: the first page"; do
    q=${spec%%|*}; label=${spec#*|}
    local path="/api/v1/products?limit=20${q:+&q=$(urlq "$q")}"
    local res
    res=$(wrk -t2 -c8 -d10s --latency -H "Authorization: Bearer $token" "$url$path" 2>&1)
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$res")
    p50=$(awk '$1=="50%" {print $2}' <<<"$res")
    p99=$(awk '$1=="99%" {print $2}' <<<"$res")
    local count
    count=$(curl -s -H "Authorization: Bearer $token" "$url/api/v1/products?limit=1&total=true${q:+&q=$(urlq "$q")}" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total"))')
    echo "| $store | \`${q:-—}\` | $label | $count | $rps | $p50 | $p99 |" >>"$W/table"
    echo "- $store, q=${q:-none}: \`wrk -t2 -c8 -d10s --latency -H 'Authorization: Bearer \$TOKEN' '$path'\`" >>"$W/cmds"
  done
}

phase() { # store url_of_db seed_command...
  local store=$1 db=$2
  local p; p=$(port)
  "$bin" demo --db "$db" >/dev/null 2>&1
  "$bin" serve --db "$db" --listen "127.0.0.1:$p" --threads 2 --log-level error >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$p/healthz" >/dev/null && break; sleep 0.05; done
  local token provider
  token=$(curl -s -X POST "http://127.0.0.1:$p/api/v1/session" -H 'Content-Type: application/json' \
    -d '{"login":"qy.admin","password":"Egov-Demo-2026"}' | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["token"])')
  provider=$(curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$p/api/v1/session" | python3 -c 'import json,sys; print(json.load(sys.stdin)["institution"]["id"])')
  local t0=$SECONDS
  shift 2
  "$@" "$provider"
  echo "- $store: $N products inserted in $((SECONDS - t0)) s (one INSERT … SELECT, indexes maintained on the fly)" >>"$W/seed"
  measure "$store" "http://127.0.0.1:$p" "$token"
  kill "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
}

seed_sqlite() { # provider
  sqlite3 "$W/s.db" "INSERT INTO products $COLS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N) $(rows_sql "$1" n);"
}

seed_pg() { # provider
  psql -q "$EGOV_TEST_PG" -c "INSERT INTO products $COLS $(rows_sql "$1" "generate_series(1, $N) AS n(i)"); ANALYZE products;"
}

if [[ ${1:-} == --pg-phase ]]; then
  phase postgresql "$EGOV_TEST_PG" seed_pg
  cat "$W/table" >>"$2.table"; cat "$W/cmds" >>"$2.cmds"; cat "$W/seed" >>"$2.seed"
  exit 0
fi

phase sqlite "sqlite:$W/s.db" seed_sqlite
"$root/tests/with-pg.sh" "$0" --pg-phase "$W/pg" || echo "- postgresql: phase failed" >>"$W/seed"
{
  echo
  echo "## Catalogue search on $N products (issue 4)"
  echo
  echo "\`bench/search.sh\`, run by \`make bench\` after the runs above. $N online products of one provider are inserted with one SQL statement; then wrk (2 threads, 8 connections, 10 s) searches them through \`GET /api/v1/products?limit=20&q=…\` as that provider (qy.admin), egov on 2 worker threads. The 2-character query cannot use a trigram index and shows what a scan costs in the same run. Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| store | q | what | matches | req/s | p50 | p99 |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: |"
  cat "$W/table" "$W/pg.table" 2>/dev/null
  echo
  cat "$W/seed" "$W/pg.seed" 2>/dev/null
  echo
  echo "Commands (\$TOKEN: qy.admin's bearer token):"
  echo
  cat "$W/cmds" "$W/pg.cmds" 2>/dev/null
} >>"$out"
echo "bench: search results appended to $out"
