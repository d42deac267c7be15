/*
 * test_billing.c - rating and billing (issue 6; T5-7.1 priceable, T5-7.2e price basis in force,
 * T5-8.2c budgets): every bill line's amount equals an independent computation from the records
 * sent (graduated tiers, service levels, two price bases within the month, list price without a
 * basis, CST month boundaries, rounding half up once per line); issued bills never change (the
 * store refuses it too); corrections are new versions with a reason; settlement statements with
 * the quality coefficient; budget alerts at 80 % and 100 %; usage per day equals the records.
 * Both stores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/decimal.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/billing/billing.h"
#include "domain/product/product.h"
#include "domain/usage/usage.h"

#define M_ADMIN  (&T->who[W_M_ADMIN])
#define P_ADMIN  (&T->who[W_P_ADMIN])
#define U1_ADMIN (&T->who[W_U1_ADMIN])
#define U2_ADMIN (&T->who[W_U2_ADMIN])

static int64_t pool, alloc_a, alloc_b, alloc_c, metric1, metric2, product, basis1, basis2;
static int64_t budget_line;
static char body[4096], path[256], sql[2048];

/* ---------- fixtures ---------- */

static int64_t make_alloc(const char *app)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body), "{\"user_id\":%lld,\"application\":\"%s\",\"quantity\":10}",
             (long long)T->u1, app);
    struct th_resp *r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int64_t make_metric(const char *name, int list_price)
{
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics", (long long)product);
    snprintf(body, sizeof(body),
             "{\"name\":\"%s\",\"unit\":\"GB·h\",\"method\":\"按小时\",\"list_price_fen\":%d}",
             name, list_price);
    struct th_resp *r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int setup(void **state)
{
    if (th_setup(state))
        return -1;
    struct th_resp *r;
    snprintf(body, sizeof(body),
             "{\"name\":\"计费资源池%d\",\"kind\":\"compute\",\"unit\":\"vcpu\",\"specification\":"
             "\"ssd\",\"capacity\":100000,\"region\":\"520000\",\"security_level\":3}",
             ++T->serial);
    r = th_call("POST", "/api/v1/resource-pools", P_ADMIN, body);
    assert_status(r, 201);
    pool = jint(r->json, "id");
    alloc_a = make_alloc("政务服务网");
    alloc_b = make_alloc("电子证照");
    alloc_c = make_alloc("政务服务网");
    /* the months rated below lie before the allocations were made: their services were migrated
     * onto the platform (issue 12: usage before an allocation's start is refused otherwise) */
    const int64_t migrated[] = {alloc_a, alloc_b, alloc_c};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/service-start",
                 (long long)pool, (long long)migrated[i]);
        assert_status(th_call("POST", path, P_ADMIN,
                              "{\"service_start\":\"2025-01-01T00:00:00+08:00\","
                              "\"service_start_reason\":\"由自建机房迁移上云\"}"),
                      200);
    }
    snprintf(body, sizeof(body),
             "{\"name\":\"云存储%d\",\"category\":\"operation_maintenance\",\"description\":"
             "\"对象存储\",\"region\":\"520000\",\"pool_ids\":[%lld]}",
             ++T->serial, (long long)pool);
    r = th_call("POST", "/api/v1/products", P_ADMIN, body);
    assert_status(r, 201);
    product = jint(r->json, "id");
    metric1 = make_metric("存储容量", 12);
    metric2 = make_metric("流量", 7);
    /* Service levels of the allocations; price bases with graded, tiered rates (the publishing
     * of both is tested with the product module). */
    snprintf(sql, sizeof(sql),
             "UPDATE allocations SET service_level = 'premium' WHERE id = %lld; UPDATE "
             "allocations SET service_level = 'basic' WHERE id = %lld",
             (long long)alloc_b, (long long)alloc_c);
    assert_int_equal(th_sql(sql), 0);
    basis1 = id_new();
    basis2 = id_new();
    snprintf(sql, sizeof(sql),
             "INSERT INTO price_basis (id, metric_id, evaluator_id, price_fen, measurement, "
             "valid_from, valid_to, published_at) VALUES (%lld, %lld, %lld, 10, 'm', "
             "'2026-01-01', '2026-03-15', 0), (%lld, %lld, %lld, 9, 'm', '2026-03-16', "
             "'2026-12-31', 0); INSERT INTO price_rates (basis_id, service_level, tier_from, "
             "unit_price) VALUES (%lld, 'standard', 0, 105000), (%lld, 'standard', 100000000, "
             "82500), (%lld, 'premium', 0, 150000)",
             (long long)basis1, (long long)metric1, (long long)T->e, (long long)basis2,
             (long long)metric1, (long long)T->e, (long long)basis1, (long long)basis1,
             (long long)basis1);
    assert_int_equal(th_sql(sql), 0);
    /* alloc_a was delivered by an order paid from a budget line of U1 (fiscal year 2026) */
    budget_line = id_new();
    int64_t order = id_new(), item = id_new();
    snprintf(sql, sizeof(sql),
             "INSERT INTO budget_lines (id, user_id, fiscal_year, code, name, amount_fen, "
             "committed_fen, created_at) VALUES (%lld, %lld, 2026, 'B-%d', '云存储', 1000, 0, 0); "
             "INSERT INTO orders (id, user_id, provider_id, budget_line_id, application, "
             "justification, estimated_fen, state, created_at, updated_at, version) VALUES "
             "(%lld, %lld, %lld, %lld, '政务服务网', 'j', 0, 'in_service', 0, 0, 1); INSERT INTO "
             "order_items (id, order_id, pool_id, quantity, allocation_id) VALUES (%lld, %lld, "
             "%lld, 10, %lld)",
             (long long)budget_line, (long long)T->u1, ++T->serial, (long long)order,
             (long long)T->u1, (long long)T->p, (long long)budget_line, (long long)item,
             (long long)order, (long long)pool, (long long)alloc_a);
    assert_int_equal(th_sql(sql), 0);
    return 0;
}

/* ---------- the records and the independent computation ---------- */

struct sent {
    int64_t alloc, metric, millionths;
    int cst_month, cst_day; /* month 3 = March */
};
static struct sent sent[512];
static int n_sent;

/* Sends one record per series and CST day; quantity whole.frac with 6 places. */
static void send_records(void)
{
    struct ctx *c = th_ctx();
    struct usage_batch *b = usage_batch_begin(c, "import");
    void *scratch = usage_ndjson_scratch_new();
    assert_non_null(b);
    const int64_t series[][2] = {{alloc_a, 0}, {alloc_b, 0}, {alloc_c, 0}, {alloc_a, 1}};
    int line = 0;
    for (int s = 0; s < 4; s++) {
        int64_t m = series[s][1] ? metric2 : metric1;
        /* Feb 28, every day of March, April 1 (CST) */
        for (int k = 0; k < 33; k++) {
            int month = k == 0 ? 2 : k == 32 ? 4 : 3, day = k == 0 ? 28 : k == 32 ? 1 : k;
            int whole = (k * 7 + s * 3) % 13, frac = (k * 104729 + s * 7919) % 1000000;
            char rec[512];
            /* the period starts at 00:30 CST: 16:30 UTC of the day before */
            snprintf(rec, sizeof(rec),
                     "{\"id\":\"bill-%lld-%d-%d\",\"allocation_id\":%lld,\"metric_id\":%lld,"
                     "\"quantity\":\"%d.%06d\",\"start\":\"2026-%02d-%02dT00:30:00+08:00\","
                     "\"end\":\"2026-%02d-%02dT01:30:00+08:00\"}",
                     (long long)T->serial, s, k, (long long)series[s][0], (long long)m, whole, frac,
                     month, day, month, day);
            struct usage_input in;
            usage_parse_ndjson(rec, strlen(rec), &in, scratch);
            assert_int_equal(usage_batch_add(b, &in, ++line), 0);
            sent[n_sent++] =
                (struct sent){series[s][0], m, (int64_t)whole * 1000000 + frac, month, day};
        }
    }
    struct usage_summary sum;
    assert_int_equal(usage_batch_end(b, &sum), 0);
    assert_int_equal(sum.accepted, line);
    usage_ndjson_scratch_free(scratch);
}

/* Expected amount of one line in 10^-10 fen, computed here without the billing code. */
static int64_t expect_fen(int64_t alloc, int64_t metric, int64_t basis, int64_t *qty)
{
    __int128 q = 0;
    for (int i = 0; i < n_sent; i++) {
        const struct sent *s = &sent[i];
        if (s->alloc != alloc || s->metric != metric || s->cst_month != 3)
            continue;
        int64_t b = metric == metric2 ? 0 : s->cst_day <= 15 ? basis1 : basis2;
        if (b == basis)
            q += s->millionths;
    }
    *qty = (int64_t)q;
    __int128 exact;
    if (basis == 0)
        exact = q * 7 * 10000; /* the list price of metric2, 7 fen */
    else if (basis == basis2)
        exact = q * 9 * 10000; /* no rates: price_fen at every level */
    else if (alloc == alloc_b)
        exact = q * 150000; /* premium */
    else if (q <= 100000000)
        exact = q * 105000; /* standard, and basic falls back to standard */
    else
        exact = (__int128)100000000 * 105000 + (q - 100000000) * 82500;
    return (int64_t)((exact + 5000000000) / 10000000000);
}

static json_t *find_line(json_t *lines, int64_t metric, int64_t alloc, int64_t basis)
{
    const char *app = alloc == alloc_b ? "电子证照" : "政务服务网";
    const char *level = alloc == alloc_a ? "standard" : alloc == alloc_b ? "premium" : "basic";
    for (size_t i = 0; i < json_array_size(lines); i++) {
        json_t *l = json_array_get(lines, i);
        json_t *b = json_object_get(l, "basis_id");
        if (jint(l, "metric_id") == metric && !strcmp(jstr(l, "application"), app) &&
            !strcmp(jstr(l, "service_level"), level) &&
            (json_is_null(b) ? 0 : json_integer_value(b)) == basis)
            return l;
    }
    return NULL;
}

static int64_t bill_of_u1(const char *state)
{
    snprintf(path, sizeof(path), "/api/v1/bills?period=2026-03&user_id=%lld&state=%s",
             (long long)T->u1, state);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    return json_array_size(items) == 1 ? jint(json_array_get(items, 0), "id") : 0;
}

/* ---------- tests ---------- */

static void test_arithmetic(void **state)
{
    (void)state;
    struct billing_tier t[] = {{0, 105000}, {100000000, 82500}};
    /* 100 units exactly in tier 1; 1 millionth more goes to tier 2 */
    assert_true(billing_exact(100000000, t, 2) == (__int128)100000000 * 105000);
    assert_true(billing_exact(100000001, t, 2) == (__int128)100000000 * 105000 + 82500);
    assert_true(billing_exact(0, t, 2) == 0);
    /* half up: 0.5 fen -> 1, 0.4999999999 -> 0, 1.5 -> 2 */
    assert_int_equal(billing_round_fen(5000000000), 1);
    assert_int_equal(billing_round_fen(4999999999), 0);
    assert_int_equal(billing_round_fen(15000000000), 2);
    assert_int_equal(billing_apply_coefficient(12345, 9537), 11773); /* 11773.4265 */
    assert_int_equal(billing_apply_coefficient(1, 5000), 1);         /* 0.5 -> 1 */
    assert_int_equal(billing_apply_coefficient(3, 5000), 2);         /* 1.5 -> 2 */
    char buf[48];
    decimal_format(12500000, 6, buf, sizeof(buf));
    assert_string_equal(buf, "12.5");
    decimal_format(1, 6, buf, sizeof(buf));
    assert_string_equal(buf, "0.000001");
    decimal_format(7000000, 6, buf, sizeof(buf));
    assert_string_equal(buf, "7");
    int64_t v;
    const char *rule;
    assert_int_equal(decimal_parse("0.9537", 6, 4, 20000, &v, &rule), 0);
    assert_int_equal(v, 9537);
    assert_int_equal(decimal_parse("2.0001", 6, 4, 20000, &v, &rule), -1);
    assert_string_equal(rule, "range");
    assert_int_equal(decimal_parse("0.95371", 7, 4, 20000, &v, &rule), -1);
    assert_string_equal(rule, "scale");
    assert_int_equal(decimal_parse("1e3", 3, 4, 20000, &v, &rule), -1);
    int64_t d0, d1;
    assert_int_equal(billing_period_days("2026-02", &d0, &d1), 0);
    assert_int_equal(d1 - d0, 28);
    assert_int_equal(billing_period_days("2028-02", &d0, &d1), 0);
    assert_int_equal(d1 - d0, 29);
    assert_int_equal(billing_period_days("2026-13", &d0, &d1), -1);
    /* a CST day starts at 16:00 UTC of the day before */
    int64_t t1, t2;
    assert_int_equal(time_parse("2026-02-28T16:00:00Z", &t1), 0);
    assert_int_equal(time_parse("2026-02-28T15:59:59.999Z", &t2), 0);
    assert_int_equal(billing_period_days("2026-03", &d0, &d1), 0);
    assert_int_equal(usage_day(t1), d0);
    assert_int_equal(usage_day(t2), d0 - 1);
}

static void test_rating_is_exact(void **state)
{
    (void)state;
    send_records();
    /* usage per day equals the records */
    struct billing_verify v;
    assert_int_equal(billing_verify(th_ctx(), "2026-03", &v), 0);
    assert_int_equal(v.differences, 0);
    assert_int_equal(v.records, 4 * 31);

    assert_status(th_call("POST", "/api/v1/billing/runs", U1_ADMIN, "{\"period\":\"2026-03\"}"),
                  403);
    struct th_resp *r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2026-3\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "period", "format"));
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "records"), 4 * 31);
    assert_int_equal(jint(r->json, "bills"), 1);

    int64_t id = bill_of_u1("draft");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)id);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *lines = json_object_get(r->json, "lines");
    /* metric1: a, b, c each under two bases; metric2 at list price for a */
    assert_int_equal(json_array_size(lines), 7);
    struct {
        int64_t alloc, metric, basis;
    } want[] = {{alloc_a, 0, 0}, {alloc_b, 0, 0}, {alloc_c, 0, 0}, {alloc_a, 0, 1},
                {alloc_b, 0, 1}, {alloc_c, 0, 1}, {alloc_a, 1, 2}};
    int64_t total = 0;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int64_t m = want[i].metric ? metric2 : metric1;
        int64_t b = want[i].basis == 0 ? basis1 : want[i].basis == 1 ? basis2 : 0;
        json_t *l = find_line(lines, m, want[i].alloc, b);
        assert_non_null(l);
        int64_t qty, fen = expect_fen(want[i].alloc, m, b, &qty);
        assert_int_equal(jint(l, "amount_fen"), fen);
        char q[48];
        decimal_format(qty, 6, q, sizeof(q));
        assert_string_equal(jstr(l, "quantity"), q);
        assert_string_equal(jstr(l, "price_source"), b ? "basis" : "list");
        /* only alloc_a's lines are charged to the budget line */
        json_t *bl = json_object_get(l, "budget_line_id");
        if (want[i].alloc == alloc_a)
            assert_int_equal(json_integer_value(bl), budget_line);
        else
            assert_true(json_is_null(bl));
        total += fen;
    }
    assert_int_equal(jint(r->json, "total_fen"), total);
    /* the same month rated straight from the records gives the same bill */
    struct billing_run run = {.period = "2026-03", .from_records = true};
    assert_int_equal(billing_run(th_ctx(), &run), 0);
    assert_int_equal(run.total_fen, total);
    assert_int_equal(run.records, 4 * 31);
    /* U2 and the provider do not see U1's bill */
    assert_status(th_call("GET", path, U2_ADMIN, NULL), 404);
    assert_status(th_call("GET", path, P_ADMIN, NULL), 404);
}

static void test_issued_bills_never_change(void **state)
{
    (void)state;
    int64_t id = bill_of_u1("draft");
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/issue", (long long)id);
    assert_status(th_call("POST", path, U1_ADMIN, NULL), 403);
    struct th_resp *r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "issued");
    int64_t total = jint(r->json, "total_fen");
    r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 409);
    /* the store refuses changes too */
    snprintf(sql, sizeof(sql), "UPDATE bills SET total_fen = 1 WHERE id = %lld", (long long)id);
    assert_int_not_equal(th_sql(sql), 0);
    snprintf(sql, sizeof(sql), "DELETE FROM bill_lines WHERE bill_id = %lld", (long long)id);
    assert_int_not_equal(th_sql(sql), 0);
    snprintf(sql, sizeof(sql), "SELECT total_fen FROM bills WHERE id = %lld", (long long)id);
    assert_int_equal(th_sql_int(sql), total);

    /* nothing new: a run changes nothing and needs no reason */
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "unchanged"), 1);
    assert_int_equal(jint(r->json, "bills"), 0);
    assert_int_equal(bill_of_u1("draft"), 0);

    /* a late record of the month: the correction needs a reason, then is version 2 */
    struct ctx *c = th_ctx();
    struct usage_batch *b = usage_batch_begin(c, "import");
    void *scratch = usage_ndjson_scratch_new();
    char rec[400];
    snprintf(rec, sizeof(rec),
             "{\"id\":\"late-%d\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"3\","
             "\"start\":\"2026-04-05T00:00:00+08:00\",\"end\":\"2026-04-05T01:00:00+08:00\"}",
             ++T->serial, (long long)alloc_b, (long long)metric2);
    struct usage_input in;
    usage_parse_ndjson(rec, strlen(rec), &in, scratch);
    assert_int_equal(usage_batch_add(b, &in, 1), 0);
    snprintf(rec, sizeof(rec),
             "{\"id\":\"late-%d\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"2.5\","
             "\"start\":\"2026-03-31T23:00:00+08:00\",\"end\":\"2026-04-01T00:00:00+08:00\"}",
             ++T->serial, (long long)alloc_c, (long long)metric2);
    usage_parse_ndjson(rec, strlen(rec), &in, scratch);
    assert_int_equal(usage_batch_add(b, &in, 2), 0);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 2);
    usage_ndjson_scratch_free(scratch);

    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "reason", "required"));
    assert_int_equal(bill_of_u1("draft"), 0);
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN,
                "{\"period\":\"2026-03\",\"reason\":\"迟到的计量记录\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "corrections"), 1);
    int64_t v2 = bill_of_u1("draft");
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/issue", (long long)v2);
    r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "version"), 2);
    /* 2.5 units of metric2 at the list price (7 fen) for alloc_c: 17.5 fen rounds to 18 */
    assert_int_equal(jint(r->json, "total_fen"), total + 18);
    assert_string_equal(jstr(r->json, "reason"), "迟到的计量记录");
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_string_equal(jstr(r->json, "state"), "superseded");
    assert_int_equal(jint(r->json, "superseded_by"), v2);
    assert_int_equal(jint(r->json, "total_fen"), total);
}

static void test_budget_alerts(void **state)
{
    (void)state;
    /* the issued bill charged alloc_a's lines to the 1000-fen line: over 80 % and 100 % */
    snprintf(sql, sizeof(sql),
             "SELECT SUM(l.amount_fen) FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE "
             "b.state = 'issued' AND l.budget_line_id = %lld",
             (long long)budget_line);
    int64_t billed = th_sql_int(sql);
    assert_true(billed >= 1000);
    struct th_resp *r = th_call("GET", "/api/v1/budget-alerts", U1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_int_equal(jint(json_array_get(items, 0), "threshold_pct"), 80);
    assert_int_equal(jint(json_array_get(items, 1), "threshold_pct"), 100);
    assert_int_equal(jint(json_array_get(items, 1), "amount_fen"), 1000);
    int64_t first = jint(json_array_get(items, 0), "id");
    r = th_call("GET", "/api/v1/budget-alerts", M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
    r = th_call("GET", "/api/v1/budget-alerts", U2_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    /* each threshold fires once: the correction did not add alerts */
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM budget_alerts WHERE budget_line_id = %lld",
             (long long)budget_line);
    assert_int_equal(th_sql_int(sql), 2);
    snprintf(path, sizeof(path), "/api/v1/budget-alerts/%lld/acknowledge", (long long)first);
    assert_status(th_call("POST", path, U2_ADMIN, NULL), 404);
    assert_status(th_call("POST", path, U1_ADMIN, NULL), 200);
    assert_status(th_call("POST", path, U1_ADMIN, NULL), 409);
    r = th_call("GET", "/api/v1/budget-alerts?open=true", M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    /* the budget line shows what is billed */
    snprintf(path, sizeof(path), "/api/v1/budget-lines?user_id=%lld", (long long)T->u1);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    items = json_object_get(r->json, "items");
    bool found = false;
    for (size_t i = 0; i < json_array_size(items); i++)
        if (jint(json_array_get(items, i), "id") == budget_line) {
            assert_int_equal(jint(json_array_get(items, i), "billed_fen"), billed);
            found = true;
        }
    assert_true(found);
}

static void test_settlement_with_coefficient(void **state)
{
    (void)state;
    struct th_resp *r =
        th_call("POST", "/api/v1/billing/settlement-runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "statements"), 1);
    /* gross: every issued line of P's this month, summed independently */
    int64_t gross = th_sql_int("SELECT SUM(l.amount_fen) FROM bill_lines l JOIN bills b ON b.id "
                               "= l.bill_id WHERE b.state = 'issued' AND b.period = '2026-03'");
    assert_int_equal(jint(r->json, "total_gross_fen"), gross);
    assert_int_equal(jint(r->json, "total_net_fen"), gross);
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"period\":\"2026-03\",\"coefficient\":\"0.9537\"}",
             (long long)T->p);
    assert_status(th_call("POST", "/api/v1/quality-coefficients", P_ADMIN, body), 403);
    r = th_call("POST", "/api/v1/quality-coefficients", M_ADMIN,
                "{\"provider_id\":1,\"period\":\"2026-03\",\"coefficient\":\"2.5\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "coefficient", "range"));
    r = th_call("POST", "/api/v1/quality-coefficients", M_ADMIN, body);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "coefficient"), "0.9537");
    r = th_call("POST", "/api/v1/billing/settlement-runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 200);
    int64_t net = (int64_t)(((__int128)gross * 9537 + 5000) / 10000);
    assert_int_equal(jint(r->json, "total_net_fen"), net);
    r = th_call("GET", "/api/v1/settlements?period=2026-03", P_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    int64_t sid = jint(json_array_get(items, 0), "id");
    r = th_call("GET", "/api/v1/settlements?period=2026-03", U1_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    snprintf(path, sizeof(path), "/api/v1/settlements/%lld/issue", (long long)sid);
    r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "net_fen"), net);
    assert_int_equal(jint(r->json, "gross_fen"), gross);
    json_t *lines = json_object_get(r->json, "lines");
    int64_t sum = 0;
    for (size_t i = 0; i < json_array_size(lines); i++)
        sum += jint(json_array_get(lines, i), "amount_fen");
    assert_int_equal(sum, gross);
    snprintf(sql, sizeof(sql), "UPDATE settlements SET net_fen = 0 WHERE id = %lld",
             (long long)sid);
    assert_int_not_equal(th_sql(sql), 0);
    /* a changed coefficient after issue is a correction: reason required */
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"period\":\"2026-03\",\"coefficient\":\"1\"}",
             (long long)T->p);
    assert_status(th_call("POST", "/api/v1/quality-coefficients", M_ADMIN, body), 200);
    r = th_call("POST", "/api/v1/billing/settlement-runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "reason", "required"));
}

/* Property: for random quantities (any of the 6 places), random series and days, every month's
 * bill total equals the sum of independently computed line amounts. The independent side sums
 * the decimal strings it sent as integers and applies the tiers from the top down. */
static uint64_t lcg_state;
static uint64_t lcg(void)
{
    lcg_state = lcg_state * 6364136223846793005u + 1442695040888963407u;
    return lcg_state >> 17;
}

static int64_t tiered_top_down(int64_t q, const int64_t *from, const int64_t *price, int n)
{
    __int128 exact = 0;
    int64_t rest = q;
    for (int i = n - 1; i >= 0; i--) {
        if (rest > from[i]) {
            exact += (__int128)(rest - from[i]) * price[i];
            rest = from[i];
        }
    }
    return (int64_t)((exact + 5000000000) / 10000000000);
}

static void test_property_totals_are_exact(void **state)
{
    (void)state;
    int64_t basis3 = id_new();
    snprintf(sql, sizeof(sql),
             "INSERT INTO price_basis (id, metric_id, evaluator_id, price_fen, measurement, "
             "valid_from, valid_to, published_at) VALUES (%lld, %lld, %lld, 1, 'm', '2027-01-01', "
             "'2027-12-31', 0); INSERT INTO price_rates (basis_id, service_level, tier_from, "
             "unit_price) VALUES (%lld, 'standard', 0, 33333), (%lld, 'standard', 50000000, "
             "12345), (%lld, 'standard', 500000000, 1), (%lld, 'premium', 0, 99999)",
             (long long)basis3, (long long)metric1, (long long)T->e, (long long)basis3,
             (long long)basis3, (long long)basis3, (long long)basis3);
    assert_int_equal(th_sql(sql), 0);
    const int64_t std_from[] = {0, 50000000, 500000000}, std_price[] = {33333, 12345, 1};
    const int64_t pre_from[] = {0}, pre_price[] = {99999};
    const int64_t allocs[] = {alloc_a, alloc_b, alloc_c};
    /* the months of 2027 have ended: the clock says 2028 (records and runs of months that have
     * not ended are refused) */
    time_set_offset_ms(1830297600000LL - time_now_ms());
    for (int month = 1; month <= 6; month++) {
        lcg_state = 0x9E3779B97F4A7C15u * (uint64_t)month;
        int64_t sum[3] = {0, 0, 0};
        struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
        void *scratch = usage_ndjson_scratch_new();
        int line = 0;
        for (int s = 0; s < 3; s++) {
            int n = 20 + (int)(lcg() % 60), minute = 0;
            for (int k = 0; k < n; k++) {
                /* quantities from 0 to about 40 units with 0..6 places */
                int64_t whole = (int64_t)(lcg() % 40), frac = (int64_t)(lcg() % 1000000);
                int places = (int)(lcg() % 7);
                int64_t cut = 1;
                for (int i = places; i < 6; i++)
                    cut *= 10;
                frac -= frac % cut;
                char q[40];
                if (places == 0)
                    snprintf(q, sizeof(q), "%lld", (long long)whole);
                else
                    snprintf(q, sizeof(q), "%lld.%0*lld", (long long)whole, places,
                             (long long)(frac / cut));
                sum[s] += whole * 1000000 + frac;
                minute += 1 + (int)(lcg() % 600);
                int day = 1 + minute / 1440;
                if (day > 28)
                    break;
                char rec[400];
                snprintf(rec, sizeof(rec),
                         "{\"id\":\"prop-%d-%d-%d\",\"allocation_id\":%lld,\"metric_id\":%lld,"
                         "\"quantity\":\"%s\",\"start\":\"2027-%02d-%02dT%02d:%02d:00+08:00\","
                         "\"end\":\"2027-%02d-%02dT%02d:%02d:30+08:00\"}",
                         month, s, k, (long long)allocs[s], (long long)metric1, q, month, day,
                         minute % 1440 / 60, minute % 60, month, day, minute % 1440 / 60,
                         minute % 60);
                struct usage_input in;
                usage_parse_ndjson(rec, strlen(rec), &in, scratch);
                assert_int_equal(usage_batch_add(b, &in, ++line), 0);
            }
        }
        struct usage_summary su;
        assert_int_equal(usage_batch_end(b, &su), 0);
        assert_int_equal(su.accepted, line);
        usage_ndjson_scratch_free(scratch);
        /* a and c are one line each (standard, basic -> standard rates), b premium */
        int64_t want = tiered_top_down(sum[0], std_from, std_price, 3) +
                       tiered_top_down(sum[1], pre_from, pre_price, 1) +
                       tiered_top_down(sum[2], std_from, std_price, 3);
        struct billing_run run = {.user_id = T->u1};
        char period[8];
        snprintf(period, sizeof(period), "2027-%02d", month);
        run.period = period;
        assert_int_equal(billing_run(th_ctx(), &run), 0);
        assert_int_equal(run.total_fen, want);
        assert_int_equal(run.lines, 3);
        /* the store holds the same: the bill's total is the sum of its lines */
        snprintf(sql, sizeof(sql),
                 "SELECT SUM(l.amount_fen) FROM bill_lines l JOIN bills b ON b.id = l.bill_id "
                 "WHERE b.period = '%s' AND b.state = 'draft'",
                 period);
        assert_int_equal(th_sql_int(sql), want);
        /* and the quantity sums are the records' */
        snprintf(sql, sizeof(sql),
                 "SELECT SUM(quantity) FROM bill_lines l JOIN bills b ON b.id = l.bill_id WHERE "
                 "b.period = '%s'",
                 period);
        assert_int_equal(th_sql_int(sql), sum[0] + sum[1] + sum[2]);
    }
    time_set_offset_ms(0);
}

/* Issue 12 (defect 3): a month that has not ended (CST) cannot be rated, through the API or the
 * service the CLI calls; neither can a month in the future. */
static void test_run_refuses_months_not_ended(void **state)
{
    (void)state;
    struct th_resp *r =
        th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2099-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "period", "not_ended"));
    char now[16], cur[32];
    time_format_date(time_now_ms(), 8 * 60, now, sizeof(now));
    snprintf(cur, sizeof(cur), "{\"period\":\"%.7s\"}", now);
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, cur);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "period", "not_ended"));
    struct billing_run run = {.period = "2099-12"};
    assert_int_equal(billing_run(th_ctx(), &run), -1);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM bills WHERE period >= '2099'"), 0);
    /* a draft of such a month left by an earlier version is never issued */
    int64_t id = id_new();
    snprintf(sql, sizeof(sql),
             "INSERT INTO bills (id, user_id, period, version, state, total_fen, line_count, "
             "records, rated_at) VALUES (%lld, %lld, '2099-01', 1, 'draft', 0, 0, 0, 0)",
             (long long)id, (long long)T->u1);
    assert_int_equal(th_sql(sql), 0);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/issue", (long long)id);
    r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "not_ended");
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM bills WHERE id = %lld AND state = 'draft'",
             (long long)id);
    assert_int_equal(th_sql_int(sql), 1);
}

static void test_exports(void **state)
{
    (void)state;
    int64_t id = bill_of_u1("issued");
    assert_true(id > 0);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)id);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    int64_t total = jint(r->json, "total_fen");
    char want_total[48];
    snprintf(want_total, sizeof(want_total), "%lld.%02lld", (long long)(total / 100),
             (long long)(total % 100));
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/export?format=csv", (long long)id);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r->content_type, "text/csv"));
    assert_memory_equal(r->body, "\xEF\xBB\xBF", 3); /* BOM: Excel reads the Chinese right */
    assert_non_null(strstr(r->body, "金额(元) Amount (yuan)"));
    assert_non_null(strstr(r->body, "政务服务网"));
    assert_non_null(strstr(r->body, want_total)); /* exact yuan, from integer fen */
    assert_non_null(strstr(r->body, "2026-03"));
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/export?format=xlsx", (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r->content_type, "spreadsheetml"));
    assert_memory_equal(r->body, "PK\x03\x04", 4);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/export?format=pdf", (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "format", "enum"));
    snprintf(path, sizeof(path), "/api/v1/bills/%lld/export", (long long)id);
    assert_status(th_call("GET", path, U2_ADMIN, NULL), 404);
    /* the statement: the provider downloads its own */
    r = th_call("GET", "/api/v1/settlements?period=2026-03&state=issued", P_ADMIN, NULL);
    int64_t sid = jint(json_array_get(json_object_get(r->json, "items"), 0), "id");
    snprintf(path, sizeof(path), "/api/v1/settlements/%lld/export?format=csv", (long long)sid);
    r = th_call("GET", path, P_ADMIN, NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r->body, "质量系数 Quality coefficient: 0.9537"));
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 404);
}

static void test_spend_and_verify(void **state)
{
    (void)state;
    struct th_resp *r =
        th_call("GET", "/api/v1/billing/spend?from=2026-01&to=2026-12", U1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *months = json_object_get(r->json, "months");
    assert_int_equal(json_array_size(months), 1);
    int64_t current = th_sql_int("SELECT total_fen FROM bills WHERE state = 'issued' AND period "
                                 "= '2026-03'");
    assert_int_equal(jint(json_array_get(months, 0), "total_fen"), current);
    assert_int_equal(json_array_size(json_object_get(r->json, "by_provider")), 1);
    r = th_call("GET", "/api/v1/billing/spend?from=2026-01", U1_ADMIN, NULL);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "to", "format"));
    /* tampering with the per-day usage shows in verify */
    snprintf(sql, sizeof(sql),
             "UPDATE usage_daily SET quantity = quantity + 1 WHERE allocation_id = %lld AND "
             "metric_id = %lld AND day = (SELECT MIN(day) FROM usage_daily WHERE allocation_id = "
             "%lld)",
             (long long)alloc_a, (long long)metric1, (long long)alloc_a);
    assert_int_equal(th_sql(sql), 0);
    struct billing_verify v;
    assert_int_equal(billing_verify(th_ctx(), "2026-02", &v), 0);
    assert_int_equal(v.differences, 1);
}

/* Issue 12: a back-dated price basis (recorded by management) re-prices nothing that is issued:
 * re-running the month needs a reason and makes a new version; the issued bill stays as it was. */
static void test_backdated_price_never_changes_an_issued_bill(void **state)
{
    (void)state;
    int64_t id = bill_of_u1("issued");
    assert_int_not_equal(id, 0);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)id);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    int64_t total = jint(r->json, "total_fen");
    int version = (int)jint(r->json, "version");
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM bill_lines WHERE bill_id = %lld",
             (long long)id);
    int64_t lines = th_sql_int(sql);
    /* metric2 is rated at its list price in 2026-03; a basis for that month is back-dated. */
    struct price_basis in, out;
    memset(&in, 0, sizeof(in));
    in.price_fen = 1;
    in.measurement = "补录";
    in.valid_from = "2026-03-01";
    in.valid_to = "2026-03-31";
    struct ctx *c = th_ctx();
    assert_int_equal(price_basis_publish(c, product, metric2, &in, &out), -1);
    assert_int_equal(c->err.kind, ERR_CONFLICT);
    assert_string_equal(c->err.rule, "price_backdated");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics/%lld/price-backdating",
             (long long)product, (long long)metric2);
    assert_status(th_call("POST", path, M_ADMIN,
                          "{\"valid_from\":\"2026-03-01\",\"reason\":\"迁移前已执行的价格\"}"),
                  201);
    c = th_ctx();
    c->caller.institution_id = T->e; /* the evaluator publishes */
    if (price_basis_publish(c, product, metric2, &in, &out) < 0)
        fail_msg("publish: %s", c->err.message);
    /* Re-running the month would change the bill: refused without a reason ... */
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN, "{\"period\":\"2026-03\"}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "reason", "required"));
    assert_int_equal(bill_of_u1("draft"), 0);
    /* ... and with one it is a new draft version; the issued bill is untouched. */
    r = th_call("POST", "/api/v1/billing/runs", M_ADMIN,
                "{\"period\":\"2026-03\",\"reason\":\"补录的计价依据\"}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "corrections"), 1);
    int64_t draft = bill_of_u1("draft");
    assert_int_not_equal(draft, 0);
    assert_int_not_equal(draft, id);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)id);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_string_equal(jstr(r->json, "state"), "issued");
    assert_int_equal(jint(r->json, "total_fen"), total);
    assert_int_equal(jint(r->json, "version"), version);
    assert_int_equal(th_sql_int(sql), lines);
    snprintf(path, sizeof(path), "/api/v1/bills/%lld", (long long)draft);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_true(jint(r->json, "total_fen") < total);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic),
        cmocka_unit_test(test_rating_is_exact),
        cmocka_unit_test(test_issued_bills_never_change),
        cmocka_unit_test(test_budget_alerts),
        cmocka_unit_test(test_settlement_with_coefficient),
        cmocka_unit_test(test_exports),
        cmocka_unit_test(test_spend_and_verify),
        cmocka_unit_test(test_property_totals_are_exact),
        cmocka_unit_test(test_run_refuses_months_not_ended),
        cmocka_unit_test(test_backdated_price_never_changes_an_issued_bill),
    };
    return cmocka_run_group_tests_name("billing", tests, setup, th_teardown);
}
