/*
 * test_agreements.c - service agreements (T5-8.2a): the nine clauses, signing refused until all
 * are present (each missing one named), signing by both parties through people with the right
 * post, immutability, amendments as new versions, breaches, and the expiry warning.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "db/db.h"
#include "core/timeutil.h"
#include "jobs/jobs.h"

#define M_ADMIN  (&T->who[W_M_ADMIN])
#define P_ADMIN  (&T->who[W_P_ADMIN])
#define P_MEMBER (&T->who[W_P_MEMBER])

static char body[4096], path[256];
static int64_t pool;

static const char *const clauses[] = {"responsibilities", "service_content",  "quality_standards",
                                      "security",         "breach_liability", "dispute_handling",
                                      "ip_ownership",     "performance",      "fee_payment"};

static int64_t draft(void)
{
    snprintf(body, sizeof(body), "{\"provider_id\":%lld,\"title\":\"2026年度政务云服务协议%d\"}",
             (long long)T->p, ++T->serial);
    struct th_resp *r = th_call("POST", "/api/v1/agreements", M_ADMIN, body);
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "state"), "draft");
    assert_true(*jstr(r->json, "management_name") && *jstr(r->json, "provider_name"));
    return jint(r->json, "id");
}

static void complete(int64_t id, const char *valid_to)
{
    if (!pool) {
        struct th_resp *r = th_call("POST", "/api/v1/resource-pools", P_ADMIN,
                                    "{\"name\":\"协议资源池\",\"kind\":\"compute\",\"unit\":"
                                    "\"vcpu\",\"specification\":\"x86\",\"capacity\":100,"
                                    "\"region\":\"520000\",\"security_level\":3}");
        assert_status(r, 201);
        pool = jint(r->json, "id");
    }
    size_t o = (size_t)snprintf(body, sizeof(body),
                                "{\"valid_from\":\"2026-01-01\",\"valid_to\":\"%s\","
                                "\"availability_bp\":9995,\"response_minutes\":[15,30,60,240],"
                                "\"resolution_minutes\":[240,480,1440,4320],\"pool_ids\":[%lld]",
                                valid_to, (long long)pool);
    for (size_t i = 0; i < 9; i++)
        o += (size_t)snprintf(body + o, sizeof(body) - o, ",\"%s\":\"第%zu条 按附件约定\"",
                              clauses[i], i + 1);
    snprintf(body + o, sizeof(body) - o, "}");
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    assert_status(th_call("PATCH", path, M_ADMIN, body), 200);
}

static struct th_resp *sign(int64_t id, struct who *w)
{
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/signatures", (long long)id);
    return th_call("POST", path, w, NULL);
}

static void test_signing_needs_all_nine_clauses(void **state)
{
    (void)state;
    int64_t id = draft();
    struct th_resp *r = sign(id, M_ADMIN);
    assert_status(r, 409);
    for (size_t i = 0; i < 9; i++)
        if (!has_field_error(r->json, clauses[i], "required_for_signing"))
            fail_msg("clause %s not named as missing", clauses[i]);
    assert_true(has_field_error(r->json, "service_content", "items_required"));
    assert_true(has_field_error(r->json, "availability_bp", "required_for_signing"));
    assert_true(has_field_error(r->json, "valid_to", "required_for_signing"));
    /* Drafts may be incomplete but not wrong. */
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    r = th_call("PATCH", path, M_ADMIN,
                "{\"availability_bp\":10001,\"response_minutes\":[30,10],"
                "\"resolution_minutes\":[20,5]}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "availability_bp", "range"));
    assert_true(has_field_error(r->json, "resolution_minutes", "after_response"));
    /* One clause left out is still refused, and named. */
    complete(id, "2027-12-31");
    assert_status(th_call("PATCH", path, M_ADMIN, "{\"ip_ownership\":\"\"}"), 200);
    r = sign(id, M_ADMIN);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "ip_ownership", "required_for_signing"));
    assert_int_equal(json_array_size(json_object_get(r->json, "errors")), 1);
}

/* Issue 12: a clause of white space (any Unicode white space) is a missing clause. */
static void test_blank_clause_is_missing(void **state)
{
    (void)state;
    int64_t id = draft();
    complete(id, "2027-12-31");
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    assert_status(th_call("PATCH", path, M_ADMIN,
                          "{\"ip_ownership\":\"\\u3000\\u3000\\u3000\\u3000\","
                          "\"security\":\"  \\u00a0\\u2003\\u202f\\u205f\\ufeff  \","
                          "\"performance\":\"          \"}"),
                  200);
    struct th_resp *r = sign(id, M_ADMIN);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "ip_ownership", "required_for_signing"));
    assert_true(has_field_error(r->json, "security", "required_for_signing"));
    assert_true(has_field_error(r->json, "performance", "required_for_signing"));
    assert_int_equal(json_array_size(json_object_get(r->json, "errors")), 3);
    /* Minutes are counts, not ids: the message says so and names the element. */
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    r = th_call("PATCH", path, M_ADMIN, "{\"response_minutes\":[15,0,60,240]}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "response_minutes", "positive"));
    json_t *e = json_array_get(json_object_get(r->json, "errors"), 0);
    assert_null(strstr(jstr(e, "message"), "valid id"));
    assert_non_null(strstr(jstr(e, "message"), "response_minutes[1] must be a positive integer"));
    /* Surrounded by white space, a real clause is present. */
    assert_status(th_call("PATCH", path, M_ADMIN,
                          "{\"ip_ownership\":\"\\u3000知识产权归使用机构\\u3000\","
                          "\"security\":\" 按等保三级 \",\"performance\":\"按月考核\"}"),
                  200);
    assert_status(sign(id, M_ADMIN), 200);
}

static void test_two_party_signing_and_immutability(void **state)
{
    (void)state;
    int64_t id = draft();
    complete(id, "2027-12-31");
    /* A provider member without the right post cannot sign. */
    assert_status(sign(id, P_MEMBER), 403);
    struct th_resp *r = sign(id, M_ADMIN);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "signing");
    assert_status(sign(id, M_ADMIN), 409);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    r = th_call("PATCH", path, M_ADMIN, "{\"fee_payment\":\"改为按季度支付\"}");
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "immutable");
    /* The provider signs through a person whose post carries agreement.sign. */
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts", (long long)T->p);
    r = th_call("POST", path, P_ADMIN,
                "{\"name\":\"商务签约岗\",\"duties\":\"代表公司签署服务协议\","
                "\"grants\":[\"agreement.sign\"]}");
    assert_status(r, 201);
    int64_t post = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)P_MEMBER->person_id);
    snprintf(body, sizeof(body), "{\"post_ids\":[%lld]}", (long long)post);
    assert_status(th_call("PATCH", path, P_ADMIN, body), 200);
    r = sign(id, P_MEMBER);
    assert_status(r, 200);
    assert_string_equal(jstr(r->json, "state"), "in_force");
    assert_int_equal(jint(r->json, "provider_signer"), P_MEMBER->person_id);
    assert_int_equal(jint(r->json, "management_signer"), M_ADMIN->person_id);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    assert_status(th_call("PATCH", path, M_ADMIN, "{\"title\":\"改名\"}"), 409);
    /* Evaluators and user agencies are no party to it. */
    assert_status(th_call("GET", path, &T->who[W_E_ADMIN], NULL), 404);
    assert_status(th_call("GET", "/api/v1/agreements", &T->who[W_U1_ADMIN], NULL), 403);
}

static void test_amendment_supersedes(void **state)
{
    (void)state;
    int64_t id = draft();
    complete(id, "2027-12-31");
    assert_status(sign(id, M_ADMIN), 200);
    assert_status(sign(id, P_ADMIN), 200);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/amendments", (long long)id);
    struct th_resp *r = th_call("POST", path, M_ADMIN, NULL);
    assert_status(r, 201);
    int64_t v2 = jint(r->json, "id");
    assert_int_equal(jint(r->json, "number"), 2);
    assert_int_equal(jint(r->json, "previous_id"), id);
    assert_string_equal(jstr(json_object_get(r->json, "clauses"), "security"), "第4条 按附件约定");
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)v2);
    assert_status(th_call("PATCH", path, M_ADMIN, "{\"fee_payment\":\"按季度支付\"}"), 200);
    assert_status(sign(v2, M_ADMIN), 200);
    assert_status(sign(v2, P_ADMIN), 200);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    assert_string_equal(jstr(th_call("GET", path, P_ADMIN, NULL)->json, "state"), "superseded");
    /* Only an agreement in force is amended. */
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/amendments", (long long)id);
    assert_status(th_call("POST", path, M_ADMIN, NULL), 409);
}

static void test_breaches_and_expiry_warning(void **state)
{
    (void)state;
    int64_t id = draft();
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/breaches", (long long)id);
    const char *b = "{\"clause\":\"quality_standards\",\"facts\":\"2 月可用性 99.2%\","
                    "\"evidence\":\"监测平台月报\",\"liability\":\"扣减当月服务费 5%\","
                    "\"occurred_on\":\"2026-02-28\"}";
    assert_status(th_call("POST", path, M_ADMIN, b), 409);
    complete(id, "2026-12-31");
    assert_status(sign(id, M_ADMIN), 200);
    assert_status(sign(id, P_ADMIN), 200);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/breaches", (long long)id);
    assert_status(th_call("POST", path, M_ADMIN, b), 201);
    struct th_resp *r = th_call("POST", path, M_ADMIN,
                                "{\"clause\":\"weather\",\"facts\":\"x\",\"evidence\":\"y\","
                                "\"liability\":\"z\",\"occurred_on\":\"2999-01-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "clause", "enum"));
    assert_true(has_field_error(r->json, "occurred_on", "not_future"));
    assert_status(th_call("POST", path, P_ADMIN, b), 403); /* the provider does not judge itself */
    r = th_call("GET", path, P_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = th_call("GET", "/api/v1/agreements?expiring_before=2027-01-01", M_ADMIN, NULL);
    size_t i;
    json_t *it;
    int found = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it) found |= jint(it, "id") == id;
    assert_true(found);
    r = th_call("GET", "/api/v1/agreements?expiring_before=2026-06-01", M_ADMIN, NULL);
    json_array_foreach(json_object_get(r->json, "items"), i, it) assert_true(jint(it, "id") != id);
}

static const char *state_of(int64_t id)
{
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    return jstr(r->json, "state");
}

/* The periodic job moves an agreement in force to `expired` once its period has ended, audits
 * it, leaves the others alone, and finds nothing more to do on a second run. */
static void test_expiry_job(void **state)
{
    (void)state;
    struct jobs_report rep;
    struct err e;
    int64_t ending = draft(), lasting = draft();
    complete(ending, "2027-01-31");
    complete(lasting, "2027-12-31");
    for (int i = 0; i < 2; i++) {
        assert_status(sign(i ? lasting : ending, M_ADMIN), 200);
        assert_status(sign(i ? lasting : ending, P_ADMIN), 200);
    }
    err_clear(&e);
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    assert_string_equal(state_of(ending), "in_force"); /* its last day has not passed yet */

    time_set_offset_ms(80LL * 86400000); /* into February 2027 (sessions lapse meanwhile) */
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    int first = rep.agreements_expired;
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    int second = rep.agreements_expired;
    time_set_offset_ms(0);
    assert_true(first >= 1);
    assert_int_equal(second, 0);
    assert_string_equal(state_of(ending), "expired");
    assert_string_equal(state_of(lasting), "in_force");

    snprintf(path, sizeof(path), "/api/v1/audit?object_type=agreement&object_id=%lld",
             (long long)ending);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    size_t i;
    json_t *it;
    int expired = 0;
    json_array_foreach(json_object_get(r->json, "items"), i, it) expired +=
        !strcmp(jstr(it, "action"), "agreement.expire");
    assert_int_equal(expired, 1);
    /* an expired agreement is out of force: no amendment, but breaches of its period count */
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/amendments", (long long)ending);
    assert_status(th_call("POST", path, M_ADMIN, NULL), 409);
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld/breaches", (long long)ending);
    assert_status(th_call("POST", path, M_ADMIN,
                          "{\"clause\":\"fee_payment\",\"facts\":\"逾期开票\",\"evidence\":"
                          "\"往来函件\",\"liability\":\"书面警告\",\"occurred_on\":"
                          "\"2026-11-01\"}"),
                  201);
}

/* The list counts what its filter matches when asked (?total=true), for the console's pager. */
static void test_list_counts_total(void **state)
{
    (void)state;
    draft();
    draft();
    struct th_resp *r =
        th_call("GET", "/api/v1/agreements?state=draft&limit=1&total=true", M_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_true(json_is_string(json_object_get(r->json, "next_cursor")));
    json_int_t total = json_integer_value(json_object_get(r->json, "total"));
    assert_true(total >= 2);
    /* The provider counts the same drafts: it is party to all of them. */
    r = th_call("GET", "/api/v1/agreements?state=draft&total=true", P_ADMIN, NULL);
    assert_status(r, 200);
    assert_int_equal(json_integer_value(json_object_get(r->json, "total")), total);
    assert_int_equal((json_int_t)json_array_size(json_object_get(r->json, "items")), total);
    r = th_call("GET", "/api/v1/agreements?expiring_before=2000-01-01&total=true", P_ADMIN, NULL);
    assert_int_equal(json_integer_value(json_object_get(r->json, "total")), 0);
}

/* Statements one request costs, authentication included. */
static uint64_t cost(const char *url, const struct who *w, int status)
{
    uint64_t before = atomic_load(&db_latency(T->app.db)->count);
    assert_status(th_call("GET", url, w, NULL), status);
    return atomic_load(&db_latency(T->app.db)->count) - before;
}

/* Issue 11 item 6: the guard's visibility check of an agreement is also the load of its row;
 * reading one costs what being refused costs plus its two detail lists (SLA and items), and the
 * breaches one more (the list). */
static void test_agreement_read_is_one_visibility_query(void **state)
{
    (void)state;
    int64_t id = draft();
    char breaches[128], missing[128];
    snprintf(path, sizeof(path), "/api/v1/agreements/%lld", (long long)id);
    snprintf(breaches, sizeof(breaches), "/api/v1/agreements/%lld/breaches", (long long)id);
    snprintf(missing, sizeof(missing), "/api/v1/agreements/%lld", (long long)id + 977);
    uint64_t refused = cost(missing, M_ADMIN, 404);
    assert_int_equal(cost(path, M_ADMIN, 200), refused + 2);
    assert_int_equal(cost(breaches, M_ADMIN, 200), refused + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signing_needs_all_nine_clauses),
        cmocka_unit_test(test_blank_clause_is_missing),
        cmocka_unit_test(test_two_party_signing_and_immutability),
        cmocka_unit_test(test_amendment_supersedes),
        cmocka_unit_test(test_breaches_and_expiry_warning),
        cmocka_unit_test(test_expiry_job),
        cmocka_unit_test(test_list_counts_total),
        cmocka_unit_test(test_agreement_read_is_one_visibility_query),
    };
    return cmocka_run_group_tests_name("agreements", tests, th_setup, th_teardown);
}
