#!/usr/bin/env bash
# tests/cli/pkcs11_softhsm.sh EGOV - the signing key in a PKCS#11 token (docs/keys.md): a
# SoftHSM2 token in a temporary folder (SOFTHSM2_CONF), an Ed25519 key generated in it with
# pkcs11-tool, `egov serve` with signing_key=pkcs11:URI and the PIN from EGOV_SIGNING_KEY_PIN, a
# catalogue edition published over HTTP and verified with `openssl pkeyutl -verify` against the
# public key that the token holds. No key file is written and the PIN appears in no output; a
# wrong PIN stops `egov serve` at start. Then rotation in the token: a second key, `egov keys
# rotate` retires the first, the new edition names the new key and the old one still verifies.
# Installs softhsm2 and opensc when they are missing.
set -euo pipefail
bin=$(realpath "$1")
fail() { echo "pkcs11_softhsm: $*" >&2; exit 1; }

missing=()
command -v softhsm2-util >/dev/null || missing+=(softhsm2)
command -v pkcs11-tool >/dev/null || missing+=(opensc)
command -v curl >/dev/null || missing+=(curl)
command -v jq >/dev/null || missing+=(jq)
if ((${#missing[@]})); then
  echo "pkcs11_softhsm: installing ${missing[*]}"
  sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo -n)
  "${sudo[@]}" apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=600 "${missing[@]}" >/dev/null ||
    fail "could not install ${missing[*]}"
fi
module=$(dpkg -L libsofthsm2 | grep '/libsofthsm2\.so$' | head -1)
[[ -n $module ]] || fail "libsofthsm2.so not found"

dir=$(mktemp -d /tmp/egov-pkcs11.XXXXXX)
pid=""
cleanup() {
  if [[ -n $pid ]]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

pin=4711-$RANDOM
export SOFTHSM2_CONF=$dir/softhsm2.conf
mkdir "$dir/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$dir" \
  >"$SOFTHSM2_CONF"
softhsm2-util --init-token --free --label egov-test --so-pin 5678 --pin "$pin" >/dev/null
p11() { pkcs11-tool --module "$module" --token-label egov-test "$@"; }
p11 --login --pin "$pin" --keypairgen --key-type EC:edwards25519 --label egov-signing --id 01 \
  >/dev/null 2>&1 || fail "pkcs11-tool could not generate an Ed25519 key"
p11 --read-object --type pubkey --label egov-signing -o "$dir/token.pem" >/dev/null 2>&1 ||
  fail "cannot read the public key from the token"

uri="pkcs11:token=egov-test;object=egov-signing?module-path=$module"
db="sqlite:$dir/egov.db"
"$bin" demo --db "$db" >/dev/null 2>"$dir/demo.err" || { cat "$dir/demo.err" >&2; fail "demo failed"; }

# A wrong PIN: the service does not start, the message names the setting, not the PIN.
if EGOV_SIGNING_KEY_PIN=0000 "$bin" serve --db "$db" --listen 127.0.0.1:0 --signing-key "$uri" \
  >/dev/null 2>"$dir/wrong.err"; then
  fail "egov serve started with a wrong PIN"
fi
grep -q "PIN" "$dir/wrong.err" || fail "no word of the PIN: $(cat "$dir/wrong.err")"

# The real PIN: serve, and wait for its one line on stdout (read blocks until it comes).
mkfifo "$dir/ready"
EGOV_SIGNING_KEY_PIN=$pin "$bin" serve --db "$db" --listen 127.0.0.1:0 --signing-key "$uri" \
  --signing-key-generate 0 --jobs-interval-s 0 >"$dir/ready" 2>"$dir/serve.err" &
pid=$!
exec 3<"$dir/ready"
read -r -t 120 line <&3 || { cat "$dir/serve.err" >&2; fail "egov serve did not start"; }
port=$(grep -o '(port [0-9]*' "$dir/serve.err" | head -1 | grep -o '[0-9]*$')
[[ -n $port ]] || fail "no port in the log"
base="http://127.0.0.1:$port/api/v1"

token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"login":"gz.admin","password":"Egov-Demo-2026"}' "$base/session" | jq -r .token)
[[ -n $token && $token != null ]] || fail "login failed"
n=$(curl -sf -X POST -H "Authorization: Bearer $token" "$base/catalogues/resources/editions" |
  jq -r .edition)
[[ $n =~ ^[0-9]+$ ]] || fail "publishing failed"

# docs/keys.md, "Verifying an edition", as anyone would.
curl -sf "$base/catalogues/resources/editions/$n" >"$dir/edition.json"
curl -sf "$base/catalogues/resources/editions/$n/signature" | base64 -d >"$dir/edition.sig"
kid=$(curl -sf "$base/catalogues/resources/editions" | jq -r ".items[] | select(.edition == $n) | .key_id")
[[ $kid == ed25519-* ]] || fail "key id '$kid'"
curl -sf "$base/catalogues/public-key?key_id=$kid" >"$dir/pub.pem"
cmp -s "$dir/pub.pem" "$dir/token.pem" || fail "the served public key is not the token's"
openssl pkeyutl -verify -pubin -inkey "$dir/pub.pem" -rawin -in "$dir/edition.json" \
  -sigfile "$dir/edition.sig" >/dev/null || fail "the edition does not verify"
printf 'x' >>"$dir/edition.json"
if openssl pkeyutl -verify -pubin -inkey "$dir/pub.pem" -rawin -in "$dir/edition.json" \
  -sigfile "$dir/edition.sig" >/dev/null 2>&1; then
  fail "a changed edition verifies"
fi

# Rotation in a token: a second key made with pkcs11-tool, signing_key pointed at it, then
# `egov keys rotate` retires the first; a second rotation has nothing to do (exit 5).
kill "$pid"
wait "$pid" || true
exec 3<&-
pid=""
p11 --login --pin "$pin" --keypairgen --key-type EC:edwards25519 --label egov-signing-2 --id 02 \
  >/dev/null 2>&1 || fail "pkcs11-tool could not generate the second key"
uri2="pkcs11:token=egov-test;object=egov-signing-2?module-path=$module"
EGOV_SIGNING_KEY_PIN=$pin "$bin" keys rotate --db "$db" --signing-key "$uri2" >"$dir/rotate.out" \
  2>"$dir/rotate.err" || { cat "$dir/rotate.err" >&2; fail "keys rotate failed"; }
grep -q "$kid is retired" "$dir/rotate.out" || fail "rotate: $(cat "$dir/rotate.out")"
rc=0
EGOV_SIGNING_KEY_PIN=$pin "$bin" keys rotate --db "$db" --signing-key "$uri2" >/dev/null \
  2>"$dir/rotate2.err" || rc=$?
[[ $rc == 5 ]] || fail "a second rotation exited $rc: $(cat "$dir/rotate2.err")"
EGOV_SIGNING_KEY_PIN=$pin "$bin" keys list --db "$db" --signing-key "$uri2" >"$dir/list.out" \
  2>"$dir/list.err" || fail "keys list failed"
grep -q "^$kid .* retired " "$dir/list.out" || fail "keys list: $(cat "$dir/list.out")"

mkfifo "$dir/ready2"
EGOV_SIGNING_KEY_PIN=$pin "$bin" serve --db "$db" --listen 127.0.0.1:0 --signing-key "$uri2" \
  --jobs-interval-s 0 >"$dir/ready2" 2>"$dir/serve2.err" &
pid=$!
exec 3<"$dir/ready2"
read -r -t 120 line <&3 || { cat "$dir/serve2.err" >&2; fail "egov serve (second key) did not start"; }
port=$(grep -o '(port [0-9]*' "$dir/serve2.err" | head -1 | grep -o '[0-9]*$')
base="http://127.0.0.1:$port/api/v1"
token=$(curl -sf -H 'Content-Type: application/json' \
  -d '{"login":"gz.admin","password":"Egov-Demo-2026"}' "$base/session" | jq -r .token)
n2=$(curl -sf -X POST -H "Authorization: Bearer $token" "$base/catalogues/resources/editions" |
  jq -r .edition)
kid2=$(curl -sf "$base/catalogues/resources/editions" | jq -r ".items[] | select(.edition == $n2) | .key_id")
[[ $kid2 == ed25519-* && $kid2 != "$kid" ]] || fail "second key id '$kid2'"
curl -sf "$base/catalogues/resources/editions/$n2" >"$dir/edition2.json"
curl -sf "$base/catalogues/resources/editions/$n2/signature" | base64 -d >"$dir/edition2.sig"
curl -sf "$base/catalogues/public-key?key_id=$kid2" >"$dir/pub2.pem"
curl -sf "$base/catalogues/public-key?key_id=$kid" >"$dir/pub1.pem"
openssl pkeyutl -verify -pubin -inkey "$dir/pub2.pem" -rawin -in "$dir/edition2.json" \
  -sigfile "$dir/edition2.sig" >/dev/null || fail "the edition of the second key does not verify"
cmp -s "$dir/pub1.pem" "$dir/token.pem" || fail "the retired key is no longer served"
curl -sf "$base/catalogues/resources/editions/$n" >"$dir/edition.json"
openssl pkeyutl -verify -pubin -inkey "$dir/pub1.pem" -rawin -in "$dir/edition.json" \
  -sigfile "$dir/edition.sig" >/dev/null || fail "the first edition no longer verifies"

[[ ! -e $dir/signing.key ]] || fail "a key file was written beside the store"
if grep -rq -- "$pin" "$dir"/*.err; then fail "the PIN was written to a log"; fi
echo "pkcs11_softhsm: edition $n signed in the token by $kid, edition $n2 by $kid2 after rotation; both verified with openssl"
