#!/usr/bin/env python3
"""A login flood beside ordinary requests: how long /healthz and an authenticated list take
while 16 clients keep logging in with wrong passwords (issue 19.6).

  bench/login_flood.py BIN [SECONDS]

Builds a demo store in a temporary folder, starts `BIN serve` on a free loopback port with 4
HTTP workers, logs gz.admin in, then samples GET /healthz and GET /api/v1/institutions?limit=50
one after the other, first idle, then during the flood. Prints one table row per phase and
probe (p50 / p90 / max in ms) and the flood's answers by status. Loopback only; not a test.
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

BIN = os.path.abspath(sys.argv[1])
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
FLOODERS = 16


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(port, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = dict(headers or {})
    data = None
    if body is not None:
        data = json.dumps(body)
        h["Content-Type"] = "application/json"
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    text = r.read()
    c.close()
    return r.status, text


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def sample(port, token, until, out):
    while time.monotonic() < until:
        for name, path, hdr in (("healthz", "/healthz", {}),
                                ("list", "/api/v1/institutions?limit=50",
                                 {"Authorization": "Bearer " + token})):
            t = time.monotonic()
            st, _ = call(port, "GET", path, headers=hdr)
            out.setdefault(name, []).append((time.monotonic() - t) * 1000)
            if st != 200:
                out.setdefault("errors", []).append(st)
        time.sleep(0.02)


def flood(port, until, i, counts, lock):
    n = 0
    while time.monotonic() < until:
        st, _ = call(port, "POST", "/api/v1/session",
                     {"login": "flood.%d.%d" % (i, n), "password": "wrong-password"})
        n += 1
        with lock:
            counts[st] = counts.get(st, 0) + 1


def main():
    tmp = tempfile.mkdtemp(prefix="egov-flood-")
    db = "sqlite:" + os.path.join(tmp, "demo.db")
    subprocess.run([BIN, "demo", "--db", db], check=True, capture_output=True)
    port = free_port()
    args = [BIN, "serve", "--db", db, "--listen", "127.0.0.1:%d" % port, "--threads", "4",
            "--log-level", "error", "--login-slow-after", "100", "--login-lock-after", "1000"]
    helptext = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True).stdout
    if "rate-limit-anon" in helptext:  # a binary with the address ladder and the anonymous limit
        args += ["--rate-limit-anon", "0", "--login-addr-slow-after", "10000",
                 "--login-addr-lock-after", "100000"]
    srv = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        srv.stdout.readline()  # "egov listening on ..."
        st, text = call(port, "POST", "/api/v1/session",
                        {"login": "gz.admin", "password": "Egov-Demo-2026"})
        assert st == 201, text
        token = json.loads(text)["token"]
        idle = {}
        sample(port, token, time.monotonic() + 3, idle)
        busy, counts, lock = {}, {}, threading.Lock()
        until = time.monotonic() + SECONDS
        ts = [threading.Thread(target=flood, args=(port, until, i, counts, lock))
              for i in range(FLOODERS)]
        for t in ts:
            t.start()
        time.sleep(0.5)  # let the flood build up before sampling
        sample(port, token, until, busy)
        for t in ts:
            t.join()
        print("| phase | probe | samples | p50 ms | p90 ms | max ms |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        for phase, d in (("idle", idle), ("16 logins at once", busy)):
            for probe in ("healthz", "list"):
                xs = d.get(probe, [0])
                print("| %s | %s | %d | %.1f | %.1f | %.1f |" % (
                    phase, probe, len(xs), pct(xs, 0.5), pct(xs, 0.9), max(xs)))
        print("flood answers by status:", dict(sorted(counts.items())),
              "probe errors:", busy.get("errors", []))
    finally:
        srv.terminate()
        srv.wait()


main()
