/*
 * test_keys.c - signing keys (docs/keys.md): rotation keeps old editions verifiable with the
 * old public key, a node still holding a retired key refuses to sign, the public key list shows
 * every key with its validity, and a store of an older release has its secret key moved to the
 * key file by the migration that drops it from the store. Runs under both crypto suites.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "core/arena.h"
#include "core/sign.h"
#include "db/db.h"
#include "domain/keys/keys.h"

#define M_ADMIN (&T->who[W_M_ADMIN])

static char path[512];

struct signed_edition {
    int number;
    char *body;
    char sig64[160];
    char key_id[64];
};

/* Publishes a resource catalogue edition and reads back its bytes, signature and key id. */
static void publish(struct signed_edition *e)
{
    struct th_resp *r = th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL);
    assert_status(r, 201);
    e->number = (int)jint(r->json, "edition");
    snprintf(path, sizeof(path), "/api/v1/catalogues/resources/editions/%d", e->number);
    e->body = strdup(th_call("GET", path, NULL, NULL)->body);
    snprintf(path, sizeof(path), "/api/v1/catalogues/resources/editions/%d/signature", e->number);
    snprintf(e->sig64, sizeof(e->sig64), "%.150s", th_call("GET", path, NULL, NULL)->body);
    e->sig64[strcspn(e->sig64, "\n")] = 0;
    r = th_call("GET", "/api/v1/catalogues/resources/editions", NULL, NULL);
    size_t i;
    json_t *it;
    e->key_id[0] = 0;
    json_array_foreach(json_object_get(r->json, "items"), i,
                       it) if (jint(it, "edition") == e->number)
        snprintf(e->key_id, sizeof(e->key_id), "%s", jstr(it, "key_id"));
    assert_true(e->key_id[0] != 0);
}

static void pem_of(const char *key_id, char *pem, size_t cap)
{
    snprintf(path, sizeof(path), "/api/v1/catalogues/public-key?key_id=%s", key_id);
    struct th_resp *r = th_call("GET", path, NULL, NULL);
    assert_status(r, 200);
    snprintf(pem, cap, "%.500s", r->body);
}

static void copy_file(const char *from, const char *to)
{
    char buf[4096];
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(in >= 0 && out >= 0);
    ssize_t n = read(in, buf, sizeof(buf));
    assert_true(n > 0);
    assert_int_equal(write(out, buf, (size_t)n), n);
    close(in);
    close(out);
}

/* Issue 12: a new key signs new editions; old editions stay verifiable with the old key. */
static void test_rotation_keeps_old_editions_verifiable(void **state)
{
    (void)state;
    struct signed_edition a, b;
    struct signing_key now, old;
    char pem_a[512], pem_b[512], stale[300];
    publish(&a);
    snprintf(stale, sizeof(stale), "%s.stale", T->key_path);
    copy_file(T->key_path, stale);

    assert_int_equal(keys_rotate(th_ctx(), &now, &old), 0);
    assert_string_equal(old.id, a.key_id);
    assert_string_not_equal(now.id, a.key_id);
    struct stat st;
    assert_int_equal(stat(T->key_path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    publish(&b);
    assert_string_equal(b.key_id, now.id);
    pem_of(a.key_id, pem_a, sizeof(pem_a));
    pem_of(b.key_id, pem_b, sizeof(pem_b));
    th_openssl_verify(a.body, a.sig64, pem_a);
    th_openssl_verify(b.body, b.sig64, pem_b);
    /* Each signature holds only with its own key. */
    assert_int_not_equal(th_openssl_check(a.body, a.sig64, pem_b), 0);
    assert_int_not_equal(th_openssl_check(b.body, b.sig64, pem_a), 0);
    /* Without key_id: the key that signs now. */
    struct th_resp *r = th_call("GET", "/api/v1/catalogues/public-key", NULL, NULL);
    assert_string_equal(r->body, pem_b);

    /* The public list: both keys, the old one retired, the algorithm of the suite. */
    r = th_call("GET", "/api/v1/signing-keys", NULL, NULL);
    assert_status(r, 200);
    json_t *items = json_object_get(r->json, "items");
    assert_int_equal(json_array_size(items), 2);
    const char *alg = strcmp(th_suite(), "sm2-sm3") ? "ed25519" : "sm2";
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        assert_string_equal(jstr(it, "algorithm"), alg);
        bool is_old = !strcmp(jstr(it, "key_id"), a.key_id);
        assert_true(is_old || !strcmp(jstr(it, "key_id"), b.key_id));
        assert_int_equal(json_is_null(json_object_get(it, "retired_at")), !is_old);
        assert_string_equal(jstr(it, "public_key_pem"), is_old ? pem_a : pem_b);
    }
    assert_int_equal(
        th_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'signing_key.rotate'"), 1);

    /* A node that still holds the retired key refuses to sign. */
    struct signer *current = T->app.signer, *old_signer = NULL;
    struct sign_options o = {NULL, th_suite(), false, NULL};
    char spec[320];
    snprintf(spec, sizeof(spec), "file:%s", stale);
    o.spec = spec;
    struct err e;
    err_clear(&e);
    assert_int_equal(signer_open(&o, &old_signer, &e), 0);
    T->app.signer = old_signer;
    r = th_call("POST", "/api/v1/catalogues/resources/editions", M_ADMIN, NULL);
    T->app.signer = current;
    signer_close(old_signer);
    unlink(stale);
    assert_status(r, 409);
    assert_string_equal(jstr(r->json, "rule"), "signing_key_retired");

    /* An unknown key id is not found; unknown parameters are refused. */
    assert_status(th_call("GET", "/api/v1/catalogues/public-key?key_id=ed25519-0", NULL, NULL),
                  404);
    assert_status(th_call("GET", "/api/v1/catalogues/public-key?kid=x", NULL, NULL), 422);
    free(a.body);
    free(b.body);
}

/* A token key replaced without rotation, or a key feared compromised, is retired alone. */
static void test_retire_one_key(void **state)
{
    (void)state;
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    char pk64[64], sql[512];
    struct th_resp *r;
    const char *mine = NULL;
    struct ctx *c;
    size_t i;
    json_t *it;
    struct signed_edition ed;
    publish(&ed);
    free(ed.body);
    r = th_call("GET", "/api/v1/signing-keys", NULL, NULL);
    json_array_foreach(json_object_get(r->json, "items"), i,
                       it) if (json_is_null(json_object_get(it, "retired_at"))) mine =
        jstr(it, "key_id");
    assert_non_null(mine);
    char in_use[64];
    snprintf(in_use, sizeof(in_use), "%s", mine);

    c = th_ctx();
    assert_int_equal(keys_retire(c, in_use), -1);
    assert_string_equal(c->err.rule, "signing_key_in_use");
    c = th_ctx();
    assert_int_equal(keys_retire(c, "ed25519-0000000000000000"), -1);
    assert_int_equal(c->err.kind, ERR_NOT_FOUND);

    /* Another node's key, registered and still unretired. */
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
    snprintf(sql, sizeof(sql),
             "INSERT INTO signing_keys (id, algorithm, public_key, created_at) VALUES "
             "('ed25519-other', 'ed25519', 'MCowBQYDK2VwAyEA%s', 1700000000000)",
             pk64);
    assert_int_equal(th_sql(sql), 0);
    assert_int_equal(keys_retire(th_ctx(), "ed25519-other"), 0);
    c = th_ctx();
    assert_int_equal(keys_retire(c, "ed25519-other"), -1);
    assert_string_equal(c->err.rule, "signing_key_retired");
    r = th_call("GET", "/api/v1/signing-keys", NULL, NULL);
    json_array_foreach(json_object_get(r->json, "items"), i, it)
    {
        if (!strcmp(jstr(it, "key_id"), "ed25519-other"))
            assert_false(json_is_null(json_object_get(it, "retired_at")));
        if (!strcmp(jstr(it, "key_id"), in_use))
            assert_true(json_is_null(json_object_get(it, "retired_at")));
    }
    assert_int_equal(
        th_sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'signing_key.retire'"), 1);
    /* The key in use still signs. */
    publish(&ed);
    assert_string_equal(ed.key_id, in_use);
    free(ed.body);
}

/* A second, empty store on the same server (or a SQLite file) for the migration test. */
static void other_store(char *url, size_t cap, char *pg_name, size_t name_cap)
{
    const char *base = getenv("EGOV_TEST_PG");
    pg_name[0] = 0;
    if (!T->sqlite_path[0] && base) {
        snprintf(pg_name, name_cap, "egov_legacy_%d_%u", (int)getpid(), randombytes_random());
        snprintf(path, sizeof(path), "CREATE DATABASE %s", pg_name);
        assert_int_equal(th_sql(path), 0);
        const char *slash = strrchr(base, '/');
        snprintf(url, cap, "%.*s/%s", (int)(slash - base), base, pg_name);
    } else {
        snprintf(url, cap, "sqlite:%s.legacy", T->sqlite_path);
    }
}

/* A store as an older release left it (schema 14), holding an Ed25519 key pair with its
 * secret in signing_keys; the key file of cfg is dir/signing.key, never generated. */
static void legacy_store(struct app *app, struct config *cfg, const char *dir, char *pg_name,
                         size_t name_cap, unsigned char pk[crypto_sign_PUBLICKEYBYTES], char *pk64,
                         size_t pk64_cap)
{
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    char sk64[128], sql[512];
    struct err e;
    int n;
    config_defaults(cfg);
    snprintf(cfg->log_level, sizeof(cfg->log_level), "error");
    other_store(cfg->db, sizeof(cfg->db), pg_name, name_cap);
    /* The legacy key is Ed25519: this store runs the default suite whatever the run's. */
    snprintf(cfg->signing_key, sizeof(cfg->signing_key), "file:%s/signing.key", dir);
    cfg->signing_key_generate = 0;
    err_clear(&e);
    assert_int_equal(app_init(app, cfg, &e), 0);
    assert_int_equal(db_migrate_upto(app->db, 14, &n, &e), 0);
    crypto_sign_keypair(pk, sk);
    sodium_bin2base64(pk64, pk64_cap, pk, crypto_sign_PUBLICKEYBYTES,
                      sodium_base64_VARIANT_ORIGINAL);
    sodium_bin2base64(sk64, sizeof(sk64), sk, sizeof(sk), sodium_base64_VARIANT_ORIGINAL);
    sodium_memzero(sk, sizeof(sk));
    struct db_conn *c = db_acquire(app->db, &e);
    assert_non_null(c);
    snprintf(sql, sizeof(sql),
             "INSERT INTO signing_keys (id, public_key, secret_key, created_at) VALUES "
             "('ed25519-1', '%s', '%s', 1700000000000)",
             pk64, sk64);
    assert_int_equal(db_exec_script(c, sql, &e), 0);
    db_release(c);
}

static void drop_store(struct app *app, const struct config *cfg, const char *pg_name)
{
    char sql[128];
    app_release(app);
    if (pg_name[0]) {
        snprintf(sql, sizeof(sql), "DROP DATABASE %s", pg_name);
        assert_int_equal(th_sql(sql), 0);
    } else {
        char f[600];
        unlink(cfg->db + 7);
        snprintf(f, sizeof(f), "%s-wal", cfg->db + 7);
        unlink(f);
        snprintf(f, sizeof(f), "%s-shm", cfg->db + 7);
        unlink(f);
    }
}

/* Issue 12: an older release kept the Ed25519 secret key in signing_keys. Migrating writes it
 * to the (absent) key file with mode 0600, drops it from the store, and the same key goes on
 * signing under its old id. */
static void test_migration_moves_the_legacy_key_to_the_key_file(void **state)
{
    (void)state;
    struct config cfg;
    struct app app;
    struct err e;
    char dir[] = "/tmp/egov-legacy-XXXXXX", pg_name[64], sql[512];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char pk64[64];
    int n;
    assert_non_null(mkdtemp(dir));
    legacy_store(&app, &cfg, dir, pg_name, sizeof(pg_name), pk, pk64, sizeof(pk64));
    err_clear(&e);

    /* `egov keys export-legacy --out FILE`, before migrating: the same key, mode 0600, and
     * never over an existing file. */
    char exported[300], spec[320];
    int done = 0;
    snprintf(exported, sizeof(exported), "%s/exported.key", dir);
    assert_int_equal(keys_export_legacy(&app, exported, &done, &e), 0);
    assert_int_equal(done, 1);
    assert_int_equal(keys_export_legacy(&app, exported, &done, &e), -1);
    struct stat st;
    assert_int_equal(stat(exported, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    struct signer *s = NULL;
    snprintf(spec, sizeof(spec), "file:%s", exported);
    struct sign_options o = {spec, "ed25519-blake2b", false, NULL};
    assert_int_equal(signer_open(&o, &s, &e), 0);
    snprintf(sql, sizeof(sql), "MCowBQYDK2VwAyEA%s", pk64);
    assert_string_equal(signer_public_key(s), sql);
    signer_close(s);
    unlink(exported);

    assert_int_equal(keys_migrate(&app, &n, &e), 0);
    assert_true(n >= 1);
    /* After the migration there is nothing left to export. */
    err_clear(&e);
    assert_int_equal(keys_export_legacy(&app, exported, &done, &e), -1);
    assert_int_equal(e.kind, ERR_CONFLICT);
    assert_int_equal(access(exported, F_OK), -1);
    snprintf(path, sizeof(path), "%s/signing.key", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(app_open_signer(&app, &e), 0);

    struct arena *a = arena_new();
    struct ctx *ctx = ctx_new(&app, a);
    ctx->caller.is_system = true;
    const char *sig64, *kid;
    unsigned char sig[SIGN_MAX];
    size_t len = 0;
    assert_int_equal(keys_sign(ctx, "edition", 7, &sig64, &kid), 0);
    assert_string_equal(kid, "ed25519-1");
    assert_int_equal(sodium_base642bin(sig, sizeof(sig), sig64, strlen(sig64), NULL, &len, NULL,
                                       sodium_base64_VARIANT_ORIGINAL),
                     0);
    assert_int_equal(crypto_sign_verify_detached(sig, (const unsigned char *)"edition", 7, pk), 0);
    struct signing_key *items;
    assert_int_equal(keys_list(ctx, &items, &n), 0);
    assert_int_equal(n, 1);
    /* The secret is gone from the store. */
    struct db_conn *c = ctx_db(ctx);
    assert_int_equal(db_exec_script(c, "SELECT secret_key FROM signing_keys", &ctx->err), -1);
    arena_free(a);
    drop_store(&app, &cfg, pg_name);
    unlink(path);
    rmdir(dir);
}

/* docs/keys.md: when the key file exists already, the stored secret is dropped, not exported;
 * its public key stays (what it signed still verifies) and the file's key signs from then on. */
static void test_migration_keeps_an_existing_key_file(void **state)
{
    (void)state;
    struct config cfg;
    struct app app;
    struct err e;
    char dir[] = "/tmp/egov-legacy-XXXXXX", pg_name[64], want[200];
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char pk64[64];
    int n;
    assert_non_null(mkdtemp(dir));
    legacy_store(&app, &cfg, dir, pg_name, sizeof(pg_name), pk, pk64, sizeof(pk64));
    err_clear(&e);
    snprintf(path, sizeof(path), "%s/signing.key", dir);
    assert_int_equal(sign_generate_file(path, "ed25519-blake2b", &e), 0);
    assert_int_equal(keys_migrate(&app, &n, &e), 0);
    assert_int_equal(app_open_signer(&app, &e), 0);
    snprintf(want, sizeof(want), "MCowBQYDK2VwAyEA%s", pk64);
    assert_string_not_equal(signer_public_key(app.signer), want);

    struct arena *a = arena_new();
    struct ctx *ctx = ctx_new(&app, a);
    ctx->caller.is_system = true;
    const char *sig64, *kid;
    struct signing_key old;
    assert_int_equal(keys_sign(ctx, "edition", 7, &sig64, &kid), 0);
    assert_string_not_equal(kid, "ed25519-1");
    assert_int_equal(keys_verify(ctx, kid, "edition", 7, sig64), 0);
    assert_int_equal(keys_get(ctx, "ed25519-1", &old), 0);
    assert_string_equal(old.public_key, want);
    arena_free(a);
    drop_store(&app, &cfg, pg_name);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rotation_keeps_old_editions_verifiable),
        cmocka_unit_test(test_retire_one_key),
        cmocka_unit_test(test_migration_moves_the_legacy_key_to_the_key_file),
        cmocka_unit_test(test_migration_keeps_an_existing_key_file),
    };
    return cmocka_run_group_tests_name("keys", tests, th_setup, th_teardown);
}
