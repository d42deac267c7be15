/*
 * test_people.c - people in the two teams (T5-5.2b), posts with duties and grants (T5-5.3a),
 * certificates and 持证上岗 (T5-9.2b), enabling/disabling and passwords.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "core/timeutil.h"

#define M_ADMIN   (&T->who[W_M_ADMIN])
#define M_MEMBER  (&T->who[W_M_MEMBER])
#define P_ADMIN   (&T->who[W_P_ADMIN])
#define U1_ADMIN  (&T->who[W_U1_ADMIN])
#define U1_MEMBER (&T->who[W_U1_MEMBER])

static char body[1024], path[256];

static int64_t create_person(struct who *by, int64_t inst, const char *team, const char *extra)
{
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"李娜\",\"team\":\"%s\"%s}",
             (long long)inst, th_login(), team, extra ? extra : "");
    struct th_resp *r = th_call("POST", "/api/v1/people", by, body);
    assert_status(r, 201);
    return jint(r->json, "id");
}

static int login_status(const char *login, const char *password)
{
    snprintf(body, sizeof(body), "{\"login\":\"%s\",\"password\":\"%s\"}", login, password);
    return th_call("POST", "/api/v1/session", NULL, body)->status;
}

static void test_generated_password_is_shown_once_and_works(void **state)
{
    (void)state;
    char login[32], pw[32];
    snprintf(login, sizeof(login), "%s", th_login());
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"王芳\",\"team\":\"technical\"}",
             (long long)T->u1, login);
    struct th_resp *r = th_call("POST", "/api/v1/people", U1_ADMIN, body);
    assert_status(r, 201);
    assert_non_null(jstr(r->json, "generated_password"));
    snprintf(pw, sizeof(pw), "%s", jstr(r->json, "generated_password"));
    assert_int_equal(strlen(pw), 16);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)jint(r->json, "id"));
    r = th_call("GET", path, U1_ADMIN, NULL);
    assert_null(json_object_get(r->json, "generated_password"));
    assert_null(strstr(r->body, "password_hash"));
    assert_int_equal(login_status(login, pw), 201);
    /* The hash, not the password, is stored. */
    snprintf(body, sizeof(body),
             "SELECT COUNT(*) FROM people WHERE password_hash LIKE '$argon2id$%%' AND login = '%s'",
             login);
    assert_int_equal(th_sql_int(body), 1);
}

static void test_teams_follow_institution_kind(void **state)
{
    (void)state;
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"赵磊\",\"team\":"
             "\"administrative\"}",
             (long long)T->p, th_login());
    struct th_resp *r = th_call("POST", "/api/v1/people", P_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "team", "team_of_kind"));
    create_person(P_ADMIN, T->p, "technical", NULL);
    create_person(U1_ADMIN, T->u1, "administrative", NULL);
}

static void test_validation_and_uniqueness(void **state)
{
    (void)state;
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"Bad Login\",\"name\":\"x\",\"team\":\"tech\","
             "\"email\":\"nope\",\"password\":\"short\"}",
             (long long)T->u1);
    struct th_resp *r = th_call("POST", "/api/v1/people", U1_ADMIN, body);
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "login", "pattern"));
    assert_true(has_field_error(r->json, "password", "length"));
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"重名\",\"team\":\"technical\"}",
             (long long)T->u1, T->who[W_U1_MEMBER].login);
    r = th_call("POST", "/api/v1/people", U1_ADMIN, body);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "login", "unique"));
    /* Only administrators appoint administrators. */
    snprintf(body, sizeof(body),
             "{\"institution_id\":%lld,\"login\":\"%s\",\"name\":\"管理员\",\"team\":"
             "\"technical\",\"is_admin\":true}",
             (long long)T->u1, th_login());
    assert_status(th_call("POST", "/api/v1/people", U1_MEMBER, body), 403);
}

static void test_post_requires_valid_certificate(void **state)
{
    (void)state;
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts", (long long)T->p);
    struct th_resp *r = th_call("POST", path, P_ADMIN,
                                "{\"name\":\"安全工程师岗\",\"duties\":\"安全巡检与事件处置\","
                                "\"required_certificate\":\"cisp\"}");
    assert_status(r, 201);
    int64_t post = jint(r->json, "id");
    int64_t person = create_person(P_ADMIN, T->p, "technical", NULL);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)person);
    snprintf(body, sizeof(body), "{\"post_ids\":[%lld]}", (long long)post);
    r = th_call("PATCH", path, P_ADMIN, body);
    assert_status(r, 409);
    assert_true(has_field_error(r->json, "post_ids", "certificate_required"));
    /* An expired certificate does not count either. */
    snprintf(path, sizeof(path), "/api/v1/people/%lld/certificates", (long long)person);
    assert_status(th_call("POST", path, P_ADMIN,
                          "{\"kind\":\"cisp\",\"number\":\"CISP-OLD-1\",\"issuer\":"
                          "\"中国信息安全测评中心\",\"valid_to\":\"2020-01-01\"}"),
                  201);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)person);
    assert_status(th_call("PATCH", path, P_ADMIN, body), 409);
    snprintf(path, sizeof(path), "/api/v1/people/%lld/certificates", (long long)person);
    assert_status(th_call("POST", path, P_ADMIN,
                          "{\"kind\":\"cisp\",\"number\":\"CISP-2030-1\",\"issuer\":"
                          "\"中国信息安全测评中心\",\"valid_to\":\"2030-01-01\"}"),
                  201);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)person);
    r = th_call("PATCH", path, P_ADMIN, body);
    assert_status(r, 200);
    assert_int_equal(json_array_size(json_object_get(r->json, "posts")), 1);
    /* Lists show the posts too. */
    snprintf(path, sizeof(path), "/api/v1/people?institution_id=%lld&limit=500", (long long)T->p);
    r = th_call("GET", path, P_ADMIN, NULL);
    size_t k;
    json_t *it;
    int seen = 0;
    json_array_foreach(json_object_get(r->json, "items"), k, it)
    {
        if (jint(it, "id") == person) {
            seen = 1;
            assert_int_equal(json_array_size(json_object_get(it, "posts")), 1);
        }
    }
    assert_true(seen);
    /* A post with holders cannot be deleted. */
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts/%lld", (long long)T->p,
             (long long)post);
    assert_status(th_call("DELETE", path, P_ADMIN, NULL), 409);
}

static void test_post_grants_permissions_while_certified(void **state)
{
    (void)state;
    struct who w;
    memset(&w, 0, sizeof(w));
    int64_t person = th_person(T->m, false, "administrative");
    th_session(&w, person);
    assert_status(th_call("GET", "/api/v1/audit", &w, NULL), 403);
    snprintf(path, sizeof(path), "/api/v1/institutions/%lld/posts", (long long)T->m);
    struct th_resp *r =
        th_call("POST", path, M_ADMIN,
                "{\"name\":\"审计监督岗\",\"duties\":\"审阅审计日志\","
                "\"required_certificate\":\"auditor\",\"grants\":[\"audit.read\"]}");
    assert_status(r, 201);
    int64_t post = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/people/%lld/certificates", (long long)person);
    r = th_call("POST", path, M_ADMIN,
                "{\"kind\":\"auditor\",\"number\":\"AUD-1\",\"issuer\":\"审计署\",\"valid_to\":"
                "\"2030-01-01\"}");
    assert_status(r, 201);
    int64_t cert = jint(r->json, "id");
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)person);
    snprintf(body, sizeof(body), "{\"post_ids\":[%lld]}", (long long)post);
    assert_status(th_call("PATCH", path, M_ADMIN, body), 200);
    assert_status(th_call("GET", "/api/v1/audit", &w, NULL), 200);
    /* The grant lapses with the certificate. */
    snprintf(path, sizeof(path), "/api/v1/people/%lld/certificates/%lld", (long long)person,
             (long long)cert);
    assert_status(th_call("DELETE", path, M_ADMIN, NULL), 204);
    assert_status(th_call("GET", "/api/v1/audit", &w, NULL), 403);
}

static void test_disabling_ends_sessions_at_once(void **state)
{
    (void)state;
    struct who w;
    memset(&w, 0, sizeof(w));
    int64_t person = th_person(T->u1, false, "technical");
    th_session(&w, person);
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 200);
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)person);
    struct th_resp *r = th_call("PATCH", path, U1_ADMIN, "{\"enabled\":false}");
    assert_status(r, 200);
    assert_false(json_is_true(json_object_get(r->json, "enabled")));
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 401);
    assert_int_equal(login_status(w.login, TEST_PASSWORD), 401);
    assert_status(th_call("PATCH", path, U1_ADMIN, "{\"enabled\":true}"), 200);
    assert_int_equal(login_status(w.login, TEST_PASSWORD), 201);
    /* Nobody disables themselves. */
    snprintf(path, sizeof(path), "/api/v1/people/%lld", (long long)U1_ADMIN->person_id);
    r = th_call("PATCH", path, U1_ADMIN, "{\"enabled\":false}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "enabled", "self"));
    /* Login and institution never change. */
    r = th_call("PATCH", path, U1_ADMIN, "{\"login\":\"other\"}");
    assert_status(r, 422);
}

static void test_password_change_and_reset(void **state)
{
    (void)state;
    struct who w, other;
    memset(&w, 0, sizeof(w));
    memset(&other, 0, sizeof(other));
    int64_t person = th_person(T->u1, false, "technical");
    th_session(&w, person);
    th_session(&other, person);
    snprintf(path, sizeof(path), "/api/v1/people/%lld/password", (long long)person);
    struct th_resp *r = th_call("POST", path, &w, "{\"new_password\":\"New-Password-22\"}");
    assert_status(r, 422);
    assert_true(has_field_error(r->json, "current_password", "mismatch"));
    snprintf(body, sizeof(body),
             "{\"current_password\":\"%s\",\"new_password\":\"New-Password-22\"}", TEST_PASSWORD);
    assert_status(th_call("POST", path, &w, body), 204);
    /* The session that changed it lives on; the other one ends. */
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 200);
    assert_status(th_call("GET", "/api/v1/session", &other, NULL), 401);
    assert_int_equal(login_status(w.login, "New-Password-22"), 201);
    /* Another member may not reset it; the administrator may. */
    assert_status(th_call("POST", path, U1_MEMBER, "{\"new_password\":\"Hijack-Pass-33\"}"), 403);
    assert_status(th_call("POST", path, U1_ADMIN, "{\"new_password\":\"Reset-Pass-44\"}"), 204);
    assert_status(th_call("GET", "/api/v1/session", &w, NULL), 401);
    assert_int_equal(login_status(w.login, "Reset-Pass-44"), 201);
}

static void test_certificates_expiring_view(void **state)
{
    (void)state;
    char soon[16], later[16];
    int64_t person = th_person(T->u1, false, "technical");
    time_format_date(time_now_ms() + 30LL * 86400000, 480, soon, sizeof(soon));
    time_format_date(time_now_ms() + 90LL * 86400000, 480, later, sizeof(later));
    snprintf(path, sizeof(path), "/api/v1/people/%lld/certificates", (long long)person);
    snprintf(body, sizeof(body),
             "{\"kind\":\"pmp\",\"number\":\"PMP-77\",\"issuer\":\"PMI\",\"valid_to\":\"%s\"}",
             soon);
    assert_status(th_call("POST", path, U1_ADMIN, body), 201);
    snprintf(path, sizeof(path), "/api/v1/certificates?expiring_before=%s&total=true", later);
    struct th_resp *r = th_call("GET", path, &T->who[W_M1_ADMIN], NULL);
    assert_status(r, 200);
    assert_true(jint(r->json, "total") >= 1);
    /* Outside the jurisdiction nothing shows. */
    r = th_call("GET", path, &T->who[W_M2_ADMIN], NULL);
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(r->json, "items"), i, it)
        assert_true(jint(it, "person_id") != person);
    r = th_call("POST", "/api/v1/people/1/certificates", U1_ADMIN,
                "{\"kind\":\"PMP!\",\"number\":\"\",\"issuer\":\"x\",\"valid_to\":\"tomorrow\"}");
    assert_status(r, 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_password_is_shown_once_and_works),
        cmocka_unit_test(test_teams_follow_institution_kind),
        cmocka_unit_test(test_validation_and_uniqueness),
        cmocka_unit_test(test_post_requires_valid_certificate),
        cmocka_unit_test(test_post_grants_permissions_while_certified),
        cmocka_unit_test(test_disabling_ends_sessions_at_once),
        cmocka_unit_test(test_password_change_and_reset),
        cmocka_unit_test(test_certificates_expiring_view),
    };
    return cmocka_run_group_tests_name("people", tests, th_setup, th_teardown);
}
