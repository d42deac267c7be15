/*
 * test_usage.c - the ingest of usage records (issue 6; T5-7.1 measurable): each rejection reason
 * refuses its record while the rest of the batch lands; re-sending is idempotent (duplicated) and
 * a changed record under a used id is refused (id_reused); quantities are exact (totals against
 * an independent computation on the decimal strings); a failure in the middle of a chunk loses
 * only that chunk, never part of it, and re-running the batch completes it. Both stores.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/usage/usage.h"

static int64_t pool, alloc, alloc2, metric;   /* P's pool, two allocations to U1, a metric */
static int64_t other_pool_metric;             /* P's metric of a product on another pool */
static int64_t foreign_alloc, foreign_metric; /* of a second provider */
static char body[2048], path[256];

static int64_t make_pool(struct who *w, const char *name)
{
    snprintf(body, sizeof(body),
             "{\"name\":\"%s%d\",\"kind\":\"compute\",\"unit\":\"vcpu\",\"specification\":"
             "\"x86\",\"capacity\":1000,\"region\":\"520000\",\"security_level\":3}",
             name, ++T->serial);
    struct th_resp *r = th_call("POST", "/api/v1/resource-pools", w, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int64_t make_alloc(struct who *w, int64_t p)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)p);
    snprintf(body, sizeof(body), "{\"user_id\":%lld,\"application\":\"计量应用\",\"quantity\":10}",
             (long long)T->u1);
    struct th_resp *r = th_call("POST", path, w, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int64_t make_metric(struct who *w, int64_t p)
{
    snprintf(body, sizeof(body),
             "{\"name\":\"计量产品%d\",\"category\":\"operation_maintenance\",\"description\":"
             "\"云主机\",\"region\":\"520000\",\"pool_ids\":[%lld]}",
             ++T->serial, (long long)p);
    struct th_resp *r = th_call("POST", "/api/v1/products", w, body);
    assert_status(r, 201);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics", (long long)jint(r->json, "id"));
    r = th_call("POST", path, w,
                "{\"name\":\"vCPU 时\",\"unit\":\"vCPU·h\",\"method\":\"按小时\","
                "\"list_price_fen\":12}");
    assert_status(r, 201);
    return jint(r->json, "id");
}

/* States an earlier start of service (a service migrated onto the platform), so that the
 * records of the past that these tests send are of the allocation's time. */
static void migrated(int64_t p, int64_t a, const char *start)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/service-start",
             (long long)p, (long long)a);
    snprintf(body, sizeof(body),
             "{\"service_start\":\"%s\",\"service_start_reason\":\"由自建机房迁移上云\"}", start);
    assert_status(th_call("POST", path, &T->who[W_P_ADMIN], body), 200);
}

static int setup(void **state)
{
    if (th_setup(state))
        return -1;
    struct who *p = &T->who[W_P_ADMIN];
    pool = make_pool(p, "计量资源池");
    alloc = make_alloc(p, pool);
    alloc2 = make_alloc(p, pool);
    migrated(pool, alloc, "1989-01-01T00:00:00Z");
    migrated(pool, alloc2, "1989-01-01T00:00:00Z");
    metric = make_metric(p, pool);
    other_pool_metric = make_metric(p, make_pool(p, "另一资源池"));
    /* a second provider with its own pool, allocation and product */
    int64_t p2 = th_institution(T->m, "provider", "provincial");
    struct who w2;
    th_session(&w2, th_person(p2, true, "technical"));
    int64_t pool2 = make_pool(&w2, "他方资源池");
    foreign_alloc = make_alloc(&w2, pool2);
    foreign_metric = make_metric(&w2, pool2);
    return 0;
}

/* A context acting for the provider P through its administrator. */
static struct ctx *as_provider(void)
{
    struct ctx *c = th_ctx();
    c->caller.is_system = false;
    c->caller.person_id = T->who[W_P_ADMIN].person_id;
    c->caller.institution_id = T->p;
    c->caller.inst_kind = "provider";
    c->caller.login = "p.admin";
    return c;
}

static void line(const char *json, struct usage_batch *b, int64_t n)
{
    void *scratch = usage_ndjson_scratch_new();
    struct usage_input in;
    usage_parse_ndjson(json, strlen(json), &in, scratch);
    assert_int_equal(usage_batch_add(b, &in, n), 0);
    usage_ndjson_scratch_free(scratch);
}

static char *rec(int64_t a, int64_t m, const char *id, const char *qty, int hour)
{
    static char buf[512];
    snprintf(buf, sizeof(buf),
             "{\"id\":\"%s\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":%s,"
             "\"start\":\"1989-06-01T%02d:00:00Z\",\"end\":\"1989-06-01T%02d:00:00Z\"}",
             id, (long long)a, (long long)m, qty, hour, hour + 1);
    return buf;
}

static const struct usage_outcome *find(struct usage_outcome *o, int n, int64_t line_no)
{
    for (int i = 0; i < n; i++)
        if (o[i].line == line_no)
            return &o[i];
    return NULL;
}

static void test_each_rejection_names_its_rule(void **state)
{
    (void)state;
    static const struct {
        const char *rule, *field;
    } want[] = {
        {NULL, NULL},                 /* 1 accepted */
        {"json", ""},                 /* 2 */
        {"unknown_field", "qty"},     /* 3 */
        {"inexact", "quantity"},      /* 4 */
        {"required", "id"},           /* 5 */
        {"format", "id"},             /* 6 */
        {"negative", "quantity"},     /* 7 */
        {"scale", "quantity"},        /* 8 */
        {"format", "quantity"},       /* 9 */
        {"format", "start"},          /* 10 */
        {"period", "end"},            /* 11 */
        {"unknown", "allocation_id"}, /* 12 */
        {"foreign", "allocation_id"}, /* 13 */
        {"mismatch", "user_id"},      /* 14 */
        {"unknown", "metric_id"},     /* 15 */
        {"foreign", "metric_id"},     /* 16 */
        {"not_of_pool", "metric_id"}, /* 17 */
        {"overlap", "start"},         /* 18 */
        {NULL, NULL},                 /* 19 accepted: the next hour */
    };
    struct ctx *c = as_provider();
    struct usage_batch *b = usage_batch_begin(c, "api");
    assert_non_null(b);
    line(rec(alloc, metric, "rj-1", "\"1.5\"", 0), b, 1);
    line("[1,2]", b, 2);
    line("{\"id\":\"rj-3\",\"qty\":1}", b, 3);
    line(rec(alloc, metric, "rj-4", "0.1", 1), b, 4);
    line(rec(alloc, metric, "", "\"1\"", 1), b, 5);
    line(rec(alloc, metric, "rj 6", "\"1\"", 1), b, 6);
    line(rec(alloc, metric, "rj-7", "\"-1\"", 1), b, 7);
    line(rec(alloc, metric, "rj-8", "\"0.0000001\"", 1), b, 8);
    line(rec(alloc, metric, "rj-9", "\"1e3\"", 1), b, 9);
    line("{\"id\":\"rj-10\",\"allocation_id\":1,\"metric_id\":1,\"quantity\":\"1\","
         "\"start\":\"yesterday\",\"end\":\"1989-06-01T01:00:00Z\"}",
         b, 10);
    snprintf(body, sizeof(body),
             "{\"id\":\"rj-11\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"1989-06-01T05:00:00Z\",\"end\":\"1989-06-01T04:00:00Z\"}",
             (long long)alloc, (long long)metric);
    line(body, b, 11);
    line(rec(99, metric, "rj-12", "\"1\"", 1), b, 12);
    line(rec(foreign_alloc, metric, "rj-13", "\"1\"", 1), b, 13);
    snprintf(body, sizeof(body),
             "{\"id\":\"rj-14\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"user_id\":%lld,\"start\":\"1989-06-01T01:00:00Z\",\"end\":"
             "\"1989-06-01T02:00:00Z\"}",
             (long long)alloc, (long long)metric, (long long)T->u2);
    line(body, b, 14);
    line(rec(alloc, 99, "rj-15", "\"1\"", 1), b, 15);
    line(rec(alloc, foreign_metric, "rj-16", "\"1\"", 1), b, 16);
    line(rec(alloc, other_pool_metric, "rj-17", "\"1\"", 1), b, 17);
    line(rec(alloc, metric, "rj-18", "\"2\"", 0), b, 18); /* same hour as line 1 */
    line(rec(alloc, metric, "rj-19", "\"2.25\"", 1), b, 19);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 2);
    assert_int_equal(s.rejected, 17);
    assert_int_equal(s.duplicated, 0);

    struct usage_outcome *o;
    int n;
    struct page_req p = {.limit = 100};
    struct page_info info;
    c = th_ctx();
    assert_int_equal(usage_outcomes(c, s.batch_id, &p, &o, &n, &info), 0);
    assert_int_equal(n, 17);
    for (int i = 0; i < (int)(sizeof(want) / sizeof(want[0])); i++) {
        const struct usage_outcome *x = find(o, n, i + 1);
        if (!want[i].rule) {
            assert_null(x);
            continue;
        }
        if (!x)
            fail_msg("line %d has no outcome", i + 1);
        if (strcmp(x->rule, want[i].rule) != 0 || strcmp(x->field, want[i].field) != 0)
            fail_msg("line %d: %s/%s, expected %s/%s (%s)", i + 1, x->rule, x->field, want[i].rule,
                     want[i].field, x->message);
        assert_string_equal(x->outcome, "rejected");
    }
    assert_int_equal(th_sql_int("SELECT SUM(quantity) FROM usage_records WHERE id LIKE 'rj-%'"),
                     3750000);
}

/* The records of a series one hour after another from hour0 (after 2026-04-01). */
static char *hourly(int64_t a, int64_t m, const char *id, const char *qty, int hour0)
{
    static char buf[512];
    char t1[40], t2[40];
    int64_t base = 631152000000LL; /* 1990-01-01T00:00:00Z: hour 300000 is still in 2024 */
    time_format(base + (int64_t)hour0 * 3600000, t1, sizeof(t1));
    time_format(base + (int64_t)(hour0 + 1) * 3600000, t2, sizeof(t2));
    snprintf(buf, sizeof(buf),
             "{\"id\":\"%s\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":%s,"
             "\"start\":\"%s\",\"end\":\"%s\"}",
             id, (long long)a, (long long)m, qty, t1, t2);
    return buf;
}

static void test_resend_reports_duplicates_and_reused_ids(void **state)
{
    (void)state;
    char id[32], q[24];
    struct usage_summary s[2];
    for (int round = 0; round < 2; round++) {
        struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
        for (int i = 0; i < 100; i++) {
            snprintf(id, sizeof(id), "dup-%03d", i);
            /* in the second round record 7 comes back with another quantity */
            snprintf(q, sizeof(q), "\"%d.%02d\"", i, round && i == 7 ? 99 : i);
            line(hourly(alloc, metric, id, q, i), b, i + 1);
        }
        assert_int_equal(usage_batch_end(b, &s[round]), 0);
    }
    assert_int_equal(s[0].accepted, 100);
    assert_int_equal(s[1].accepted, 0);
    assert_int_equal(s[1].duplicated, 99);
    assert_int_equal(s[1].rejected, 1);
    struct usage_outcome *o;
    int n;
    struct page_req p = {.limit = 200};
    struct page_info info;
    assert_int_equal(usage_outcomes(th_ctx(), s[1].batch_id, &p, &o, &n, &info), 0);
    assert_int_equal(n, 100);
    assert_string_equal(find(o, n, 8)->rule, "id_reused");
    assert_string_equal(find(o, n, 9)->outcome, "duplicated");
    /* paging through the outcomes gives each line once */
    p.limit = 30;
    int seen = 0;
    do {
        assert_int_equal(usage_outcomes(th_ctx(), s[1].batch_id, &p, &o, &n, &info), 0);
        seen += n;
        p.after_id = info.next_cursor;
    } while (info.next_cursor);
    assert_int_equal(seen, 100);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id LIKE 'dup-%'"), 100);
}

/* Exact money starts with exact quantities: random decimals with up to six places, summed here
 * from their digits as integers, equal the store's SUM. */
static void test_quantities_are_exact(void **state)
{
    (void)state;
    char id[32], q[40];
    srand(20261126);
    int64_t expect = 0;
    struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
    for (int i = 0; i < 3000; i++) {
        int64_t whole = rand() % 100000, frac = rand() % 1000000;
        int places = rand() % 7;
        int64_t div = 1;
        for (int k = places; k < 6; k++)
            div *= 10;
        frac /= div; /* `places` digits */
        if (places)
            snprintf(q, sizeof(q), "\"%lld.%0*lld\"", (long long)whole, places, (long long)frac);
        else
            snprintf(q, sizeof(q), "\"%lld\"", (long long)whole);
        expect += whole * 1000000 + frac * div;
        snprintf(id, sizeof(id), "exact-%05d", i);
        line(hourly(alloc, metric, id, q, 1000 + i), b, i + 1);
    }
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 3000);
    assert_int_equal(th_sql_int("SELECT SUM(quantity) FROM usage_records WHERE id LIKE 'exact-%'"),
                     expect);
}

/* After the first chunk commits, the third statement of the store fails: inside the second
 * chunk on both stores (an insert on SQLite, the COPY of the chunk on PostgreSQL). */
static void arm_failure(void *arg, const struct usage_summary *s)
{
    (void)arg;
    if (s->accepted == USAGE_CHUNK)
        db_fail_nth(T->app.db, 3);
}

/* A chunk is one transaction: a failure in the middle of the second chunk keeps the first whole,
 * writes nothing of the second, and re-running the batch completes it. */
static void test_failure_loses_only_the_chunk_in_flight(void **state)
{
    (void)state;
    char id[32];
    int total = USAGE_CHUNK + USAGE_CHUNK / 2;
    for (int round = 0; round < 2; round++) {
        struct ctx *c = th_ctx();
        struct usage_batch *b = usage_batch_begin(c, "import");
        assert_non_null(b);
        if (round == 0)
            usage_batch_on_commit(b, arm_failure, NULL);
        int failed_at = 0;
        for (int i = 0; i < total && !failed_at; i++) {
            snprintf(id, sizeof(id), "chunk-%06d", i);
            void *scratch = usage_ndjson_scratch_new();
            struct usage_input in;
            const char *j = hourly(alloc, metric, id, "\"1\"", 20000 + i);
            usage_parse_ndjson(j, strlen(j), &in, scratch);
            if (usage_batch_add(b, &in, i + 1) < 0)
                failed_at = i + 1;
            usage_ndjson_scratch_free(scratch);
        }
        db_fail_nth(T->app.db, 0);
        struct usage_summary s;
        int rc = usage_batch_end(b, &s);
        int64_t stored = th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id LIKE 'chunk-%'");
        if (round == 0) {
            /* SQLite fails while adding, PostgreSQL when the last chunk is written */
            assert_true(failed_at > USAGE_CHUNK || (failed_at == 0 && rc == -1));
            assert_int_equal(rc, -1);
            assert_int_equal(stored, USAGE_CHUNK);
            /* the batch row tells the truth about what it committed */
            snprintf(body, sizeof(body), "SELECT accepted FROM usage_batches WHERE id = %lld",
                     (long long)s.batch_id);
            assert_int_equal(th_sql_int(body), USAGE_CHUNK);
        } else {
            assert_int_equal(rc, 0);
            assert_int_equal(s.duplicated, USAGE_CHUNK);
            assert_int_equal(s.accepted, total - USAGE_CHUNK);
            assert_int_equal(stored, total);
        }
    }
}

static int to_batch(void *arg, const struct usage_input *in, int64_t n)
{
    return usage_batch_add(arg, in, n);
}

static void test_csv(void **state)
{
    (void)state;
    struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
    struct usage_csv *c = usage_csv_new(to_batch, b);
    const char *why = NULL;
    char csv[1024];
    snprintf(csv, sizeof(csv),
             "source,quantity,id,allocation_id,metric_id,start,end\r\n"
             "\"采集器, 一号\",12.5,csv-1,%lld,%lld,2005-05-01T00:00:00Z,2005-05-01T01:00:00Z\r\n"
             "x,-1,csv-2,%lld,%lld,2005-05-01T01:00:00Z,2005-05-01T02:00:00Z\r\n"
             "x,3,csv-3,%lld,%lld,2005-05-01T01:00:00Z\r\n",
             (long long)alloc, (long long)metric, (long long)alloc, (long long)metric,
             (long long)alloc, (long long)metric);
    /* fed in two pieces cut inside a quoted field */
    assert_int_equal(usage_csv_feed(c, csv, 60, &why), 0);
    assert_int_equal(usage_csv_feed(c, csv + 60, strlen(csv) - 60, &why), 0);
    assert_int_equal(usage_csv_finish(c, &why), 0);
    usage_csv_free(c);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 1);
    assert_int_equal(s.rejected, 2);
    assert_int_equal(
        th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id = 'csv-1' AND source = '采集器, "
                   "一号' AND quantity = 12500000"),
        1);
    /* a header that is not ours stops the file */
    c = usage_csv_new(NULL, NULL);
    assert_int_equal(usage_csv_feed(c, "id,amount\n", 10, &why), -1);
    assert_non_null(why);
    usage_csv_free(c);
}

static void test_quantity_text(void **state)
{
    (void)state;
    int64_t q;
    const char *rule;
    char buf[32];
    assert_int_equal(usage_parse_quantity("0.000001", 8, &q, &rule), 0);
    assert_int_equal(q, 1);
    assert_int_equal(usage_parse_quantity("12.5000000", 10, &q, &rule), 0);
    assert_int_equal(q, 12500000);
    assert_int_equal(usage_parse_quantity("9223372036854", 13, &q, &rule), -1);
    assert_string_equal(rule, "range");
    assert_int_equal(usage_parse_quantity(".", 1, &q, &rule), -1);
    assert_int_equal(usage_parse_quantity("1.", 2, &q, &rule), 0);
    assert_int_equal(usage_parse_quantity("", 0, &q, &rule), -1);
    usage_format_quantity(12500000, buf, sizeof(buf));
    assert_string_equal(buf, "12.5");
    usage_format_quantity(1, buf, sizeof(buf));
    assert_string_equal(buf, "0.000001");
    usage_format_quantity(3000000, buf, sizeof(buf));
    assert_string_equal(buf, "3");
}

/* The API: an NDJSON stream read in pieces (the harness hands it over 7 bytes at a time, cutting
 * lines and characters), the last line without a newline, blank lines skipped; the answer counts
 * every record and lists the ones not accepted; the batch and its outcomes can be read back. */
static void test_api_stream(void **state)
{
    (void)state;
    char nd[4096];
    size_t o = 0;
    /* ids, blank lines between records, the last line without a newline */
    for (int i = 0; i < 5; i++) {
        char id[16];
        snprintf(id, sizeof(id), i == 3 ? "api %d" : "api-%d", i);
        o += (size_t)snprintf(nd + o, sizeof(nd) - o, "%s%s", i ? "\n\n" : "",
                              hourly(alloc, metric, id, "\"2.5\"", 200000 + i));
    }
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "records"), 5);
    assert_int_equal(jint(r->json, "accepted"), 4);
    assert_int_equal(jint(r->json, "rejected"), 1);
    json_t *list = json_object_get(r->json, "outcomes");
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(jstr(json_array_get(list, 0), "rule"), "format");
    assert_int_equal(jint(json_array_get(list, 0), "line"), 7); /* blank lines count as lines */
    int64_t batch = jint(r->json, "batch_id");
    /* again: all duplicated, nothing new */
    r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_int_equal(jint(r->json, "duplicated"), 4);
    assert_int_equal(jint(r->json, "accepted"), 0);
    snprintf(path, sizeof(path), "/api/v1/usage/batches/%lld", (long long)batch);
    r = th_call("GET", path, &T->who[W_M_ADMIN], NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "accepted"), 4);
    snprintf(path, sizeof(path), "/api/v1/usage/batches/%lld/outcomes", (long long)batch);
    r = th_call("GET", path, &T->who[W_P_MEMBER], NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    /* the wrong media type is refused before the body is read; so is a user agency */
    const char *const json_ct[] = {"Content-Type: application/json", NULL};
    r = th_callh("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd, json_ct);
    assert_status(r, 415);
    assert_status(th_call("POST", "/api/v1/usage", &T->who[W_U1_ADMIN], nd), 403);
    assert_status(th_call("GET", path, &T->who[W_U1_ADMIN], NULL), 403);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id LIKE 'api-%'"), 4);
}

/* One id twice in a chunk, in two series: the first is stored, the second refused as a reused
 * id (on PostgreSQL both are staged and the move tells them apart). */
static void test_same_id_twice_in_a_chunk(void **state)
{
    (void)state;
    struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
    line(hourly(alloc, metric, "twin", "\"1\"", 300000), b, 1);
    line(hourly(alloc2, metric, "twin", "\"1\"", 300000), b, 2);
    line(hourly(alloc2, metric, "twin-2", "\"1\"", 300001), b, 3);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 2);
    assert_int_equal(s.rejected, 1);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id LIKE 'twin%'"), 2);
    snprintf(body, sizeof(body), "SELECT allocation_id FROM usage_records WHERE id = 'twin'");
    assert_int_equal(th_sql_int(body), alloc);
}

/* After an allocation is released, usage that ends after the release is refused; usage of the
 * time before still lands. */
static void test_released_allocation(void **state)
{
    (void)state;
    int64_t a = make_alloc(&T->who[W_P_ADMIN], pool);
    migrated(pool, a, "1989-01-01T00:00:00Z");
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/changes",
             (long long)pool, (long long)a);
    assert_status(
        th_call("POST", path, &T->who[W_P_ADMIN], "{\"op\":\"release\",\"reason\":\"应用下线\"}"),
        200);
    struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
    line(hourly(a, metric, "rel-before", "\"1\"", 10), b, 1); /* January 1990 */
    /* from before the release to a minute after it (within the clock skew, not in the future) */
    char t1[40], t2[40], rel[512];
    time_format(time_now_ms() - 3600000, t1, sizeof(t1));
    time_format(time_now_ms() + 60000, t2, sizeof(t2));
    snprintf(rel, sizeof(rel),
             "{\"id\":\"rel-after\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"%s\",\"end\":\"%s\"}",
             (long long)a, (long long)metric, t1, t2);
    line(rel, b, 2);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 1);
    assert_int_equal(s.rejected, 1);
    struct usage_outcome *o;
    int n;
    struct page_req p = {.limit = 10};
    struct page_info info;
    assert_int_equal(usage_outcomes(th_ctx(), s.batch_id, &p, &o, &n, &info), 0);
    assert_int_equal(n, 1);
    assert_string_equal(o[0].rule, "released");
}

/* Whatever happened above (rejections, duplicates, a failed chunk, the same id twice in a chunk,
 * which on PostgreSQL takes the staging path), usage_daily holds exactly the sums of the stored
 * records per series and CST day. */
static void test_daily_sums_equal_the_records(void **state)
{
    (void)state;
#define GROUPED                                                                                    \
    "(SELECT allocation_id a, metric_id m, (period_start + 28800000) / 86400000 d, "               \
    "SUM(quantity) q, COUNT(*) n FROM usage_records GROUP BY allocation_id, metric_id, "           \
    "(period_start + 28800000) / 86400000)"
    int64_t days = th_sql_int("SELECT COUNT(*) FROM usage_daily");
    int64_t grouped = th_sql_int("SELECT COUNT(*) FROM " GROUPED " g");
    int64_t equal = th_sql_int("SELECT COUNT(*) FROM usage_daily x JOIN " GROUPED
                               " g ON g.a = x.allocation_id AND g.m = x.metric_id AND g.d = x.day "
                               "AND g.q = x.quantity AND g.n = x.records");
#undef GROUPED
    assert_true(grouped > 0);
    assert_int_equal(days, grouped);
    assert_int_equal(equal, grouped);
}

/* Issue 12 (defects 5, 6 and 9): hostile text in records sent to the API. A NUL in any text is
 * refused naming the field, instead of cutting the text ("n-nul\u0000x" was stored as "n-nul",
 * "5\u00009" billed as 5); a key given twice is refused instead of the last value winning; an id
 * that is not UTF-8 keeps its outcome (line, reason, the id escaped) in the answer and the store.
 */
static void test_api_refuses_hostile_text(void **state)
{
    (void)state;
    int64_t a = make_alloc(&T->who[W_P_ADMIN], pool);
    migrated(pool, a, "1989-01-01T00:00:00Z");
    char nd[4096];
    snprintf(
        nd, sizeof(nd),
        "{\"id\":\"n-nul\\u0000x\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2020-01-01T01:00:00Z\"}\n"
        "{\"id\":\"q-nul\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"5\\u00009\","
        "\"start\":\"2020-01-01T01:00:00Z\",\"end\":\"2020-01-01T02:00:00Z\"}\n"
        "{\"id\":\"dup-1\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T02:00:00Z\",\"end\":\"2020-01-01T03:00:00Z\",\"id\":\"dup-2\"}\n"
        "{\"id\":\"bad-\xff\xfe\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T03:00:00Z\",\"end\":\"2020-01-01T04:00:00Z\"}\n"
        "{\"id\":\"src-nul\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T04:00:00Z\",\"end\":\"2020-01-01T05:00:00Z\",\"source\":"
        "\"a\\\\u0000\"}\n"
        "{\"id\":\"n-nul\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T05:00:00Z\",\"end\":\"2020-01-01T06:00:00Z\",\"\xe5\x95\":1}\n"
        "{\"id\":\"src-bad\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
        "\"start\":\"2020-01-01T06:00:00Z\",\"end\":\"2020-01-01T07:00:00Z\",\"source\":"
        "\"\xc0\x80\"}\n",
        (long long)a, (long long)metric, (long long)a, (long long)metric, (long long)a,
        (long long)metric, (long long)a, (long long)metric, (long long)a, (long long)metric,
        (long long)a, (long long)metric, (long long)a, (long long)metric);
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "records"), 7);
    /* line 5: an escaped backslash before u0000 is text, not a NUL */
    assert_int_equal(jint(r->json, "accepted"), 1);
    assert_int_equal(jint(r->json, "rejected"), 6);
    static const struct {
        int line;
        const char *id, *rule, *field;
    } want[] = {
        {1, "", "nul", "id"},
        {2, "q-nul", "nul", "quantity"},
        {3, "dup-1", "duplicate_key", "id"},
        {4, "bad-\\xff\\xfe", "format", "id"},
        {6, "n-nul", "unknown_field", "\\xe5\\x95"},
        {7, "src-bad", "format", "source"}, /* an overlong NUL: not UTF-8 */
    };
    json_t *list = json_object_get(r->json, "outcomes");
    assert_int_equal(json_array_size(list), 6);
    for (size_t i = 0; i < 6; i++) {
        json_t *o = json_array_get(list, i);
        assert_non_null(o);
        assert_int_equal(jint(o, "line"), want[i].line);
        assert_string_equal(jstr(o, "id"), want[i].id);
        assert_string_equal(jstr(o, "rule"), want[i].rule);
        assert_string_equal(jstr(o, "field"), want[i].field);
    }
    /* every refused line is stored with its outcome, on both stores */
    snprintf(path, sizeof(path), "/api/v1/usage/batches/%lld/outcomes",
             (long long)jint(r->json, "batch_id"));
    r = th_call("GET", path, &T->who[W_P_ADMIN], NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 6);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id IN ('n-nul', "
                                "'q-nul', 'dup-1', 'dup-2')"),
                     0);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM usage_records WHERE id = 'src-nul'"), 1);
}

/* An unknown field's name in the outcome of an API stream is the name sent, also when more lines
 * follow: the records are checked as they arrive and written by the pipe's thread later, after
 * the parser has reused the memory the name was read into. */
static void test_api_unknown_field_keeps_its_name(void **state)
{
    (void)state;
    char nd[8192];
    size_t o = (size_t)snprintf(nd, sizeof(nd), "{\"id\":\"uf-1\",\"quantitty\":1}\n");
    for (int i = 0; i < 20; i++)
        o += (size_t)snprintf(nd + o, sizeof(nd) - o,
                              "{\"id\":\"uf-%d-abcdefghijklmnopqrstuvwxyz\",\"allocation_id\":1,"
                              "\"metric_id\":1,\"quantity\":\"1\",\"start\":\"x\",\"end\":\"y\"}\n",
                              i);
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_status(r, 200);
    json_t *first = json_array_get(json_object_get(r->json, "outcomes"), 0);
    assert_int_equal(jint(first, "line"), 1);
    assert_string_equal(jstr(first, "rule"), "unknown_field");
    assert_string_equal(jstr(first, "field"), "quantitty");
}

/* Issue 12 (defect 6): a NUL byte in a CSV field is refused naming the column (strtoll read
 * "5\0x" as 5, the time parser a prefix of the time). */
static void test_csv_refuses_nul(void **state)
{
    (void)state;
    int64_t a = make_alloc(&T->who[W_P_ADMIN], pool);
    migrated(pool, a, "1989-01-01T00:00:00Z");
    struct usage_batch *b = usage_batch_begin(th_ctx(), "import");
    struct usage_csv *c = usage_csv_new(to_batch, b);
    const char *why = NULL;
    char csv[1024];
    int n = snprintf(csv, sizeof(csv),
                     "id,allocation_id,metric_id,quantity,start,end\n"
                     "cn-1,%lld,%lld,5X9,2020-01-01T00:00:00Z,2020-01-01T01:00:00Z\n"
                     "cn-2,%lldX7,%lld,1,2020-01-01T01:00:00Z,2020-01-01T02:00:00Z\n"
                     "cn-3,%lld,%lld,1,2020-01-01T02:00:00ZX,2020-01-01T03:00:00Z\n"
                     "cn-4,%lld,%lld,1,2020-01-01T03:00:00Z,2020-01-01T04:00:00Z\n",
                     (long long)a, (long long)metric, (long long)a, (long long)metric, (long long)a,
                     (long long)metric, (long long)a, (long long)metric);
    for (int i = 0; i < n; i++)
        if (csv[i] == 'X')
            csv[i] = 0;
    assert_int_equal(usage_csv_feed(c, csv, (size_t)n, &why), 0);
    assert_int_equal(usage_csv_finish(c, &why), 0);
    usage_csv_free(c);
    struct usage_summary s;
    assert_int_equal(usage_batch_end(b, &s), 0);
    assert_int_equal(s.accepted, 1);
    assert_int_equal(s.rejected, 3);
    struct usage_outcome *o;
    int no;
    struct page_req p = {.limit = 10};
    struct page_info info;
    assert_int_equal(usage_outcomes(th_ctx(), s.batch_id, &p, &o, &no, &info), 0);
    assert_int_equal(no, 3);
    assert_string_equal(o[0].field, "quantity");
    assert_string_equal(o[0].rule, "nul");
    assert_string_equal(o[1].field, "allocation_id");
    assert_string_equal(o[1].rule, "nul");
    assert_string_equal(o[2].field, "start");
    assert_string_equal(o[2].rule, "nul");
}

/* Issue 12 (defect 6): JSON bodies of every route: "\u0000" in a string is a 422 naming the
 * field (also inside arrays of objects), not a text cut at the NUL. */
static void test_json_body_refuses_nul(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body),
             "{\"user_id\":%lld,\"application\":\"计量\\u0000应用\",\"quantity\":1}",
             (long long)T->u1);
    struct th_resp *r = th_call("POST", path, &T->who[W_P_ADMIN], body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "application", "nul"));
    r = th_call("POST", "/api/v1/products", &T->who[W_P_ADMIN],
                "{\"name\":\"x\",\"category\":\"operation_maintenance\",\"description\":\"y\","
                "\"region\":\"520000\",\"pool_ids\":[1],\"z\":[{\"a\":[\"\\u0000\"]}]}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "z[0].a[0]", "nul"));
}

/* Issue 12 (defect 3): a period that ends after now (plus the clock skew, 5 minutes by default)
 * is refused; it no longer becomes the newest mark of its series, so the real records after it
 * still land. A period ending within the skew is taken. */
static void test_future_period_is_refused(void **state)
{
    (void)state;
    int64_t a = make_alloc(&T->who[W_P_ADMIN], pool);
    migrated(pool, a, "1989-01-01T00:00:00Z");
    char t1[40], t2[40], nd[2048];
    time_format(time_now_ms() - 3600000, t1, sizeof(t1));
    time_format(time_now_ms() + 60000, t2, sizeof(t2));
    snprintf(nd, sizeof(nd),
             "{\"id\":\"fut-1\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"2099-01-01T00:00:00Z\",\"end\":\"2099-01-01T01:00:00Z\"}\n"
             "{\"id\":\"fut-2\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2020-01-01T01:00:00Z\"}\n"
             "{\"id\":\"fut-3\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"%s\",\"end\":\"%s\"}\n",
             (long long)a, (long long)metric, (long long)a, (long long)metric, (long long)a,
             (long long)metric, t1, t2);
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "accepted"), 2);
    json_t *o = json_array_get(json_object_get(r->json, "outcomes"), 0);
    assert_int_equal(jint(o, "line"), 1);
    assert_string_equal(jstr(o, "rule"), "future");
    assert_string_equal(jstr(o, "field"), "end");
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM usage_series WHERE allocation_id = %lld "
             "AND last_end > 4000000000000",
             (long long)a);
    assert_int_equal(th_sql_int(body), 0);
}

/* Issue 12 (defect 4): usage before the allocation existed is refused, until the provider states
 * an earlier start of service with a reason (a service migrated onto the platform): never after
 * the creation, never without a reason; recorded, audited and shown to management. */
static void test_usage_before_the_allocation_is_refused(void **state)
{
    (void)state;
    int64_t a = make_alloc(&T->who[W_P_ADMIN], pool);
    char nd[1024];
    snprintf(nd, sizeof(nd),
             "{\"id\":\"pre-1\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"2020-01-01T00:00:00Z\",\"end\":\"2020-01-01T01:00:00Z\"}\n",
             (long long)a, (long long)metric);
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "accepted"), 0);
    json_t *o = json_array_get(json_object_get(r->json, "outcomes"), 0);
    assert_string_equal(jstr(o, "rule"), "before_start");
    assert_string_equal(jstr(o, "field"), "start");

    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/service-start",
             (long long)pool, (long long)a);
    r = th_call("POST", path, &T->who[W_P_ADMIN],
                "{\"service_start\":\"2019-12-01T00:00:00Z\",\"service_start_reason\":\"\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_start_reason", "required") ||
                has_field_error(r->json, "service_start_reason", "min_length"));
    r = th_call("POST", path, &T->who[W_P_ADMIN],
                "{\"service_start\":\"2099-01-01T00:00:00Z\",\"service_start_reason\":\"迁移\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_start", "before_creation"));
    r = th_call("POST", path, &T->who[W_P_ADMIN],
                "{\"service_start\":\"yesterday\",\"service_start_reason\":\"迁移\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_start", "format"));
    /* not the user agency's to say */
    assert_status(th_call("POST", path, &T->who[W_U1_ADMIN],
                          "{\"service_start\":\"2019-12-01T00:00:00Z\",\"service_start_reason\":"
                          "\"迁移\"}"),
                  403);
    r = th_call("POST", path, &T->who[W_P_ADMIN],
                "{\"service_start\":\"2019-12-01T00:00:00+08:00\",\"service_start_reason\":"
                "\"业务系统由自建机房迁移上云\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "service_start"), "2019-11-30T16:00:00.000Z");
    /* management sees it with the allocation; the audit trail holds it */
    snprintf(path, sizeof(path), "/api/v1/allocations?pool_id=%lld", (long long)pool);
    r = th_call("GET", path, &T->who[W_M_ADMIN], NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    bool seen = false;
    for (size_t i = 0; i < json_array_size(items); i++) {
        json_t *x = json_array_get(items, i);
        if (jint(x, "id") == a) {
            seen = true;
            assert_string_equal(jstr(x, "service_start_reason"), "业务系统由自建机房迁移上云");
        }
    }
    assert_true(seen);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'allocation.service_start' AND "
             "object_id = %lld",
             (long long)a);
    assert_int_equal(th_sql_int(body), 1);
    /* the record is of the allocation's time now; a record before the stated start is not */
    r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_int_equal(jint(r->json, "accepted"), 1);
    snprintf(nd, sizeof(nd),
             "{\"id\":\"pre-0\",\"allocation_id\":%lld,\"metric_id\":%lld,\"quantity\":\"1\","
             "\"start\":\"2019-11-30T15:00:00Z\",\"end\":\"2019-11-30T16:00:00Z\"}\n",
             (long long)a, (long long)metric);
    r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], nd);
    assert_int_equal(jint(r->json, "rejected"), 1);
}

/* Issue 12 (defect 8): junk does not fill the store. A batch stores the outcomes of its first
 * USAGE_OUTCOMES_MAX lines not accepted and counts the rest (the answer and the batch say how
 * many); while a provider's batches of the window rejected more lines than usage_reject_limit,
 * its next batch is refused with 429 and Retry-After. */
static void test_junk_is_capped_and_rate_limited(void **state)
{
    (void)state;
    enum { N = USAGE_OUTCOMES_MAX + 500 };
    static char junk[2 * N + 1];
    for (int i = 0; i < N; i++) {
        junk[2 * i] = 'x';
        junk[2 * i + 1] = '\n';
    }
    struct th_resp *r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], junk);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "rejected"), N);
    assert_int_equal(jint(r->json, "outcomes_not_stored"), N - USAGE_OUTCOMES_MAX);
    int64_t batch = jint(r->json, "batch_id");
    snprintf(body, sizeof(body), "SELECT COUNT(*) FROM usage_outcomes WHERE batch_id = %lld",
             (long long)batch);
    assert_int_equal(th_sql_int(body), USAGE_OUTCOMES_MAX);
    snprintf(path, sizeof(path), "/api/v1/usage/batches/%lld", (long long)batch);
    r = th_call("GET", path, &T->who[W_P_ADMIN], NULL);
    assert_int_equal(jint(r->json, "rejected"), N);
    assert_int_equal(jint(r->json, "outcomes_not_stored"), N - USAGE_OUTCOMES_MAX);

    /* the provider's rejected lines of the window now exceed a limit below them */
    int limit = T->app.cfg.usage_reject_limit;
    snprintf(body, sizeof(body), "SELECT SUM(rejected) FROM usage_batches WHERE provider_id = %lld",
             (long long)T->p);
    int64_t sent = th_sql_int(body);
    assert_true(sent >= N);
    T->app.cfg.usage_reject_limit = (int)sent - 1;
    r = th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], "x\n");
    assert_status(r, 429);
    assert_true(strtol(r->retry_after, NULL, 10) >= 1);
    assert_string_equal(jstr(r->json, "rule"), "rejected_volume");
    /* another provider is not held back by it */
    int64_t p2 = th_institution(T->m, "provider", "provincial");
    struct who w2;
    th_session(&w2, th_person(p2, true, "technical"));
    assert_status(th_call("POST", "/api/v1/usage", &w2, "x\n"), 200);
    /* at the limit exactly it still sends */
    T->app.cfg.usage_reject_limit = (int)sent;
    assert_status(th_call("POST", "/api/v1/usage", &T->who[W_P_ADMIN], "\n"), 200);
    T->app.cfg.usage_reject_limit = limit;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quantity_text),
        cmocka_unit_test(test_each_rejection_names_its_rule),
        cmocka_unit_test(test_resend_reports_duplicates_and_reused_ids),
        cmocka_unit_test(test_quantities_are_exact),
        cmocka_unit_test(test_failure_loses_only_the_chunk_in_flight),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_api_stream),
        cmocka_unit_test(test_same_id_twice_in_a_chunk),
        cmocka_unit_test(test_released_allocation),
        cmocka_unit_test(test_api_refuses_hostile_text),
        cmocka_unit_test(test_api_unknown_field_keeps_its_name),
        cmocka_unit_test(test_csv_refuses_nul),
        cmocka_unit_test(test_json_body_refuses_nul),
        cmocka_unit_test(test_future_period_is_refused),
        cmocka_unit_test(test_usage_before_the_allocation_is_refused),
        cmocka_unit_test(test_junk_is_capped_and_rate_limited),
        cmocka_unit_test(test_daily_sums_equal_the_records),
    };
    return cmocka_run_group_tests_name("usage", tests, setup, th_teardown);
}
