#!/usr/bin/env bash
# tests/http/run.sh PATH_TO_EGOV - the black-box suite: the real binary on 127.0.0.1, hostile
# requests, login lock-out, CLI exit codes, promtool on /metrics, the OpenAPI lint, the usage
# ingest (kill during import, streaming), the availability regression, and a
# subset under valgrind. Installs what it needs when missing (Debian packages sqlite3,
# prometheus (promtool), valgrind; npm deps from package-lock.json), runs node's test runner
# and exits non-zero on failure. Every server it starts is stopped when it ends.
#
#   EGOV_BB_ONLY="hostile cli"   run only these test files (names without .test.mjs)
#   EGOV_BB_KEEP=1               keep the temporary folder (stores, server logs) for a post-mortem
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [[ $# -lt 1 ]]; then
  echo "usage: $0 PATH_TO_EGOV_BINARY" >&2
  exit 2
fi
bin=$(realpath -e "$1" 2>/dev/null) || { echo "run.sh: no such binary: $1" >&2; exit 2; }
[[ -x $bin ]] || { echo "run.sh: not executable: $bin" >&2; exit 2; }

# --- tools -----------------------------------------------------------------------------------
missing=()
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v sqlite3 >/dev/null || missing+=(sqlite3)
command -v promtool >/dev/null || missing+=(prometheus)
command -v valgrind >/dev/null || missing+=(valgrind)
if ((${#missing[@]})); then
  echo "run.sh: installing ${missing[*]}"
  if ! "$here/../../scripts/apt.sh" "${missing[@]}" >/dev/null; then
    echo "run.sh: could not install ${missing[*]}" >&2
    exit 1
  fi
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 18)); then
  echo "run.sh: node 18 or newer is needed (found $(node --version))" >&2
  exit 1
fi

if [[ ! -x $here/node_modules/.bin/redocly ]]; then
  echo "run.sh: npm ci in tests/http"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || { echo "run.sh: npm ci failed" >&2; exit 1; }
fi

# --- a scratch folder, the pid registry, and a demo province to copy --------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/egov-http.XXXXXX")
mkdir -p "$work/pids" "$work/tmp"
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
  local f pid
  for f in "$work"/pids/*; do
    [[ -e $f ]] || continue
    pid=${f##*/}
    if kill -0 "$pid" 2>/dev/null; then
      echo "run.sh: stopping leftover server $pid ($(cat "$f"))" >&2
      kill -TERM "$pid" 2>/dev/null
      for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -KILL "$pid" 2>/dev/null
    fi
  done
  if [[ ${EGOV_BB_KEEP:-} == 1 ]]; then
    echo "run.sh: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! "$bin" demo --db "sqlite:$work/demo-template.db" >"$work/demo.log" 2>&1; then
  echo "run.sh: egov demo failed:" >&2
  cat "$work/demo.log" >&2
  exit 1
fi

export EGOV_BIN=$bin EGOV_BB_TMP=$work/tmp EGOV_BB_PIDS=$work/pids
export EGOV_BB_DEMO_TEMPLATE=$work/demo-template.db
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
# The server and the CLI must not pick up a developer's settings.
unset EGOV_DB EGOV_LISTEN EGOV_CONFIG EGOV_BODY_MAX EGOV_RATE_LIMIT EGOV_LOGIN_SLOW_AFTER \
      EGOV_LOGIN_LOCK_AFTER EGOV_LOGIN_LOCK_MIN EGOV_THREADS EGOV_WEB_ROOT EGOV_LOG_LEVEL \
      EGOV_SESSION_TTL_MIN EGOV_TIMEZONE EGOV_ADMIN_PASSWORD EGOV_USER_PASSWORD \
      EGOV_CRYPTO_SUITE EGOV_SIGNING_KEY EGOV_SIGNING_KEY_GENERATE EGOV_SIGNING_KEY_PIN \
      EGOV_COOKIE_SECURE EGOV_CONNS_PER_IP EGOV_HEADER_TIMEOUT_S EGOV_BODY_TIMEOUT_S

# Every *.test.mjs file of this folder unless EGOV_BB_ONLY names some: a new test file cannot be
# left out of `make test` by forgetting a list.
files=()
if [[ -n ${EGOV_BB_ONLY:-} ]]; then
  for name in $EGOV_BB_ONLY; do files+=("$here/$name.test.mjs"); done
else
  for f in "$here"/*.test.mjs; do files+=("$f"); done
fi
for f in "${files[@]}"; do [[ -f $f ]] || { echo "run.sh: no such test file: $f" >&2; exit 2; }; done

args=(--test --test-reporter=spec)
# One file at a time: the timing-sensitive tests (rate limit, lock-out) and valgrind's run get
# the machine's two cores to themselves. Node 18 has no such flag and runs them as it likes.
if node --help 2>/dev/null | grep -q -- '--test-concurrency'; then
  args+=(--test-concurrency=1)
fi
cd "$here" || exit 1
# node runs in a process group of its own (setsid), so that an interrupted run can stop the test
# runner, its test-file processes and the servers they started, all by that one group id.
setsid node "${args[@]}" "${files[@]}" &
node_pid=$!
trap 'kill -TERM -- "-$node_pid" 2>/dev/null; wait "$node_pid"; exit 130' INT TERM
wait "$node_pid"
rc=$?
trap - INT TERM
exit $rc
