/*
 * fuzz_router.c - route matching (http/router.c), the answers for unmatched requests, and the
 * query-string and If-Match helpers (http/handler_util.c, http/response.c).
 *
 * Input: "METHOD\nPATH\n" then any number of lines, each either "Name: value" (a header) or
 * "key=value" (a query parameter), as server.c would have decoded them.
 * Contract checked:
 * - router_match returns a route index or -1/-2/-3, and a matched route has the method, as many
 *   params as its pattern has placeholders, each a valid id; the canonical path built from the
 *   pattern and those params matches the same route with the same params;
 * - -1 means no method reaches the path, -2 means another method does;
 * - an unmatched request dispatches (without a store) to a 404, 405 with Allow, or 400
 *   problem+json that is valid JSON;
 * - the helpers (q_page, q_id, q_text, q_enum, q_date, q_period, q_region, q_time, q_bool)
 *   fail with a field error or return values within their documented ranges, and
 *   their UTF-8 check (utf8_length) agrees with jansson's on every query key and value;
 * - a 422 for unknown query parameters lists every one of them;
 * - a cookie found by req_cookie is a "name=value" part of the Cookie header.
 */
#include <stdbool.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "fuzz_common.h"
#include "app.h"
#include "core/arena.h"
#include "core/config.h"
#include "core/err.h"
#include "core/page.h"
#include "core/timeutil.h"
#include "http/handler_util.h"
#include "domain/validate.h"
#include "http/http.h"
#include "core/banned.h"

#define MAX_SAFE_ID 9007199254740991LL

/* Built once, read-only afterwards, as in the server: no store, no metrics. */
static struct app server_app;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (sodium_init() < 0)
        abort();
    config_defaults(&server_app.cfg);
    return 0;
}

/* Splits the input in place (s is the driver's own copy) into method, path, headers, query. */
static void split(char *s, struct req *rq)
{
    char *line = s, *next;
    int n = 0;
    rq->method = "";
    rq->path = "";
    for (; line; line = next, n++) {
        next = strchr(line, '\n');
        if (next)
            *next++ = 0;
        if (n == 0) {
            rq->method = line;
        } else if (n == 1) {
            rq->path = line;
        } else {
            char *colon = strstr(line, ": "), *eq = strchr(line, '=');
            if (colon && rq->n_headers < REQ_MAX_KV) {
                *colon = 0;
                rq->headers[rq->n_headers].key = line;
                rq->headers[rq->n_headers++].value = colon + 2;
            } else if (eq && rq->n_query < REQ_MAX_KV) {
                *eq = 0;
                rq->query[rq->n_query].key = line;
                rq->query[rq->n_query++].value = eq + 1;
            }
        }
    }
}

static int placeholders(const char *pattern)
{
    int n = 0;
    for (; *pattern; pattern++)
        n += *pattern == '{';
    return n < REQ_MAX_PARAMS ? n : REQ_MAX_PARAMS;
}

/* The pattern with its placeholders replaced by the params, in their shortest decimal form. */
static void canonical(const char *pattern, const struct req *rq, char *out, size_t cap)
{
    size_t o = 0;
    int k = 0;
    while (*pattern && o + 1 < cap) {
        if (*pattern == '{') {
            int w = snprintf(out + o, cap - o, "%lld", (long long)rq->params[k++]);
            o = w > 0 && (size_t)w < cap - o ? o + (size_t)w : cap - 1;
            pattern = strchr(pattern, '}') + 1;
        } else {
            out[o++] = *pattern++;
        }
    }
    out[o] = 0;
}

/* True when route i is the first of its method: each method is tried once, not per route. */
static bool first_of_method(int i)
{
    for (int k = 0; k < i; k++)
        if (!strcmp(routes[k].method, routes[i].method))
            return false;
    return true;
}

static void check_match(const char *method, const char *path)
{
    struct req rq, again;
    char canon[512];
    memset(&rq, 0, sizeof(rq));
    int idx = router_match(method, path, &rq);
    fuzz_check(idx >= -3 && idx < n_routes);
    if (idx >= 0) {
        const struct route *r = &routes[idx];
        fuzz_check(!strcmp(r->method, method) ||
                   (!strcmp(method, "HEAD") && !strcmp(r->method, "GET")));
        fuzz_check(rq.n_params == placeholders(r->pattern));
        for (int i = 0; i < rq.n_params; i++)
            fuzz_check(rq.params[i] >= 1 && rq.params[i] <= MAX_SAFE_ID);
        canonical(r->pattern, &rq, canon, sizeof(canon));
        fuzz_check(strlen(canon) <= strlen(path));
        memset(&again, 0, sizeof(again));
        fuzz_check(router_match(method, canon, &again) == idx);
        fuzz_check(again.n_params == rq.n_params &&
                   !memcmp(again.params, rq.params, sizeof(rq.params[0]) * (size_t)rq.n_params));
    } else if (idx == -1 || idx == -2) {
        /* Whether any method reaches this path must agree with -1 versus -2. */
        bool reachable = false;
        for (int i = 0; i < n_routes && !reachable; i++) {
            if (!strcmp(routes[i].method, method) || !first_of_method(i))
                continue;
            memset(&again, 0, sizeof(again));
            reachable = router_match(routes[i].method, path, &again) >= 0;
        }
        fuzz_check(reachable == (idx == -2));
    }
}

static const char *header_of(const struct resp *rs, const char *name)
{
    for (int i = 0; i < rs->n_headers; i++)
        if (!strcmp(rs->headers[i].key, name))
            return rs->headers[i].value;
    return NULL;
}

/* Only requests that never reach a handler: the store is absent. */
static void check_dispatch(struct app *app, struct req *rq)
{
    struct req probe;
    struct resp rs;
    json_error_t jerr;
    memset(&probe, 0, sizeof(probe));
    int idx = router_match(rq->method, rq->path, &probe);
    if (idx >= 0)
        return;
    struct arena *arena = arena_new();
    router_dispatch(app, arena, rq, &rs);
    fuzz_check(rs.status == (idx == -1 ? 404 : idx == -2 ? 405 : 400));
    fuzz_check(rs.body != NULL && rs.content_type != NULL);
    json_t *doc = json_loadb(rs.body, rs.len, 0, &jerr);
    fuzz_check(doc != NULL);
    fuzz_check(json_integer_value(json_object_get(doc, "status")) == rs.status);
    json_decref(doc);
    if (idx == -2)
        fuzz_check(header_of(&rs, "Allow") && *header_of(&rs, "Allow"));
    fuzz_check(header_of(&rs, "X-Request-Id") != NULL);
    arena_free(arena);
}

/* The 422 for unknown parameters lists each one, unless a name is not even valid UTF-8. */
static void check_problem(struct ctx *ctx, const struct req *rq)
{
    struct resp rs;
    json_error_t jerr;
    bool names_are_text = true;
    int n_fields = ctx->err.n_fields;

    fuzz_check(ctx->err.kind == ERR_INVALID && n_fields >= 1 && n_fields <= ERR_MAX_FIELDS);
    for (int i = 0; i < rq->n_query; i++)
        names_are_text = names_are_text && utf8_length(rq->query[i].key) != (size_t)-1;
    memset(&rs, 0, sizeof(rs));
    resp_problem(ctx, &rs, "/api/v1/people"); /* a path that matched a route is ASCII */
    fuzz_check(rs.status == 422 && rs.body != NULL);
    json_t *doc = json_loadb(rs.body, rs.len, 0, &jerr);
    fuzz_check(doc != NULL);
    if (names_are_text) {
        json_t *errors = json_object_get(doc, "errors");
        fuzz_check(json_is_array(errors) && json_array_size(errors) == (size_t)n_fields);
    }
    json_decref(doc);
}

/* egov's UTF-8 check (validate.c) and jansson's must agree: what one calls text, the other
 * must be able to put in an answer. */
static void check_utf8(const char *s)
{
    json_t *j = json_string(s);
    fuzz_check((utf8_length(s) != (size_t)-1) == (j != NULL));
    json_decref(j);
}

/* req_cookie: a value found is a part of the Cookie header, without ';', right after
 * "name=". */
static void check_cookies(struct app *app, struct req *rq)
{
    static const char *const names[] = {"egov_session", "egov_device"};
    struct arena *arena = arena_new();
    struct ctx *ctx = ctx_new(app, arena);
    const char *header = req_header(rq, "Cookie");
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const char *v = req_cookie(ctx, rq, names[i]);
        if (!v)
            continue;
        if (!header || strchr(v, ';') || !*v)
            abort();
        char *want = arena_printf(arena, "%s=%s", names[i], v);
        if (!strstr(header, want))
            abort();
    }
    arena_free(arena);
}

static void check_helpers(struct app *app, struct req *rq)
{
    static const char *const allowed[] = {"limit", "cursor", "total", "q", "id", NULL};
    struct arena *arena = arena_new();
    struct ctx *ctx = ctx_new(app, arena);
    struct page_req page;
    int64_t id;
    const char *text;
    int version, flag;

    for (int i = 0; i < rq->n_query; i++) {
        check_utf8(rq->query[i].key);
        check_utf8(rq->query[i].value);
    }
    memset(&rq->params, 0, sizeof(rq->params));
    rq->n_params = 0;
    (void)router_match(rq->method, rq->path, rq);

    err_clear(&ctx->err);
    if (req_if_match(ctx, rq, &version) == 0) {
        fuzz_check(ctx->err.kind == ERR_NONE);
        fuzz_check(version == -1 ? req_header(rq, "If-Match") == NULL : version >= 1);
    } else {
        fuzz_check(ctx->err.kind == ERR_PRECONDITION && ctx->err.n_fields == 1);
    }

    err_clear(&ctx->err);
    if (q_page(ctx, rq, &page) == 0) {
        fuzz_check(page.limit >= 0 && page.limit <= PAGE_MAX);
        fuzz_check(page.after_id >= 0 && page.after_id <= MAX_SAFE_ID);
        fuzz_check(page_fetch_limit(&page) >= 2 && page_fetch_limit(&page) <= PAGE_MAX + 1);
    } else {
        fuzz_check(ctx->err.kind == ERR_INVALID && ctx->err.n_fields >= 1);
    }

    err_clear(&ctx->err);
    if (q_id(ctx, rq, "id", &id) == 0)
        fuzz_check(id == 0 ? req_query(rq, "id") == NULL : id >= 1 && id <= MAX_SAFE_ID);
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);

    err_clear(&ctx->err);
    if (q_text(ctx, rq, "q", 50, &text) == 0)
        fuzz_check(!text || (strlen(text) >= 1 && utf8_length(text) <= 50));
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);

    /* The typed helpers (issue 12): a value they accept has the documented shape. */
    static const char *const states[] = {"draft", "issued", "superseded", NULL};
    const char *v;
    int64_t ms;
    err_clear(&ctx->err);
    if (q_enum(ctx, rq, "state", states, &v) == 0)
        fuzz_check(!v || !strcmp(v, "draft") || !strcmp(v, "issued") || !strcmp(v, "superseded"));
    else
        fuzz_check(ctx->err.kind == ERR_INVALID && ctx->err.n_fields >= 1);
    err_clear(&ctx->err);
    if (q_date(ctx, rq, "on", &v) == 0)
        fuzz_check(!v || date_is_valid(v));
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);
    err_clear(&ctx->err);
    if (q_period(ctx, rq, "period", &v) == 0)
        fuzz_check(!v || (strlen(v) == 7 && v[4] == '-'));
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);
    err_clear(&ctx->err);
    if (q_region(ctx, rq, "region", true, &v) == 0)
        fuzz_check(!v || (strspn(v, "0123456789") == strlen(v) && strlen(v) <= 6));
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);
    err_clear(&ctx->err);
    if (q_time(ctx, rq, "from", &ms) != 0)
        fuzz_check(ctx->err.kind == ERR_INVALID);

    err_clear(&ctx->err);
    if (q_bool(ctx, rq, "total", &flag) == 0)
        fuzz_check(flag >= -1 && flag <= 1);
    else
        fuzz_check(ctx->err.kind == ERR_INVALID);

    err_clear(&ctx->err);
    if (q_only(ctx, rq, allowed) < 0)
        check_problem(ctx, rq);
    arena_free(arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct req rq;
    char *s = fuzz_cstr(data, size);

    memset(&rq, 0, sizeof(rq));
    split(s, &rq);
    check_match(rq.method, rq.path);
    check_dispatch(&server_app, &rq);
    check_helpers(&server_app, &rq);
    check_cookies(&server_app, &rq);
    free(s);
    return 0;
}
