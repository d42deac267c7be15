#!/usr/bin/env bash
# Browser tests of the console: tests/e2e/run.sh PATH_TO_EGOV_BINARY
# Installs the npm packages of the console and of the tests when missing (npm ci), builds the
# console, creates a throwaway SQLite store with the demo province, serves it on a free port of
# 127.0.0.1, runs every spec with node's test runner against Debian's chromium, stops the server.
# Exits non-zero when any test fails; screenshots of failures go to the folder it prints.
set -euo pipefail
if [[ $# -ne 1 ]]; then echo "usage: $0 PATH_TO_EGOV_BINARY" >&2; exit 2; fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
egov=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[[ -x $egov ]] || { echo "e2e: $1 is not an executable egov binary" >&2; exit 2; }

if [[ ! -x /usr/bin/chromium ]]; then
  echo "e2e: installing Debian's chromium"
  "$repo/scripts/apt.sh" chromium >/dev/null
fi
command -v node >/dev/null && command -v npm >/dev/null || { echo "e2e: node and npm are needed (scripts/deps.sh build)" >&2; exit 2; }

# npm ci when node_modules is missing or older than the lock file.
npm_ci() {
  local dir=$1
  # A node_modules that is a symbolic link belongs to another checkout (a worktree sharing the
  # packages): npm ci would empty it there. Use it as it is.
  if [[ -L $dir/node_modules ]]; then return 0; fi
  if [[ ! -f $dir/node_modules/.package-lock.json || $dir/package-lock.json -nt $dir/node_modules/.package-lock.json ]]; then
    echo "e2e: npm ci in ${dir#"$repo"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci "$repo/web"
npm_ci "$here"
echo "e2e: building the console"
(cd "$repo/web" && npm run --silent build >/dev/null)

work=$(mktemp -d "${TMPDIR:-/tmp}/egov-e2e.XXXXXX")
shots=$(mktemp -d "${TMPDIR:-/tmp}/egov-e2e-shots.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$egov" demo --db "sqlite:$work/e2e.db" >"$work/demo.log" 2>&1 || { cat "$work/demo.log" >&2; exit 1; }
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
"$egov" serve --db "sqlite:$work/e2e.db" --listen "127.0.0.1:$port" --web-root "$repo/web/dist" --log-level warn \
  >"$work/serve.log" 2>&1 &
server_pid=$!
export EGOV_E2E_URL="http://127.0.0.1:$port" EGOV_E2E_SHOTS="$shots"
# Specs that need a server of their own (another crypto suite, a key rotation between two
# starts: specs/keys.test.mjs) start it from this binary and console.
export EGOV_E2E_BIN="$egov" EGOV_E2E_WEB_ROOT="$repo/web/dist"
node "$here/lib/wait-ready.mjs" "$EGOV_E2E_URL" || { echo "e2e: the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "e2e: console at $EGOV_E2E_URL, screenshots of failures in $shots"

# One node process per spec file, one after the other: each drives its own chromium.
# The spec reporter for people, TAP into a file for the totals.
passed=0; failed=0; failures=()
# EGOV_E2E_ONLY="name ..." runs only those specs (specs/name.test.mjs) while working on them.
specs=()
if [[ -n ${EGOV_E2E_ONLY:-} ]]; then
  for name in $EGOV_E2E_ONLY; do
    [[ -f $here/specs/$name.test.mjs ]] || { echo "e2e: no spec specs/$name.test.mjs" >&2; exit 2; }
    specs+=("$here/specs/$name.test.mjs")
  done
else
  specs=("$here"/specs/*.test.mjs)
fi
for spec in "${specs[@]}"; do
  name=$(basename "$spec" .test.mjs)
  tap="$work/$name.tap"
  if ! (cd "$here" && node --test --test-reporter=spec --test-reporter-destination=stdout \
        --test-reporter=tap --test-reporter-destination="$tap" "$spec"); then
    failures+=("$name")
  fi
  p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$tap" | tail -n 1); f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$tap" | tail -n 1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
  # A spec file that died before reporting counts as a failure.
  if [[ -z $p && -z $f ]] || { ((${#failures[@]})) && [[ ${failures[-1]} == "$name" && ${f:-0} -eq 0 ]]; }; then failed=$((failed + 1)); fi
done
echo
if ((failed)) || ((${#failures[@]})); then
  echo "e2e: failed specs: ${failures[*]}"
  echo "e2e: screenshots of the failures: $shots"
  echo "e2e: server log (last lines):"; tail -n 30 "$work/serve.log"
else
  rmdir "$shots" 2>/dev/null || true
fi
echo "e2e: $passed passed, $failed failed"
((failed == 0)) && ((${#failures[@]} == 0))
