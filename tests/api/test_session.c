/*
 * test_session.c - logging in and out: tokens stored hashed, expiry, the slow-down and lock-out
 * ladder, the console's cookie with its CSRF header, and the audit of every attempt.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/digest.h"
#include "core/timeutil.h"

static char body[512];

static struct th_resp *login(const char *l, const char *pw)
{
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", l, pw);
    return th_call("POST", "/api/v1/session", NULL, body);
}

static int64_t count(const char *sql)
{
    return th_sql_int(sql);
}

static void test_login_returns_token_cookie_and_stores_only_a_hash(void **state)
{
    (void)state;
    const char *l = T->who[W_U1_MEMBER].login;
    struct th_resp *r = login(l, TEST_PASSWORD);
    assert_status(r, 201);
    char token[128];
    snprintf(token, sizeof(token), "%s", jstr(r->json, "token"));
    assert_true(strncmp(token, "egv_", 4) == 0);
    assert_non_null(jstr(r->json, "csrf_token"));
    assert_non_null(jstr(r->json, "expires_at"));
    assert_string_equal(jstr(json_object_get(r->json, "person"), "login"), l);
    assert_non_null(strstr(r->set_cookie, "HttpOnly"));
    assert_non_null(strstr(r->set_cookie, "SameSite=Strict"));
    assert_null(strstr(r->set_cookie, "Secure"));
    T->app.cfg.cookie_secure = 1; /* behind TLS */
    assert_non_null(strstr(login(l, TEST_PASSWORD)->set_cookie, "; Secure"));
    T->app.cfg.cookie_secure = 0;
    r = login(l, TEST_PASSWORD);
    snprintf(body, sizeof(body), "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", token);
    assert_int_equal(count(body), 0);
    assert_true(count("SELECT COUNT(*) FROM sessions WHERE LENGTH(token_hash) = 64") > 0);
    /* Stored as the hash of the deployment's suite: BLAKE2b-256, or SM3 under sm2-sm3. */
    char hex[DIGEST_HEX];
    digest_hex(digest_of_suite(T->app.cfg.crypto_suite), token, strlen(token), hex);
    snprintf(body, sizeof(body), "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", hex);
    assert_int_equal(count(body), 1);
}

/* A deployment that switches suites ends the sessions hashed the other way: they are not found
 * (401, log in again); sessions opened after the switch work. */
static void test_switching_suite_ends_sessions_of_the_other_hash(void **state)
{
    (void)state;
    char suite[32];
    struct who before, after;
    memset(&before, 0, sizeof(before));
    memset(&after, 0, sizeof(after));
    snprintf(suite, sizeof(suite), "%s", T->app.cfg.crypto_suite);
    th_session(&before, T->who[W_U1_MEMBER].person_id);
    assert_status(th_call("GET", "/api/v1/session", &before, NULL), 200);
    snprintf(T->app.cfg.crypto_suite, sizeof(T->app.cfg.crypto_suite), "%s",
             strcmp(suite, "sm2-sm3") ? "sm2-sm3" : "ed25519-blake2b");
    struct th_resp *r = th_call("GET", "/api/v1/session", &before, NULL);
    assert_status(r, 401);
    assert_non_null(strstr(jstr(r->json, "detail"), "log in again"));
    r = login(T->who[W_U1_MEMBER].login, TEST_PASSWORD);
    assert_status(r, 201);
    after = before;
    snprintf(after.token, sizeof(after.token), "%s", jstr(r->json, "token"));
    assert_status(th_call("GET", "/api/v1/session", &after, NULL), 200);
    snprintf(T->app.cfg.crypto_suite, sizeof(T->app.cfg.crypto_suite), "%s", suite);
    assert_status(th_call("GET", "/api/v1/session", &after, NULL), 401);
    /* Switching back: the older session was never revoked. */
    assert_status(th_call("GET", "/api/v1/session", &before, NULL), 200);
}

static void test_wrong_password_and_unknown_login_look_alike(void **state)
{
    (void)state;
    struct th_resp *r = login(T->who[W_U2_ADMIN].login, "Wrong-Password-1");
    assert_status(r, 401);
    char detail[256];
    snprintf(detail, sizeof(detail), "%s", jstr(r->json, "detail"));
    r = login("nobody.here", "Wrong-Password-1");
    assert_status(r, 401);
    assert_string_equal(jstr(r->json, "detail"), detail);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND "
                      "actor_login = 'nobody.here'") == 1);
    /* A success resets the failure count. */
    assert_string_equal(jstr(r->json, "rule"), "credentials");
    assert_status(login(T->who[W_U2_ADMIN].login, TEST_PASSWORD), 201);
    snprintf(detail, sizeof(detail), "SELECT failed_logins FROM people WHERE login = '%s'",
             T->who[W_U2_ADMIN].login);
    assert_int_equal(count(detail), 0);
}

/* The login of a fresh person of U2. */
static const char *fresh_login(void)
{
    static char l[64];
    char path[128];
    int64_t pid = th_person(T->u2, false, "technical");
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)pid);
    snprintf(l, sizeof(l), "%s",
             jstr(th_call("GET", path, &T->who[W_M_ADMIN], NULL)->json, "login"));
    return l;
}

static void test_failures_slow_down_then_lock(void **state)
{
    (void)state;
    char l[64];
    snprintf(l, sizeof(l), "%s", fresh_login());
    /* Defaults: from the 3rd failure on each attempt waits 2^(n-3) s; the 10th locks 15 min. */
    assert_status(login(l, "Wrong-Password-1"), 401);
    assert_status(login(l, "Wrong-Password-1"), 401);
    assert_status(login(l, "Wrong-Password-1"), 401);
    struct th_resp *r = login(l, TEST_PASSWORD);
    assert_status(r, 429);
    assert_true(atoi(r->retry_after) >= 1);
    assert_string_equal(jstr(r->json, "rule"), "slow_down");
    int64_t offset = 0;
    for (int n = 4; n <= 10; n++) {
        offset += (1000LL << (n - 4)) + 10;
        time_set_offset_ms(offset);
        r = login(l, "Wrong-Password-1");
        assert_status(r, 401);
    }
    assert_non_null(strstr(jstr(r->json, "detail"), "locked"));
    offset += 60000;
    time_set_offset_ms(offset);
    r = login(l, TEST_PASSWORD);
    assert_status(r, 429);
    assert_true(atoi(r->retry_after) > 600);
    assert_string_equal(jstr(r->json, "rule"), "locked");
    offset += 16 * 60000;
    time_set_offset_ms(offset);
    assert_status(login(l, TEST_PASSWORD), 201);
    time_set_offset_ms(0);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM people WHERE login = '%s' AND failed_logins = 0", l);
    assert_int_equal(count(body), 1);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND actor_login = '%s'",
             l);
    assert_int_equal(count(body), 2);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed' AND actor_login = '%s'",
             l);
    assert_int_equal(count(body), 10);
}

static void test_sessions_expire(void **state)
{
    (void)state;
    struct who w;
    memset(&w, 0, sizeof(w));
    th_session(&w, T->who[W_U1_MEMBER].person_id);
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 200);
    time_set_offset_ms((int64_t)T->app.cfg.session_ttl_min * 60000 + 1000);
    struct th_resp *r = th_call("GET", "/api/v1/session", &w, NULL);
    time_set_offset_ms(0);
    assert_status(r, 401);
    assert_non_null(strstr(jstr(r->json, "detail"), "expired"));
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 200);
}

static void test_logout_revokes(void **state)
{
    (void)state;
    struct who w;
    memset(&w, 0, sizeof(w));
    th_session(&w, T->who[W_U1_MEMBER].person_id);
    struct th_resp *r = th_call("DELETE", "/api/v1/session", &w, NULL);
    assert_status(r, 204);
    assert_non_null(strstr(r->set_cookie, "Max-Age=0"));
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 401);
    assert_status(th_call("GET", "/api/v1/session", NULL, NULL), 401);
    /* Ended sessions are cleared at the person's next login. */
    char sql[160];
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM sessions WHERE person_id = %lld AND revoked = 1",
             (long long)w.person_id);
    assert_true(th_sql_int(sql) >= 1);
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", w.login, TEST_PASSWORD);
    assert_status(th_call("POST", "/api/v1/session", NULL, body), 201);
    assert_int_equal(th_sql_int(sql), 0);
    struct who forged = w;
    snprintf(forged.token, sizeof(forged.token), "egv_not-a-real-token");
    assert_status(th_call("GET", "/api/v1/institutions", &forged, NULL), 401);
}

static void test_cookie_writes_need_csrf_header(void **state)
{
    (void)state;
    char cookie[200], csrf[100], wrong[100], path[128];
    struct th_resp *r = login(T->who[W_U1_ADMIN].login, TEST_PASSWORD);
    assert_status(r, 201);
    snprintf(cookie, sizeof(cookie), "Cookie: theme=dark; egov_session=%s", jstr(r->json, "token"));
    snprintf(csrf, sizeof(csrf), "X-CSRF-Token: %s", jstr(r->json, "csrf_token"));
    snprintf(wrong, sizeof(wrong), "X-CSRF-Token: %s", "0123456789abcdef0123456789abcdef");
    const char *read[] = {cookie, NULL};
    r = th_callh("GET", "/api/v1/session", NULL, NULL, read);
    assert_status(r, 200);
    /* A new tab resumes the session: whoami repeats the CSRF token. */
    assert_string_equal(jstr(r->json, "csrf_token"), csrf + strlen("X-CSRF-Token: "));
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)T->who[W_U1_ADMIN].person_id);
    assert_status(th_callh("PATCH", path, NULL, "{\"phone\":\"0851-5550000\"}", read), 403);
    const char *bad[] = {cookie, wrong, NULL};
    assert_status(th_callh("PATCH", path, NULL, "{\"phone\":\"0851-5550000\"}", bad), 403);
    const char *good[] = {cookie, csrf, NULL};
    assert_status(th_callh("PATCH", path, NULL, "{\"phone\":\"0851-5550000\"}", good), 200);
}

static void test_denials_are_audited(void **state)
{
    (void)state;
    int64_t before = count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'");
    assert_status(th_call("GET", "/api/v1/audit", &T->who[W_U1_MEMBER], NULL), 403);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'"),
                     before + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_returns_token_cookie_and_stores_only_a_hash),
        cmocka_unit_test(test_switching_suite_ends_sessions_of_the_other_hash),
        cmocka_unit_test(test_wrong_password_and_unknown_login_look_alike),
        cmocka_unit_test(test_failures_slow_down_then_lock),
        cmocka_unit_test(test_sessions_expire),
        cmocka_unit_test(test_logout_revokes),
        cmocka_unit_test(test_cookie_writes_need_csrf_header),
        cmocka_unit_test(test_denials_are_audited),
    };
    return cmocka_run_group_tests_name("session", tests, th_setup, th_teardown);
}
