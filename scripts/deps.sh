#!/usr/bin/env bash
# Installs the Debian packages egov needs for a purpose, only those not yet installed.
#   scripts/deps.sh build   compile and run the server
#   scripts/deps.sh test    + PostgreSQL, clang (fuzzing), Chromium, promtool, Node.js, Python 3
#                           (the XLSX export test reads the workbook with its zipfile module)
#   scripts/deps.sh bench   + wrk and nginx
set -euo pipefail
build=(build-essential cmake pkg-config libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev
       libsodium-dev libinih-dev libcmocka-dev libxlsxwriter-dev libcjson-dev libcsv-dev libssl-dev
       libp11-kit-dev libyajl-dev nodejs npm)
test=(openssl softhsm2 opensc python3 postgresql clang libclang-rt-14-dev chromium prometheus valgrind cppcheck clang-tidy clang-format)
bench=(wrk nginx-light postgresql)
want=("${build[@]}")
case "${1:-build}" in
  build) ;;
  test) want+=("${test[@]}") ;;
  bench) want+=("${bench[@]}") ;;
  all) want+=("${test[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 build|test|bench|all" >&2; exit 2 ;;
esac
missing=()
for p in "${want[@]}"; do
  # node/npm may come from another source (e.g. NodeSource): accept the commands themselves.
  if [[ $p == nodejs ]] && command -v node >/dev/null; then continue; fi
  if [[ $p == npm ]] && command -v npm >/dev/null; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  # apt.sh waits (bounded, with a message) while another apt process holds the lock.
  "$(dirname "$0")/apt.sh" "${missing[@]}" >/dev/null
fi
