#!/usr/bin/env bash
# make lint: formatting (clang-format), static analysis (clang-tidy, cppcheck) and the banned
# functions check. Exits non-zero on any finding.
set -uo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
status=0
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.c' 'tests/api/*.c' 'tests/api/*.h')

echo "== clang-format"
if ! clang-format --dry-run --Werror $files; then status=1; fi

echo "== banned functions"
# Every source file must include core/banned.h last; a use of a banned function then fails to
# compile. Here we check that the include is present.
for f in $(git ls-files 'src/*.c'); do
  grep -q '#include "core/banned.h"\|#include "banned.h"' "$f" || { echo "$f does not include core/banned.h"; status=1; }
done

echo "== clang-tidy"
[[ -f $build/compile_commands.json ]] || cmake -S . -B "$build" >/dev/null
if ! clang-tidy -p "$build" --quiet $(git ls-files 'src/*.c') 2>/dev/null | grep -E "warning:|error:" ; then :; else status=1; fi

echo "== cppcheck"
if ! cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --std=c11 \
     --inline-suppr --suppress=missingIncludeSystem -I src $(git ls-files 'src/*.c'); then status=1; fi

((status == 0)) && echo "lint: clean"
exit $status
