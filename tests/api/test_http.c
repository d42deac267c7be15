/*
 * test_http.c - the dispatcher's answers to bad requests (always a problem+json naming the
 * field and the rule, never a 500), the OpenAPI document generated from the route table, and
 * the operational endpoints.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "core/arena.h"
#include "db/db.h"
#include "http/http.h"

#define M_ADMIN (&T->who[W_M_ADMIN])

static char body[4096];

static struct th_resp *raw(const char *method, const char *path, const char *ct, const char *b,
                           size_t len, bool too_large)
{
    /* Bypasses th_call to control content type, length and the too-large flag. */
    static struct th_resp out;
    struct arena *a = arena_new();
    struct req rq;
    struct resp rs;
    char auth[200];
    memset(&rq, 0, sizeof(rq));
    snprintf(auth, sizeof(auth), "Bearer %s", M_ADMIN->token);
    rq.method = method;
    rq.path = path;
    rq.headers[rq.n_headers++] = (struct kv){"Authorization", auth};
    if (ct)
        rq.headers[rq.n_headers++] = (struct kv){"Content-Type", ct};
    rq.body = b;
    rq.body_len = len;
    rq.body_too_large = too_large;
    router_dispatch(&T->app, a, &rq, &rs);
    out.status = rs.status;
    snprintf(out.content_type, sizeof(out.content_type), "%s", rs.content_type);
    snprintf(out.body, sizeof(out.body), "%.*s", (int)rs.len, rs.body);
    arena_free(a);
    return &out;
}

static void test_malformed_bodies(void **state)
{
    (void)state;
    const char *p = "/api/v1/institutions";
    struct th_resp *r = raw("POST", p, "application/json", "{\"name\":", 8, false);
    assert_status(r, 400);
    assert_string_equal(r->content_type, "application/problem+json");
    assert_non_null(strstr(r->body, "malformed JSON"));
    assert_status(raw("POST", p, "application/json", "[1,2]", 5, false), 400);
    assert_status(raw("POST", p, "text/plain", "{}", 2, false), 415);
    assert_status(raw("POST", p, NULL, "{}", 2, false), 415);
    assert_status(raw("POST", p, "application/json", "", 0, false), 400);
    assert_status(raw("POST", p, "application/json", "{}", 2, true), 413);
    /* Invalid UTF-8 inside a string. */
    assert_status(raw("POST", p, "application/json", "{\"name\":\"\xff\xfe\"}", 13, false), 400);
    /* NUL inside a string would cut it short in C: refused, naming the field (issue 12). */
    r = raw("POST", p, "application/json", "{\"name\":\"a\\u0000b\"}", 19, false);
    assert_status(r, 422);
    assert_non_null(strstr(r->body, "\"field\":\"name\",\"rule\":\"nul\""));
    /* Duplicate keys are ambiguous: refused. */
    assert_status(raw("POST", p, "application/json", "{\"name\":\"a\",\"name\":\"b\"}", 23, false),
                  400);
    assert_status(raw("POST", p, "application/json; charset=utf-8", "{}", 2, false), 422);
}

/* docs/security.md: what server.c refuses at the edge reaches the client as the one problem,
 * naming the part of the request and the rule (a header name that is not a token, a target that
 * is not a path) or, for a head over REQ_MAX_HEAD, as 431. */
static void test_edge_refusals_are_named_problems(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct req rq;
    struct resp rs;
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = "/api/v1/session";
    rq.bad_framing = "a header name must be a token";
    rq.bad_field = "header";
    rq.bad_rule = "token";
    router_dispatch(&T->app, a, &rq, &rs);
    assert_int_equal(rs.status, 400);
    assert_string_equal(rs.content_type, "application/problem+json");
    snprintf(body, sizeof(body), "%.*s", (int)rs.len, rs.body);
    assert_non_null(strstr(body, "\"field\":\"header\""));
    assert_non_null(strstr(body, "\"rule\":\"token\""));
    memset(&rq, 0, sizeof(rq));
    rq.method = "GET";
    rq.path = "/healthz";
    rq.headers_too_large = true;
    router_dispatch(&T->app, a, &rq, &rs);
    assert_int_equal(rs.status, 431);
    assert_string_equal(rs.content_type, "application/problem+json");
    snprintf(body, sizeof(body), "%.*s", (int)rs.len, rs.body);
    assert_non_null(strstr(body, "headers-too-large"));
    arena_free(a);
}

static void test_field_rules_are_named(void **state)
{
    (void)state;
    struct th_resp *r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                                "{\"name\":\"ab\",\"parent_id\":\"12\",\"level\":7,"
                                "\"kind\":null,\"colour\":\"red\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "parent_id", "type"));
    assert_true(has_field_error(r->json, "level", "type"));
    assert_true(has_field_error(r->json, "kind", "not_null"));
    assert_true(has_field_error(r->json, "colour", "unknown_field"));
    snprintf(body, sizeof(body),
             "{\"uscc\":\"%s\",\"name\":\"a\\tb\",\"kind\":\"user\",\"level\":\"county\","
             "\"region\":\"520100\",\"parent_id\":%lld}",
             th_uscc(), (long long)T->m1);
    r = th_call("POST", "/api/v1/institutions", M_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "name", "control_characters"));
    memset(body, 0, sizeof(body));
    snprintf(body, sizeof(body), "{\"name\":\"");
    for (int i = 0; i < 101; i++)
        strcat(body, "政"); /* 101 characters, 303 bytes */
    strcat(body, "\"}");
    r = th_call("POST", "/api/v1/institutions", M_ADMIN, body);
    assert_true(has_field_error(r->json, "name", "max_length"));
    r = th_call("POST", "/api/v1/institutions", M_ADMIN, "{\"parent_id\":0}");
    assert_true(has_field_error(r->json, "parent_id", "id"));
    r = th_call("POST", "/api/v1/institutions", M_ADMIN, "{\"parent_id\":9007199254740993}");
    assert_true(has_field_error(r->json, "parent_id", "id"));
    r = th_call("POST", "/api/v1/people", M_ADMIN, "{\"post_ids\":[1,\"x\"]}");
    assert_true(has_field_error(r->json, "post_ids", "type"));
}

/* Issue 12: every list validates its query parameters the same way; `?period=abc` answered 200
 * where `?state=foo` answered 422. Each bad value is a 422 naming the parameter and the rule. */
static void test_query_parameters_are_validated_alike(void **state)
{
    (void)state;
    static const struct {
        const char *path, *field, *rule;
    } bad[] = {
        {"/api/v1/bills?period=abc", "period", "period"},
        {"/api/v1/bills?period=2026-13", "period", "period"},
        {"/api/v1/bills?period=2026-1", "period", "period"},
        {"/api/v1/bills?state=foo", "state", "enum"},
        {"/api/v1/settlements?period=x", "period", "period"},
        {"/api/v1/settlements?state=paid", "state", "enum"},
        {"/api/v1/quality-coefficients?period=2026", "period", "period"},
        {"/api/v1/billing/spend?from=abc", "from", "period"},
        {"/api/v1/institutions?kind=bank", "kind", "enum"},
        {"/api/v1/institutions?level=global", "level", "enum"},
        {"/api/v1/institutions?status=any", "status", "enum"},
        {"/api/v1/institutions?region=5", "region", "region_code"},
        {"/api/v1/qualifications?expiring_before=soon", "expiring_before", "date"},
        {"/api/v1/people?team=red", "team", "enum"},
        {"/api/v1/certificates?expiring_before=2026-02-30", "expiring_before", "date"},
        {"/api/v1/resource-pools?kind=quantum", "kind", "enum"},
        {"/api/v1/resource-pools?status=gone", "status", "enum"},
        {"/api/v1/resource-pools?region=abcdef", "region", "region_code"},
        {"/api/v1/allocations?status=lost", "status", "enum"},
        {"/api/v1/conformity-tests?status=maybe", "status", "enum"},
        {"/api/v1/products?state=foo", "state", "enum"},
        {"/api/v1/products?category=food", "category", "enum"},
        {"/api/v1/product-tests?status=maybe", "status", "enum"},
        {"/api/v1/agreements?state=foo", "state", "enum"},
        {"/api/v1/agreements?expiring_before=tomorrow", "expiring_before", "date"},
        {"/api/v1/orders?state=foo", "state", "enum"},
        {"/api/v1/procurement-projects?state=foo", "state", "enum"},
        {"/api/v1/market-concentration?from=2026-1-1", "from", "date"},
        {"/api/v1/market-concentration?category=food", "category", "enum"},
        {"/api/v1/audit?from=yesterday", "from", "time"},
        {"/api/v1/catalogues/products/editions/1?page=2", "page", "unknown_parameter"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct th_resp *r = th_call("GET", bad[i].path, M_ADMIN, NULL);
        if (r->status != 422 || !has_field_error(r->json, bad[i].field, bad[i].rule))
            fail_msg("%s: %d %s", bad[i].path, r->status, r->body);
    }
    static const char *const good[] = {
        "/api/v1/bills?period=2026-01&state=issued",
        "/api/v1/settlements?period=2026-12",
        "/api/v1/institutions?kind=provider&region=52",
        "/api/v1/resource-pools?kind=compute&status=active&region=520100",
        "/api/v1/products?state=online&category=operation_maintenance",
        "/api/v1/agreements?expiring_before=2026-12-31",
        "/api/v1/orders?state=applied",
        "/api/v1/market-concentration?from=2026-01-01&to=2026-12-31",
    };
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct th_resp *r = th_call("GET", good[i], M_ADMIN, NULL);
        if (r->status != 200)
            fail_msg("%s: %d %s", good[i], r->status, r->body);
    }
}

static void test_paths_and_methods(void **state)
{
    (void)state;
    struct th_resp *r = th_call("GET", "/api/v1/people/abc", M_ADMIN, NULL);
    assert_status(r, 400);
    assert_true(has_field_error(r->json, "id", "id"));
    assert_status(th_call("GET", "/api/v1/people/0", M_ADMIN, NULL), 400);
    assert_status(th_call("GET", "/api/v1/people/99999999999999999999", M_ADMIN, NULL), 400);
    assert_status(th_call("GET", "/api/v1/people/9007199254740990", M_ADMIN, NULL), 404);
    assert_status(th_call("GET", "/api/v1/nothing", M_ADMIN, NULL), 404);
    assert_status(th_call("GET", "/api/v1/institutions/", M_ADMIN, NULL), 404);
    r = th_call("PUT", "/api/v1/institutions", M_ADMIN, "{}");
    assert_status(r, 405);
    assert_non_null(strstr(r->allow, "GET"));
    assert_non_null(strstr(r->allow, "POST"));
}

static void test_openapi_covers_every_route(void **state)
{
    (void)state;
    struct th_resp *r = th_call("GET", "/api/v1/openapi.json", NULL, NULL);
    assert_status(r, 200);
    json_t *doc = json_incref(r->json);
    assert_string_equal(jstr(doc, "openapi"), "3.1.0");
    json_t *paths = json_object_get(doc, "paths");
    json_t *schemas = json_object_get(json_object_get(doc, "components"), "schemas");
    for (int i = 0; i < n_routes; i++) {
        char m[8];
        size_t k;
        for (k = 0; routes[i].method[k]; k++)
            m[k] = (char)(routes[i].method[k] - 'A' + 'a');
        m[k] = 0;
        json_t *op = json_object_get(json_object_get(paths, routes[i].pattern), m);
        if (!op)
            fail_msg("%s %s is missing from the OpenAPI document", routes[i].method,
                     routes[i].pattern);
        assert_non_null(json_object_get(op, "operationId"));
        if (routes[i].body_schema)
            assert_non_null(json_object_get(schemas, routes[i].body_schema));
        if (routes[i].resp_schema)
            assert_non_null(json_object_get(schemas, routes[i].resp_schema));
    }
    /* The request schema is the validator's: unknown fields are refused there too. */
    json_t *create = json_object_get(schemas, "InstitutionCreate");
    assert_true(json_is_false(json_object_get(create, "additionalProperties")));
    assert_true(json_array_size(json_object_get(create, "required")) >= 5);
    json_decref(doc);
}

static void test_operational_endpoints(void **state)
{
    (void)state;
    assert_status(th_call("GET", "/healthz", NULL, NULL), 200);
    struct th_resp *r = th_call("GET", "/readyz", NULL, NULL);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "schema_version"), db_migrations_known());
    th_call("GET", "/api/v1/institutions", M_ADMIN, NULL);
    r = th_call("GET", "/metrics", NULL, NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r->body, "egov_http_requests_total{method=\"GET\",route=\"/api/v1/"
                                    "institutions\",status=\"200\"}"));
    assert_non_null(strstr(r->body, "egov_http_request_duration_seconds_bucket"));
    assert_non_null(strstr(r->body, "egov_store_statement_duration_seconds_count"));
}

static void test_internal_errors_hide_details(void **state)
{
    (void)state;
    db_fail_nth(T->app.db, 1);
    struct th_resp *r = th_call("GET", "/api/v1/institutions", M_ADMIN, NULL);
    db_fail_nth(T->app.db, 0);
    assert_status(r, 500);
    assert_non_null(strstr(r->body, "request id"));
    assert_null(strstr(r->body, "injected"));
    assert_null(strstr(r->body, "SELECT"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_malformed_bodies),
        cmocka_unit_test(test_edge_refusals_are_named_problems),
        cmocka_unit_test(test_field_rules_are_named),
        cmocka_unit_test(test_query_parameters_are_validated_alike),
        cmocka_unit_test(test_paths_and_methods),
        cmocka_unit_test(test_openapi_covers_every_route),
        cmocka_unit_test(test_operational_endpoints),
        cmocka_unit_test(test_internal_errors_hide_details),
    };
    return cmocka_run_group_tests_name("http", tests, th_setup, th_teardown);
}
