#!/usr/bin/env bash
# Installs Debian packages the way every script of egov does: `scripts/apt.sh PKG...`.
# On a freshly booted machine another apt process (unattended-upgrades, apt-daily) often holds
# the dpkg or the package-list lock for minutes; apt-get then fails at once with "Could not get
# lock". This waits for the locks instead, bounded by EGOV_APT_WAIT seconds (default 900), and
# says what it is waiting for. Other failures (a package that does not exist, no network) fail at
# once with apt-get's own message.
#   EGOV_APT_UPDATE=0   skip `apt-get update` (the lists are known to be fresh)
set -uo pipefail
(($#)) || { echo "usage: $0 PACKAGE..." >&2; exit 2; }
wait_max=${EGOV_APT_WAIT:-900}
[[ $wait_max =~ ^[0-9]+$ ]] || { echo "apt.sh: EGOV_APT_WAIT must be a number of seconds" >&2; exit 2; }
lock_timeout=$((wait_max < 30 ? wait_max : 30))
sudo_cmd=()
[[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo -n)
export DEBIAN_FRONTEND=noninteractive

# Runs apt-get with its arguments; retries while the only trouble is a lock held by another
# process, until wait_max seconds have passed since the first try.
apt_locked() {
  local start=$SECONDS out rc said=0
  while :; do
    # DPkg::Lock::Timeout makes apt itself wait for the dpkg frontend lock (apt >= 1.9.11);
    # the loop below covers the list lock of `apt-get update`, which that option does not.
    out=$("${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout="$lock_timeout" "$@" 2>&1)
    rc=$?
    if ((rc == 0)); then return 0; fi
    if ! grep -qiE "could not get lock|unable to (acquire|lock)|is another process using it" <<<"$out"; then
      printf '%s\n' "$out" >&2
      return "$rc"
    fi
    if ((SECONDS - start >= wait_max)); then
      printf '%s\n' "$out" >&2
      echo "apt.sh: another package manager still holds the lock after ${wait_max} s; giving up" >&2
      return "$rc"
    fi
    if ((said == 0)); then
      echo "apt.sh: another package manager holds the lock (unattended upgrades?); waiting up to ${wait_max} s" >&2
      said=1
    fi
    sleep 5
  done
}

if [[ ${EGOV_APT_UPDATE:-1} != 0 ]]; then
  apt_locked update -qq || exit $?
fi
apt_locked install -y -qq --no-install-recommends "$@"
