/*
 * router.c - matching a method and path against the route table, and the dispatcher that runs
 * a request through its guards and handler. The order is fixed here and nowhere else:
 * size limit → route → authentication → jurisdiction and permission → content type and body →
 * handler → problem rendering → metrics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "access.h"
#include "metrics.h"
#include "jv.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

#define MAX_SAFE_ID 9007199254740991LL

/* Compares one pattern with the path: 1 match, 0 no match, -1 matches but an id is malformed. */
static int match_one(const char *pat, const char *path, struct req *rq)
{
    int n = 0, bad = 0;
    while (*pat && *path) {
        if (*pat == '{') {
            const char *end = strchr(pat, '}');
            const char *seg = path;
            while (*path && *path != '/')
                path++;
            size_t len = (size_t)(path - seg);
            if (len == 0)
                return 0;
            int64_t v = 0;
            bool ok = len <= 16;
            for (size_t i = 0; ok && i < len; i++) {
                if (seg[i] < '0' || seg[i] > '9')
                    ok = false;
                else
                    v = v * 10 + (seg[i] - '0');
            }
            if (!ok || v <= 0 || v > MAX_SAFE_ID)
                bad = 1;
            if (n < REQ_MAX_PARAMS)
                rq->params[n++] = v;
            pat = end + 1;
            continue;
        }
        if (*pat != *path)
            return 0;
        pat++;
        path++;
    }
    if (*pat || *path)
        return 0;
    rq->n_params = n;
    return bad ? -1 : 1;
}

int router_match(const char *method, const char *path, struct req *rq)
{
    int path_found = 0;
    for (int i = 0; i < n_routes; i++) {
        int m = match_one(routes[i].pattern, path, rq);
        if (m == 0)
            continue;
        if (strcmp(routes[i].method, method) != 0 &&
            !(strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
            path_found = path_found ? path_found : (m < 0 ? -3 : -2);
            continue;
        }
        return m < 0 ? -3 : i;
    }
    return path_found ? path_found : -1;
}

static const char *allowed_methods(struct ctx *ctx, const char *path)
{
    struct req tmp;
    char *out = arena_alloc(ctx->arena, 64);
    size_t o = 0;
    for (int i = 0; i < n_routes; i++) {
        memset(&tmp, 0, sizeof(tmp));
        if (match_one(routes[i].pattern, path, &tmp) != 0 && o + 8 < 64)
            o += (size_t)snprintf(out + o, 64 - o, "%s%s", o ? ", " : "", routes[i].method);
    }
    return out;
}

static void decref(void *p)
{
    json_decref(p);
}

static int parse_body(struct ctx *ctx, const struct route *r, struct req *rq)
{
    const char *ct = req_header(rq, "Content-Type");
    if (!(r->flags & RF_BODY))
        return 0;
    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] && ct[16] != ';' && ct[16] != ' '))
        return err_set(&ctx->err, ERR_UNSUPPORTED, "send the body as application/json");
    if (!rq->body_len)
        return err_set(&ctx->err, ERR_BAD_REQUEST, "a JSON body is required");
    rq->json = jv_load(ctx, rq->body, rq->body_len);
    if (!rq->json)
        return -1;
    arena_defer(ctx->arena, decref, rq->json);
    return 0;
}

/* The guards every request passes, in order, up to the permission. 0 with *r set, or -1 with
 * ctx->err set (and rs headers such as Allow). */
static int guard(struct ctx *ctx, struct req *rq, struct resp *rs, int *idx, const struct route **r)
{
    struct app *app = ctx->app;
    *idx = -1;
    *r = NULL;
    if (rq->rate_limited) {
        ctx->err.retry_after = 1;
        return err_set(&ctx->err, ERR_RATE_LIMITED,
                       "too many requests from your address; slow down");
    }
    if (rq->bad_framing && rq->bad_field)
        return err_field_as(&ctx->err, ERR_BAD_REQUEST, rq->bad_field, rq->bad_rule, "%s",
                            rq->bad_framing);
    if (rq->bad_framing)
        return err_set(&ctx->err, ERR_BAD_REQUEST, "%s", rq->bad_framing);
    if (rq->overloaded) {
        ctx->err.retry_after = 1;
        return err_set(&ctx->err, ERR_UNAVAILABLE,
                       "too many logins are being checked at once; try again in a second");
    }
    if (rq->headers_too_large)
        return err_set(&ctx->err, ERR_HEAD_TOO_BIG,
                       "the request line and headers are larger than %d bytes", REQ_MAX_HEAD);
    if (rq->too_many_headers)
        return err_set(&ctx->err, ERR_BAD_REQUEST, "more than %d headers or query parameters",
                       REQ_MAX_KV);
    if (rq->nul_query)
        return err_field(&ctx->err, rq->nul_query, "nul", "%s holds a NUL character (U+0000)",
                         rq->nul_query);
    if (rq->body_too_large)
        return err_set(&ctx->err, ERR_TOO_LARGE, "the body is larger than %d bytes",
                       app->cfg.body_max);
    *idx = router_match(rq->method, rq->path, rq);
    if (*idx == -1)
        return err_set(&ctx->err, ERR_NOT_FOUND, "no such resource");
    if (*idx == -2) {
        resp_header(ctx, rs, "Allow", allowed_methods(ctx, rq->path));
        return err_set(&ctx->err, ERR_METHOD, "this resource does not accept that method");
    }
    if (*idx == -3)
        return err_field_as(&ctx->err, ERR_BAD_REQUEST, "id", "id",
                            "an id in the path must be a positive integer below 2^53");
    *r = &routes[*idx];
    if (access_authenticate(ctx, *r, rq) < 0 || access_authorize(ctx, *r, rq) < 0)
        return -1;
    return 0;
}

/* 19.8: every 403 is recorded here, once, whoever raised it (the route's permission, a rule in a
 * handler, the CSRF check), in a transaction of its own after the request's was rolled back. */
static void audit_forbidden(struct ctx *ctx, const struct req *rq, const struct route *r)
{
    struct audit_changes *ch = audit_changes_new(ctx);
    ctx_tx_rollback(ctx);
    audit_note(ch, "route",
               arena_printf(ctx->arena, "%s %s", rq->method, r ? r->pattern : rq->path));
    if (r && r->perm)
        audit_note(ch, "permission", r->perm);
    if (ctx->err.rule[0])
        audit_note(ch, "rule", ctx->err.rule);
    audit_note(ch, "detail", ctx->err.message);
    audit_append_alone(ctx, "access.denied", "route", 0, ctx->caller.institution_id, ch);
}

/* Problem rendering, the request id, the store connection back, metrics. */
static void conclude(struct ctx *ctx, struct req *rq, struct resp *rs, int idx,
                     const struct route *r, int64_t t0)
{
    if (ctx->err.kind == ERR_FORBIDDEN)
        audit_forbidden(ctx, rq, r);
    if (ctx->err.kind != ERR_NONE) {
        resp_problem(ctx, rs, rq->path);
    } else if (!rs->status) {
        err_set(&ctx->err, ERR_INTERNAL, "handler %s %s gave no answer", r ? r->method : "?",
                rq->path);
        resp_problem(ctx, rs, rq->path);
    }
    if (ctx->err.kind == ERR_UNAUTHORIZED)
        resp_header(ctx, rs, "WWW-Authenticate", "Bearer realm=\"egov\"");
    resp_header(ctx, rs, "X-Request-Id", ctx->request_id);
    ctx_release_db(ctx);
    if (ctx->app->metrics)
        metrics_observe(ctx->app->metrics, idx, rs->status, time_mono_ns() - t0);
}

static struct ctx *new_ctx(struct app *app, struct arena *arena, struct req *rq, struct resp *rs)
{
    struct ctx *ctx = ctx_new(app, arena);
    memset(rs, 0, sizeof(*rs));
    snprintf(ctx->client_ip, sizeof(ctx->client_ip), "%s", rq->client_ip ? rq->client_ip : "");
    return ctx;
}

void router_dispatch(struct app *app, struct arena *arena, struct req *rq, struct resp *rs)
{
    int64_t t0 = time_mono_ns();
    struct ctx *ctx = new_ctx(app, arena, rq, rs);
    int idx;
    const struct route *r;
    if (guard(ctx, rq, rs, &idx, &r) == 0 && r && parse_body(ctx, r, rq) == 0) {
        if (r->flags & RF_STREAM)
            err_set(&ctx->err, ERR_INTERNAL, "a streamed route reached the buffered dispatcher");
        else
            r->handler(ctx, rq, rs);
    }
    conclude(ctx, rq, rs, idx, r, t0);
}

struct stream_call {
    struct ctx *ctx;
    struct req *rq;
    const struct route *r;
    int idx;
    void *state;
    bool stopped;
    int64_t t0;
};

bool router_is_stream(const char *method, const char *path)
{
    struct req tmp;
    if (strcmp(method, "POST") != 0)
        return false; /* streamed bodies are uploads; spare every other request a second match */
    memset(&tmp, 0, sizeof(tmp));
    int idx = router_match(method, path, &tmp);
    return idx >= 0 && (routes[idx].flags & RF_STREAM);
}

bool router_is_public(const char *method, const char *path)
{
    struct req tmp;
    memset(&tmp, 0, sizeof(tmp));
    int idx = router_match(method, path, &tmp);
    return idx >= 0 && (routes[idx].flags & RF_PUBLIC);
}

struct stream_call *router_stream_open(struct app *app, struct arena *arena, struct req *rq,
                                       struct resp *rs)
{
    struct stream_call *sc = arena_alloc(arena, sizeof(*sc));
    memset(sc, 0, sizeof(*sc));
    sc->t0 = time_mono_ns();
    sc->rq = rq;
    sc->ctx = new_ctx(app, arena, rq, rs);
    if (guard(sc->ctx, rq, rs, &sc->idx, &sc->r) == 0 && sc->r && sc->r->stream) {
        const char *ct = req_header(rq, "Content-Type");
        size_t n = strlen(sc->r->stream->media_type);
        if (!ct || strncasecmp(ct, sc->r->stream->media_type, n) != 0 ||
            (ct[n] && ct[n] != ';' && ct[n] != ' '))
            err_set(&sc->ctx->err, ERR_UNSUPPORTED, "send the body as %s",
                    sc->r->stream->media_type);
        else
            sc->state = sc->r->stream->open(sc->ctx, rq);
    }
    if (!sc->state) {
        if (!sc->ctx->err.kind)
            err_set(&sc->ctx->err, ERR_INTERNAL, "the stream could not start");
        conclude(sc->ctx, rq, rs, sc->idx, sc->r, sc->t0);
        return NULL;
    }
    return sc;
}

void router_stream_feed(struct stream_call *sc, const char *data, size_t n)
{
    if (!sc->stopped && sc->r->stream->feed(sc->state, data, n) < 0)
        sc->stopped = true; /* the rest is read and dropped; finish tells what happened */
}

void router_stream_finish(struct stream_call *sc, struct resp *rs)
{
    memset(rs, 0, sizeof(*rs));
    sc->r->stream->finish(sc->state, rs);
    conclude(sc->ctx, sc->rq, rs, sc->idx, sc->r, sc->t0);
}

void router_stream_abort(struct stream_call *sc)
{
    sc->r->stream->abort(sc->state);
    ctx_release_db(sc->ctx);
}
