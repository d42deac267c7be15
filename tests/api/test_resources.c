/*
 * test_resources.c - service resources (T5-6.1, T5-6.2b, T5-6.2c) and the independence of
 * evaluators (T5-8.2f): pools and units, the four allocation operations, capacity that is never
 * exceeded even by racing requests, conformity tests, and the signed public catalogue.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "http/http.h"

#define M_ADMIN  (&T->who[W_M_ADMIN])
#define P_ADMIN  (&T->who[W_P_ADMIN])
#define E_ADMIN  (&T->who[W_E_ADMIN])
#define U1_ADMIN (&T->who[W_U1_ADMIN])

static char body[1024], path[256];

static int64_t make_pool(int64_t capacity)
{
    snprintf(body, sizeof(body),
             "{\"name\":\"政务云计算资源池%d\",\"kind\":\"compute\",\"unit\":\"vcpu\","
             "\"specification\":\"2.6GHz 鲲鹏\",\"capacity\":%lld,\"region\":\"520100\","
             "\"security_level\":3}",
             ++T->serial, (long long)capacity);
    struct th_resp *r = th_call("POST", "/api/v1/resource-pools", P_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static struct th_resp *configure(int64_t pool, int64_t quantity, const char *extra)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body),
             "{\"user_id\":%lld,\"application\":\"不动产登记系统\","
             "\"quantity\":%lld%s}",
             (long long)T->u1, (long long)quantity, extra ? extra : "");
    return th_call("POST", path, P_ADMIN, body);
}

static struct th_resp *change(int64_t pool, int64_t alloc, const char *op, int64_t quantity)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/changes",
             (long long)pool, (long long)alloc);
    snprintf(body, sizeof(body), "{\"op\":\"%s\",\"quantity\":%lld,\"reason\":\"业务扩展\"}", op,
             (long long)quantity);
    return th_call("POST", path, P_ADMIN, body);
}

static int64_t allocated(int64_t pool)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    return jint(th_call("GET", path, P_ADMIN, NULL)->json, "allocated");
}

static void test_kinds_units_and_pool_rules(void **state)
{
    (void)state;
    struct th_resp *r = th_call("GET", "/api/v1/resource-kinds", U1_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 6);
    r = th_call("POST", "/api/v1/resource-pools", P_ADMIN,
                "{\"name\":\"错配\",\"kind\":\"storage\",\"unit\":\"vcpu\",\"specification\":\"x\","
                "\"capacity\":0,\"region\":\"520000\",\"security_level\":5}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "unit", "unit_of_kind"));
    assert_true(has_field_error(r->json, "capacity", "range"));
    assert_true(has_field_error(r->json, "security_level", "range"));
    int64_t pool = make_pool(100);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    r = th_call("PATCH", path, P_ADMIN, "{\"kind\":\"network\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "kind", "unknown_field")); /* never changes */
    /* The provider's people see it, the management above sees it, an unrelated agency not. */
    assert_status(th_call("GET", path, &T->who[W_P_MEMBER], NULL), 200);
    assert_status(th_call("GET", path, M_ADMIN, NULL), 200);
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 404);
}

static void test_configure_adjust_expand_release(void **state)
{
    (void)state;
    int64_t pool = make_pool(100);
    struct th_resp *r = configure(pool, 40, NULL);
    assert_status(r, 201);
    int64_t a = jint(r->json, "id");
    assert_int_equal(allocated(pool), 40);
    /* The user agency now sees the pool it uses. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 200);
    assert_int_equal(jint(change(pool, a, "expand", 30)->json, "quantity"), 70);
    assert_int_equal(allocated(pool), 70);
    r = change(pool, a, "expand", 31);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "quantity", "capacity"));
    assert_int_equal(allocated(pool), 70);
    assert_int_equal(jint(change(pool, a, "adjust", 10)->json, "quantity"), 10);
    assert_int_equal(allocated(pool), 10);
    /* Capacity cannot drop below what is allocated. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    r = th_call("PATCH", path, P_ADMIN, "{\"capacity\":5}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "capacity", "below_allocated"));
    r = change(pool, a, "release", 0);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "status"), "released");
    assert_int_equal(allocated(pool), 0);
    assert_status(change(pool, a, "expand", 1), 409);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM allocation_events WHERE allocation_id = %lld", (long long)a);
    assert_int_equal(th_sql_int(body), 4);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log WHERE action LIKE "
                                "'allocation.%'") >= 4,
                     1);
    /* A provider, who cannot list user agencies, names one by its public credit code. */
    char uscc[32];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->u1);
    snprintf(uscc, sizeof(uscc), "%s", jstr(th_call("GET", path, M_ADMIN, NULL)->json, "uscc"));
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body),
             "{\"user_uscc\":\"%s\",\"application\":\"政务服务网\","
             "\"quantity\":1}",
             uscc);
    r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    assert_int_equal(jint(r->json, "user_id"), T->u1);
    /* Only user agencies receive allocations. */
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations", (long long)pool);
    snprintf(body, sizeof(body), "{\"user_id\":%lld,\"application\":\"x系统\",\"quantity\":1}",
             (long long)T->p);
    r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "user_id", "user_agency"));
}

struct racer {
    int64_t pool;
    int status;
};

static void *race(void *arg)
{
    struct racer *w = arg;
    struct arena *a = arena_new();
    struct req rq;
    struct resp rs;
    char p[128], b[256], auth[200];
    memset(&rq, 0, sizeof(rq));
    snprintf(p, sizeof(p), "/api/v1/resource-pools/%lld/allocations", (long long)w->pool);
    snprintf(b, sizeof(b), "{\"user_id\":%lld,\"application\":\"抢占测试\",\"quantity\":1}",
             (long long)T->u1);
    snprintf(auth, sizeof(auth), "Bearer %s", T->who[W_P_ADMIN].token);
    rq.method = "POST";
    rq.path = p;
    rq.headers[0] = (struct kv){"Authorization", auth};
    rq.headers[1] = (struct kv){"Content-Type", "application/json"};
    rq.n_headers = 2;
    rq.body = b;
    rq.body_len = strlen(b);
    rq.client_ip = "127.0.0.1";
    router_dispatch(&T->app, a, &rq, &rs);
    w->status = rs.status;
    arena_free(a);
    return NULL;
}

static void test_racing_for_the_last_units_exactly_one_wins(void **state)
{
    (void)state;
    enum { N = 4, ROUNDS = 5 };
    for (int round = 0; round < ROUNDS; round++) {
        int64_t pool = make_pool(3);
        assert_status(configure(pool, 2, NULL), 201); /* one unit left */
        pthread_t th[N];
        struct racer w[N];
        for (int i = 0; i < N; i++) {
            w[i] = (struct racer){pool, 0};
            pthread_create(&th[i], NULL, race, &w[i]);
        }
        int won = 0, refused = 0;
        for (int i = 0; i < N; i++) {
            pthread_join(th[i], NULL);
            won += w[i].status == 201;
            refused += w[i].status == 409;
        }
        assert_int_equal(won, 1);
        assert_int_equal(refused, N - 1);
        assert_int_equal(allocated(pool), 3);
        snprintf(body, sizeof(body),
                 "SELECT COALESCE(SUM(quantity), 0) FROM allocations WHERE pool_id = %lld AND "
                 "status = 'active'",
                 (long long)pool);
        assert_int_equal(th_sql_int(body), 3);
    }
}

static void test_reclamation_flag(void **state)
{
    (void)state;
    int64_t pool = make_pool(50);
    int64_t stale = jint(configure(pool, 5, ",\"use_by\":\"2020-01-01\"")->json, "id");
    int64_t fresh = jint(configure(pool, 5, ",\"use_by\":\"2099-01-01\"")->json, "id");
    snprintf(path, sizeof(path), "/api/v1/allocations?reclaimable=true&pool_id=%lld",
             (long long)pool);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_int_equal(jint(json_array_get(items, 0), "id"), stale);
    (void)fresh;
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/allocations/%lld/first-use",
             (long long)pool, (long long)stale);
    assert_status(th_call("POST", path, P_ADMIN, "{\"first_used_on\":\"2020-02-01\"}"), 200);
    snprintf(path, sizeof(path), "/api/v1/allocations?reclaimable=true&pool_id=%lld",
             (long long)pool);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
}

static int64_t assign(int64_t pool, int64_t evaluator, int expect)
{
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/conformity-tests", (long long)pool);
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)evaluator);
    struct th_resp *r = th_call("POST", path, M_ADMIN, body);
    assert_status(r, expect);
    return expect == 201 ? jint(r->json, "id") : 0;
}

static struct th_resp *record(int64_t test, const char *result, struct who *by)
{
    snprintf(path, sizeof(path), "/api/v1/conformity-tests/%lld", (long long)test);
    snprintf(body, sizeof(body),
             "{\"result\":\"%s\",\"findings\":\"%s\",\"report_ref\":\"黔安测(2026)%d号\","
             "\"tested_on\":\"2026-01-15\"}",
             result, strcmp(result, "failed") ? "" : "存储加密未启用", ++T->serial);
    return th_call("PATCH", path, by, body);
}

static void test_independent_evaluators_only(void **state)
{
    (void)state;
    int64_t pool = make_pool(10);
    int64_t related = th_institution(T->m, "evaluator", "provincial");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_id\":%lld,\"kind\":\"personnel\",\"since\":\"2024-06-01\"}",
             (long long)related);
    assert_status(th_call("POST", path, P_ADMIN, body), 201);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld/conformity-tests", (long long)pool);
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)related);
    struct th_resp *r = th_call("POST", path, M_ADMIN, body);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "evaluator_id", "interest_relation"));
    assert_non_null(strstr(jstr(r->json, "detail"), "personnel"));
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-8.2f"));
    /* A provider is no evaluator. */
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)T->p);
    r = th_call("POST", path, M_ADMIN, body);
    assert_true(has_field_error(r->json, "evaluator_id", "evaluator"));
    /* The independent one is assigned; a second open test is refused. */
    int64_t t = assign(pool, T->e, 201);
    assign(pool, T->e, 409);
    /* Only the assigned evaluator records, once; a failure names its findings. */
    assert_status(record(t, "passed", &T->who[W_P_ADMIN]), 403);
    snprintf(path, sizeof(path), "/api/v1/conformity-tests/%lld", (long long)t);
    r = th_call("PATCH", path, E_ADMIN,
                "{\"result\":\"failed\",\"report_ref\":\"R\",\"tested_on\":\"2999-01-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "findings", "required"));
    assert_true(has_field_error(r->json, "tested_on", "not_future"));
    assert_status(record(t, "passed", E_ADMIN), 200);
    assert_status(record(t, "failed", E_ADMIN), 409);
    /* The evaluator's queue holds the tests assigned to it. */
    r = th_call("GET", "/api/v1/conformity-tests?status=passed", E_ADMIN, NULL);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 1);
}

/* T5-8.2f, issue 12: a relation declared after the assignment is checked again when the
 * result is recorded; the voided test no longer blocks an independent one. */
static void test_relation_declared_after_assignment_blocks_the_result(void **state)
{
    (void)state;
    struct who e2;
    int64_t pool = make_pool(10);
    int64_t ev2 = th_institution(T->m, "evaluator", "provincial");
    th_session(&e2, th_person(ev2, true, "technical"));
    int64_t t = assign(pool, ev2, 201);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_id\":%lld,\"kind\":\"personnel\",\"since\":\"2024-06-01\"}",
             (long long)ev2);
    assert_status(th_call("POST", path, P_ADMIN, body), 201);
    struct th_resp *r = record(t, "passed", &e2);
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "interest_relation");
    assert_true(has_field_error(r->json, "evaluator_id", "interest_relation"));
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    assert_string_equal(jstr(th_call("GET", path, P_ADMIN, NULL)->json, "latest_test"), "assigned");
    /* Management assigns an independent evaluator instead. */
    assert_status(record(assign(pool, T->e, 201), "passed", E_ADMIN), 200);
    assert_status(record(t, "passed", &e2), 409);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    assert_string_equal(jstr(th_call("GET", path, P_ADMIN, NULL)->json, "latest_test"), "passed");
}

static void test_signed_catalogue_of_conformant_resources(void **state)
{
    (void)state;
    int64_t ok_pool = make_pool(10), failed_pool = make_pool(10), untested = make_pool(10);
    int64_t retested = make_pool(10);
    assert_status(record(assign(ok_pool, T->e, 201), "passed", E_ADMIN), 200);
    assert_status(record(assign(failed_pool, T->e, 201), "failed", E_ADMIN), 200);
    assert_status(record(assign(retested, T->e, 201), "passed", E_ADMIN), 200);
    assert_status(record(assign(retested, T->e, 201), "failed", E_ADMIN), 200);
    struct th_resp *r = th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL);
    assert_status(r, 201);
    int number = (int)jint(r->json, "edition");
    r = th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL);
    assert_int_equal(jint(r->json, "edition"), number + 1);

    /* Anyone reads an edition and verifies it against the public key. */
    snprintf(path, sizeof(path), "/api/v1/catalogues/resources/editions/%d", number);
    r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    char *signed_body = strdup(r->body);
    json_t *ed = json_incref(r->json);
    bool has_ok = false;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ed, "items"), i, it)
    {
        int64_t pid = jint(it, "pool_id");
        has_ok |= pid == ok_pool;
        assert_true(pid != failed_pool && pid != untested && pid != retested);
        /* Each item names the evaluator whose passed test put it there. */
        assert_int_equal(jint(json_object_get(it, "conformity_test"), "evaluator_id"), T->e);
        assert_non_null(jstr(json_object_get(it, "conformity_test"), "report_ref"));
    }
    assert_true(has_ok);
    assert_int_equal(jint(ed, "edition"), number);
    json_decref(ed);
    snprintf(path, sizeof(path), "/api/v1/catalogues/resources/editions/%d/signature", number);
    char sig64[128];
    snprintf(sig64, sizeof(sig64), "%.100s", th_call("GET", path, NULL, NULL)->body);
    sig64[strcspn(sig64, "\n")] = 0;
    /* The edition names its key; that key's PEM verifies it with the standard tool, under
     * either crypto suite (docs/keys.md). */
    r = th_call("GET", "/api/v1/catalogues/resources/editions", NULL, NULL);
    const char *kid = NULL;
    json_array_foreach(json_object_get(r->json, "items"), i, it) if (jint(it, "edition") == number)
        kid = jstr(it, "key_id");
    assert_non_null(kid);
    assert_true(!strncmp(kid, strcmp(th_suite(), "sm2-sm3") ? "ed25519-" : "sm2-", 4));
    snprintf(path, sizeof(path), "/api/v1/catalogues/public-key?key_id=%s", kid);
    r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    char pem[512];
    snprintf(pem, sizeof(pem), "%.500s", r->body);
    th_openssl_verify(signed_body, sig64, pem);
    free(signed_body);

    /* Editions are immutable: there is no route that changes one. */
    snprintf(path, sizeof(path), "/api/v1/catalogues/resources/editions/%d", number);
    assert_status(th_call("PATCH", path, M_ADMIN, "{}"), 405);
    assert_status(th_call("DELETE", path, M_ADMIN, NULL), 405);
    assert_status(th_call("GET", "/api/v1/catalogues/resources/editions/999", NULL, NULL), 404);
    r = th_call("GET", "/api/v1/catalogues/resources/editions", NULL, NULL);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 2);
}

/* docs/billing.md: every allocation is delivered at a service level; standard by default. */
static void test_allocation_service_level(void **state)
{
    (void)state;
    int64_t pool = make_pool(100);
    struct th_resp *r = configure(pool, 2, NULL);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "service_level"), "standard");
    r = configure(pool, 3, ",\"service_level\":\"premium\"");
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "service_level"), "premium");
    int64_t premium = jint(r->json, "id");
    r = configure(pool, 3, ",\"service_level\":\"gold\"");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "service_level", "enum"));
    assert_int_equal(allocated(pool), 5); /* the refusal took nothing */
    /* Lists answer it, and a change keeps it. */
    snprintf(path, sizeof(path), "/api/v1/allocations?pool_id=%lld", (long long)pool);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    assert_string_equal(jstr(json_array_get(items, 1), "service_level"), "premium");
    r = change(pool, premium, "expand", 1);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "service_level"), "premium");
}

/* Statements one request costs, authentication included. */
static uint64_t cost(const char *method, const char *url, const struct who *w, int status)
{
    uint64_t before = atomic_load(&db_latency(T->app.db)->count);
    assert_status(th_call(method, url, w, NULL), status);
    return atomic_load(&db_latency(T->app.db)->count) - before;
}

/* Issue 11 item 6: the guard's visibility check of a pool is also its load (one statement), and
 * free follows a changed capacity. */
static void test_pool_read_is_one_query(void **state)
{
    (void)state;
    int64_t pool = make_pool(40);
    char other[96];
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    snprintf(other, sizeof(other), "/api/v1/resource-pools/%lld", (long long)pool + 977);
    assert_int_equal(cost("GET", path, P_ADMIN, 200), cost("GET", other, P_ADMIN, 404));
    assert_status(configure(pool, 15, NULL), 201);
    snprintf(path, sizeof(path), "/api/v1/resource-pools/%lld", (long long)pool);
    struct th_resp *r = th_call("PATCH", path, P_ADMIN, "{\"capacity\":30}");
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "free"), 15);
    assert_int_equal(jint(r->json, "allocated"), 15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kinds_units_and_pool_rules),
        cmocka_unit_test(test_configure_adjust_expand_release),
        cmocka_unit_test(test_racing_for_the_last_units_exactly_one_wins),
        cmocka_unit_test(test_reclamation_flag),
        cmocka_unit_test(test_independent_evaluators_only),
        cmocka_unit_test(test_relation_declared_after_assignment_blocks_the_result),
        cmocka_unit_test(test_signed_catalogue_of_conformant_resources),
        cmocka_unit_test(test_allocation_service_level),
        cmocka_unit_test(test_pool_read_is_one_query),
    };
    return cmocka_run_group_tests_name("resources", tests, th_setup, th_teardown);
}
