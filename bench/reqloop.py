#!/usr/bin/env python3
"""Sends N identical GET requests over one keep-alive connection and checks every answer is 200.

  bench/reqloop.py URL TOKEN N

Used to drive a server running under callgrind with an exact request count, so that the
instruction count per request can be computed. Loopback only.
"""
import http.client
import sys
import urllib.parse

url, token, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
u = urllib.parse.urlparse(url)
if u.hostname not in ("127.0.0.1", "localhost", "::1"):
    sys.exit("reqloop: only loopback addresses")
conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
path = u.path + ("?" + u.query if u.query else "")
for i in range(n):
    conn.request("GET", path, headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    r.read()
    if r.status != 200:
        sys.exit(f"reqloop: request {i} answered {r.status}")
print(f"reqloop: {n} requests answered 200")
