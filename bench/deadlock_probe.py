#!/usr/bin/env python3
"""Probe: does egov keep answering when many requests become readable at the same moment?

  bench/deadlock_probe.py PORT TOKEN N OUT.json

Opens N connections to 127.0.0.1:PORT, sends the first 20 bytes of an authenticated
GET /api/v1/institutions?limit=5 on each, waits 0.3 s, then sends the rest on all of them at
once, so that a worker finds several complete requests in one round of its event loop. Counts
the answers (any status) that arrive within 5 s, then asks once more on a fresh connection (5 s
timeout) to see whether the server still answers at all. TOKEN may be junk such as "egv_x": egov
still looks it up in the store, so an anonymous client can do the same. Bounded: at most about 11 s. Loopback only.

Why: egov returns a request's store connection to its pool only in libmicrohttpd's
request-completed callback, which runs on the same worker thread in a later round of its event
loop; a worker that takes a new request while the pool is empty blocks in db_acquire() and
never runs that round (see bench/NOTES.md).
"""
import json
import socket
import sys
import time

port, token, n, out = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
req = (f"GET /api/v1/institutions?limit=5 HTTP/1.1\r\nHost: bench\r\n"
       f"Authorization: Bearer {token}\r\n\r\n").encode()
socks = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(n)]
for s in socks:
    s.sendall(req[:20])
time.sleep(0.3)
for s in socks:
    s.sendall(req[20:])
answered = 0
deadline = time.monotonic() + 5
for s in socks:
    s.settimeout(max(0.05, deadline - time.monotonic()))
    try:
        answered += s.recv(16).startswith(b"HTTP/1.")  # any answer (401 for a junk token)
    except OSError:
        pass
for s in socks:
    s.close()
alive = False
try:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(req.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n"))
        alive = s.recv(16).startswith(b"HTTP/1.")
except OSError:
    pass
res = {"connections": n, "answered": answered, "alive_after": alive}
with open(out, "w") as f:
    json.dump(res, f)
print(f"deadlock probe: {answered}/{n} answered within 5 s; a new request afterwards "
      f"{'was answered' if alive else 'was NOT answered within 5 s'}")
