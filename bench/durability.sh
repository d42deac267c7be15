#!/usr/bin/env bash
# bench/durability.sh [RESULTS_FILE] - what "acknowledged = on disk" costs on SQLite (issue 19.7).
# The same work against two copies of one store, alternating, three rounds each:
#   sqlite:PATH                      synchronous=FULL (the default: the WAL is synced at every commit)
#   sqlite:PATH?synchronous=normal   synchronous=NORMAL (synced at checkpoints only)
# Work: (1) `egov usage import` of BENCH_DUR_RECORDS records (one commit per 20,000-record chunk);
#       (2) small transactions: wrk with bench/write.lua creating posts (one commit each) on
#           2 connections for BENCH_DUR_SECONDS seconds.
# Appends a table with the medians to RESULTS_FILE (default: print only). Loopback only.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-}
bin=${EGOV_BIN:-$root/build-bench/egov}
N=${BENCH_DUR_RECORDS:-1000000}
SECS=${BENCH_DUR_SECONDS:-10}
"$root/scripts/deps.sh" bench
[[ -x $bin ]] || { echo "durability: build egov first ($bin)" >&2; exit 2; }
W=$(mktemp -d /tmp/egov-dur.XXXXXX)
PID=
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null; rm -rf "$W"; }
trap cleanup EXIT

python3 "$here/usage_gen.py" records --allocs 100 --count "$N" --order seq >"$W/rec.ndjson"
"$bin" demo --db "sqlite:$W/base.db" >/dev/null 2>&1
python3 "$here/usage_gen.py" fixture --allocs 100 | sqlite3 "$W/base.db"
fresh() { rm -f "$W/run.db"*; cp "$W/base.db" "$W/run.db"; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# A token and an institution for the writes, made once in the base store (copied each round).
port=$(free_port)
"$bin" serve --db "sqlite:$W/base.db" --listen "127.0.0.1:$port" --log-level warn --jobs-interval-s 0 &
PID=$!
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
python3 "$here/setup.py" "http://127.0.0.1:$port" "$W" --institutions 60 >/dev/null
kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
# shellcheck disable=SC1091
. "$W/setup.env"

declare -A imp tps
for round in 1 2 3; do
  for mode in full normal; do
    opt=""; [[ $mode == normal ]] && opt="?synchronous=normal"
    fresh
    /usr/bin/time -f "%e" -o "$W/t" "$bin" usage import "$W/rec.ndjson" --db "sqlite:$W/run.db$opt" >"$W/imp.out" 2>&1
    grep -q "$N accepted" "$W/imp.out" || { cat "$W/imp.out" >&2; exit 1; }
    imp[$mode]+="$(cat "$W/t") "
    fresh
    port=$(free_port)
    "$bin" serve --db "sqlite:$W/run.db$opt" --listen "127.0.0.1:$port" --log-level warn --jobs-interval-s 0 &
    PID=$!
    for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" && break; sleep 0.1; done
    BENCH_KIND=posts BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG="d$round$mode" \
      wrk -t1 -c2 -d"${SECS}s" -s "$here/write.lua" "http://127.0.0.1:$port" >"$W/wrk.out"
    tps[$mode]+="$(awk '/Requests\/sec/ {print $2}' "$W/wrk.out") "
    kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
  done
done
fi_=$(tr ' ' '\n' <<<"${imp[full]}" | grep . | median); ni=$(tr ' ' '\n' <<<"${imp[normal]}" | grep . | median)
ft=$(tr ' ' '\n' <<<"${tps[full]}" | grep . | median); nt=$(tr ' ' '\n' <<<"${tps[normal]}" | grep . | median)
report=$(cat <<REPORT

## SQLite durability: synchronous=FULL against NORMAL (issue 19.7), $(date -u +%Y-%m-%d)

Command: \`bench/durability.sh\` (BENCH_DUR_RECORDS=$N, BENCH_DUR_SECONDS=$SECS; $(nproc) cores; medians of 3 alternating rounds).

| work | FULL (default) | NORMAL | FULL / NORMAL |
| --- | --- | --- | --- |
| \`egov usage import\` of $N records (s) | $fi_ | $ni | $(python3 -c "print(f'{$fi_/$ni:.2f}')") |
| small writes, POST posts on 2 connections (req/s) | $ft | $nt | $(python3 -c "print(f'{$ft/$nt:.2f}')") |

All rounds: import FULL ${imp[full]}/ NORMAL ${imp[normal]}s; writes FULL ${tps[full]}/ NORMAL ${tps[normal]}req/s.
REPORT
)
echo "$report"
[[ -n $out ]] && echo "$report" >>"$out"
exit 0
