#!/usr/bin/env bash
# make test: every suite, in order, each reported; the last line is the plain summary
# "N passed, N failed". Exits non-zero when any suite failed. No suite is skipped silently:
# a suite that cannot run counts as failed.
set -uo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
passed=0; failed=0; failures=()

suite() { # name, command...
  local name=$1; shift
  echo "=== $name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1)); echo "--- $name: ok ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1)); failures+=("$name"); echo "--- $name: FAILED ($((SECONDS - t0)) s)"
  fi
}

build() { # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" "$@" >/dev/null && cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "warning|error|Error" ; test "${PIPESTATUS[0]}" -eq 0
}

suite "build" build build -DCMAKE_BUILD_TYPE=RelWithDebInfo
suite "package manager busy (scripts/apt.sh waits for the dpkg lock)" tests/cli/apt_lock.sh
suite "lint (clang-format, clang-tidy, cppcheck)" scripts/lint.sh build
suite "unit + API on SQLite" ctest --test-dir build --output-on-failure -j"$jobs" -L sqlite
suite "API on PostgreSQL" tests/with-pg.sh ctest --test-dir build --output-on-failure -L pg
suite "build with ASan+UBSan" build build-asan -DCMAKE_BUILD_TYPE=Debug -DEGOV_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
suite "ASan+UBSan: unit + API on SQLite" ctest --test-dir build-asan --output-on-failure -j"$jobs" -L sqlite
suite "ASan+UBSan: API on PostgreSQL" tests/with-pg.sh ctest --test-dir build-asan --output-on-failure -L pg
unset ASAN_OPTIONS UBSAN_OPTIONS
if [[ -x tests/fuzz/run.sh ]]; then
  suite "fuzz smoke" env FUZZ_SECONDS="${FUZZ_SECONDS:-10}" tests/fuzz/run.sh build-fuzz
fi
if [[ -x tests/http/run.sh ]]; then
  suite "black box over HTTP" tests/http/run.sh build/egov
fi
if [[ -x tests/e2e/run.sh ]]; then
  suite "browser (console)" tests/e2e/run.sh build/egov
fi

echo
((failed)) && printf 'failed suites: %s\n' "${failures[*]}"
echo "suites: $passed passed, $failed failed"
((failed == 0))
