#!/usr/bin/env python3
"""Usage records for the ingest benchmark and tests.

  usage_gen.py fixture --allocs N            SQL (both stores) of one provider's pool, N
                                              allocations to a user agency and a product with
                                              one priced metric on that pool; ids from 9e15 up
  usage_gen.py records --allocs N --count M [--order seq|random] [--format ndjson|csv]
                                              M records, hourly periods, allocation i % N, so
                                              each series (allocation, metric) is in time order
  usage_gen.py fixture --allocs N --billing   the fixture, and what rating a month needs: the
                                              allocations spread over 5 user agencies, 3
                                              application systems and the 3 service levels;
                                              every 10th allocation metered on a second metric
                                              without a price basis (list price); two price
                                              bases of the first metric (the price changes on
                                              March 16) with graduated tiers per level; budget
                                              lines and orders delivering every 3rd allocation
  usage_gen.py records --allocs N --count M --month YYYY-MM
                                              M records spread over that month of China
                                              Standard Time (UTC+08:00): series i % N (on the
                                              metric --billing gives it), the month cut into
                                              M / N equal slices, one per record of a series,
                                              so each series is in time order without overlap

--order seq gives ids in arrival order (like ULIDs or source:sequence); --order random gives
UUID-like random ids, to show what the idempotency key's order costs.
"""
import argparse
import calendar
import datetime
import random
import sys

BASE = 9_000_000_000_000_000
PROVIDER_SQL = "(SELECT id FROM institutions WHERE kind = 'provider' ORDER BY id LIMIT 1)"
USER_SQL = "(SELECT id FROM institutions WHERE kind = 'user' ORDER BY id LIMIT 1)"
POOL, PRODUCT, METRIC = BASE + 1, BASE + 2, BASE + 3
METRIC2, BASIS1, BASIS2 = BASE + 4, BASE + 5, BASE + 6
EVALUATOR_SQL = "(SELECT id FROM institutions WHERE kind = 'evaluator' ORDER BY id LIMIT 1)"
AGENCIES, APPS = 5, ["bench app A", "bench app B", "bench app C"]
TIER = 1000 * 1_000_000  # the second tier starts at 1000 units (quantities in millionths)
CST = datetime.timezone(datetime.timedelta(hours=8))


def agency_sql(k: int) -> str:
    return f"(SELECT id FROM institutions WHERE kind = 'user' ORDER BY id LIMIT 1 OFFSET {k})"


def level_of(i: int) -> str:
    return "premium" if i % 4 == 3 else "basic" if i % 7 == 5 else "standard"


def metric_of(i: int, billing: bool) -> int:
    """The metric of series i: with --billing, every 10th allocation meters the second one."""
    return METRIC2 if billing and i % 10 == 9 else METRIC
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def fixture(allocs: int, billing: bool) -> None:
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
    if not billing:
        for i in range(allocs):
            w(f"INSERT INTO allocations (id, pool_id, user_id, application, quantity, status, "
              f"created_at, updated_at, version) VALUES ({BASE + 100 + i}, {POOL}, {USER_SQL}, "
              f"'bench app', 1, 'active', 0, 0, 1);\n")
    else:
        billing_fixture(allocs)
    w("COMMIT;\n")


def billing_fixture(allocs: int) -> None:
    w = sys.stdout.write
    w(f"INSERT INTO product_metrics (id, product_id, name, unit, method, list_price_fen, "
      f"created_at) VALUES ({METRIC2}, {PRODUCT}, 'backup GB', 'GB', 'volume', 3, 0);\n")
    # The price of the first metric changes on March 16 (CST): two bases, so two lines a month.
    for basis, price, frm, to in ((BASIS1, 12, "2026-01-01", "2026-03-15"),
                                  (BASIS2, 11, "2026-03-16", "2026-12-31")):
        w(f"INSERT INTO price_basis (id, metric_id, evaluator_id, price_fen, measurement, "
          f"valid_from, valid_to, published_at) VALUES ({basis}, {METRIC}, {EVALUATOR_SQL}, "
          f"{price}, 'bench', '{frm}', '{to}', 0);\n")
    # ten-thousandths of a fen: 12.5 fen, then 10 fen from 1000 units (standard); premium dearer
    # on the first basis only (the second charges premium at standard's rates, and basic always)
    rates = [(BASIS1, "standard", 0, 125000), (BASIS1, "standard", TIER, 100000),
             (BASIS1, "premium", 0, 150000), (BASIS1, "premium", TIER, 120000),
             (BASIS2, "standard", 0, 115000), (BASIS2, "standard", TIER, 90000)]
    for b, lv, frm, price in rates:
        w(f"INSERT INTO price_rates (basis_id, service_level, tier_from, unit_price) VALUES "
          f"({b}, '{lv}', {frm}, {price});\n")
    for k in range(AGENCIES):
        w(f"INSERT INTO budget_lines (id, user_id, fiscal_year, code, name, amount_fen, "
          f"created_at) VALUES ({BASE + 50 + k}, {agency_sql(k)}, 2026, 'BENCH-{k}', "
          f"'bench budget', 100000000000, 0);\n")
        w(f"INSERT INTO orders (id, user_id, provider_id, budget_line_id, application, "
          f"justification, estimated_fen, state, created_at, updated_at, version) VALUES "
          f"({BASE + 60 + k}, {agency_sql(k)}, {PROVIDER_SQL}, {BASE + 50 + k}, '{APPS[0]}', "
          f"'bench', 0, 'in_service', 0, 0, 1);\n")
    for i in range(allocs):
        k = i % AGENCIES
        w(f"INSERT INTO allocations (id, pool_id, user_id, application, service_level, "
          f"quantity, status, created_at, updated_at, version) VALUES ({BASE + 100 + i}, "
          f"{POOL}, {agency_sql(k)}, '{APPS[i // AGENCIES % len(APPS)]}', '{level_of(i)}', 1, "
          f"'active', 0, 0, 1);\n")
        if i % 3 == 0:  # delivered by its agency's order, so its usage is charged to the line
            w(f"INSERT INTO order_items (id, order_id, pool_id, quantity, allocation_id) VALUES "
              f"({BASE + 10_000_000 + i}, {BASE + 60 + k}, {POOL}, 1, {BASE + 100 + i});\n")


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


def month_records(allocs: int, count: int, order: str, fmt: str, month: str) -> None:
    """count records over one CST month, allocs series, each cut into equal slices."""
    y, m = int(month[:4]), int(month[5:7])
    t0 = int(datetime.datetime(y, m, 1, tzinfo=CST).timestamp())
    span = calendar.monthrange(y, m)[1] * 86400
    per_series = -(-count // allocs)
    slice_s = span // per_series
    if slice_s < 1:
        sys.exit(f"usage_gen: {per_series} records a series do not fit in {month} at 1 s each")
    rnd = random.Random(7)
    out = sys.stdout
    if fmt == "csv":
        out.write("id,allocation_id,metric_id,quantity,start,end,source\n")
    fmt_t = lambda t: datetime.datetime.fromtimestamp(t, CST).isoformat()  # noqa: E731
    slot, buf = (-1, "", ""), []
    for i in range(count):
        a, j = i % allocs, i // allocs
        if slot[0] != j:
            start = t0 + j * slice_s
            slot = (j, fmt_t(start), fmt_t(start + slice_s))
        _, s, e = slot
        rid = f"r{i:012d}" if order == "seq" else f"{rnd.getrandbits(128):032x}"
        q = f"{(i * 7919) % 4000 / 1000:.3f}"
        metric = metric_of(a, True)
        if fmt == "csv":
            buf.append(f"{rid},{BASE + 100 + a},{metric},{q},{s},{e},bench\n")
        else:
            buf.append(f'{{"id":"{rid}","allocation_id":{BASE + 100 + a},"metric_id":{metric},'
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
    ap.add_argument("--billing", action="store_true", help="fixture: what rating needs too")
    ap.add_argument("--month", help="records: spread over this CST month, YYYY-MM")
    a = ap.parse_args()
    if a.what == "fixture":
        fixture(a.allocs, a.billing)
    elif a.month:
        month_records(a.allocs, a.count, a.order, a.format, a.month)
    else:
        records(a.allocs, a.count, a.order, a.format, a.start_hour)


if __name__ == "__main__":
    main()
