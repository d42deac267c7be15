#!/usr/bin/env bash
# tests/fuzz/run.sh BUILD_DIR - builds egov's libFuzzer targets with clang in BUILD_DIR, replays
# the inputs kept in tests/fuzz/crashes/<target>/ (bugs found earlier: they must not crash),
# then fuzzes each target for FUZZ_SECONDS (default 10) on a scratch copy of its seed corpus,
# so the committed corpus never grows. Prints one line per target; exits 1 when any target
# crashed, leaked, timed out or ran out of memory, 2 when the build failed.
#
#   FUZZ_SECONDS=60 tests/fuzz/run.sh build-fuzz      longer runs (make fuzz: 120 s each)
#   FUZZ_TARGETS="fuzz_time fuzz_uscc" ...            a subset
#   FUZZ_FLAGS="-workers=2 -jobs=2" ...               more libFuzzer flags
#   FUZZ_WORK=tests/fuzz/corpus-work ...              keep (and reuse) scratch corpora and logs
#                                                     there (gitignored) instead of a temp dir
# A new finding is copied with its log to BUILD_DIR/fuzz-findings/<target>/; reproduce it with
#   BUILD_DIR/tests/fuzz/<target> FILE
set -uo pipefail

if (($# != 1)); then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
build=$(mkdir -p "$1" && cd "$1" && pwd)
secs=${FUZZ_SECONDS:-10}
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_uscc fuzz_json_body fuzz_router fuzz_config fuzz_time fuzz_usage fuzz_tabular fuzz_checkpoint}"

if [[ -n ${FUZZ_WORK:-} ]]; then
  work=$(mkdir -p "$FUZZ_WORK" && cd "$FUZZ_WORK" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/egov-fuzz.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

blog="$work/build.log"
if ! { cmake -S "$repo" -B "$build" -DCMAKE_C_COMPILER=clang -DEGOV_FUZZ=ON \
         -DCMAKE_BUILD_TYPE=Debug &&
       cmake --build "$build" -j"$(nproc)" --target "${targets[@]}"; } >"$blog" 2>&1; then
  tail -n 40 "$blog"
  echo "fuzz: build failed" >&2
  exit 2
fi
grep -E "warning:" "$blog" | sort -u

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
common=(-timeout=5 -rss_limit_mb=2048)

# The first sanitizer or contract line of a libFuzzer log: what kind of failure it was.
verdict() {
  local what where
  what=$(grep -m1 -oE "(AddressSanitizer|LeakSanitizer|libFuzzer): [a-zA-Z-]+|runtime error: .*|contract broken: .*|ALARM: working on the last Unit for [0-9]+ seconds|out-of-memory \(used: [0-9]+Mb" "$1")
  # The first frame in egov's own code (src/ or the driver), not the sanitizer or libFuzzer.
  where=$(grep -m1 -oE "^    #[0-9]+ 0x[0-9a-f]+ in [a-zA-Z_0-9]+ [^ ]*/(src|tests/fuzz)/[^ ]+\.[ch]:[0-9]+" "$1" |
    sed -E 's/^ +#[0-9]+ 0x[0-9a-f]+ in //; s|'"$repo"'/||')
  echo "${what:-failed (see log)}${where:+ in $where}"
}

failed=0
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/$t"
  tw="$work/$t"
  mkdir -p "$tw/corpus" "$tw/artifacts"
  cp -r -n "$here/corpus/$t/." "$tw/corpus/" 2>/dev/null
  n_seeds=$(find "$tw/corpus" -type f | wc -l)
  dict=()
  [[ -f $here/dict/$t.dict ]] && dict=(-dict="$here/dict/$t.dict")

  # Regressions first: every kept crash input runs once.
  mapfile -t kept < <(find "$here/crashes/$t" -type f 2>/dev/null | sort)
  if ((${#kept[@]})); then
    if ! "$bin" "${common[@]}" "${kept[@]}" >"$tw/regress.log" 2>&1; then
      bad=$(grep -m1 -oE "^Running: .*" "$tw/regress.log" | tail -n1)
      printf '%-15s FAIL   kept input %s still fails: %s\n' "$t" "${bad#Running: "$repo"/}" \
        "$(verdict "$tw/regress.log")"
      failed=1
      continue
    fi
  fi

  log="$tw/fuzz.log"
  read -r -a extra <<<"${FUZZ_FLAGS:-}"
  "$bin" "${common[@]}" "${dict[@]}" -max_total_time="$secs" -print_final_stats=1 \
    -artifact_prefix="$tw/artifacts/" "${extra[@]}" "$tw/corpus" >"$log" 2>&1
  rc=$?
  runs=$(grep -m1 -oE "stat::number_of_executed_units: [0-9]+" "$log" | grep -oE "[0-9]+$")
  cov=$(grep -oE " cov: [0-9]+" "$log" | tail -n1 | grep -oE "[0-9]+")
  n_corpus=$(find "$tw/corpus" -type f | wc -l)
  if ((rc == 0)); then
    printf '%-15s ok     %s s, %s runs, %s edges, corpus %s -> %s, %s kept inputs pass\n' "$t" \
      "$secs" "${runs:-?}" "${cov:-?}" "$n_seeds" "$n_corpus" "${#kept[@]}"
  else
    found="$build/fuzz-findings/$t"
    mkdir -p "$found"
    cp "$tw"/artifacts/* "$log" "$found/" 2>/dev/null
    art=$(find "$tw/artifacts" -type f -printf '%f\n' | head -n1)
    printf '%-15s FAIL   %s; input %s\n' "$t" "$(verdict "$log")" "${art:+$found/$art}"
    failed=1
  fi
done
exit "$failed"
