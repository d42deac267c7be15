/*
 * test_audit.c - the audit trail: every change recorded with what changed, read within the
 * jurisdiction, and a hash chain that detects edited, deleted, inserted, reordered and
 * truncated records - also when many requests write at once; the hash of the configured crypto
 * suite (EGOV_CRYPTO_SUITE runs the file under sm2-sm3 too) with older records verifying by their
 * own; and signed checkpoints that catch a chain a database administrator rewrote consistently.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/sign.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "http/http.h"
#include "jobs/jobs.h"

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
    snprintf(sql, sizeof(sql),
             "INSERT INTO audit_log SELECT seq + 1, at, actor_id, actor_login, "
             "actor_institution_id, scope_institution_id, 'person.delete', object_type, "
             "object_id, changes, client_ip, request_id, hash, hash, hash_alg FROM audit_log WHERE "
             "seq = %lld",
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

/* ---- what a database administrator can do without the signing key ---- */

static void canon(struct digest *d, const char *s)
{
    char len[24];
    size_t n = s ? strlen(s) : 0;
    snprintf(len, sizeof(len), "%zu:", n);
    digest_update(d, len, strlen(len));
    digest_update(d, s ? s : "", n);
}

static void canon_i(struct digest *d, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%lld", (long long)v);
    canon(d, buf);
}

/* Recomputes the hash of every record from seq `from` on, and the head, exactly as egov would:
 * the chain is consistent again and only a checkpoint can tell. Written from the documented
 * canonical form (docs/audit.md), not with egov's own function. */
static void dba_rehash_from(int64_t from)
{
    struct ctx *c = th_ctx();
    struct db_conn *conn = ctx_db(c);
    struct db_rows *r;
    char prev[DIGEST_HEX];
    int64_t last = 0;
    assert_non_null(conn);
    memset(prev, '0', 64);
    prev[64] = 0;
    if (from > 1) {
        assert_int_equal(db_query_row(conn, "SELECT hash FROM audit_log WHERE seq = $1",
                                      DB_ARGS(DB_INT(from - 1)), &r, &c->err),
                         1);
        snprintf(prev, sizeof(prev), "%s", db_text(r, 0));
        db_rows_free(r);
    }
    int64_t n = th_sql_int("SELECT MAX(seq) FROM audit_log");
    for (int64_t seq = from; seq <= n; seq++) {
        struct digest d;
        unsigned char h[DIGEST_BYTES];
        char hex[DIGEST_HEX];
        enum digest_alg alg;
        c = th_ctx();
        conn = ctx_db(c);
        if (db_query_row(conn,
                         "SELECT seq, at, actor_id, actor_login, actor_institution_id, "
                         "scope_institution_id, action, object_type, object_id, changes, "
                         "client_ip, request_id, hash_alg FROM audit_log WHERE seq = $1",
                         DB_ARGS(DB_INT(seq)), &r, &c->err) != 1)
            continue;
        assert_int_equal(digest_parse(db_text(r, 12), &alg), 0);
        digest_init(&d, alg);
        canon(&d, prev);
        canon_i(&d, db_int(r, 0));
        canon_i(&d, db_int(r, 1));
        canon_i(&d, db_int(r, 2));
        canon(&d, db_text(r, 3));
        canon_i(&d, db_int(r, 4));
        canon_i(&d, db_int(r, 5));
        canon(&d, db_text(r, 6));
        canon(&d, db_text(r, 7));
        canon_i(&d, db_int(r, 8));
        canon(&d, db_text(r, 9));
        canon(&d, db_text(r, 10));
        canon(&d, db_text(r, 11));
        db_rows_free(r);
        digest_final(&d, h);
        sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
        const char *p = prev, *x = hex; /* pointers: DB_TEXT tests them for NULL */
        assert_int_equal(db_exec(conn,
                                 "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
                                 DB_ARGS(DB_TEXT(p), DB_TEXT(x), DB_INT(seq)), NULL, &c->err),
                         0);
        snprintf(prev, sizeof(prev), "%s", hex);
        last = seq;
    }
    c = th_ctx();
    const char *head = prev;
    assert_int_equal(db_exec(ctx_db(c), "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1",
                             DB_ARGS(DB_INT(last), DB_TEXT(head)), NULL, &c->err),
                     0);
}

/* `egov audit verify [--checkpoint FILE]` in this process, on the test store. */
static int run_verify(const char *checkpoint, const char *public_key)
{
    char *argv[8];
    int argc = 0;
    argv[argc++] = "verify";
    argv[argc++] = "--db";
    argv[argc++] = T->app.cfg.db;
    if (checkpoint) {
        argv[argc++] = "--checkpoint";
        argv[argc++] = (char *)checkpoint;
    }
    if (public_key) {
        argv[argc++] = "--public-key";
        argv[argc++] = (char *)public_key;
    }
    argv[argc] = NULL;
    return cmd_audit(argc, argv);
}

static struct audit_checkpoint_verdict check_file(const char *file, struct audit_verdict *v)
{
    struct audit_checkpoint_verdict cv;
    struct ctx *c = th_ctx();
    if (audit_verify_checkpoints(c, file, NULL, v, &cv) < 0)
        fail_msg("verify checkpoints: %s", c->err.message);
    return cv;
}

static int count_lines(const char *file)
{
    char line[4096];
    int n = 0;
    FILE *f = fopen(file, "r");
    if (!f)
        return 0;
    while (fgets(line, sizeof(line), f))
        n++;
    fclose(f);
    return n;
}

static void save_chain(void)
{
    assert_int_equal(th_sql("CREATE TABLE audit_saved AS SELECT * FROM audit_log"), 0);
}

static void restore_chain(void)
{
    assert_int_equal(th_sql("DELETE FROM audit_log"), 0);
    assert_int_equal(th_sql("INSERT INTO audit_log SELECT * FROM audit_saved"), 0);
    assert_int_equal(th_sql("UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log), hash = "
                            "(SELECT hash FROM audit_log WHERE seq = (SELECT MAX(seq) FROM "
                            "audit_log)) WHERE id = 1"),
                     0);
    assert_int_equal(th_sql("DROP TABLE audit_saved"), 0);
}

static void test_records_use_the_suites_hash_and_old_ones_keep_theirs(void **state)
{
    (void)state;
    char suite[32];
    enum digest_alg now = digest_of_suite(T->app.cfg.crypto_suite);
    snprintf(suite, sizeof(suite), "%s", T->app.cfg.crypto_suite);
    th_institution(T->m1, "user", "municipal");
    snprintf(sql, sizeof(sql),
             "SELECT COUNT(*) FROM audit_log WHERE seq = (SELECT MAX(seq) FROM "
             "audit_log) AND hash_alg = '%s'",
             digest_name(now));
    assert_int_equal(th_sql_int(sql), 1);
    /* The deployment switches suites: new records take the other hash, and the chain of both
     * still verifies record by record. */
    snprintf(T->app.cfg.crypto_suite, sizeof(T->app.cfg.crypto_suite), "%s",
             now == DIGEST_SM3 ? "ed25519-blake2b" : "sm2-sm3");
    th_institution(T->m1, "user", "municipal");
    snprintf(T->app.cfg.crypto_suite, sizeof(T->app.cfg.crypto_suite), "%s", suite);
    th_institution(T->m1, "user", "municipal");
    assert_int_equal(th_sql_int("SELECT COUNT(DISTINCT hash_alg) FROM audit_log"), 2);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));
    /* Each record's hash is the one its algorithm gives (a rewrite by the documented canonical
     * form changes nothing). */
    save_chain();
    assert_int_equal(th_sql("CREATE TABLE audit_before AS SELECT seq, hash FROM audit_log"), 0);
    dba_rehash_from(1);
    assert_int_equal(th_sql_int("SELECT COUNT(*) FROM audit_log a JOIN audit_before b ON b.seq = "
                                "a.seq WHERE a.hash <> b.hash"),
                     0);
    assert_int_equal(th_sql("DROP TABLE audit_before"), 0);
    restore_chain();
}

static void test_checkpoints_daily_and_with_each_edition(void **state)
{
    (void)state;
    struct jobs_report rep;
    struct err e;
    err_clear(&e);
    int lines = count_lines(T->checkpoint_path);
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    assert_int_equal(rep.audit_checkpoints, 1);
    assert_int_equal(count_lines(T->checkpoint_path), lines + 1);
    /* Daily: not again the same day, again a day later. */
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    assert_int_equal(rep.audit_checkpoints, 0);
    time_set_offset_ms(25 * 3600 * 1000LL);
    assert_int_equal(jobs_run_once(&T->app, &rep, &e), 0);
    time_set_offset_ms(0);
    assert_int_equal(rep.audit_checkpoints, 1);
    /* With every catalogue edition. */
    assert_status(th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL), 201);
    assert_status(th_call("POST", "/api/v1/catalogues/products/editions", M_ADMIN, NULL), 201);
    assert_int_equal(count_lines(T->checkpoint_path), lines + 4);
    /* Public, newest first, signed over signed_text; each publication is itself audited. */
    struct th_resp *r = th_call("GET", "/api/v1/audit/checkpoints?limit=2", NULL, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    json_t *newest = json_array_get(items, 0);
    assert_string_equal(jstr(newest, "reason"), "catalogue:products");
    assert_string_equal(jstr(newest, "algorithm"), sign_suite_algorithm(T->app.cfg.crypto_suite));
    assert_string_equal(jstr(newest, "hash_alg"),
                        digest_name(digest_of_suite(T->app.cfg.crypto_suite)));
    assert_non_null(strstr(jstr(newest, "signed_text"), "egov-audit-checkpoint/1\n"));
    assert_true(jint(newest, "seq") > jint(json_array_get(items, 1), "seq"));
    snprintf(
        sql, sizeof(sql),
        "SELECT COUNT(*) FROM audit_log WHERE action = 'audit.checkpoint' AND object_id = %lld "
        "AND seq = %lld",
        (long long)jint(newest, "seq"), (long long)jint(newest, "seq") + 1);
    assert_int_equal(th_sql_int(sql), 1);
    snprintf(path, sizeof(path), "/api/v1/audit/checkpoints?cursor=%s",
             jstr(r->json, "next_cursor"));
    r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    assert_true(json_array_size(json_object_get(r->json, "items")) >= 2);
    assert_status(th_call("GET", "/api/v1/audit/checkpoints?since=1", NULL, NULL), 422);
    /* The file holds and the command agrees. */
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 0);
}

static void test_consistent_rewrite_is_caught_by_the_checkpoints(void **state)
{
    (void)state;
    struct audit_verdict v;
    struct audit_checkpoint_verdict cv;
    /* A checkpoint, then more history. */
    assert_status(th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL), 201);
    int64_t signed_seq = th_sql_int("SELECT MAX(seq) FROM audit_checkpoints");
    int first_line = 0;
    {
        char line[4096];
        FILE *f = fopen(T->checkpoint_path, "r");
        assert_non_null(f);
        int n = 0;
        while (fgets(line, sizeof(line), f) && !first_line) {
            long long seq = 0;
            n++;
            const char *p = strstr(line, "\"seq\":");
            if (p && sscanf(p + 6, "%lld", &seq) == 1 && seq >= signed_seq - 3)
                first_line = n;
        }
        fclose(f);
    }
    assert_true(first_line > 0);
    th_institution(T->m1, "user", "municipal");
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 0);
    save_chain();

    /* The administrator edits a record before the checkpoint and rehashes everything after it,
     * head included. The chain alone looks intact. */
    snprintf(sql, sizeof(sql),
             "UPDATE audit_log SET changes = '{\"forged\":true}' WHERE seq = %lld",
             (long long)signed_seq - 3);
    assert_int_equal(th_sql(sql), 0);
    dba_rehash_from(signed_seq - 3);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));
    assert_int_equal(run_verify(NULL, NULL), 0);
    /* The checkpoints are not fooled: exit 1, naming the first checkpoint that no longer
     * holds. */
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 1);
    cv = check_file(T->checkpoint_path, &v);
    assert_true(v.ok);
    assert_int_equal(cv.bad_checkpoint_line, first_line);
    assert_true(cv.bad_checkpoint_seq >= signed_seq - 3);
    assert_non_null(strstr(cv.reason, "rewritten"));
    restore_chain();
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 0);

    /* Truncated: the newest records deleted and the head set back consistently. */
    save_chain();
    snprintf(sql, sizeof(sql), "DELETE FROM audit_log WHERE seq >= %lld", (long long)signed_seq);
    assert_int_equal(th_sql(sql), 0);
    dba_rehash_from(signed_seq - 1);
    assert_true(json_is_true(json_object_get(verify_api(), "ok")));
    assert_int_equal(run_verify(NULL, NULL), 0);
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 1);
    cv = check_file(T->checkpoint_path, &v);
    assert_int_equal(cv.bad_checkpoint_seq, signed_seq);
    assert_non_null(strstr(cv.reason, "removed from the end"));
    restore_chain();
    assert_int_equal(run_verify(T->checkpoint_path, NULL), 0);
}

static void test_forged_checkpoints_are_refused(void **state)
{
    (void)state;
    char forged[300], line[4096], keyfile[300];
    struct audit_verdict v;
    struct audit_checkpoint_verdict cv;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    assert_status(th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL), 201);
    /* A copy of the file whose last line claims another hash. */
    snprintf(forged, sizeof(forged), "%s.forged", T->checkpoint_path);
    FILE *in = fopen(T->checkpoint_path, "r"), *out = fopen(forged, "w");
    assert_non_null(in);
    assert_non_null(out);
    int n = count_lines(T->checkpoint_path), i = 0;
    while (fgets(line, sizeof(line), in)) {
        char *h = strstr(line, "\"hash\":\"");
        if (++i == n && h)
            h[8] = h[8] == 'a' ? 'b' : 'a';
        fputs(line, out);
    }
    fclose(in);
    fclose(out);
    assert_int_equal(run_verify(forged, NULL), 1);
    cv = check_file(forged, &v);
    assert_int_equal(cv.bad_checkpoint_line, n);
    assert_non_null(strstr(cv.reason, "signature"));
    unlink(forged);
    /* Genuine checkpoints checked with some other key fail too. */
    crypto_sign_keypair(pk, sk);
    static const unsigned char spki[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                           0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    unsigned char der[44];
    char b64[80];
    memcpy(der, spki, sizeof(spki));
    memcpy(der + sizeof(spki), pk, sizeof(pk));
    sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
    snprintf(keyfile, sizeof(keyfile), "%s.other.pem", T->checkpoint_path);
    out = fopen(keyfile, "w");
    assert_non_null(out);
    fprintf(out, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
    fclose(out);
    assert_int_equal(run_verify(T->checkpoint_path, keyfile), 1);
    /* ... and with the published key they hold. */
    struct th_resp *r = th_call("GET", "/api/v1/catalogues/public-key", NULL, NULL);
    assert_status(r, 200);
    out = fopen(keyfile, "w");
    fputs(r->body, out);
    fclose(out);
    assert_int_equal(run_verify(T->checkpoint_path, keyfile), 0);
    unlink(keyfile);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_change_is_recorded_with_before_and_after),
        cmocka_unit_test(test_reading_follows_jurisdiction_and_filters),
        cmocka_unit_test(test_concurrent_writers_keep_one_chain),
        cmocka_unit_test(test_tampering_is_detected),
        cmocka_unit_test(test_records_use_the_suites_hash_and_old_ones_keep_theirs),
        cmocka_unit_test(test_checkpoints_daily_and_with_each_edition),
        cmocka_unit_test(test_consistent_rewrite_is_caught_by_the_checkpoints),
        cmocka_unit_test(test_forged_checkpoints_are_refused),
    };
    return cmocka_run_group_tests_name("audit", tests, th_setup, th_teardown);
}
