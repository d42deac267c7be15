/*
 * keys.c - the rules of signing keys: a signer's public key is registered on first use, a
 * retired key signs nothing new, rotation replaces the key file and retires the others, and an
 * older store's secret key is exported to the key file before the migration that drops it.
 * The secret itself is handled only by core/sign.c.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "keys.h"
#include "keys_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/sign.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

/* The first migration with the new signing_keys (public keys only). */
#define PUBLIC_ONLY_VERSION 15

static int no_signer(struct ctx *ctx)
{
    return err_set(&ctx->err, ERR_INTERNAL, "no signing key is open in this process");
}

/* Registers s's public key (with its own transaction when the caller has none). */
static int register_key(struct ctx *ctx, struct signer *s, struct signing_key *out)
{
    struct signing_key k = {signer_fingerprint(s), signer_algorithm(s), signer_public_key(s),
                            time_now_ms(), 0};
    bool own_tx = !ctx->conn || !db_in_tx(ctx->conn);
    int rc;
    if (own_tx && ctx_tx_begin(ctx) < 0)
        return -1;
    rc = keys_store_insert(ctx, &k);
    if (rc == 0) {
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_note(ch, "key_id", k.id);
        audit_note(ch, "algorithm", k.algorithm);
        audit_note(ch, "location", signer_location(s));
        rc = audit_append(ctx, "signing_key.register", "signing_key", 0, ctx->caller.institution_id,
                          ch);
    }
    if (rc == 0)
        rc = keys_store_by_public_key(ctx, k.public_key, out) == 1 ? 0 : -1;
    if (own_tx) {
        if (rc == 0)
            rc = ctx_tx_commit(ctx);
        else
            ctx_tx_rollback(ctx);
    }
    if (rc < 0 && !ctx->err.kind)
        err_set(&ctx->err, ERR_INTERNAL, "signing key %s could not be registered", k.id);
    return rc;
}

int keys_current(struct ctx *ctx, struct signing_key *out)
{
    struct signer *s = ctx->app->signer;
    if (!s)
        return no_signer(ctx);
    int rc = keys_store_by_public_key(ctx, signer_public_key(s), out);
    if (rc < 0)
        return -1;
    return rc == 1 ? 0 : register_key(ctx, s, out);
}

static const char *b64(struct ctx *ctx, const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(ctx->arena, cap);
    sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

int keys_sign(struct ctx *ctx, const char *msg, size_t len, const char **signature,
              const char **key_id)
{
    struct signing_key k = {0};
    unsigned char sig[SIGN_MAX];
    size_t n = 0;
    if (keys_current(ctx, &k) < 0)
        return -1;
    /* A node still holding a key that `egov keys rotate` retired must not go on signing. */
    if (k.retired_at)
        return err_rule(&ctx->err, ERR_CONFLICT, "signing_key_retired",
                        "signing key %s was retired; restart egov with the new key", k.id);
    if (signer_sign(ctx->app->signer, msg, len, sig, &n, &ctx->err) < 0)
        return -1;
    *signature = b64(ctx, sig, n);
    *key_id = k.id;
    return 0;
}

int keys_list(struct ctx *ctx, struct signing_key **items, int *n)
{
    return keys_store_list(ctx, items, n);
}

int keys_get(struct ctx *ctx, const char *id, struct signing_key *out)
{
    int rc = keys_store_get(ctx, id, out);
    if (rc < 0)
        return -1;
    return rc ? 0
              : err_field_as(&ctx->err, ERR_NOT_FOUND, "key_id", "exists", "no signing key %s", id);
}

int keys_verify(struct ctx *ctx, const char *key_id, const char *msg, size_t len,
                const char *signature)
{
    struct signing_key k;
    unsigned char sig[SIGN_MAX];
    size_t n = 0;
    if (keys_get(ctx, key_id, &k) < 0)
        return -1;
    if (sodium_base642bin(sig, sizeof(sig), signature, strlen(signature), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        sign_verify(k.algorithm, k.public_key, msg, len, sig, n) < 0)
        return err_field(&ctx->err, "signature", "valid",
                         "the signature does not verify with key %s", key_id);
    return 0;
}

static int audit_rotation(struct ctx *ctx, const char *old_id, const char *new_id,
                          int64_t n_retired)
{
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "key_id", old_id, new_id);
    audit_change_int(ch, "retired", 0, n_retired, false);
    return audit_append(ctx, "signing_key.rotate", "signing_key", 0, ctx->caller.institution_id,
                        ch);
}

/* A token's keys are made with the token's tools (pkcs11-tool, the HSM's own): rotating means
 * that the key signing_key names now becomes the only one that signs, every other retired. */
static int adopt_configured_key(struct ctx *ctx, struct signing_key *new_key,
                                struct signing_key *old_key)
{
    struct signing_key *items;
    int64_t n_retired = 0;
    int n, rc = -1;
    memset(new_key, 0, sizeof(*new_key));
    memset(old_key, 0, sizeof(*old_key));
    if (ctx_tx_begin(ctx) < 0 || keys_current(ctx, new_key) < 0 || keys_list(ctx, &items, &n) < 0)
        goto out;
    if (new_key->retired_at) {
        err_rule(&ctx->err, ERR_CONFLICT, "signing_key_retired",
                 "%s was retired; point signing_key at a new key in the token", new_key->id);
        goto out;
    }
    for (int i = 0; i < n; i++) /* oldest first: the newest other key in use wins */
        if (!items[i].retired_at && strcmp(items[i].id, new_key->id) != 0)
            *old_key = items[i];
    if (!old_key->id) {
        err_rule(&ctx->err, ERR_CONFLICT, "nothing_to_rotate",
                 "%s is already the only signing key; generate a new key in the token and point "
                 "signing_key at it first (docs/keys.md)",
                 new_key->id);
        goto out;
    }
    if (keys_store_retire_others(ctx, new_key->id, time_now_ms(), &n_retired) < 0 ||
        audit_rotation(ctx, old_key->id, new_key->id, n_retired) < 0 || ctx_tx_commit(ctx) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        ctx_tx_rollback(ctx);
    return rc;
}

int keys_rotate(struct ctx *ctx, struct signing_key *new_key, struct signing_key *old_key)
{
    struct app *app = ctx->app;
    struct signer *fresh = NULL;
    char spec[600], tmp[640];
    int64_t n_retired = 0;
    int rc = -1;
    if (app_signing_key_spec(&app->cfg, spec, sizeof(spec), &ctx->err) < 0)
        return -1;
    if (strncmp(spec, "file:", 5) != 0)
        return adopt_configured_key(ctx, new_key, old_key);
    /* The old key goes into the store first: editions it signed must stay verifiable. */
    if (keys_current(ctx, old_key) < 0)
        return -1;
    const char *path = spec + 5;
    snprintf(tmp, sizeof(tmp), "%s.new-%ld", path, (long)getpid());
    struct sign_options o = {spec, app->cfg.crypto_suite, false, NULL};
    if (sign_generate_file(tmp, app->cfg.crypto_suite, &ctx->err) < 0)
        return -1;
    /* The file first, then the store: should the store fail, the new key is registered at its
     * first signature and the old one is merely not marked retired. */
    if (rename(tmp, path) < 0) {
        err_set(&ctx->err, ERR_INTERNAL, "cannot replace %s", path);
        goto out;
    }
    tmp[0] = 0;
    if (signer_open(&o, &fresh, &ctx->err) < 0)
        goto out;
    if (ctx_tx_begin(ctx) < 0 || register_key(ctx, fresh, new_key) < 0 ||
        keys_store_retire_others(ctx, new_key->id, time_now_ms(), &n_retired) < 0)
        goto out;
    if (audit_rotation(ctx, old_key->id, new_key->id, n_retired) < 0 || ctx_tx_commit(ctx) < 0)
        goto out;
    signer_close(app->signer);
    app->signer = fresh;
    fresh = NULL;
    rc = 0;
out:
    if (rc < 0)
        ctx_tx_rollback(ctx);
    if (tmp[0])
        unlink(tmp);
    signer_close(fresh);
    return rc;
}

int keys_retire(struct ctx *ctx, const char *id)
{
    struct signing_key k;
    int64_t n = 0;
    int rc = -1;
    if (ctx_tx_begin(ctx) < 0 || keys_get(ctx, id, &k) < 0)
        goto out;
    if (ctx->app->signer && !strcmp(k.public_key, signer_public_key(ctx->app->signer))) {
        err_rule(&ctx->err, ERR_CONFLICT, "signing_key_in_use",
                 "%s is the configured signing key; use egov keys rotate", id);
        goto out;
    }
    if (keys_store_retire(ctx, id, time_now_ms(), &n) < 0)
        goto out;
    if (n == 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "signing_key_retired", "%s is retired already", id);
        goto out;
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "key_id", id);
    if (audit_append(ctx, "signing_key.retire", "signing_key", 0, ctx->caller.institution_id, ch) <
            0 ||
        ctx_tx_commit(ctx) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        ctx_tx_rollback(ctx);
    return rc;
}

int keys_export_legacy(struct app *app, const char *out, int *exported, struct err *e)
{
    struct arena *a = arena_new();
    struct ctx *ctx = ctx_new(app, a);
    char spec[600];
    const char *id = NULL, *secret = NULL;
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    size_t n = 0;
    int version = 0, rc = -1;
    *exported = 0;
    ctx->caller.is_system = true;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_schema_version(c, &version, &ctx->err) < 0)
        goto out;
    if (version >= PUBLIC_ONLY_VERSION || version < 2) {
        rc = out ? err_set(&ctx->err, ERR_CONFLICT,
                           "the store holds no secret key (schema version %d)", version)
                 : 0;
        goto out;
    }
    int found = keys_store_legacy_secret(ctx, &id, &secret);
    if (found < 0)
        goto out;
    if (found == 0) {
        rc = out ? err_set(&ctx->err, ERR_NOT_FOUND, "the store holds no signing key") : 0;
        goto out;
    }
    bool automatic = !out;
    if (automatic) {
        if (app_signing_key_spec(&app->cfg, spec, sizeof(spec), &ctx->err) < 0)
            goto out;
        if (strncmp(spec, "file:", 5) != 0 || access(spec + 5, F_OK) == 0) {
            /* Its public key stays in the store: what it signed still verifies. */
            log_warn("the store's signing key %s is not exported (%s is configured); it will "
                     "sign nothing new",
                     id, strncmp(spec, "file:", 5) ? "a token" : "another key file");
            rc = 0;
            goto out;
        }
        out = spec + 5;
    }
    if (sodium_base642bin(sk, sizeof(sk), secret, strlen(secret), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        n != sizeof(sk)) {
        err_set(&ctx->err, ERR_INTERNAL, "the store's signing key %s is damaged", id);
        goto out;
    }
    /* libsodium's secret key is the 32-byte seed followed by the public key. */
    if (sign_write_ed25519_seed(out, sk, &ctx->err) < 0) {
        /* Another node starting at the same time wrote it first: the same key. */
        if (automatic && access(out, F_OK) == 0) {
            err_clear(&ctx->err);
            rc = 0;
        }
        goto out;
    }
    log_info("signing key %s exported from the store to %s", id, out);
    *exported = 1;
    rc = 0;
out:
    sodium_memzero(sk, sizeof(sk));
    if (rc < 0)
        *e = ctx->err;
    arena_free(a);
    return rc;
}

int keys_migrate(struct app *app, int *n_applied, struct err *e)
{
    int exported;
    *n_applied = 0;
    if (keys_export_legacy(app, NULL, &exported, e) < 0)
        return -1;
    return db_migrate(app->db, n_applied, e);
}
