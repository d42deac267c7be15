/*
 * harness.c - see harness.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/uscc.h"
#include "db/db.h"
#include "domain/auth/auth.h"
#include "domain/org/org.h"
#include "http/http.h"

struct th *T;
static struct th_resp last;
static struct arena *ctx_arena;
static char pg_admin_url[512], pg_db_name[64];

struct ctx *th_ctx(void)
{
    arena_free(ctx_arena);
    ctx_arena = arena_new();
    struct ctx *c = ctx_new(&T->app, ctx_arena);
    c->caller.is_system = true;
    c->caller.login = "test";
    return c;
}

const char *th_uscc(void)
{
    static char codes[64][19];
    char prefix[24];
    char *out = codes[T->serial % 64];
    snprintf(prefix, sizeof(prefix), "91520000MA%06u",
             (unsigned)(100000 + ++T->serial * 13) % 1000000u);
    if (uscc_complete(prefix, out) < 0)
        fail_msg("cannot make a credit code from %s", prefix);
    return out;
}

const char *th_login(void)
{
    static char logins[64][32];
    char *out = logins[T->serial % 64];
    snprintf(out, 32, "t.user%d", ++T->serial);
    return out;
}

int64_t th_institution(int64_t parent, const char *kind, const char *level)
{
    struct institution_input in;
    struct institution out;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.has = INST_F_PARENT;
    in.v.parent_id = parent;
    in.v.kind = kind;
    in.v.level = level;
    in.v.region = "520000";
    in.v.uscc = th_uscc();
    in.v.name = arena_printf(ctx_arena, "测试机构%d", T->serial);
    int rc = parent ? institution_create(c, &in, &out) : institution_create_root(c, &in, &out);
    if (rc < 0)
        fail_msg("fixture institution: %s", c->err.message);
    return out.id;
}

int64_t th_person(int64_t inst, bool admin, const char *team)
{
    struct person_input in;
    struct person out;
    const char *gen;
    struct ctx *c = th_ctx();
    memset(&in, 0, sizeof(in));
    in.has = PERSON_F_INSTITUTION;
    in.v.institution_id = inst;
    in.v.login = arena_strdup(ctx_arena, th_login());
    in.v.name = "测试人员";
    in.v.team = team;
    in.v.is_admin = admin;
    in.password = TEST_PASSWORD;
    if (person_create(c, &in, &out, &gen) < 0)
        fail_msg("fixture person: %s", c->err.message);
    return out.id;
}

void th_session(struct who *w, int64_t person_id)
{
    struct session_grant g;
    struct ctx *c = th_ctx();
    if (auth_session_open(c, person_id, &g) < 0)
        fail_msg("fixture session: %s", c->err.message);
    w->person_id = person_id;
    w->inst_id = g.person.institution_id;
    snprintf(w->login, sizeof(w->login), "%s", g.person.login);
    snprintf(w->token, sizeof(w->token), "%s", g.token);
    snprintf(w->csrf, sizeof(w->csrf), "%s", g.csrf_token);
}

static void make_who(int i, const char *name, int64_t inst, bool admin, const char *team)
{
    T->who[i].name = name;
    th_session(&T->who[i], th_person(inst, admin, team));
}

static int open_store(struct config *cfg)
{
    const char *store = getenv("EGOV_TEST_STORE");
    struct err e;
    err_clear(&e);
    if (!store || !strcmp(store, "sqlite")) {
        snprintf(T->sqlite_path, sizeof(T->sqlite_path), "/tmp/egov-test-%d-%u.db", (int)getpid(),
                 randombytes_random());
        snprintf(cfg->db, sizeof(cfg->db), "sqlite:%s", T->sqlite_path);
        return 0;
    }
    const char *base = getenv("EGOV_TEST_PG");
    if (!base) {
        fprintf(stderr, "EGOV_TEST_STORE=pg needs EGOV_TEST_PG (run under tests/with-pg.sh)\n");
        return -1;
    }
    struct db *admin;
    snprintf(pg_admin_url, sizeof(pg_admin_url), "%s", base);
    snprintf(pg_db_name, sizeof(pg_db_name), "egov_t_%d_%u", (int)getpid(), randombytes_random());
    if (db_open(base, 1, &admin, &e) < 0) {
        fprintf(stderr, "cannot reach %s: %s\n", base, e.message);
        return -1;
    }
    struct db_conn *c = db_acquire(admin, &e);
    char sql[128];
    snprintf(sql, sizeof(sql), "CREATE DATABASE %s", pg_db_name);
    int rc = c ? db_exec_script(c, sql, &e) : -1;
    db_release(c);
    db_close(admin);
    if (rc < 0)
        return -1;
    const char *slash = strrchr(base, '/');
    snprintf(cfg->db, sizeof(cfg->db), "%.*s/%s", (int)(slash - base), base, pg_db_name);
    return 0;
}

int th_setup(void **state)
{
    struct config cfg;
    struct err e;
    int n;
    (void)state;
    T = calloc(1, sizeof(*T));
    config_defaults(&cfg);
    cfg.threads = 4;
    snprintf(cfg.log_level, sizeof(cfg.log_level), "error");
    /* The signing, audit and session tests run once per crypto suite (tests/CMakeLists.txt sets
     * EGOV_CRYPTO_SUITE=sm2-sm3 for the second run). */
    const char *suite = getenv("EGOV_CRYPTO_SUITE");
    snprintf(cfg.crypto_suite, sizeof(cfg.crypto_suite), "%s", suite ? suite : "ed25519-blake2b");
    snprintf(T->key_path, sizeof(T->key_path), "/tmp/egov-test-key-%d-%u.pem", (int)getpid(),
             randombytes_random());
    snprintf(cfg.signing_key, sizeof(cfg.signing_key), "file:%s", T->key_path);
    cfg.signing_key_generate = 1;
    err_clear(&e);
    snprintf(T->checkpoint_path, sizeof(T->checkpoint_path),
             "/tmp/egov-test-%d-%u.checkpoints.jsonl", (int)getpid(), randombytes_random());
    snprintf(cfg.audit_checkpoint_file, sizeof(cfg.audit_checkpoint_file), "%s",
             T->checkpoint_path);
    if (open_store(&cfg) < 0 || app_init(&T->app, &cfg, &e) < 0 ||
        db_migrate(T->app.db, &n, &e) < 0 || app_open_signer(&T->app, &e) < 0) {
        fprintf(stderr, "test store: %s\n", e.message);
        return -1;
    }
    T->m = th_institution(0, "management", "provincial");
    T->m1 = th_institution(T->m, "management", "municipal");
    T->m2 = th_institution(T->m, "management", "municipal");
    T->p = th_institution(T->m, "provider", "provincial");
    T->e = th_institution(T->m, "evaluator", "provincial");
    T->u1 = th_institution(T->m1, "user", "municipal");
    T->u2 = th_institution(T->m2, "user", "municipal");
    T->who[W_ANON].name = "anon";
    make_who(W_M_ADMIN, "M-admin", T->m, true, "administrative");
    make_who(W_M_MEMBER, "M-member", T->m, false, "administrative");
    make_who(W_M1_ADMIN, "M1-admin", T->m1, true, "administrative");
    make_who(W_M2_ADMIN, "M2-admin", T->m2, true, "administrative");
    make_who(W_P_ADMIN, "P-admin", T->p, true, "technical");
    make_who(W_P_MEMBER, "P-member", T->p, false, "technical");
    make_who(W_E_ADMIN, "E-admin", T->e, true, "technical");
    make_who(W_U1_ADMIN, "U1-admin", T->u1, true, "administrative");
    make_who(W_U1_MEMBER, "U1-member", T->u1, false, "technical");
    make_who(W_U2_ADMIN, "U2-admin", T->u2, true, "administrative");
    return 0;
}

int th_teardown(void **state)
{
    (void)state;
    json_decref(last.json);
    last.json = NULL;
    arena_free(ctx_arena);
    ctx_arena = NULL;
    app_release(&T->app);
    unlink(T->key_path);
    unlink(T->checkpoint_path);
    if (T->sqlite_path[0]) {
        char p[300];
        unlink(T->sqlite_path);
        snprintf(p, sizeof(p), "%s-wal", T->sqlite_path);
        unlink(p);
        snprintf(p, sizeof(p), "%s-shm", T->sqlite_path);
        unlink(p);
    } else if (pg_db_name[0]) {
        struct db *admin;
        struct err e;
        char sql[128];
        err_clear(&e);
        if (db_open(pg_admin_url, 1, &admin, &e) == 0) {
            struct db_conn *c = db_acquire(admin, &e);
            snprintf(sql, sizeof(sql), "DROP DATABASE IF EXISTS %s", pg_db_name);
            if (c)
                db_exec_script(c, sql, &e);
            db_release(c);
            db_close(admin);
        }
    }
    free(T);
    T = NULL;
    return 0;
}

static void add_kv(struct arena *a, struct kv *arr, int *n, const char *k, size_t klen,
                   const char *v)
{
    if (*n >= REQ_MAX_KV)
        return;
    arr[*n].key = arena_strndup(a, k, klen);
    arr[*n].value = arena_strdup(a, v);
    (*n)++;
}

const char *th_client_ip = "127.0.0.1";

struct th_resp *th_callh(const char *method, const char *path, const struct who *w,
                         const char *body, const char *const *headers)
{
    struct arena *a = arena_new();
    struct req rq;
    struct resp rs;
    memset(&rq, 0, sizeof(rq));
    rq.method = method;
    const char *q = strchr(path, '?');
    rq.path = q ? arena_strndup(a, path, (size_t)(q - path)) : path;
    while (q && *q) {
        q++;
        const char *amp = strchr(q, '&'), *end = amp ? amp : q + strlen(q);
        const char *eq = memchr(q, '=', (size_t)(end - q));
        if (eq)
            add_kv(a, rq.query, &rq.n_query, q, (size_t)(eq - q),
                   arena_strndup(a, eq + 1, (size_t)(end - eq - 1)));
        q = amp;
    }
    if (w && w->token[0])
        add_kv(a, rq.headers, &rq.n_headers, "Authorization", 13,
               arena_printf(a, "Bearer %s", w->token));
    bool streamed = router_is_stream(method, rq.path);
    for (int i = 0; headers && headers[i]; i++) {
        const char *colon = strchr(headers[i], ':');
        add_kv(a, rq.headers, &rq.n_headers, headers[i], (size_t)(colon - headers[i]), colon + 2);
    }
    if (body)
        add_kv(a, rq.headers, &rq.n_headers, "Content-Type", 12,
               streamed ? "application/x-ndjson" : "application/json");
    rq.body = body;
    rq.body_len = body ? strlen(body) : 0;
    rq.client_ip = th_client_ip;
    if (streamed) {
        /* as the server does it: the guards first, then the body in small pieces */
        struct stream_call *sc = router_stream_open(&T->app, a, &rq, &rs);
        if (sc) {
            for (size_t o = 0; o < rq.body_len; o += 7)
                router_stream_feed(sc, body + o, rq.body_len - o < 7 ? rq.body_len - o : 7);
            router_stream_finish(sc, &rs);
        }
    } else {
        router_dispatch(&T->app, a, &rq, &rs);
    }

    json_decref(last.json);
    memset(&last, 0, sizeof(last));
    last.status = rs.status;
    snprintf(last.body, sizeof(last.body), "%.*s", (int)rs.len, rs.body ? rs.body : "");
    last.json = rs.len ? json_loadb(rs.body, rs.len, 0, NULL) : NULL;
    snprintf(last.content_type, sizeof(last.content_type), "%s",
             rs.content_type ? rs.content_type : "");
    for (int i = 0; i < rs.n_headers; i++) {
        const char *k = rs.headers[i].key, *v = rs.headers[i].value;
        if (!strcmp(k, "ETag"))
            snprintf(last.etag, sizeof(last.etag), "%s", v);
        else if (!strcmp(k, "Retry-After"))
            snprintf(last.retry_after, sizeof(last.retry_after), "%s", v);
        else if (!strcmp(k, "Set-Cookie") && !strncmp(v, "egov_device=", 12))
            snprintf(last.device_cookie, sizeof(last.device_cookie), "%s", v);
        else if (!strcmp(k, "Set-Cookie"))
            snprintf(last.set_cookie, sizeof(last.set_cookie), "%s", v);
        else if (!strcmp(k, "Allow"))
            snprintf(last.allow, sizeof(last.allow), "%s", v);
    }
    arena_free(a);
    return &last;
}

struct th_resp *th_call(const char *method, const char *path, const struct who *w, const char *body)
{
    return th_callh(method, path, w, body, NULL);
}

struct th_resp *th_callf(const char *method, const struct who *w, const char *body_fmt,
                         const char *path_fmt, ...)
{
    char path[512];
    va_list ap;
    va_start(ap, path_fmt);
    vsnprintf(path, sizeof(path), path_fmt, ap);
    va_end(ap);
    return th_call(method, path, w, body_fmt);
}

int64_t jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_string(v))
        return strtoll(json_string_value(v), NULL, 10);
    return json_integer_value(v);
}

const char *jstr(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

int has_field_error(json_t *problem, const char *field, const char *rule)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(problem, "errors"), i, e)
    {
        if (!strcmp(jstr(e, "field") ? jstr(e, "field") : "", field) &&
            (!rule || !strcmp(jstr(e, "rule") ? jstr(e, "rule") : "", rule)))
            return 1;
    }
    return 0;
}

int th_sql(const char *sql)
{
    struct ctx *c = th_ctx();
    struct db_conn *conn = ctx_db(c);
    return conn ? db_exec_script(conn, sql, &c->err) : -1;
}

int64_t th_sql_int(const char *sql)
{
    struct ctx *c = th_ctx();
    int64_t v = -1;
    if (db_query_int(ctx_db(c), sql, NULL, 0, &v, &c->err) < 0)
        fail_msg("sql %s: %s", sql, c->err.message);
    return v;
}

const char *th_suite(void)
{
    const char *s = getenv("EGOV_CRYPTO_SUITE");
    return s && *s ? s : "ed25519-blake2b";
}

static void write_file(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

int th_openssl_check(const char *body, const char *sig64, const char *pem)
{
    unsigned char sig[128];
    size_t len = 0;
    char dir[] = "/tmp/egov-sig-XXXXXX", cmd[1024];
    bool sm2 = !strcmp(th_suite(), "sm2-sm3");
    assert_int_equal(sodium_base642bin(sig, sizeof(sig), sig64, strcspn(sig64, "\n"), NULL, &len,
                                       NULL, sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_int_equal(len == 64, !sm2); /* SM2: DER (r, s), 70 to 72 bytes */
    assert_non_null(mkdtemp(dir));
    write_file(dir, "e.json", body, strlen(body));
    write_file(dir, "e.sig", sig, len);
    write_file(dir, "pub.pem", pem, strlen(pem));
    /* The commands of docs/keys.md, "Verifying an edition". */
    snprintf(cmd, sizeof(cmd),
             "openssl pkeyutl -verify -pubin -inkey %s/pub.pem -rawin -in %s/e.json -sigfile "
             "%s/e.sig%s > %s/out 2>&1",
             dir, dir, dir, sm2 ? " -digest sm3 -pkeyopt distid:1234567812345678" : "", dir);
    int rc = system(cmd);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        fail_msg("cannot remove %s", dir);
    return rc;
}

void th_openssl_verify(const char *body, const char *sig64, const char *pem)
{
    assert_int_equal(th_openssl_check(body, sig64, pem), 0);
    char *changed = strdup(body);
    changed[10] ^= 1;
    assert_int_not_equal(th_openssl_check(changed, sig64, pem), 0);
    free(changed);
}
