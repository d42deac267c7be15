/*
 * test_faults.c - curl's torture idea: fail the Nth store statement of a write, for every N,
 * and check that nothing of the write remains (no row, no audit record, the chain intact) and
 * that the answer is a clean problem. Then the write succeeds once the faults stop.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "db/db.h"

#define M_ADMIN (&T->who[W_M_ADMIN])

static char sql[256], body[512];

static void torture(const char *method, const char *path, const char *(*make_body)(void),
                    const char *count_sql)
{
    int64_t rows = th_sql_int(count_sql);
    int64_t audit = th_sql_int("SELECT COUNT(*) FROM audit_log");
    int n;
    for (n = 1; n < 60; n++) {
        const char *b = make_body();
        db_fail_nth(T->app.db, n);
        struct th_resp *r = th_call(method, path, M_ADMIN, b);
        db_fail_nth(T->app.db, 0);
        if (r->status < 300)
            break; /* the write needs fewer than n statements */
        assert_int_equal(r->status, 500);
        assert_int_equal(th_sql_int(count_sql), rows);
        assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log"), audit);
    }
    assert_true(n > 3 && n < 60);
    assert_int_equal(th_sql_int(count_sql), rows + 1);
    struct th_resp *v = th_call("GET", "/api/v1/audit/verify", M_ADMIN, NULL);
    assert_true(json_is_true(json_object_get(v->json, "ok")));
    print_message("%s %s: failed at each of %d statements, nothing was left behind\n", method, path,
                  n - 1);
}

static const char *institution_body(void)
{
    snprintf(body, sizeof(body),
             "{\"uscc\":\"%s\",\"name\":\"故障测试单位\",\"kind\":\"user\",\"level\":"
             "\"municipal\",\"region\":\"520100\",\"parent_id\":%lld}",
             th_uscc(), (long long)T->m1);
    return body;
}

static const char *person_body(void)
{
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"故障\",\"team\":\"technical\","
             "\"password\":\"Fault-Password-1\"}",
             (long long)T->u1, th_login());
    return body;
}

static void test_institution_create_is_all_or_nothing(void **state)
{
    (void)state;
    torture("POST", "/api/v1/institutions", institution_body, "SELECT COUNT(*) FROM institutions");
    /* The closure table too: one row per ancestor plus itself, for every institution. */
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM institutions i WHERE NOT EXISTS (SELECT 1 "
                                "FROM institution_tree t WHERE t.descendant_id = i.id AND "
                                "t.depth = 0)"),
                     0);
}

static void test_person_create_is_all_or_nothing(void **state)
{
    (void)state;
    torture("POST", "/api/v1/people", person_body, "SELECT COUNT(*) FROM people");
}

static const char *posts_body(void)
{
    static int i;
    snprintf(body, sizeof(body), "{\"name\":\"故障岗位%d\",\"duties\":\"测试\"}", ++i);
    return body;
}

static void test_post_create_is_all_or_nothing(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts", (long long)T->u1);
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM posts");
    torture("POST", path, posts_body, sql);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_institution_create_is_all_or_nothing),
        cmocka_unit_test(test_person_create_is_all_or_nothing),
        cmocka_unit_test(test_post_create_is_all_or_nothing),
    };
    return cmocka_run_group_tests_name("faults", tests, th_setup, th_teardown);
}
