/*
 * system.c - the operational endpoints: liveness, readiness (the store answers), Prometheus
 * metrics and the OpenAPI document.
 */
#include <string.h>

#include "system.h"
#include "metrics.h"
#include "app.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "core/banned.h"

int system_healthz(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    (void)rq;
    return resp_json(ctx, rs, 200, json_pack("{s:s}", "status", "ok"));
}

int system_readyz(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    int version = 0;
    struct db_conn *c = ctx_db(ctx);
    (void)rq;
    if (!c || db_schema_version(c, &version, &ctx->err) < 0)
        return err_set(&ctx->err, ERR_UNAVAILABLE, "the store does not answer");
    if (version < db_migrations_known())
        return err_set(&ctx->err, ERR_UNAVAILABLE,
                       "the store schema is at version %d, this binary needs %d: run egov migrate",
                       version, db_migrations_known());
    return resp_json(ctx, rs, 200,
                     json_pack("{s:s,s:i,s:s}", "status", "ready", "schema_version", version,
                               "store", db_kind(ctx->app->db) == DB_PG ? "postgresql" : "sqlite"));
}

int system_metrics(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct strbuf sb;
    (void)rq;
    sb_init(&sb, 4 << 20);
    metrics_render(ctx->app->metrics, ctx->app->db, ctx->app->started_ms, &sb);
    rs->status = 200;
    rs->content_type = "text/plain; version=0.0.4; charset=utf-8";
    rs->len = sb.len;
    rs->body = arena_memdup(ctx->arena, sb.buf ? sb.buf : "", sb.len);
    sb_release(&sb);
    return 0;
}

int system_openapi(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    (void)rq;
    json_t *doc = openapi_document();
    if (!doc)
        return err_set(&ctx->err, ERR_INTERNAL, "cannot build the OpenAPI document");
    return resp_json(ctx, rs, 200, doc);
}
