/*
 * test_audit.c - the audit trail: every change recorded with what changed, read within the
 * jurisdiction, and a hash chain that detects edited, deleted, inserted, reordered and
 * truncated records - also when many requests write at once.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "core/arena.h"
#include "http/http.h"

#define M_ADMIN (&T->who[W_M_ADMIN])

static char sql[512], path[256];

static json_t *verify_api(void)
{
    struct th_resp *r = th_call("GET", "/api/v1/audit/verify", M_ADMIN, NULL);
    assert_status(r, 200);
    if (!json_is_true(json_object_get(r->json, "ok")))
        fprintf(stderr, "verdict: %s\n", r->body);
    return r->json;
}

static void test_change_is_recorded_with_before_and_after(void **state)
{
    (void)state;
    int64_t id = th_institution(T->m1, "user", "municipal");
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld", (long long)id);
    assert_status(th_call("PATCH", path, &T->who[W_M1_ADMIN], "{\"contact_name\":\"钱七\"}"), 200);
    snprintf(path, sizeof(path), "/api/v1/audit?object_type=institution&object_id=%lld&limit=1",
             (long long)id);
    struct th_resp *r = th_call("GET", path, M_ADMIN, NULL);
    assert_status(r, 200);
    json_t *rec = json_array_get(json_object_get(r->json, "items"), 0);
    assert_string_equal(jstr(rec, "action"), "institution.update");
    assert_int_equal(jint(rec, "actor_id"), T->who[W_M1_ADMIN].person_id);
    assert_int_equal(jint(rec, "actor_institution_id"), T->m1);
    assert_string_equal(jstr(rec, "client_ip"), "127.0.0.1");
    json_t *ch = json_object_get(json_object_get(rec, "changes"), "contact_name");
    assert_string_equal(jstr(ch, "from"), "");
    assert_string_equal(jstr(ch, "to"), "钱七");
    assert_non_null(jstr(rec, "request_id"));
}

static void test_reading_follows_jurisdiction_and_filters(void **state)
{
    (void)state;
    int64_t id = th_institution(T->m1, "user", "municipal");
    snprintf(path, sizeof(path), "/api/v1/audit?object_id=%lld", (long long)id);
    struct th_resp *r = th_call("GET", path, &T->who[W_M1_ADMIN], NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 1);
    r = th_call("GET", path, &T->who[W_M2_ADMIN], NULL);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
    /* Newest first, paged by cursor without overlap. */
    r = th_call("GET", "/api/v1/audit?limit=2&total=true", M_ADMIN, NULL);
    assert_true(jint(r->json, "total") > 2);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    int64_t a = jint(json_array_get(items, 0), "seq"), b = jint(json_array_get(items, 1), "seq");
    assert_true(a > b);
    snprintf(path, sizeof(path), "/api/v1/audit?limit=2&cursor=%s", jstr(r->json, "next_cursor"));
    r = th_call("GET", path, M_ADMIN, NULL);
    assert_true(jint(json_array_get(json_object_get(r->json, "items"), 0), "seq") < b);
    snprintf(path, sizeof(path), "/api/v1/audit?actor_id=%lld&action=login",
             (long long)T->who[W_U1_MEMBER].person_id);
    assert_status(th_call("GET", path, M_ADMIN, NULL), 200);
    assert_status(th_call("GET", "/api/v1/audit?from=yesterday", M_ADMIN, NULL), 422);
    r = th_call("GET", "/api/v1/audit?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z", M_ADMIN,
                NULL);
    assert_int_equal(json_array_size(json_object_get(r->json, "items")), 0);
}

struct worker {
    int n;
    int failures;
    int64_t inst;
};

static void *write_many(void *arg)
{
    struct worker *w = arg;
    char p[128], b[128], auth[200];
    for (int i = 0; i < w->n; i++) {
        struct arena *a = arena_new();
        struct req rq;
        struct resp rs;
        memset(&rq, 0, sizeof(rq));
        snprintf(p, sizeof(p), "/api/v1/institutions/%lld", (long long)w->inst);
        snprintf(b, sizeof(b), "{\"contact_name\":\"并发%d\"}", i);
        snprintf(auth, sizeof(auth), "Bearer %s", T->who[W_M_ADMIN].token);
        rq.method = "PATCH";
        rq.path = p;
        rq.headers[0] = (struct kv){"Authorization", auth};
        rq.headers[1] = (struct kv){"Content-Type", "application/json"};
        rq.n_headers = 2;
        rq.body = b;
        rq.body_len = strlen(b);
        rq.client_ip = "127.0.0.1";
        router_dispatch(&T->app, a, &rq, &rs);
        if (rs.status != 200)
            w->failures++;
        arena_free(a);
    }
    return NULL;
}

static void test_concurrent_writers_keep_one_chain(void **state)
{
    (void)state;
    enum { N = 4, EACH = 15 };
    pthread_t th[N];
    struct worker w[N];
    int64_t before = th_sql_int("SELECT COUNT(*) FROM audit_log");
    for (int i = 0; i < N; i++) {
        w[i] = (struct worker){EACH, 0, th_institution(T->m1, "user", "municipal")};
        pthread_create(&th[i], NULL, write_many, &w[i]);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log"), before + N + N * EACH);
    assert_int_equal(th_sql_int("SELECT MAX(seq) - MIN(seq) + 1 - COUNT(*) FROM audit_log"), 0);
    json_t *v = verify_api();
    assert_true(json_is_true(json_object_get(v, "ok")));
}

static void expect_broken_at(int64_t seq, const char *word)
{
    json_t *v = verify_api();
    assert_false(json_is_true(json_object_get(v, "ok")));
    assert_int_equal(jint(v, "first_bad_seq"), seq);
    if (!strstr(jstr(v, "reason"), word))
        fail_msg("reason '%s' does not say '%s'", jstr(v, "reason"), word);
}

static void test_tampering_is_detected(void **state)
{
    (void)state;
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));
    assert_int_equal(th_sql("CREATE TABLE audit_backup AS SELECT * FROM audit_log"), 0);
    int64_t last = th_sql_int("SELECT MAX(seq) FROM audit_log");

    /* Edited. */
    assert_int_equal(th_sql("UPDATE audit_log SET changes = '{\"forged\":true}' WHERE seq = 5"), 0);
    expect_broken_at(5, "altered");
    assert_int_equal(th_sql("UPDATE audit_log SET changes = (SELECT changes FROM audit_backup b "
                            "WHERE b.seq = 5) WHERE seq = 5"),
                     0);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));

    /* Deleted from the middle. */
    assert_int_equal(th_sql("DELETE FROM audit_log WHERE seq = 7"), 0);
    expect_broken_at(8, "deleted");
    assert_int_equal(th_sql("INSERT INTO audit_log SELECT * FROM audit_backup WHERE seq = 7"), 0);

    /* Reordered: two records swap their contents (their objects differ). */
    assert_true(
        th_sql_int("SELECT COUNT(DISTINCT object_id) FROM audit_log WHERE seq IN (9, 10)") == 2);
    assert_int_equal(
        th_sql("UPDATE audit_log SET object_id = (SELECT object_id FROM audit_backup b "
               "WHERE b.seq = 19 - audit_log.seq) WHERE seq IN (9, 10)"),
        0);
    json_t *v = verify_api();
    assert_false(json_is_true(json_object_get(v, "ok")));
    assert_int_equal(jint(v, "first_bad_seq"), 9);
    assert_int_equal(
        th_sql("UPDATE audit_log SET object_id = (SELECT object_id FROM audit_backup b "
               "WHERE b.seq = audit_log.seq) WHERE seq IN (9, 10)"),
        0);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));

    /* Inserted: a forged record appended behind the head. */
    snprintf(
        sql, sizeof(sql),
        "INSERT INTO audit_log SELECT seq + 1, at, actor_id, actor_login, "
        "actor_institution_id, scope_institution_id, 'person.delete', object_type, "
        "object_id, changes, client_ip, request_id, hash, hash FROM audit_log WHERE seq = %lld",
        (long long)last);
    assert_int_equal(th_sql(sql), 0);
    expect_broken_at(last + 1, "altered");
    snprintf(sql, sizeof(sql), "DELETE FROM audit_log WHERE seq = %lld", (long long)last + 1);
    assert_int_equal(th_sql(sql), 0);

    /* Truncated: the newest record removed. */
    snprintf(sql, sizeof(sql), "DELETE FROM audit_log WHERE seq = %lld", (long long)last);
    assert_int_equal(th_sql(sql), 0);
    expect_broken_at(last, "removed from the end");
    snprintf(sql, sizeof(sql), "INSERT INTO audit_log SELECT * FROM audit_backup WHERE seq = %lld",
             (long long)last);
    assert_int_equal(th_sql(sql), 0);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));
    assert_int_equal(th_sql("DROP TABLE audit_backup"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_is_recorded_with_before_and_after),
        cmocka_unit_test(test_reading_follows_jurisdiction_and_filters),
        cmocka_unit_test(test_concurrent_writers_keep_one_chain),
        cmocka_unit_test(test_tampering_is_detected),
    };
    return cmocka_run_group_tests_name("audit", tests, th_setup, th_teardown);
}
