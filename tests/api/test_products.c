/*
 * test_products.c - service products: categories (T5-7.2d), priced metrics (T5-7.1), the
 * recorded lifecycle (T5-7.2b, T5-3.4), launch only after a passed test by an independent
 * evaluator (T5-7.2e, T5-8.2f), the price basis with validity periods (T5-7.2e),
 * recommendation and elimination (T5-7.2a), documents (T5-8.2d) and the product catalogue
 * (T5-7.2c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "core/timeutil.h"
#include "domain/validate.h"

#define M_ADMIN  (&T->who[W_M_ADMIN])
#define M1_ADMIN (&T->who[W_M1_ADMIN])
#define P_ADMIN  (&T->who[W_P_ADMIN])
#define E_ADMIN  (&T->who[W_E_ADMIN])
#define U1_ADMIN (&T->who[W_U1_ADMIN])

static char body[1024], path[256];

static int64_t create(const char *category)
{
    snprintf(body, sizeof(body),
             "{\"name\":\"政务云运维服务%d\",\"category\":\"%s\",\"description\":\"7x24 运维\","
             "\"region\":\"520000\"}",
             ++T->serial, category);
    struct th_resp *r = th_call("POST", "/api/v1/products", P_ADMIN, body);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "state"), "draft");
    assert_string_equal(jstr(r->json, "lifecycle_stage"), "creation");
    return jint(r->json, "id");
}

static int64_t add_metric(int64_t product, const char *name, long long fen)
{
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics", (long long)product);
    snprintf(
        body, sizeof(body),
        "{\"name\":\"%s\",\"unit\":\"月\",\"method\":\"按自然月计量\",\"list_price_fen\":%lld}",
        name, fen);
    struct th_resp *r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static struct th_resp *act(int64_t product, const char *action, struct who *w, const char *b)
{
    snprintf(path, sizeof(path), "/api/v1/products/%lld/%s", (long long)product, action);
    return th_call("POST", path, w, b ? b : "{}");
}

static int64_t assign(int64_t product, int64_t evaluator, int expect)
{
    snprintf(path, sizeof(path), "/api/v1/products/%lld/tests", (long long)product);
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)evaluator);
    struct th_resp *r = th_call("POST", path, M_ADMIN, body);
    assert_status(r, expect);
    return expect == 201 ? jint(r->json, "id") : 0;
}

static void record(int64_t test, const char *result)
{
    snprintf(path, sizeof(path), "/api/v1/product-tests/%lld", (long long)test);
    snprintf(body, sizeof(body),
             "{\"result\":\"%s\",\"findings\":\"%s\",\"report_ref\":\"黔安测(2026)P%d号\","
             "\"tested_on\":\"2026-02-01\"}",
             result, strcmp(result, "failed") ? "" : "日志留存不足六个月", ++T->serial);
    assert_status(th_call("PATCH", path, E_ADMIN, body), 200);
}

static const char *state_of(int64_t product)
{
    static char s[32];
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)product);
    snprintf(s, sizeof(s), "%s", jstr(th_call("GET", path, P_ADMIN, NULL)->json, "state"));
    return s;
}

/* A product of P that passed its test by E and is online. */
static int64_t online_product(int64_t *metric)
{
    int64_t p = create("operation_maintenance");
    int64_t m = add_metric(p, "服务时长", 1200000);
    if (metric)
        *metric = m;
    assert_status(act(p, "submit", P_ADMIN, NULL), 200);
    record(assign(p, T->e, 201), "passed");
    assert_status(act(p, "launch", P_ADMIN, NULL), 200);
    return p;
}

/* Declares an interest relation of the provider P with inst, as P. */
static void declare_relation(int64_t inst)
{
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_id\":%lld,\"kind\":\"equity\",\"since\":\"2024-01-01\"}", (long long)inst);
    assert_status(th_call("POST", path, P_ADMIN, body), 201);
}

/* T5-8.2f, issue 12: independence is checked again when the result is recorded and at launch,
 * so a relation declared after the assignment voids the test. */
static void test_relation_declared_after_assignment_blocks_result_and_launch(void **state)
{
    (void)state;
    struct who e2, e3;
    int64_t ev2 = th_institution(T->m, "evaluator", "provincial");
    int64_t ev3 = th_institution(T->m, "evaluator", "provincial");
    th_session(&e2, th_person(ev2, true, "technical"));
    th_session(&e3, th_person(ev3, true, "technical"));
    int64_t p1 = create("operation_maintenance"), p2 = create("operation_maintenance");
    add_metric(p1, "服务时长", 1200000);
    add_metric(p2, "服务时长", 1200000);
    assert_status(act(p1, "submit", P_ADMIN, NULL), 200);
    assert_status(act(p2, "submit", P_ADMIN, NULL), 200);
    int64_t t1 = assign(p1, ev2, 201), t2 = assign(p2, ev3, 201);
    /* p2's test passes while its evaluator is independent. */
    snprintf(path, sizeof(path), "/api/v1/product-tests/%lld", (long long)t2);
    assert_status(th_call("PATCH", path, &e3,
                          "{\"result\":\"passed\",\"report_ref\":\"R-I-2\","
                          "\"tested_on\":\"2026-02-01\"}"),
                  200);
    declare_relation(ev2);
    declare_relation(ev3);
    /* The result of a now related evaluator is refused, passed or failed. */
    snprintf(path, sizeof(path), "/api/v1/product-tests/%lld", (long long)t1);
    struct th_resp *r =
        th_call("PATCH", path, &e2,
                "{\"result\":\"passed\",\"report_ref\":\"R-I-1\",\"tested_on\":\"2026-02-01\"}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "interest_relation");
    assert_true(has_field_error(r->json, "evaluator_id", "interest_relation"));
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-8.2f"));
    r = th_call("PATCH", path, &e2,
                "{\"result\":\"failed\",\"findings\":\"x\",\"report_ref\":\"R-I-1\","
                "\"tested_on\":\"2026-02-01\"}");
    assert_status(r, 409);
    assert_string_equal(state_of(p1), "testing");
    /* p2 passed before the relation was declared: it may not launch on that test. */
    assert_string_equal(state_of(p2), "passed");
    r = act(p2, "launch", P_ADMIN, NULL);
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "interest_relation");
    assert_string_equal(state_of(p2), "passed");
    /* The re-check is a guard of the launch row: the answer offers no launch and says why. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)p2);
    r = th_call("GET", path, P_ADMIN, NULL);
    assert_status(r, 200);
    json_t *actions = json_object_get(r->json, "actions"), *blocked = NULL;
    for (size_t i = 0; i < json_array_size(actions); i++)
        assert_string_not_equal(json_string_value(json_array_get(actions, i)), "launch");
    json_t *b = json_object_get(r->json, "blocked_actions");
    for (size_t i = 0; i < json_array_size(b); i++)
        if (!strcmp(jstr(json_array_get(b, i), "action"), "launch"))
            blocked = json_array_get(b, i);
    assert_non_null(blocked);
    assert_string_equal(jstr(blocked, "rule"), "interest_relation");
    /* A new test by an independent evaluator lets it launch. */
    record(assign(p2, T->e, 201), "passed");
    assert_status(act(p2, "launch", P_ADMIN, NULL), 200);
    /* A passed product whose test stands is not retested before launch. */
    int64_t p3 = create("operation_maintenance");
    add_metric(p3, "服务时长", 1200000);
    assert_status(act(p3, "submit", P_ADMIN, NULL), 200);
    record(assign(p3, T->e, 201), "passed");
    assign(p3, T->e, 409);
    assert_string_equal(state_of(p3), "passed");
}

static void test_categories_and_metrics(void **state)
{
    (void)state;
    struct th_resp *r = th_call("POST", "/api/v1/products", P_ADMIN,
                                "{\"name\":\"x1\",\"category\":\"cleaning\",\"description\":"
                                "\"d\",\"region\":\"520000\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "category", "enum"));
    int64_t p = create("planning_consulting");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics", (long long)p);
    r = th_call(
        "POST", path, P_ADMIN,
        "{\"name\":\"人天\",\"unit\":\"人天\",\"method\":\"按实际投入\",\"list_price_fen\":-1}");
    assert_true(has_field_error(r->json, "list_price_fen", "range"));
    r = th_call(
        "POST", path, P_ADMIN,
        "{\"name\":\"人天\",\"unit\":\"人天\",\"method\":\"按实际投入\",\"list_price_fen\":1.5}");
    assert_true(has_field_error(r->json, "list_price_fen", "type")); /* fen are whole */
    add_metric(p, "咨询人天", 150000);
    r = th_call(
        "POST", path, P_ADMIN,
        "{\"name\":\"咨询人天\",\"unit\":\"人天\",\"method\":\"x方法\",\"list_price_fen\":1}");
    assert_status(r, 409);
    /* Other providers do not even see a draft. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)p);
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 404);
}

static void test_lifecycle_needs_a_passed_independent_test(void **state)
{
    (void)state;
    int64_t p = create("operation_maintenance");
    struct th_resp *r = act(p, "submit", P_ADMIN, NULL);
    assert_status(r, 409);
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-7.1"));
    assert_string_equal(jstr(r->json, "rule"), "metric_required");
    add_metric(p, "服务时长", 1200000);
    assert_status(act(p, "launch", P_ADMIN, NULL), 409);
    assert_status(act(p, "submit", P_ADMIN, NULL), 200);
    r = act(p, "launch", P_ADMIN, NULL);
    assert_status(r, 409);
    assert_non_null(strstr(jstr(r->json, "detail"), "T5-7.2e"));
    assert_string_equal(jstr(r->json, "rule"), "not_passed");
    /* An evaluator with an interest relation with the provider is refused. */
    int64_t related = th_institution(T->m, "evaluator", "provincial");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_id\":%lld,\"kind\":\"equity\",\"since\":\"2024-01-01\"}",
             (long long)related);
    assert_status(th_call("POST", path, P_ADMIN, body), 201);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/tests", (long long)p);
    snprintf(body, sizeof(body), "{\"evaluator_id\":%lld}", (long long)related);
    r = th_call("POST", path, M_ADMIN, body);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "evaluator_id", "interest_relation"));
    record(assign(p, T->e, 201), "failed");
    assert_string_equal(state_of(p), "failed");
    assert_status(act(p, "launch", P_ADMIN, NULL), 409);
    assert_status(act(p, "revise", P_ADMIN, NULL), 200);
    assert_status(act(p, "submit", P_ADMIN, NULL), 200);
    record(assign(p, T->e, 201), "passed");
    assert_string_equal(state_of(p), "passed");
    r = act(p, "launch", P_ADMIN, NULL);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "lifecycle_stage"), "release_operation");
    /* Online: every kind of institution sees it in the catalogue. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)p);
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 200);
    /* What was tested is what stays online. */
    r = th_call("PATCH", path, P_ADMIN, "{\"name\":\"改名\"}");
    assert_status(r, 409);
    assert_status(th_call("PATCH", path, P_ADMIN, "{\"description\":\"新增7x24热线\"}"), 200);
    assert_status(act(p, "withdraw", P_ADMIN, NULL), 200);
    assert_status(act(p, "launch", P_ADMIN, NULL), 200);
    /* Every transition is recorded with who and when. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld/transitions", (long long)p);
    r = th_call("GET", path, M_ADMIN, NULL);
    json_t *items = json_object_get(r->json, "items");
    const char *expect[] = {"draft",   "submitted", "testing", "failed",  "draft", "submitted",
                            "testing", "passed",    "online",  "offline", "online"};
    assert_int_equal(json_array_size(items), sizeof(expect) / sizeof(expect[0]));
    for (size_t i = 0; i < json_array_size(items); i++) {
        assert_string_equal(jstr(json_array_get(items, i), "to_state"), expect[i]);
        assert_non_null(json_object_get(json_array_get(items, i), "at"));
    }
}

static void test_price_basis_in_force(void **state)
{
    (void)state;
    int64_t metric;
    int64_t p = online_product(&metric);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics/%lld/price-basis", (long long)p,
             (long long)metric);
    const char *h1 = "{\"price_fen\":1100000,\"measurement\":\"可用性 99.95%\",\"valid_from\":"
                     "\"2098-01-01\",\"valid_to\":\"2098-06-30\"}";
    /* Only an evaluator that tested the product publishes its price basis. */
    int64_t other = th_institution(T->m, "evaluator", "provincial");
    struct who w;
    memset(&w, 0, sizeof(w));
    th_session(&w, th_person(other, true, "technical"));
    assert_status(th_call("POST", path, &w, h1), 403);
    assert_status(th_call("POST", path, E_ADMIN, h1), 201);
    struct th_resp *r = th_call("POST", path, E_ADMIN,
                                "{\"price_fen\":900000,\"measurement\":\"复测\",\"valid_from\":"
                                "\"2098-06-01\",\"valid_to\":\"2098-12-31\"}");
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "valid_from", "overlap"));
    assert_status(th_call("POST", path, E_ADMIN,
                          "{\"price_fen\":1000000,\"measurement\":\"复测\",\"valid_from\":"
                          "\"2098-07-01\",\"valid_to\":\"2098-12-31\"}"),
                  201);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices?on=2098-06-30", (long long)p);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_int_equal(jint(json_array_get(json_object_get(r->json, "items"), 0), "price_fen"),
                     1100000);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices?on=2098-07-01", (long long)p);
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_int_equal(jint(json_array_get(json_object_get(r->json, "items"), 0), "price_fen"),
                     1000000);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices?on=2099-01-01", (long long)p);
    assert_int_equal(
        json_array_size(json_object_get(th_call("GET", path, U1_ADMIN, NULL)->json, "items")), 0);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/prices?on=someday", (long long)p);
    assert_status(th_call("GET", path, U1_ADMIN, NULL), 422);
}

static void test_recommend_eliminate_and_candidates(void **state)
{
    (void)state;
    int64_t draft = create("training_promotion");
    assert_status(act(draft, "recommendation", M_ADMIN, "{\"recommended\":true}"), 409);
    int64_t p = online_product(NULL);
    struct th_resp *r =
        act(p, "recommendation", M_ADMIN, "{\"recommended\":true,\"note\":\"稳定\"}");
    assert_status(r, 200);
    assert_true(json_is_true(json_object_get(r->json, "recommended")));
    r = th_call("GET", "/api/v1/products?recommended=true", U1_ADMIN, NULL);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 1);
    /* A retest that fails makes it a candidate for elimination. */
    record(assign(p, T->e, 201), "failed");
    assert_string_equal(state_of(p), "online");
    r = th_call("GET", "/api/v1/product-elimination-candidates", M_ADMIN, NULL);
    size_t i;
    json_t *it;
    int found = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it) found |= jint(it, "id") == p;
    assert_true(found);
    json_array_foreach(json_object_get(r->json, "items"), i, it) if (jint(it, "id") == p)
        assert_string_equal(jstr(it, "candidate_reason"), "failed_retest");
    /* Management outside the provider's jurisdiction has no say. */
    assert_status(act(p, "eliminate", M1_ADMIN, "{\"reason\":\"复测不合格\"}"), 403);
    r = act(p, "eliminate", M_ADMIN, "{}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    r = act(p, "eliminate", M_ADMIN, "{\"reason\":\"复测不合格，予以淘汰\"}");
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "eliminated");
    assert_false(json_is_true(json_object_get(r->json, "recommended")));
    assert_status(act(p, "launch", P_ADMIN, NULL), 409);
    assert_status(act(p, "eliminate", M_ADMIN, "{\"reason\":\"再次淘汰\"}"), 409);
}

static void test_unused_products_become_candidates(void **state)
{
    (void)state;
    int64_t p = online_product(NULL);
    int64_t covered = online_product(NULL);
    /* An agreement in force covers the second product: that is use the platform can see. */
    snprintf(body, sizeof(body),
             "{\"provider_id\":%lld,\"title\":\"覆盖协议%d\","
             "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2030-12-31\",\"availability_bp\":9990,"
             "\"response_minutes\":[15,30,60,120],\"resolution_minutes\":[60,120,240,480],"
             "\"product_ids\":[%lld],\"responsibilities\":\"约定\",\"service_content\":\"约定\","
             "\"quality_standards\":\"约定\",\"security\":\"约定\",\"breach_liability\":\"约定\","
             "\"dispute_handling\":\"约定\",\"ip_ownership\":\"约定\",\"performance\":\"约定\","
             "\"fee_payment\":\"约定\"}",
             (long long)T->p, ++T->serial, (long long)covered);
    struct th_resp *r = th_call("POST", "/api/v1/agreements", M_ADMIN, body);
    assert_status(r, 201);
    int64_t agreement = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/signatures", (long long)agreement);
    assert_status(th_call("POST", path, M_ADMIN, NULL), 200);
    assert_status(th_call("POST", path, P_ADMIN, NULL), 200);
    /* Seven months later (elimination_idle_months is 6 by default). */
    time_set_offset_ms(7LL * 30 * 86400000);
    struct who later;
    memset(&later, 0, sizeof(later));
    th_session(&later, M_ADMIN->person_id); /* a session of that day */
    r = th_call("GET", "/api/v1/product-elimination-candidates", &later, NULL);
    time_set_offset_ms(0);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    int unused = 0, wrongly = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (jint(it, "id") == p)
            unused = !strcmp(jstr(it, "candidate_reason"), "unused");
        wrongly |= jint(it, "id") == covered;
    }
    assert_true(unused);
    assert_false(wrongly);
    /* Not yet after one month. */
    r = th_call("GET", "/api/v1/product-elimination-candidates", M_ADMIN, NULL);
    json_array_foreach(json_object_get(r->json, "items"), i, it) assert_true(jint(it, "id") != p);
}

static void test_documents(void **state)
{
    (void)state;
    int64_t p = create("training_promotion");
    snprintf(path, sizeof(path), "/api/v1/products/%lld/documents", (long long)p);
    assert_status(
        th_call("POST", path, P_ADMIN,
                "{\"kind\":\"manual\",\"title\":\"用户手册 v1\",\"content\":\"第一章 开通\"}"),
        201);
    assert_status(th_call("POST", path, P_ADMIN,
                          "{\"kind\":\"training\",\"title\":\"上云培训\",\"content\":\"线上课程\","
                          "\"session_date\":\"2026-03-01\"}"),
                  201);
    struct th_resp *r =
        th_call("POST", path, P_ADMIN, "{\"kind\":\"video\",\"title\":\"x\",\"content\":\"y\"}");
    assert_status(r, 422);
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 2);
}

/* Issue 12: a price basis from before the current month would re-price billed months; it is
 * published only after management has recorded why, once per record, and audited. */
static void test_backdated_price_basis_needs_a_recorded_reason(void **state)
{
    (void)state;
    int64_t metric;
    int64_t p = online_product(&metric);
    char publish_path[256], grant_path[256], month[16], last_month[32], body2[512];
    const char *now = today(th_ctx());
    int y = atoi(now), m = atoi(now + 5);
    snprintf(month, sizeof(month), "%.7s-01", now);
    snprintf(last_month, sizeof(last_month), "%04d-%02d-01", m == 1 ? y - 1 : y,
             m == 1 ? 12 : m - 1);
    snprintf(publish_path, sizeof(publish_path), "/api/v1/products/%lld/metrics/%lld/price-basis",
             (long long)p, (long long)metric);
    snprintf(grant_path, sizeof(grant_path), "/api/v1/products/%lld/metrics/%lld/price-backdating",
             (long long)p, (long long)metric);
    snprintf(body2, sizeof(body2),
             "{\"price_fen\":900000,\"measurement\":\"复测\",\"valid_from\":\"%s\","
             "\"valid_to\":\"%.4s-12-31\"}",
             last_month, month);
    struct th_resp *r = th_call("POST", publish_path, E_ADMIN, body2);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "valid_from", "price_backdated"));
    assert_string_equal(jstr(r->json, "rule"), "price_backdated");
    /* Management records why: a reason of white space is none; a date of this month needs none;
     * neither the provider nor the evaluator may record it. */
    char g[256];
    snprintf(g, sizeof(g), "{\"valid_from\":\"%s\",\"reason\":\"\\u3000\\u3000\\u3000\\u3000\"}",
             last_month);
    r = th_call("POST", grant_path, M_ADMIN, g);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "reason", "required"));
    snprintf(g, sizeof(g), "{\"valid_from\":\"%s\",\"reason\":\"本月开始执行\"}", month);
    r = th_call("POST", grant_path, M_ADMIN, g);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "valid_from", "not_backdated"));
    snprintf(g, sizeof(g),
             "{\"valid_from\":\"%s\",\"reason\":\"服务迁移上平台，上月起已按此价执行\"}",
             last_month);
    assert_status(th_call("POST", grant_path, P_ADMIN, g), 403);
    assert_status(th_call("POST", grant_path, E_ADMIN, g), 403);
    r = th_call("POST", grant_path, M_ADMIN, g);
    assert_status(r, 201);
    int64_t grant = jint(r->json, "id");
    /* Now the evaluator publishes it, once; the audit record carries the reason. */
    r = th_call("POST", publish_path, E_ADMIN, body2);
    assert_status(r, 201);
    int64_t basis = jint(r->json, "id");
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT basis_id FROM price_backdatings WHERE id = %lld",
             (long long)grant);
    assert_int_equal(th_sql_int(sql), basis);
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'price_basis.backdating' AND "
             "object_id = %lld",
             (long long)grant);
    assert_int_equal(th_sql_int(sql), 1);
    snprintf(body2, sizeof(body2),
             "{\"price_fen\":800000,\"measurement\":\"复测\",\"valid_from\":\"%s\","
             "\"valid_to\":\"%s\"}",
             last_month, last_month);
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics/%lld/price-basis", (long long)p,
             (long long)metric);
    r = th_call("POST", path, E_ADMIN, body2);
    assert_status(r, 409); /* overlaps the one just published */
    /* From this month on, no reason is needed. */
    snprintf(body2, sizeof(body2),
             "{\"price_fen\":800000,\"measurement\":\"复测\",\"valid_from\":\"%d-01-01\","
             "\"valid_to\":\"%d-12-31\"}",
             y + 1, y + 1);
    assert_status(th_call("POST", path, E_ADMIN, body2), 201);
}

static void test_signed_product_catalogue(void **state)
{
    (void)state;
    int64_t metric;
    int64_t p = online_product(&metric);
    char today_path[256];
    snprintf(today_path, sizeof(today_path), "/api/v1/products/%lld/metrics/%lld/price-basis",
             (long long)p, (long long)metric);
    /* A basis from 2020: management records why first (issue 12). */
    snprintf(path, sizeof(path), "/api/v1/products/%lld/metrics/%lld/price-backdating",
             (long long)p, (long long)metric);
    assert_status(th_call("POST", path, M_ADMIN,
                          "{\"valid_from\":\"2020-01-01\",\"reason\":\"2020年起已按此价执行\"}"),
                  201);
    assert_status(th_call("POST", today_path, E_ADMIN,
                          "{\"price_fen\":1150000,\"measurement\":\"可用性 99.9%\",\"valid_from\":"
                          "\"2020-01-01\",\"valid_to\":\"2099-12-31\"}"),
                  201);
    int64_t hidden = create("service_design");
    struct th_resp *r = th_call("POST", "/api/v1/catalogues/products/editions", M_ADMIN, NULL);
    assert_status(r, 201);
    int n = (int)jint(r->json, "edition");
    snprintf(path, sizeof(path), "/api/v1/catalogues/products/editions/%d", n);
    r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    char *signed_body = strdup(r->body);
    json_t *ed = json_incref(r->json);
    int found = 0;
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(ed, "items"), i, it)
    {
        assert_true(jint(it, "product_id") != hidden);
        if (jint(it, "product_id") == p) {
            found = 1;
            json_t *m = json_array_get(json_object_get(it, "metrics"), 0);
            assert_int_equal(jint(m, "list_price_fen"), 1200000);
            assert_int_equal(jint(json_object_get(m, "price_basis"), "price_fen"), 1150000);
        }
    }
    assert_true(found);
    json_decref(ed);
    snprintf(path, sizeof(path), "/api/v1/catalogues/products/editions/%d/signature", n);
    char sig64[128];
    snprintf(sig64, sizeof(sig64), "%.100s", th_call("GET", path, NULL, NULL)->body);
    sig64[strcspn(sig64, "\n")] = 0;
    char pem[512];
    snprintf(pem, sizeof(pem), "%.500s",
             th_call("GET", "/api/v1/catalogues/public-key", NULL, NULL)->body);
    th_openssl_verify(signed_body, sig64, pem);
    free(signed_body);
}

static int count_q(const char *q)
{
    snprintf(path, sizeof(path), "/api/v1/products?q=%s&limit=500&total=true", q);
    struct th_resp *r = th_call("GET", path, U1_ADMIN, NULL);
    assert_status(r, 200);
    return (int)jint(r->json, "total");
}

static void test_search_matches_chinese_substrings(void **state)
{
    (void)state;
    /* The user agency searches online products; the index (FTS5 trigram on SQLite, pg_trgm on
     * PostgreSQL) must give the same answers as a plain scan. */
    int64_t p = online_product(NULL);
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)p);
    assert_status(
        th_call("PATCH", path, P_ADMIN,
                "{\"description\":\"提供政务外网数据库异地容灾备份，RPO 15 分钟，100% 覆盖\"}"),
        200);
    assert_true(count_q("异地容灾") >= 1); /* four characters: the index */
    assert_true(count_q("容灾备份") >= 1);
    assert_true(count_q("容灾") >= 1);        /* two characters: the scan */
    assert_true(count_q("rpo") >= 1);         /* case-insensitive ASCII */
    assert_true(count_q("100%") >= 1);        /* a literal percent sign */
    assert_int_equal(count_q("同城容灾"), 0); /* not a substring */
    assert_int_equal(count_q("xyz%abc"), 0);
    /* The index follows changes. */
    snprintf(path, sizeof(path), "/api/v1/products/%lld", (long long)p);
    assert_status(th_call("PATCH", path, P_ADMIN, "{\"description\":\"普通运维\"}"), 200);
    assert_int_equal(count_q("异地容灾"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_categories_and_metrics),
        cmocka_unit_test(test_lifecycle_needs_a_passed_independent_test),
        cmocka_unit_test(test_relation_declared_after_assignment_blocks_result_and_launch),
        cmocka_unit_test(test_price_basis_in_force),
        cmocka_unit_test(test_recommend_eliminate_and_candidates),
        cmocka_unit_test(test_unused_products_become_candidates),
        cmocka_unit_test(test_documents),
        cmocka_unit_test(test_backdated_price_basis_needs_a_recorded_reason),
        cmocka_unit_test(test_signed_product_catalogue),
        cmocka_unit_test(test_search_matches_chinese_substrings),
    };
    return cmocka_run_group_tests_name("products", tests, th_setup, th_teardown);
}
