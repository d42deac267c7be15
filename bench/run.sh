#!/usr/bin/env bash
# bench/run.sh - the benchmark of issue 2 (`make bench`). Not a test: it asserts no timing, it
# measures and writes bench/RESULTS.md.
#
# What it does, all on 127.0.0.1 and bounded in time (every wrk run lasts BENCH_DURATION s):
#   1. builds egov in build-bench/ (Release), starts nginx (nginx-light) with its own temporary
#      prefix and config on a free port: the static ceiling;
#   2. for SQLite, then for PostgreSQL (inside tests/with-pg.sh, a throwaway server):
#      egov demo; 5 cold starts timed to the first answered /healthz (bench/startup.py);
#      egov serve; bench/setup.py logs in as gz.admin and adds institutions until the list of 50
#      is full; then wrk runs: nginx serving the exact bytes of that list answer, the
#      authenticated list at 32 and 1 connections, POST posts (cheap write), POST people (one
#      argon2id hash each), and the list again with twice the worker threads;
#   3. on SQLite, if valgrind is installed, counts instructions per list request (callgrind);
#   4. bench/report.py turns the raw outputs into bench/RESULTS.md.
# Environment: BENCH_DURATION (s, default 10), BENCH_THREADS (egov workers, default nproc),
# BENCH_CONNS (default 32), BENCH_KEEP=1 keeps the work folder, BENCH_STORES="sqlite pg".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build="$root/build-bench"
egov="$build/egov"
DURATION=${BENCH_DURATION:-10}
CONNS=${BENCH_CONNS:-32}
NPROC=$(nproc)
THREADS=${BENCH_THREADS:-$NPROC}
WRK_THREADS=$NPROC
STORES=${BENCH_STORES:-sqlite pg}

pids=()
cleanup_pids() {
  local p
  for p in "${pids[@]}"; do
    kill -TERM "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$p" 2>/dev/null || true
  done
  pids=()
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_healthz() { # PORT PID
  local i
  for i in $(seq 200); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/healthz" && return 0
    kill -0 "$2" 2>/dev/null || { echo "bench: egov exited before answering" >&2; return 1; }
    sleep 0.05
  done
  echo "bench: egov did not answer /healthz on port $1" >&2
  return 1
}

vm() { # PID -> "VmRSS VmHWM" in kB
  awk '/^VmRSS:/{r=$2} /^VmHWM:/{h=$2} END{print r, h}' "/proc/$1/status"
}

cpu_ticks() { # PID... -> utime+stime of those processes, in clock ticks
  local t=0 p
  for p in "$@"; do
    [[ -r /proc/$p/stat ]] || continue
    # Fields after the command name, which is in parentheses and may hold spaces.
    t=$((t + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{print $12 + $13}')))
  done
  echo "$t"
}

quote_cmd() { # prints a command line that a shell would read back as the same words
  local a out=()
  for a in "$@"; do
    if [[ $a =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then out+=("$a"); else out+=("'${a//\'/\'\\\'\'}'"); fi
  done
  echo "${out[*]}"
}

# bench_run DIR NAME "PIDS" -- CMD...: runs one bounded wrk measurement, keeping its command,
# the load average before it, the CPU ticks the measured processes used, and their memory at
# half-time and at the end.
bench_run() {
  local dir=$1 name=$2 cpupids=$3
  shift 4
  local first=${cpupids%% *}
  quote_cmd "$@" >"$dir/$name.cmd"
  cut -d' ' -f1-3 /proc/loadavg >"$dir/$name.load"
  local c0; c0=$(cpu_ticks $cpupids)
  (sleep "$((DURATION / 2))"; vm "$first" >"$dir/$name.midmem" 2>/dev/null || true) &
  local sampler=$!
  echo "bench: $name: $*" | sed "s/Bearer [^ ]*/Bearer …/"
  "$@" >"$dir/$name.txt" 2>&1 || echo "wrk exited with $?" >>"$dir/$name.txt"
  wait "$sampler" || true
  echo "$(( $(cpu_ticks $cpupids) - c0 )) $(getconf CLK_TCK)" >"$dir/$name.cpu"
  vm "$first" >"$dir/$name.endmem" 2>/dev/null || true
  grep -E 'Requests/sec|99%' "$dir/$name.txt" | tr -s ' ' | paste -sd' ' | sed 's/^/  /'
}

# check_alive DIR NAME URL: after an egov run, does egov still answer an authenticated request
# (30 s allowed: queued writes may still be running)? If not, keep the threads' stacks (gdb, when
# installed) as evidence, kill it and start a new one so that the next runs still measure.
check_alive() {
  local dir=$1 name=$2 url=$3
  if curl -sf -m 30 -o /dev/null -H "Authorization: Bearer $TOKEN" \
      "http://127.0.0.1:$EGOV_PORT/api/v1/institutions?limit=1"; then
    return 0
  fi
  echo "bench: [$name] egov no longer answers after this run: restarting it" >&2
  echo "egov (pid $EGOV_PID) did not answer GET /api/v1/institutions?limit=1 within 30 s after this run" >"$dir/$name.hung"
  if command -v gdb >/dev/null; then
    timeout 60 gdb -p "$EGOV_PID" -batch -ex 'thread apply all bt 14' >"$dir/$name.gdb" 2>/dev/null || true
  fi
  kill -KILL "$EGOV_PID" 2>/dev/null || true
  wait "$EGOV_PID" 2>/dev/null || true
  start_egov "$dir" "$url" "$EGOV_THREADS"
}

start_egov() { # DIR DBURL THREADS -> sets EGOV_PID EGOV_PORT EGOV_THREADS
  local dir=$1 url=$2 threads=$3
  EGOV_PORT=$(free_port)
  EGOV_THREADS=$threads
  "$egov" serve --db "$url" --listen "127.0.0.1:$EGOV_PORT" --threads "$threads" \
    >>"$dir/serve.log" 2>&1 &
  EGOV_PID=$!
  pids+=("$EGOV_PID")
  wait_healthz "$EGOV_PORT" "$EGOV_PID"
}

stop_egov() { # DIR: SIGTERM, 15 s to stop, then SIGKILL (and a note of it)
  local dir=$1 i
  kill -TERM "$EGOV_PID" 2>/dev/null || true
  for i in $(seq 150); do kill -0 "$EGOV_PID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$EGOV_PID" 2>/dev/null; then
    echo "egov (pid $EGOV_PID, $EGOV_THREADS threads) did not stop within 15 s of SIGTERM: killed" >>"$dir/stop.hung"
    kill -KILL "$EGOV_PID" 2>/dev/null || true
  fi
  wait "$EGOV_PID" 2>/dev/null || true
  local keep=() p
  for p in "${pids[@]}"; do [[ $p == "$EGOV_PID" ]] || keep+=("$p"); done
  pids=("${keep[@]}")
}

# store_phase NAME DBURL: everything measured on one store. Needs W, NGINX_PORT, NGINX_PIDS.
store_phase() {
  local name=$1 url=$2
  local dir="$W/$name"
  mkdir -p "$dir"
  echo "$url" | sed 's/^sqlite:.*/sqlite (WAL file in a temporary folder)/' >"$dir/store"
  echo "bench: [$name] egov demo"
  "$egov" demo --db "$url" >"$dir/demo.log" 2>&1

  echo "bench: [$name] cold starts"
  local sport; sport=$(free_port)
  python3 "$here/startup.py" "$dir/startup.json" 5 -- \
    "$egov" serve --db "$url" --listen "127.0.0.1:$sport" --threads "$THREADS"

  start_egov "$dir" "$url" "$THREADS"
  vm "$EGOV_PID" >"$dir/idle-fresh.mem"
  python3 "$here/setup.py" "http://127.0.0.1:$EGOV_PORT" "$dir" --institutions 60
  # shellcheck disable=SC1091
  . "$dir/setup.env"
  sleep 1
  vm "$EGOV_PID" >"$dir/idle-setup.mem"

  local list="/api/v1/institutions?limit=50"
  local auth="Authorization: Bearer $TOKEN"
  cp "$dir/list.json" "$W/nginx/html/list.json"
  chmod 644 "$W/nginx/html/list.json"
  local ng_bytes; ng_bytes=$(curl -sf "http://127.0.0.1:$NGINX_PORT$list" | wc -c)
  local eg_bytes; eg_bytes=$(curl -sf -H "$auth" "http://127.0.0.1:$EGOV_PORT$list" | wc -c)
  echo "$eg_bytes $ng_bytes" >"$dir/bytes"

  bench_run "$dir" nginx "$NGINX_PIDS" -- \
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:$NGINX_PORT$list"
  bench_run "$dir" list "$EGOV_PID" -- \
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "$auth" \
    "http://127.0.0.1:$EGOV_PORT$list"
  check_alive "$dir" list "$url"
  bench_run "$dir" list-c1 "$EGOV_PID" -- \
    wrk -t1 -c1 -d"${DURATION}s" --latency -H "$auth" "http://127.0.0.1:$EGOV_PORT$list"
  check_alive "$dir" list-c1 "$url"
  BENCH_KIND=posts BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG=$name \
    bench_run "$dir" posts "$EGOV_PID" -- \
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -s "$here/write.lua" \
    "http://127.0.0.1:$EGOV_PORT"
  check_alive "$dir" posts "$url"
  BENCH_KIND=people BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG=$name \
    bench_run "$dir" people "$EGOV_PID" -- \
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --timeout 30s --latency -s "$here/write.lua" \
    "http://127.0.0.1:$EGOV_PORT"
  check_alive "$dir" people "$url"
  sleep 1
  vm "$EGOV_PID" >"$dir/after.mem"
  stop_egov "$dir"

  local t2=$((THREADS * 2))
  start_egov "$dir" "$url" "$t2"
  echo "$t2" >"$dir/threads2"
  bench_run "$dir" list-t2 "$EGOV_PID" -- \
    wrk -t"$WRK_THREADS" -c"$CONNS" -d"${DURATION}s" --latency -H "$auth" \
    "http://127.0.0.1:$EGOV_PORT$list"
  check_alive "$dir" list-t2 "$url"
  stop_egov "$dir"

  # Does a password hash hold up other writes? Cheap writes on 2 connections, alone and then
  # while 2 other connections add people, on a server with enough workers (8) for both.
  echo "bench: [$name] cheap writes alone, then beside people writes (8 threads)"
  start_egov "$dir" "$url" 8
  BENCH_KIND=posts BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG=${name}a \
    bench_run "$dir" posts-alone "$EGOV_PID" -- \
    wrk -t1 -c2 -d"${DURATION}s" --latency -s "$here/write.lua" "http://127.0.0.1:$EGOV_PORT"
  check_alive "$dir" posts-alone "$url"
  BENCH_KIND=people BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG=${name}b \
    bench_run "$dir" people-beside "$EGOV_PID" -- \
    wrk -t1 -c2 -d"${DURATION}s" --timeout 30s --latency -s "$here/write.lua" \
    "http://127.0.0.1:$EGOV_PORT" &
  local bg=$!
  BENCH_KIND=posts BENCH_TOKEN=$TOKEN BENCH_INST=$INST_ID BENCH_TAG=${name}b \
    bench_run "$dir" posts-beside "$EGOV_PID" -- \
    wrk -t1 -c2 -d"${DURATION}s" --latency -s "$here/write.lua" "http://127.0.0.1:$EGOV_PORT"
  wait "$bg" || true
  check_alive "$dir" posts-beside "$url"
  stop_egov "$dir"

  echo "bench: [$name] deadlock probe: 16 requests readable at once, $THREADS threads"
  start_egov "$dir" "$url" "$THREADS"
  echo "bench/deadlock_probe.py $EGOV_PORT \$TOKEN 16 OUT.json  # egov serve --threads $THREADS" >"$dir/probe.cmd"
  python3 "$here/deadlock_probe.py" "$EGOV_PORT" "$TOKEN" 16 "$dir/probe.json" || true
  kill -KILL "$EGOV_PID" 2>/dev/null || true
  wait "$EGOV_PID" 2>/dev/null || true

  if [[ $name == sqlite ]] && command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null; then
    echo "bench: [$name] callgrind, 200 list requests on 1 worker thread"
    local cport; cport=$(free_port)
    valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out" \
      "$egov" serve --db "$url" --listen "127.0.0.1:$cport" --threads 1 >"$dir/callgrind.log" 2>&1 &
    local vpid=$!
    pids+=("$vpid")
    EGOV_PID=$vpid
    wait_healthz "$cport" "$vpid"
    # Per-request figures are taken from the inclusive count of on_request (everything egov
    # does for a request, libmicrohttpd's parsing aside) divided by the 200 requests.
    echo "valgrind --tool=callgrind $egov serve --db $url --listen 127.0.0.1:$cport --threads 1 & bench/reqloop.py 'http://127.0.0.1:$cport$list' \$TOKEN 200" >"$dir/callgrind.cmd"
    python3 "$here/reqloop.py" "http://127.0.0.1:$cport$list" "$TOKEN" 200
    stop_egov "$dir"
    callgrind_annotate --inclusive=yes --threshold=100 "$dir/callgrind.out" >"$dir/callgrind.txt" 2>/dev/null || true
    callgrind_annotate --inclusive=no --threshold=100 "$dir/callgrind.out" >"$dir/callgrind-self.txt" 2>/dev/null || true
  fi

  if [[ $name == sqlite ]]; then
    # The same page rendered egov's way (jansson) and by a direct writer, outputs compared byte
    # for byte with egov's answer: what the proposed fix would save (bench/NOTES.md).
    echo "bench: [$name] rendering cost of the list page: jansson against a direct writer"
    if cc -std=c11 -O2 -o "$W/jsoncost" "$here/jsoncost.c" $(pkg-config --cflags --libs jansson) 2>"$dir/jsoncost.log"; then
      echo "cc -std=c11 -O2 -o jsoncost bench/jsoncost.c \$(pkg-config --cflags --libs jansson) && ./jsoncost list.json 2000" >"$dir/jsoncost.cmd"
      "$W/jsoncost" "$dir/list.json" 2000 >"$dir/jsoncost.txt" 2>&1 || true
      cat "$dir/jsoncost.txt"
    fi
  fi
}

if [[ ${1:-} == --store ]]; then
  # Child mode: one store phase, W / NGINX_* come from the parent's environment.
  trap cleanup_pids EXIT
  case $2 in
    pg) store_phase pg "${EGOV_TEST_PG:?run inside tests/with-pg.sh}" ;;
    *) echo "bench: unknown store $2" >&2; exit 2 ;;
  esac
  exit 0
fi

# ---- parent: tools, build, nginx, the phases, the report ----
need=()
for t in wrk nginx curl python3; do command -v "$t" >/dev/null || need+=("$t"); done
if ((${#need[@]})); then
  declare -A pkg=([wrk]=wrk [nginx]=nginx-light [curl]=curl [python3]=python3)
  list=(); for t in "${need[@]}"; do list+=("${pkg[$t]}"); done
  echo "bench: installing ${list[*]}"
  "$root/scripts/apt.sh" "${list[@]}" >/dev/null
fi

echo "bench: building egov (Release) in $build"
for try in 1 2 3; do
  if cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null &&
     cmake --build "$build" -j"$NPROC" --target egov >"$build.log" 2>&1; then
    break
  fi
  [[ $try == 3 ]] && { tail -30 "$build.log" >&2; echo "bench: build failed" >&2; exit 1; }
  echo "bench: build failed (try $try), retrying in 20 s"; sleep 20
done

W=$(mktemp -d /tmp/egov-bench.XXXXXX)
chmod 755 "$W"
export W
cleanup_all() {
  cleanup_pids
  if [[ -n ${NGINX_MASTER:-} ]]; then
    kill -QUIT "$NGINX_MASTER" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$NGINX_MASTER" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$NGINX_MASTER" 2>/dev/null || true
  fi
  if [[ ${BENCH_KEEP:-0} == 1 ]]; then echo "bench: raw outputs kept in $W"; else rm -rf "$W"; fi
}
trap cleanup_all EXIT

# Conditions of the run.
{
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "nproc=$NPROC"
  echo "cpu=$(awk -F': ' '/^model name/{print $2; exit}' /proc/cpuinfo)"
  echo "mem=$(awk '/^MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "os=Debian $(cat /etc/debian_version 2>/dev/null || echo '?')"
  echo "egov=$("$egov" version 2>&1 | head -1)"
  echo "commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "dirty_src=$(git -C "$root" status --porcelain -- src sql CMakeLists.txt 2>/dev/null | wc -l)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $1, $2}')"
  echo "nginx=$(nginx -v 2>&1 | sed 's/^nginx version: //')"
  for p in libmicrohttpd12 libjansson4 libsqlite3-0 libpq5 libsodium23 postgresql-15 valgrind; do
    echo "pkg_$p=$(dpkg-query -W -f='${Version}' "$p" 2>/dev/null || echo 'not installed')"
  done
  echo "threads=$THREADS"
  echo "wrk_threads=$WRK_THREADS"
  echo "conns=$CONNS"
  echo "duration=$DURATION"
} >"$W/conditions"

# nginx: own prefix, own config, own port; never the system service.
NGINX_PORT=$(free_port)
mkdir -p "$W/nginx/html" "$W/nginx/tmp"
cat >"$W/nginx/nginx.conf" <<EOF
# The static ceiling: the same bytes as egov's list answer, from a file, as fast as nginx goes.
worker_processes $NPROC;
daemon off;
pid $W/nginx/nginx.pid;
error_log $W/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $W/nginx/tmp/body;
  proxy_temp_path $W/nginx/tmp/proxy;
  fastcgi_temp_path $W/nginx/tmp/fastcgi;
  uwsgi_temp_path $W/nginx/tmp/uwsgi;
  scgi_temp_path $W/nginx/tmp/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $W/nginx/html;
    location = /api/v1/institutions { default_type application/json; try_files /list.json =404; }
  }
}
EOF
chmod -R a+rX "$W/nginx"
nginx -p "$W/nginx" -c "$W/nginx/nginx.conf" -e "$W/nginx/error.log" &
NGINX_MASTER=$!
for _ in $(seq 100); do [[ -s $W/nginx/nginx.pid ]] && break; sleep 0.05; done
sleep 0.3
NGINX_PIDS="$(pgrep -P "$NGINX_MASTER" | paste -sd' ') $NGINX_MASTER"
export NGINX_PORT NGINX_PIDS
cp "$W/nginx/nginx.conf" "$W/nginx.conf.txt"

for s in $STORES; do
  case $s in
    sqlite) store_phase sqlite "sqlite:$W/sqlite/egov.db" ;;
    pg)
      if [[ -x $root/tests/with-pg.sh ]] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        # The PostgreSQL server runs as the postgres user, which needs to read nothing of ours.
        "$root/tests/with-pg.sh" "$here/run.sh" --store pg || echo "pg phase failed ($?)" >"$W/pg.failed"
      else
        echo "PostgreSQL server binaries or tests/with-pg.sh missing" >"$W/pg.failed"
      fi
      ;;
  esac
done
echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$W/conditions"

python3 "$here/report.py" "$W" "$here/RESULTS.md"
echo "bench: wrote bench/RESULTS.md"
"$here/search.sh" "$here/RESULTS.md" || echo "bench: the search benchmark failed" >&2
"$here/usage.sh" "$here/RESULTS.md" || echo "bench: the usage benchmark failed" >&2
"$here/billing.sh" "$here/RESULTS.md" || echo "bench: the billing benchmark failed" >&2
EGOV_BIN="$build/egov" "$here/durability.sh" "$here/RESULTS.md" || echo "bench: the durability benchmark failed" >&2
