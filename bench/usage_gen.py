#!/usr/bin/env python3
"""Usage records for the ingest benchmark and tests.

  usage_gen.py fixture --allocs N            SQL (both stores) of one provider's pool, N
                                              allocations to a user agency and a product with
                                              one priced metric on that pool; ids from 9e15 up
  usage_gen.py records --allocs N --count M [--order seq|random] [--format ndjson|csv]
                                              M records, hourly periods, allocation i % N, so
                                              each series (allocation, metric) is in time order

--order seq gives ids in arrival order (like ULIDs or source:sequence); --order random gives
UUID-like random ids, to show what the idempotency key's order costs.
"""
import argparse
import random
import sys

BASE = 9_000_000_000_000_000
PROVIDER_SQL = "(SELECT id FROM institutions WHERE kind = 'provider' ORDER BY id LIMIT 1)"
USER_SQL = "(SELECT id FROM institutions WHERE kind = 'user' ORDER BY id LIMIT 1)"
POOL, PRODUCT, METRIC = BASE + 1, BASE + 2, BASE + 3
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def fixture(allocs: int) -> None:
    w = sys.stdout.write
    w("BEGIN;\n")
    w(f"INSERT INTO resource_pools (id, provider_id, name, kind, unit, specification, capacity, "
      f"allocated, region, security_level, status, created_at, updated_at, version) VALUES "
      f"({POOL}, {PROVIDER_SQL}, 'bench pool', 'compute', 'vcpu', 'x86', {allocs * 10}, {allocs}, "
      f"'520000', 3, 'active', 0, 0, 1);\n")
    w(f"INSERT INTO products (id, provider_id, name, category, description, state, region, "
      f"created_at, updated_at, version) VALUES ({PRODUCT}, {PROVIDER_SQL}, 'bench product', "
      f"'operation_maintenance', 'bench', 'online', '520000', 0, 0, 1);\n")
    w(f"INSERT INTO product_resources (product_id, pool_id) VALUES ({PRODUCT}, {POOL});\n")
    w(f"INSERT INTO product_metrics (id, product_id, name, unit, method, list_price_fen, "
      f"created_at) VALUES ({METRIC}, {PRODUCT}, 'vcpu hours', 'vCPU·h', 'hourly', 12, 0);\n")
    for i in range(allocs):
        w(f"INSERT INTO allocations (id, pool_id, user_id, application, quantity, status, "
          f"created_at, updated_at, version) VALUES ({BASE + 100 + i}, {POOL}, {USER_SQL}, "
          f"'bench app', 1, 'active', 0, 0, 1);\n")
    w("COMMIT;\n")


def iso(t: int) -> str:
    # hourly periods: cheap formatting without datetime
    days, rem = divmod(t - T0, 86400)
    hour = rem // 3600
    month_days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    year, month = 2026, 0
    while days >= month_days[month]:
        days -= month_days[month]
        month += 1
        if month == 12:
            month, year = 0, year + 1
            month_days[1] = 29 if year % 4 == 0 else 28
    return f"{year:04d}-{month + 1:02d}-{days + 1:02d}T{hour:02d}:00:00Z"


def records(allocs: int, count: int, order: str, fmt: str, start_hour: int) -> None:
    rnd = random.Random(7)
    out = sys.stdout
    if fmt == "csv":
        out.write("id,allocation_id,metric_id,quantity,start,end,source\n")
    hours = {}
    buf = []
    for i in range(count):
        a = i % allocs
        h = start_hour + i // allocs
        if h not in hours:
            hours[h] = (iso(T0 + h * 3600), iso(T0 + (h + 1) * 3600))
            if len(hours) > 4:
                hours.pop(min(hours))
        s, e = hours[h]
        rid = f"r{i:012d}" if order == "seq" else f"{rnd.getrandbits(128):032x}"
        q = f"{(i * 7919) % 4000 / 1000:.3f}"
        if fmt == "csv":
            buf.append(f"{rid},{BASE + 100 + a},{METRIC},{q},{s},{e},bench\n")
        else:
            buf.append(f'{{"id":"{rid}","allocation_id":{BASE + 100 + a},"metric_id":{METRIC},'
                       f'"quantity":"{q}","start":"{s}","end":"{e}","source":"bench"}}\n')
        if len(buf) >= 10000:
            out.write("".join(buf))
            buf.clear()
    out.write("".join(buf))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["fixture", "records"])
    ap.add_argument("--allocs", type=int, default=1000)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--order", choices=["seq", "random"], default="seq")
    ap.add_argument("--format", choices=["ndjson", "csv"], default="ndjson")
    ap.add_argument("--start-hour", type=int, default=0)
    a = ap.parse_args()
    if a.what == "fixture":
        fixture(a.allocs)
    else:
        records(a.allocs, a.count, a.order, a.format, a.start_hour)


if __name__ == "__main__":
    main()
