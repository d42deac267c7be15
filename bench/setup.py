#!/usr/bin/env python3
"""Prepares a running `egov serve` for the benchmark, over its HTTP API only.

  bench/setup.py BASE_URL OUT_DIR [--institutions N]

Logs in as the demo's provincial administrator (gz.admin), creates user agencies under the
provincial management institution until the jurisdiction holds at least N institutions (so that
`GET /api/v1/institutions?limit=50` answers a full page of 50), creates one institution that the
write benchmarks add people and posts to, and writes into OUT_DIR:
  token        the bearer token
  inst_id      the institution the write benchmarks use
  list.json    the exact body of GET /api/v1/institutions?limit=50 (nginx serves this file)
  setup.env    the same as shell assignments
Credit codes are made valid here: GB 11714 check character at position 17, GB 32100 at 18.
Traffic goes to BASE_URL only (the script refuses anything but a loopback address).
"""
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100: no I, O, S, V, Z
W18 = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
W_ORG = [3, 7, 9, 10, 5, 8, 4, 2]


def org_check(body8):
    """GB 11714 check character of an 8-character organisation-code body."""
    def v(c):
        return ord(c) - 48 if c.isdigit() else ord(c) - 55  # A=10 ... Z=35
    c = 11 - sum(v(ch) * w for ch, w in zip(body8, W_ORG)) % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


def uscc_complete(prefix16):
    """Appends the two check characters to 16 characters of a unified social credit code."""
    assert len(prefix16) == 16 and all(ch in CHARSET for ch in prefix16)
    c17 = prefix16 + org_check(prefix16[8:16])
    c = 31 - sum(CHARSET.index(ch) * w for ch, w in zip(c17, W18)) % 31
    return c17 + CHARSET[0 if c == 31 else c]


def self_test():
    # Codes of the demo data (src/cli/demo.c) that egov accepts.
    for code in ("11520000MA31000705", "11520100MA31001423", "11520300MA31002146"):
        assert uscc_complete(code[:16]) == code, code


class Api:
    def __init__(self, base):
        host = urllib.parse.urlparse(base).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"setup: refusing non-loopback target {base}")
        self.base = base.rstrip("/")
        self.token = None

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                raw = r.read()
                return r.status, raw
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    def json(self, method, path, body=None, want=(200, 201)):
        status, raw = self.call(method, path, body)
        if status not in want:
            sys.exit(f"setup: {method} {path} -> {status}: {raw[:500]!r}")
        return json.loads(raw) if raw else None


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    base, out = sys.argv[1], sys.argv[2]
    want = int(sys.argv[sys.argv.index("--institutions") + 1]) if "--institutions" in sys.argv else 60
    self_test()
    api = Api(base)
    api.token = api.json("POST", "/api/v1/session",
                         {"login": "gz.admin", "password": "Egov-Demo-2026"})["token"]
    prov = api.json("GET", "/api/v1/institutions?kind=management&level=provincial")["items"][0]
    have = api.json("GET", "/api/v1/institutions?limit=200&total=true")
    n = len(have["items"])
    taken = {i["uscc"] for i in have["items"]}
    seq = 0

    def new_code():
        nonlocal seq
        while True:
            seq += 1
            code = uscc_complete(f"11520000BE{seq:06d}"[:16])
            if code not in taken:
                taken.add(code)
                return code

    def create(name):
        return api.json("POST", "/api/v1/institutions", {
            "uscc": new_code(), "name": name, "kind": "user", "level": "provincial",
            "parent_id": prov["id"], "region": "520000", "contact_name": "压测",
            "contact_phone": "0851-86800000"})

    target = create("压测写入单位")  # the write benchmarks add people and posts here
    n += 1
    k = 0
    while n < want:
        k += 1
        create(f"压测用户单位{k:03d}")
        n += 1
    status, body = api.call("GET", "/api/v1/institutions?limit=50")
    items = json.loads(body)["items"]
    if status != 200 or len(items) != 50:
        sys.exit(f"setup: the list answered {status} with {len(items)} items, not 50")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "list.json"), "wb") as f:
        f.write(body)
    with open(os.path.join(out, "token"), "w") as f:
        f.write(api.token + "\n")
    with open(os.path.join(out, "inst_id"), "w") as f:
        f.write(f"{target['id']}\n")
    with open(os.path.join(out, "setup.env"), "w") as f:
        f.write(f"TOKEN={api.token}\nINST_ID={target['id']}\nLIST_BYTES={len(body)}\n"
                f"INSTITUTIONS={n}\n")
    print(f"setup: {n} institutions, list answer {len(body)} bytes, write target {target['id']}")


if __name__ == "__main__":
    main()
