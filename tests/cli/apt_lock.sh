#!/usr/bin/env bash
# make run and make test on a machine whose package manager is busy: scripts/apt.sh (which
# scripts/deps.sh, the black-box and browser runners and bench use) must wait for a dpkg lock
# held by another process, and give up with a message when the wait bound passes.
# Holds the real dpkg locks with fcntl (as dpkg and apt do), so it needs root.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "apt_lock: needs root (it takes the dpkg locks)" >&2; exit 1; }
fail=0
hold() { # seconds -> holder pid in $holder; waits until the locks are taken
  local ready; ready=$(mktemp)
  python3 - "$1" "$ready" <<'PY' &
import fcntl, sys, time
fds = []
for p in ("/var/lib/dpkg/lock-frontend", "/var/lib/dpkg/lock", "/var/lib/apt/lists/lock"):
    f = open(p, "a")
    fcntl.lockf(f, fcntl.LOCK_EX)
    fds.append(f)
open(sys.argv[2], "w").write("1")
time.sleep(float(sys.argv[1]))
PY
  holder=$!
  while [[ ! -s $ready ]]; do kill -0 "$holder" 2>/dev/null || { echo "apt_lock: could not take the locks"; exit 1; }; sleep 0.1; done
  rm -f "$ready"
}

# 1. The lock is held for 8 s: apt.sh waits and then installs (coreutils is installed already,
#    so nothing changes on the machine).
hold 8
out=$(EGOV_APT_UPDATE=0 EGOV_APT_WAIT=120 "$here/scripts/apt.sh" coreutils 2>&1); rc=$?
if kill -0 "$holder" 2>/dev/null; then
  echo "not ok 1 - apt.sh returned while the lock was still held (rc $rc): $out"; fail=1
elif ((rc != 0)); then
  echo "not ok 1 - apt.sh failed after the lock was released (rc $rc): $out"; fail=1
else
  echo "ok 1 - apt.sh waited for the dpkg lock and then installed"
fi
wait "$holder" 2>/dev/null

# 2. The lock is held longer than the bound: apt.sh gives up with a message, non-zero.
hold 60
out=$(EGOV_APT_UPDATE=0 EGOV_APT_WAIT=2 "$here/scripts/apt.sh" coreutils 2>&1); rc=$?
if ((rc == 0)) || ! grep -q "still holds the lock" <<<"$out"; then
  echo "not ok 2 - expected a bounded wait and a message, got rc $rc: $out"; fail=1
else
  echo "ok 2 - apt.sh gives up after EGOV_APT_WAIT with a message"
fi
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null

# 3. A package that does not exist fails at once (no waiting on errors that are not a lock).
out=$(EGOV_APT_UPDATE=0 EGOV_APT_WAIT=120 "$here/scripts/apt.sh" egov-no-such-package-xyz 2>&1); rc=$?
if ((rc == 0)) || grep -q "waiting" <<<"$out"; then
  echo "not ok 3 - a missing package must fail without waiting (rc $rc): $out"; fail=1
else
  echo "ok 3 - a missing package fails at once"
fi
((fail == 0)) && echo "3 passed, 0 failed" || echo "apt_lock: failed"
exit "$fail"
