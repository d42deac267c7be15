/*
 * test_institutions.c - institutions, the jurisdiction tree, credit codes, versions, and the
 * qualifications (T5-11.2a), interest relations (T5-8.2f) and posts (T5-5.3a) hanging off them.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "db/db.h"

#define M_ADMIN   (&T->who[W_M_ADMIN])
#define M1_ADMIN  (&T->who[W_M1_ADMIN])
#define M2_ADMIN  (&T->who[W_M2_ADMIN])
#define P_ADMIN   (&T->who[W_P_ADMIN])
#define U1_ADMIN  (&T->who[W_U1_ADMIN])
#define U1_MEMBER (&T->who[W_U1_MEMBER])

static char body[1024];

static const char *inst_body(const char *uscc, const char *kind, const char *level,
                             long long parent, const char *extra)
{
    snprintf(body, sizeof(body),
             "{\"uscc\":\"%s\",\"name\":\"测试单位\",\"kind\":\"%s\",\"level\":\"%s\","
             "\"region\":\"520100\",\"parent_id\":%lld%s}",
             uscc, kind, level, parent, extra ? extra : "");
    return body;
}

static int64_t audit_count(const char *action)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM audit_log WHERE action = '%s'", action);
    return th_sql_int(sql);
}

static void test_create_returns_entity_etag_and_audits(void **state)
{
    (void)state;
    int64_t before = audit_count("institution.create");
    struct th_resp *r = th_call("POST", "/api/v1/institutions", M1_ADMIN,
                                inst_body(th_uscc(), "user", "municipal", T->m1, NULL));
    assert_status(r, 201);
    assert_string_equal(jstr(r->json, "kind"), "user");
    assert_int_equal(jint(r->json, "parent_id"), T->m1);
    assert_int_equal(jint(r->json, "version"), 1);
    assert_string_equal(jstr(r->json, "timezone"), "Asia/Shanghai");
    char etag[64];
    snprintf(etag, sizeof(etag), "\"%lld-1\"", (long long)jint(r->json, "id"));
    assert_string_equal(r->etag, etag);
    assert_int_equal(audit_count("institution.create"), before + 1);
}

static void test_uscc_check_character_named(void **state)
{
    (void)state;
    /* 91350100M000100Y43 is a valid published code; change its last character. */
    struct th_resp *r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                                inst_body("91350100M000100Y44", "user", "municipal", T->m1, NULL));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "uscc", "check"));
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body("91350100M000101Y43", "user", "municipal", T->m1, NULL));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "uscc", "org_check"));
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body("91350100M00010Y43", "user", "municipal", T->m1, NULL));
    assert_true(has_field_error(r->json, "uscc", "length"));
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body("91350100M0001O0Y43", "user", "municipal", T->m1, NULL));
    assert_true(has_field_error(r->json, "uscc", "charset"));
}

static void test_uscc_exception_accepted_with_justification(void **state)
{
    (void)state;
    struct th_resp *r =
        th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body("91350100M000100Y44", "user", "municipal", T->m1,
                          ",\"uscc_exception\":\"早期试点地区赋码，经市场监管部门书面确认有效\""));
    assert_status(r, 201);
    assert_non_null(jstr(r->json, "uscc_exception"));
    int64_t id = jint(r->json, "id");
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM audit_log WHERE object_id = %lld AND changes LIKE "
             "'%%uscc_check_failed%%'",
             (long long)id);
    assert_int_equal(th_sql_int(sql), 1);
    /* A wrong length is never excused. */
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body("9135", "user", "municipal", T->m1,
                          ",\"uscc_exception\":\"早期试点地区赋码，经市场监管部门书面确认有效\""));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "uscc", "length"));
}

static void test_duplicate_uscc_conflicts(void **state)
{
    (void)state;
    const char *code = th_uscc();
    char copy[19];
    snprintf(copy, sizeof(copy), "%s", code);
    assert_status(th_call("POST", "/api/v1/institutions", M_ADMIN,
                          inst_body(copy, "user", "municipal", T->m1, NULL)),
                  201);
    struct th_resp *r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                                inst_body(copy, "user", "municipal", T->m1, NULL));
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "uscc", "unique"));
}

static void test_parent_rules(void **state)
{
    (void)state;
    /* Only a management institution has a jurisdiction. */
    struct th_resp *r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                                inst_body(th_uscc(), "user", "municipal", T->p, NULL));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "parent_id", "parent_kind"));
    /* A management child is one level down. */
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                inst_body(th_uscc(), "management", "provincial", T->m, NULL));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "level", "level_order"));
    /* M2 cannot register under M1. */
    r = th_call("POST", "/api/v1/institutions", M2_ADMIN,
                inst_body(th_uscc(), "user", "municipal", T->m1, NULL));
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "parent_id", "exists"));
    /* Several field errors are reported at once. */
    r = th_call("POST", "/api/v1/institutions", M_ADMIN,
                "{\"uscc\":\"x\",\"name\":\"\",\"kind\":\"bank\",\"level\":\"town\","
                "\"region\":\"999999\",\"parent_id\":1}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "uscc", NULL));
    assert_true(has_field_error(r->json, "name", "required"));
    assert_true(has_field_error(r->json, "kind", "enum"));
    assert_true(has_field_error(r->json, "level", "enum"));
    assert_true(has_field_error(r->json, "region", "region_code"));
}

static void test_lists_follow_jurisdiction(void **state)
{
    (void)state;
    char path[128];
    struct th_resp *r = th_call("GET", "/api/v1/institutions?limit=500&total=true", M1_ADMIN, NULL);
    assert_status(r, 200);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        int64_t id = jint(it, "id");
        assert_true(id != T->m && id != T->m2 && id != T->u2 && id != T->p);
    }
    assert_int_equal(jint(r->json, "total"), json_array_size(json_object_get(r->json, "items")));
    r = th_call("GET", "/api/v1/institutions", U1_MEMBER, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_int_equal(jint(json_array_get(json_object_get(r->json, "items"), 0), "id"), T->u1);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->u2);
    assert_status(th_call("GET", path, M1_ADMIN, NULL), 404);
    assert_status(th_call("GET", path, M_ADMIN, NULL), 200);
    /* Filters and paging: two pages of one item each, no overlap. */
    r = th_call("GET", "/api/v1/institutions?kind=management&limit=1", M_ADMIN, NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    int64_t first = jint(json_array_get(json_object_get(r->json, "items"), 0), "id");
    snprintf(path, sizeof(path), "/api/v1/institutions?kind=management&limit=1&cursor=%s",
             jstr(r->json, "next_cursor"));
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    int64_t second = jint(json_array_get(json_object_get(r->json, "items"), 0), "id");
    assert_true(second > first);
    assert_status(th_call("GET", "/api/v1/institutions?limit=0", M_ADMIN, NULL), 422);
    assert_status(th_call("GET", "/api/v1/institutions?colour=red", M_ADMIN, NULL), 422);
    r = th_call("GET", "/api/v1/institutions?q=%25", M_ADMIN, NULL);
    assert_status(r, 200);
}

static void test_if_match_prevents_lost_update(void **state)
{
    (void)state;
    char path[128], tag[96];
    int64_t id = th_institution(T->m1, "user", "municipal");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)id);
    struct th_resp *r = th_call("GET", path, M1_ADMIN, NULL);
    snprintf(tag, sizeof(tag), "If-Match: %s", r->etag);
    const char *h[] = {tag, NULL};
    r = th_callh("PATCH", path, M1_ADMIN, "{\"contact_name\":\"甲\"}", h);
    assert_status(r, 200);
    assert_int_equal(jint(r->json, "version"), 2);
    /* The second official edited the version they read, which is gone now. */
    r = th_callh("PATCH", path, M_ADMIN, "{\"contact_name\":\"乙\"}", h);
    assert_status(r, 412);
    r = th_call("GET", path, M1_ADMIN, NULL);
    assert_string_equal(jstr(r->json, "contact_name"), "甲");
    const char *bad[] = {"If-Match: yesterday", NULL};
    assert_status(th_callh("PATCH", path, M1_ADMIN, "{\"contact_name\":\"丙\"}", bad), 412);
}

static void test_update_rules(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->u1);
    struct th_resp *r = th_call("PATCH", path, M_ADMIN, "{\"kind\":\"provider\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "kind", "immutable"));
    /* No cycles: M1 cannot move under its own child. */
    int64_t child = th_institution(T->m1, "management", "county");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->m1);
    snprintf(body, sizeof(body), "{\"parent_id\":%lld}", (long long)child);
    r = th_call("PATCH", path, M_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "parent_id", "cycle"));
    /* An M cannot suspend itself. */
    r = th_call("PATCH", path, M1_ADMIN, "{\"status\":\"suspended\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "status", "own_institution"));
    /* Moving a subtree moves its jurisdiction: county under M2 is then M2's. */
    int64_t county = th_institution(T->m1, "management", "county");
    int64_t below = th_institution(county, "user", "county");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)county);
    snprintf(body, sizeof(body), "{\"parent_id\":%lld}", (long long)T->m2);
    assert_status(th_call("PATCH", path, M_ADMIN, body), 200);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)below);
    assert_status(th_call("GET", path, M2_ADMIN, NULL), 200);
    assert_status(th_call("GET", path, M1_ADMIN, NULL), 404);
}

static void test_suspension_ends_sessions(void **state)
{
    (void)state;
    struct who w;
    char path[128];
    int64_t inst = th_institution(T->m1, "user", "municipal");
    memset(&w, 0, sizeof(w));
    th_session(&w, th_person(inst, true, "technical"));
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 200);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)inst);
    assert_status(th_call("PATCH", path, M1_ADMIN, "{\"status\":\"suspended\"}"), 200);
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 401);
}

static void test_delete_only_when_empty(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->u1);
    struct th_resp *r = th_call("DELETE", path, M_ADMIN, NULL);
    assert_status(r, 409);
    assert_non_null(strstr(jstr(r->json, "detail"), "people"));
    int64_t empty = th_institution(T->m1, "user", "municipal");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)empty);
    assert_status(th_call("DELETE", path, M1_ADMIN, NULL), 204);
    assert_status(th_call("GET", path, M1_ADMIN, NULL), 404);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->m1);
    assert_status(th_call("DELETE", path, M1_ADMIN, NULL), 409);
}

static void test_qualifications(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/qualifications", (long long)T->p);
    struct th_resp *r = th_call(
        "POST", path, M_ADMIN,
        "{\"kind\":\"security_service\",\"grade\":\"一级\",\"certificate_no\":\"CCRC-2025-001\","
        "\"issuer\":\"中国网络安全审查技术与认证中心\",\"valid_from\":\"2025-01-01\","
        "\"valid_to\":\"2026-12-31\"}");
    assert_status(r, 201);
    int64_t qid = jint(r->json, "id");
    r = th_call("POST", path, M_ADMIN,
                "{\"kind\":\"security_service\",\"certificate_no\":\"CCRC-2025-001\",\"issuer\":"
                "\"某机关\",\"valid_from\":\"2025-01-01\",\"valid_to\":\"2026-12-31\"}");
    assert_status(r, 409);
    r = th_call("POST", path, M_ADMIN,
                "{\"kind\":\"magic\",\"certificate_no\":\"X\",\"issuer\":\"某机关\","
                "\"valid_from\":\"2025-02-30\",\"valid_to\":\"2024-01-01\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "kind", "enum"));
    assert_true(has_field_error(r->json, "valid_from", "date"));
    r = th_call("POST", path, M_ADMIN,
                "{\"kind\":\"itss\",\"certificate_no\":\"X1\",\"issuer\":\"某机关\","
                "\"valid_from\":\"2025-03-01\",\"valid_to\":\"2025-01-01\"}");
    assert_true(has_field_error(r->json, "valid_to", "after_valid_from"));
    /* The provider reads its own qualifications but does not issue them. */
    assert_status(th_call("GET", path, P_ADMIN, NULL), 200);
    assert_status(th_call("POST", path, P_ADMIN, "{}"), 403);
    r = th_call("GET", "/api/v1/qualifications?expiring_before=2027-01-01", M_ADMIN, NULL);
    assert_status(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 1);
    r = th_call("GET", "/api/v1/qualifications?expiring_before=2026-01-01", M_ADMIN, NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it) assert_true(jint(it, "id") != qid);
    assert_status(th_call("GET", "/api/v1/qualifications?expiring_before=soon", M_ADMIN, NULL),
                  422);
}

static void test_interest_relations(void **state)
{
    (void)state;
    char path[128];
    const char *e_uscc;
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)T->e);
    e_uscc = strdup(jstr(th_call("GET", path, M_ADMIN, NULL)->json, "uscc"));
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_uscc\":\"%s\",\"kind\":\"equity\",\"since\":\"2023-05-01\","
             "\"note\":\"持股 30%%\"}",
             e_uscc);
    struct th_resp *r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 201);
    assert_int_equal(jint(r->json, "related_id"), T->e);
    assert_status(th_call("POST", path, P_ADMIN, body), 409);
    /* The evaluator sees the relation declared against it. */
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->e);
    r = th_call("GET", path, &T->who[W_E_ADMIN], NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    assert_int_equal(jint(json_array_get(json_object_get(r->json, "items"), 0), "related_id"),
                     T->p);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/interest-relations", (long long)T->p);
    snprintf(body, sizeof(body),
             "{\"related_id\":%lld,\"kind\":\"equity\",\"since\":\"2023-05-01\"}", (long long)T->p);
    r = th_call("POST", path, P_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "related_id", "not_self"));
    r = th_call("POST", path, P_ADMIN,
                "{\"related_id\":9007199254740990,\"kind\":\"equity\",\"since\":\"2023-05-01\"}");
    assert_status(r, 404);
    r = th_call("POST", path, P_ADMIN,
                "{\"related_id\":1,\"kind\":\"equity\",\"since\":\"2999-01-01\"}");
    assert_true(has_field_error(r->json, "since", "not_future"));
    free((char *)e_uscc);
}

static void test_posts(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts", (long long)T->p);
    struct th_resp *r = th_call("POST", path, P_ADMIN,
                                "{\"name\":\"运维工程师岗\",\"duties\":\"资源配置与故障处理\","
                                "\"required_certificate\":\"itss-engineer\"}");
    assert_status(r, 201);
    assert_status(th_call("POST", path, P_ADMIN, "{\"name\":\"运维工程师岗\",\"duties\":\"重复\"}"),
                  409);
    /* A provider cannot hand out what only management holds. */
    r = th_call("POST", path, P_ADMIN,
                "{\"name\":\"审计岗\",\"duties\":\"审计\",\"grants\":[\"audit.read\"]}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "grants", "not_held"));
    r = th_call("POST", path, P_ADMIN,
                "{\"name\":\"超级岗\",\"duties\":\"一切\",\"grants\":[\"root\"]}");
    assert_true(has_field_error(r->json, "grants", "enum"));
}

/* Statements the store has run so far (every statement is timed into this histogram). */
static uint64_t statements(void)
{
    return atomic_load(&db_latency(T->app.db)->count);
}

/* Statements one request costs, authentication included. */
static uint64_t cost(const char *method, const char *path, const struct who *w, int status)
{
    uint64_t before = statements();
    assert_status(th_call(method, path, w, NULL), status);
    return statements() - before;
}

/*
 * Issue 11 item 6: the jurisdiction check of a path and the load of what it names are one
 * query. Reading a visible institution costs what being refused one costs (authentication and
 * that one query), a person one more (the posts), a sub-list one more (the list itself).
 */
static void test_jurisdiction_check_is_the_load(void **state)
{
    (void)state;
    const struct who *u1 = &T->who[W_U1_ADMIN];
    char mine[160], other[160], me[160], someone[160], posts[160];
    snprintf(mine, sizeof(mine), "/api/v1/institutions/%lld", (long long)T->u1);
    snprintf(other, sizeof(other), "/api/v1/institutions/%lld", (long long)T->m);
    snprintf(me, sizeof(me), "/api/v1/people/%lld", (long long)u1->person_id);
    snprintf(someone, sizeof(someone), "/api/v1/people/%lld",
             (long long)T->who[W_M_ADMIN].person_id);
    snprintf(posts, sizeof(posts), "/api/v1/institutions/%lld/posts", (long long)T->u1);
    uint64_t refused = cost("GET", other, u1, 404);
    assert_int_equal(cost("GET", mine, u1, 200), refused);
    assert_int_equal(cost("GET", someone, u1, 404), refused);
    assert_int_equal(cost("GET", me, u1, 200), refused + 1);
    assert_int_equal(cost("GET", posts, u1, 200), refused + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_returns_entity_etag_and_audits),
        cmocka_unit_test(test_uscc_check_character_named),
        cmocka_unit_test(test_uscc_exception_accepted_with_justification),
        cmocka_unit_test(test_duplicate_uscc_conflicts),
        cmocka_unit_test(test_parent_rules),
        cmocka_unit_test(test_lists_follow_jurisdiction),
        cmocka_unit_test(test_if_match_prevents_lost_update),
        cmocka_unit_test(test_update_rules),
        cmocka_unit_test(test_suspension_ends_sessions),
        cmocka_unit_test(test_delete_only_when_empty),
        cmocka_unit_test(test_qualifications),
        cmocka_unit_test(test_interest_relations),
        cmocka_unit_test(test_posts),
        cmocka_unit_test(test_jurisdiction_check_is_the_load),
    };
    return cmocka_run_group_tests_name("institutions", tests, th_setup, th_teardown);
}
