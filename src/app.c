/*
 * app.c - building and releasing struct app, and the context helpers. No domain knowledge.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "app.h"
#include "core/arena.h"
#include "core/log.h"
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
    if (db_open(cfg->db, cfg->threads + 1, &app->db, e) < 0)
        return -1;
    app->metrics = metrics_new();
    return 0;
}

void app_release(struct app *app)
{
    db_close(app->db);
    metrics_free(app->metrics);
    app->db = NULL;
    app->metrics = NULL;
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
