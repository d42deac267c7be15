/*
 * test_session.c - logging in and out: tokens stored hashed, expiry, the slow-down and lock-out
 * ladder, the console's cookie with its CSRF header, and the audit of every attempt.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/timeutil.h"
#include "http/http.h"

static char body[512];

/* issue 12: the ladders run on the application's clock, which these tests hold still and step
 * by hand; the time a hash or a loaded machine takes no longer matters. */
static int64_t clock_now;

static int64_t test_clock(void)
{
    return clock_now;
}

/* A stopped clock, fresh ladders (every test logs in from the same few addresses) and the
 * default thresholds. */
static void ladder_start(void)
{
    clock_now = time_now_ms();
    T->app.clock_ms = test_clock;
    th_sql("DELETE FROM login_throttle");
    th_sql("DELETE FROM login_refusals");
    th_client_ip = "127.0.0.1";
}

static void ladder_stop(void)
{
    T->app.clock_ms = NULL;
    th_client_ip = "127.0.0.1";
    T->app.cfg.login_slow_after = 3;
    T->app.cfg.login_lock_after = 10;
    T->app.cfg.login_addr_slow_after = 20;
    T->app.cfg.login_addr_lock_after = 100;
}

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

static int64_t audit_count(const char *action, const char *login)
{
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = '%s' AND actor_login = '%s'", action,
             login);
    return count(body);
}

/* Ten failures with the waits of the default ladder between them: the account is locked. */
static void lock_account(const char *l)
{
    for (int n = 1; n <= 10; n++) {
        if (n > 3)
            clock_now += 1000LL << (n - 4);
        assert_status(login(l, "Wrong-Password-1"), 401);
    }
}

static void test_failures_slow_down_then_lock(void **state)
{
    (void)state;
    char l[64];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    /* Defaults: from the 3rd failure on each attempt waits 2^(n-3) s; the 10th locks 15 min. */
    assert_status(login(l, "Wrong-Password-1"), 401);
    assert_status(login(l, "Wrong-Password-1"), 401);
    assert_status(login(l, "Wrong-Password-1"), 401);
    struct th_resp *r = login(l, TEST_PASSWORD);
    assert_status(r, 429);
    assert_int_equal(atoi(r->retry_after), 1);
    assert_string_equal(jstr(r->json, "rule"), "slow_down");
    for (int n = 4; n <= 10; n++) {
        clock_now += 1000LL << (n - 4);
        r = login(l, "Wrong-Password-1");
        assert_status(r, 401);
    }
    assert_non_null(strstr(jstr(r->json, "detail"), "locked"));
    clock_now += 60000;
    r = login(l, TEST_PASSWORD);
    assert_status(r, 429);
    assert_int_equal(atoi(r->retry_after), 14 * 60);
    assert_string_equal(jstr(r->json, "rule"), "locked");
    clock_now += 14 * 60000;
    assert_status(login(l, TEST_PASSWORD), 201);
    ladder_stop();
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM people WHERE login = '%s' AND failed_logins = 0", l);
    assert_int_equal(count(body), 1);
    assert_int_equal(audit_count("login.locked", l), 2);
    assert_int_equal(audit_count("login.failed", l), 10);
    assert_int_equal(audit_count("login.lockout", l), 1);
}

/* 19.2: one wrong attempt every lock period used to keep an account locked for good. */
static void test_count_restarts_when_the_lock_ends(void **state)
{
    (void)state;
    char l[64];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    lock_account(l);
    clock_now += 15 * 60000;
    struct th_resp *r = login(l, "Wrong-Password-1");
    assert_status(r, 401);
    assert_string_equal(jstr(r->json, "rule"), "credentials");
    snprintf(body, sizeof(body), "SELECT failed_logins FROM people WHERE login = '%s'", l);
    assert_int_equal(count(body), 1);
    /* The owner is not kept waiting by that attempt. */
    assert_status(login(l, TEST_PASSWORD), 201);
    ladder_stop();
}

static struct th_resp *login_with(const char *l, const char *pw, const char *device_cookie)
{
    char cookie[300];
    const char *h[] = {cookie, NULL};
    const char *semi = strchr(device_cookie, ';');
    snprintf(cookie, sizeof(cookie), "Cookie: %.*s", (int)(semi - device_cookie), device_cookie);
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", l, pw);
    return th_callh("POST", "/api/v1/session", NULL, body, h);
}

/* 19.2: an attacker who locks an account does not lock its owner out: the browser the owner
 * logged in with before (device cookie) and an address the owner logged in from still pass. */
static void test_known_device_and_address_pass_a_lock(void **state)
{
    (void)state;
    char l[64], device[256];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    th_client_ip = "10.0.0.1";
    struct th_resp *r = login(l, TEST_PASSWORD);
    assert_status(r, 201);
    assert_non_null(strstr(r->device_cookie, "HttpOnly"));
    assert_non_null(strstr(r->device_cookie, "Path=/api/v1/session"));
    snprintf(device, sizeof(device), "%s", r->device_cookie);

    th_client_ip = "10.6.6.6";
    lock_account(l);
    r = login(l, TEST_PASSWORD);
    assert_status(r, 429);
    assert_string_equal(jstr(r->json, "rule"), "locked");
    /* The owner's address, without the cookie. */
    th_client_ip = "10.0.0.1";
    assert_status(login(l, TEST_PASSWORD), 201);
    /* The owner's browser, from an address never seen. */
    th_client_ip = "10.9.9.9";
    r = login_with(l, TEST_PASSWORD, device);
    assert_status(r, 201);
    assert_string_equal(r->device_cookie, ""); /* the browser keeps its cookie */
    /* The lock stays for everyone else. */
    th_client_ip = "10.6.6.6";
    assert_status(login(l, TEST_PASSWORD), 429);
    /* A device cookie is worth one wrong password (10.9.9.9 is now a known address too). */
    th_client_ip = "10.9.9.10";
    assert_status(login_with(l, "Wrong-Password-1", device), 401);
    assert_status(login_with(l, TEST_PASSWORD, device), 429);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'login' AND actor_login = '%s' AND "
             "changes LIKE '%%admitted_while_locked%%'",
             l);
    assert_int_equal(count(body), 2);
    ladder_stop();
}

/* 19.2: management learns that an account is under attack: the owning management institution
 * and the root read the lock-out in the audit trail; others do not. */
static void test_lockout_is_reported_to_management(void **state)
{
    (void)state;
    char l[64], path[160];
    snprintf(l, sizeof(l), "%s", fresh_login()); /* a person of U2, under M2 */
    ladder_start();
    lock_account(l);
    ladder_stop();
    for (int w = W_M_ADMIN; w <= W_M2_ADMIN; w++) {
        if (w == W_M_MEMBER || w == W_M1_ADMIN)
            continue;
        snprintf(path, sizeof(path), "/api/v1/audit?action=login.lockout&limit=500");
        struct th_resp *r = th_call("GET", path, &T->who[w], NULL);
        assert_status(r, 200);
        json_t *items = json_object_get(r->json, "items");
        size_t i;
        json_t *it;
        int found = 0;
        json_array_foreach(items, i, it)
        {
            const char *lg = jstr(json_object_get(it, "changes"), "login");
            found += lg && !strcmp(lg, l);
        }
        assert_int_equal(found, 1);
    }
    struct th_resp *r =
        th_call("GET", "/api/v1/audit?action=login.lockout&limit=500", &T->who[W_M1_ADMIN], NULL);
    assert_status(r, 200);
    assert_null(strstr(r->body, l));
}

/* 19.4: the same answers, step by step, for a login that exists and one that does not. */
static void test_unknown_login_answers_like_a_known_one(void **state)
{
    (void)state;
    char l[64], seq[2][1024];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    for (int k = 0; k < 2; k++) {
        const char *name = k ? "no.such.person" : l;
        int64_t start = clock_now;
        size_t len = 0;
        th_client_ip = k ? "10.2.0.2" : "10.2.0.1";
        for (int n = 1; n <= 14; n++) {
            clock_now += n > 4 ? 1000LL << (n - 5) : 0;
            struct th_resp *r = login(name, "Wrong-Password-1");
            len += (size_t)snprintf(seq[k] + len, sizeof(seq[k]) - len, "%d %s %s|", r->status,
                                    jstr(r->json, "rule") ? jstr(r->json, "rule") : "-",
                                    r->retry_after);
        }
        clock_now = start;
    }
    assert_string_equal(seq[0], seq[1]);
    assert_non_null(strstr(seq[1], "429 slow_down"));
    assert_non_null(strstr(seq[1], "429 locked"));
    ladder_stop();
}

/* 19.3: attempts on a locked account cost no hash; they must not cost an audit record each
 * either: one record per account and minute, carrying the count of the minute before. */
static void test_refusals_while_locked_are_counted_not_recorded(void **state)
{
    (void)state;
    char l[64];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    lock_account(l);
    int64_t before = count("SELECT COUNT(*) FROM audit_log");
    for (int i = 0; i < 300; i++)
        assert_status(login(l, "Wrong-Password-1"), 429);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before + 1);
    clock_now += 60000;
    assert_status(login(l, "Wrong-Password-1"), 429);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), before + 2);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'login.locked' AND actor_login = '%s' "
             "AND changes LIKE '%%\"refused_in_previous_window\":{\"from\":null,\"to\":300}%%'",
             l);
    assert_int_equal(count(body), 1);
    ladder_stop();
}

/* 19.2: one address trying many names is slowed down and locked as one account would be; the
 * device of a person who logged in before still passes. */
static void test_an_address_has_its_own_ladder(void **state)
{
    (void)state;
    char l[64], device[256], name[32];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    T->app.cfg.login_addr_slow_after = 3;
    T->app.cfg.login_addr_lock_after = 6;
    th_client_ip = "10.3.3.3";
    struct th_resp *r = login(l, TEST_PASSWORD);
    assert_status(r, 201);
    snprintf(device, sizeof(device), "%s", r->device_cookie);
    for (int n = 1; n <= 6; n++) {
        if (n > 3)
            clock_now += 1000LL << (n - 4);
        snprintf(name, sizeof(name), "guess.%d", n);
        assert_status(login(name, "Wrong-Password-1"), 401);
    }
    r = login("guess.new", "Wrong-Password-1");
    assert_status(r, 429);
    assert_string_equal(jstr(r->json, "rule"), "locked");
    assert_non_null(strstr(jstr(r->json, "detail"), "address"));
    assert_status(login(l, TEST_PASSWORD), 429);
    assert_status(login_with(l, TEST_PASSWORD, device), 201);
    th_client_ip = "10.3.3.4";
    assert_status(login("guess.new", "Wrong-Password-1"), 401);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE action = 'login.address_locked' AND "
                      "client_ip = '10.3.3.3'") == 1);
    ladder_stop();
}

struct parallel {
    const char *body;
    int status;
};

static void *attempt_alone(void *arg)
{
    struct parallel *p = arg;
    struct arena *a = arena_new();
    struct req rq;
    struct resp rs;
    memset(&rq, 0, sizeof(rq));
    rq.method = "POST";
    rq.path = "/api/v1/session";
    rq.headers[0].key = "Content-Type";
    rq.headers[0].value = "application/json";
    rq.n_headers = 1;
    rq.body = p->body;
    rq.body_len = strlen(p->body);
    rq.client_ip = "10.4.4.4";
    router_dispatch(&T->app, a, &rq, &rs);
    p->status = rs.status;
    arena_free(a);
    return NULL;
}

/* 19.5: parallel wrong attempts each count (the count used to be written from a value read
 * before the hash, so eight attempts raised it by about three). */
static void test_parallel_failures_all_count(void **state)
{
    (void)state;
    char l[64], b[256];
    pthread_t t[8];
    struct parallel p[8];
    snprintf(l, sizeof(l), "%s", fresh_login());
    ladder_start();
    T->app.cfg.login_slow_after = 50; /* no attempt may be refused: each must reach the hash */
    T->app.cfg.login_lock_after = 100;
    snprintf(b, sizeof(b), "{\"login\":\"%s\",\"password\":\"Wrong-Password-1\"}", l);
    for (int i = 0; i < 8; i++) {
        p[i].body = b;
        assert_int_equal(pthread_create(&t[i], NULL, attempt_alone, &p[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(p[i].status, 401);
    }
    snprintf(body, sizeof(body), "SELECT failed_logins FROM people WHERE login = '%s'", l);
    assert_int_equal(count(body), 8);
    assert_int_equal(count("SELECT failures FROM login_throttle WHERE key = 'a:10.4.4.4'"), 8);
    ladder_stop();
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

/* 19.8: a 403 raised inside a handler or by the CSRF check is audited like the route's own. */
static void test_every_403_is_audited(void **state)
{
    (void)state;
    char path[128], cookie[200];
    const char *denied = "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'";
    int64_t before = count(denied);
    /* A user agency's member resetting its administrator's password: the handler refuses. */
    snprintf(path, sizeof(path), "/api/v1/people/%lld/password",
             (long long)T->who[W_U1_ADMIN].person_id);
    assert_status(
        th_call("POST", path, &T->who[W_U1_MEMBER], "{\"new_password\":\"Hijack-Pass-33\"}"), 403);
    assert_int_equal(count(denied), before + 1);
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND actor_id = %lld "
             "AND changes LIKE '%%own password%%'",
             (long long)T->who[W_U1_MEMBER].person_id);
    assert_int_equal(count(body), 1);
    /* A cookie write without the CSRF header. */
    snprintf(cookie, sizeof(cookie), "Cookie: egov_session=%s", T->who[W_U1_MEMBER].token);
    const char *h[] = {cookie, NULL};
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)T->who[W_U1_MEMBER].person_id);
    assert_status(th_callh("PATCH", path, NULL, "{\"phone\":\"0851-5550001\"}", h), 403);
    assert_int_equal(count(denied), before + 2);
    assert_true(count("SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND "
                      "changes LIKE '%CSRF%'") >= 1);
}

/* 19.8: failed logins of unknown names belong to no institution: the root management
 * institution reads them, nobody else. */
static void test_unknown_login_failures_are_shown_to_root(void **state)
{
    (void)state;
    ladder_start();
    th_client_ip = "10.5.5.5";
    assert_status(login("nobody.for.root", "Wrong-Password-1"), 401);
    ladder_stop();
    struct th_resp *r =
        th_call("GET", "/api/v1/audit?action=login.failed&limit=500", &T->who[W_M_ADMIN], NULL);
    assert_status(r, 200);
    assert_non_null(strstr(r->body, "nobody.for.root"));
    r = th_call("GET", "/api/v1/audit?action=login.failed&limit=500", &T->who[W_M1_ADMIN], NULL);
    assert_status(r, 200);
    assert_null(strstr(r->body, "nobody.for.root"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_returns_token_cookie_and_stores_only_a_hash),
        cmocka_unit_test(test_switching_suite_ends_sessions_of_the_other_hash),
        cmocka_unit_test(test_wrong_password_and_unknown_login_look_alike),
        cmocka_unit_test(test_failures_slow_down_then_lock),
        cmocka_unit_test(test_count_restarts_when_the_lock_ends),
        cmocka_unit_test(test_known_device_and_address_pass_a_lock),
        cmocka_unit_test(test_lockout_is_reported_to_management),
        cmocka_unit_test(test_unknown_login_answers_like_a_known_one),
        cmocka_unit_test(test_refusals_while_locked_are_counted_not_recorded),
        cmocka_unit_test(test_an_address_has_its_own_ladder),
        cmocka_unit_test(test_parallel_failures_all_count),
        cmocka_unit_test(test_sessions_expire),
        cmocka_unit_test(test_logout_revokes),
        cmocka_unit_test(test_cookie_writes_need_csrf_header),
        cmocka_unit_test(test_denials_are_audited),
        cmocka_unit_test(test_every_403_is_audited),
        cmocka_unit_test(test_unknown_login_failures_are_shown_to_root),
    };
    return cmocka_run_group_tests_name("session", tests, th_setup, th_teardown);
}
