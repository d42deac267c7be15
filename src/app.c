/*
 * app.c - building and releasing struct app, and the context helpers. No domain knowledge.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/sign.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "http/metrics.h"
#include "core/banned.h"

int app_init(struct app *app, const struct config *cfg, struct err *e)
{
    memset(app, 0, sizeof(*app));
    app->cfg = *cfg;
    app->started_ms = time_now_ms();
    if (sodium_init() < 0)
        return err_set(e, ERR_INTERNAL, "libsodium failed to initialise");
    log_set_level(cfg->log_level);
    if (db_open(cfg->db, cfg->threads + 1 + cfg->login_workers, &app->db, e) < 0)
        return -1;
    app->metrics = metrics_new();
    return 0;
}

int app_signing_key_spec(const struct config *cfg, char *out, size_t cap, struct err *e)
{
    if (cfg->signing_key[0]) {
        snprintf(out, cap, "%s", cfg->signing_key);
        return 0;
    }
    if (strncmp(cfg->db, "sqlite:", 7) != 0)
        return err_field(e, "signing_key", "required",
                         "signing_key must be set (file:PATH or pkcs11:URI) with a PostgreSQL "
                         "store");
    const char *path = cfg->db + 7, *slash = strrchr(path, '/');
    if (slash)
        snprintf(out, cap, "file:%.*s/signing.key", (int)(slash - path), path);
    else
        snprintf(out, cap, "file:signing.key");
    return 0;
}

int app_open_signer(struct app *app, struct err *e)
{
    char spec[sizeof(app->cfg.signing_key) + 16];
    if (app->signer)
        return 0;
    if (app_signing_key_spec(&app->cfg, spec, sizeof(spec), e) < 0)
        return -1;
    struct sign_options o = {spec, app->cfg.crypto_suite, app->cfg.signing_key_generate != 0,
                             app->cfg.signing_key_pin};
    if (signer_open(&o, &app->signer, e) < 0)
        return -1;
    log_info("signing with %s key %s (%s)", signer_algorithm(app->signer),
             signer_fingerprint(app->signer), signer_location(app->signer));
    return 0;
}

void app_release(struct app *app)
{
    signer_close(app->signer);
    app->signer = NULL;
    db_close(app->db);
    metrics_free(app->metrics);
    app->db = NULL;
    app->metrics = NULL;
}

int64_t app_now_ms(const struct app *app)
{
    return app->clock_ms ? app->clock_ms() : time_now_ms();
}

static void release_conn(void *p)
{
    ctx_release_db(p);
}

struct ctx *ctx_new(struct app *app, struct arena *arena)
{
    struct ctx *ctx = arena_alloc(arena, sizeof(*ctx));
    ctx->app = app;
    ctx->arena = arena;
    snprintf(ctx->request_id, sizeof(ctx->request_id), "%016llx%08x",
             (unsigned long long)time_now_ms(), randombytes_random());
    return ctx;
}

void ctx_release_db(struct ctx *ctx)
{
    if (ctx->conn) {
        db_release(ctx->conn);
        ctx->conn = NULL;
    }
}

struct db_conn *ctx_db(struct ctx *ctx)
{
    if (!ctx->conn) {
        ctx->conn = db_acquire(ctx->app->db, &ctx->err);
        if (ctx->conn)
            arena_defer(ctx->arena, release_conn, ctx);
    }
    return ctx->conn;
}

int ctx_tx_begin(struct ctx *ctx)
{
    struct db_conn *c = ctx_db(ctx);
    memset(&ctx->scoped, 0, sizeof(ctx->scoped));
    return c ? db_tx_begin(c, &ctx->err) : -1;
}

int ctx_tx_commit(struct ctx *ctx)
{
    return db_tx_commit(ctx->conn, &ctx->err);
}

void ctx_tx_rollback(struct ctx *ctx)
{
    if (ctx->conn)
        db_tx_rollback(ctx->conn);
}
