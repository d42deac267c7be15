#!/usr/bin/env python3
"""Time from process start to the first answered request, and the idle memory of a fresh egov.

  bench/startup.py OUT.json RUNS -- egov serve --db URL --listen 127.0.0.1:PORT [...]

Each run takes the monotonic clock, starts the command, and polls GET /healthz on the --listen
address every 0.5 ms (a fresh connection each time) until it answers 200; the elapsed time is
the start time. Then it reads VmRSS/VmHWM from /proc/PID/status (idle: nothing but /healthz was
asked), stops the process with SIGTERM and waits for it. Writes every run and the median to
OUT.json. Only loopback addresses are polled.
"""
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time


def status_kb(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0])
    return out


def healthz(host, port):
    try:
        with socket.create_connection((host, port), timeout=0.5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n")
            data = s.recv(64)
            return data.startswith(b"HTTP/1.1 200") or data.startswith(b"HTTP/1.0 200")
    except OSError:
        return False


def main():
    out_path, runs = sys.argv[1], int(sys.argv[2])
    cmd = sys.argv[sys.argv.index("--") + 1:]
    listen = cmd[cmd.index("--listen") + 1]
    host, port = listen.rsplit(":", 1)
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("startup: only loopback addresses")
    port = int(port)
    results = []
    for _ in range(runs):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ok = False
        try:
            while time.monotonic() - t0 < 10:
                if p.poll() is not None:
                    break
                if healthz(host, port):
                    ok = True
                    break
                time.sleep(0.0005)
            ms = (time.monotonic() - t0) * 1000
            mem = status_kb(p.pid) if ok else {}
        finally:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if not ok:
            sys.exit(f"startup: {' '.join(cmd)} did not answer /healthz within 10 s")
        results.append({"ms": round(ms, 1), "rss_kb": mem.get("VmRSS"), "hwm_kb": mem.get("VmHWM")})
        time.sleep(0.2)
    summary = {
        "command": cmd,
        "runs": results,
        "median_ms": round(statistics.median(r["ms"] for r in results), 1),
        "min_ms": min(r["ms"] for r in results),
        "max_ms": max(r["ms"] for r in results),
        "median_rss_kb": int(statistics.median(r["rss_kb"] for r in results)),
        "median_hwm_kb": int(statistics.median(r["hwm_kb"] for r in results)),
    }
    with open(out_path, "w") as f:
        json.dump(summary, f, indent=1)
    print(f"startup: median {summary['median_ms']} ms (min {summary['min_ms']}, max "
          f"{summary['max_ms']}), idle VmRSS {summary['median_rss_kb']} kB")


if __name__ == "__main__":
    main()
