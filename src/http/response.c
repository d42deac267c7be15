/*
 * response.c - the one renderer of answers: JSON bodies with their ETag, and the one
 * application/problem+json renderer (RFC 9457) for every error of egov.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "app.h"
#include "core/arena.h"
#include "core/err.h"
#include "core/jw.h"
#include "core/log.h"
#include "domain/validate.h"
#include "core/banned.h"

#define PROBLEM_BASE "https://egov.example/problems/"

const char *req_header(const struct req *rq, const char *name)
{
    for (int i = 0; i < rq->n_headers; i++)
        if (!strcasecmp(rq->headers[i].key, name))
            return rq->headers[i].value;
    return NULL;
}

const char *req_query(const struct req *rq, const char *name)
{
    for (int i = 0; i < rq->n_query; i++)
        if (!strcmp(rq->query[i].key, name))
            return rq->query[i].value;
    return NULL;
}

const char *req_cookie(struct ctx *ctx, const struct req *rq, const char *name)
{
    const char *c = req_header(rq, "Cookie");
    size_t n = strlen(name);
    while (c && *c) {
        while (*c == ' ' || *c == ';')
            c++;
        const char *end = strchr(c, ';');
        size_t len = end ? (size_t)(end - c) : strlen(c);
        if (len > n + 1 && !strncmp(c, name, n) && c[n] == '=')
            return arena_strndup(ctx->arena, c + n + 1, len - n - 1);
        c = end;
    }
    return NULL;
}

void resp_header(struct ctx *ctx, struct resp *rs, const char *k, const char *v)
{
    (void)ctx;
    if (rs->n_headers < (int)(sizeof(rs->headers) / sizeof(rs->headers[0]))) {
        rs->headers[rs->n_headers].key = k;
        rs->headers[rs->n_headers].value = v;
        rs->n_headers++;
    }
}

void resp_etag(struct ctx *ctx, struct resp *rs, int64_t id, int version)
{
    resp_header(ctx, rs, "ETag", arena_printf(ctx->arena, "\"%lld-%d\"", (long long)id, version));
}

int req_if_match(struct ctx *ctx, const struct req *rq, int *version)
{
    const char *h = req_header(rq, "If-Match");
    long long id;
    int v, used = 0;
    *version = -1;
    if (!h)
        return 0;
    /* Our ETags are "ID-VERSION"; the id must match the target too, checked by the version's
     * owner. A weak prefix W/ is tolerated. */
    if (!strncmp(h, "W/", 2))
        h += 2;
    if (sscanf(h, "\"%lld-%d\"%n", &id, &v, &used) != 2 || (size_t)used != strlen(h) || v < 1 ||
        id < 1 || (rq->n_params && rq->params[rq->n_params - 1] != id))
        return err_field_as(&ctx->err, ERR_PRECONDITION, "If-Match", "etag",
                            "If-Match must repeat the ETag of the record you read, e.g. "
                            "\"%lld-3\"",
                            (long long)(rq->n_params ? rq->params[rq->n_params - 1] : 1));
    *version = v;
    return 0;
}

struct jw *resp_writer(struct ctx *ctx)
{
    return jw_new(ctx->arena, RESP_MAX);
}

int resp_jw(struct ctx *ctx, struct resp *rs, int status, struct jw *w)
{
    size_t len;
    const char *txt = jw_text(w, &len);
    if (jw_failed(w))
        return err_set(&ctx->err, ERR_INTERNAL,
                       "cannot encode the answer (too large or not UTF-8)");
    rs->status = status;
    rs->content_type = "application/json; charset=utf-8";
    rs->body = (char *)txt;
    rs->len = len;
    rs->jw = w;
    return 0;
}

static int dump_cb(const char *buf, size_t n, void *cls)
{
    jw_raw(cls, buf, n);
    return jw_failed(cls) ? -1 : 0;
}

int resp_json(struct ctx *ctx, struct resp *rs, int status, json_t *body)
{
    struct jw *w = resp_writer(ctx);
    int rc = json_dump_callback(body, dump_cb, w, JSON_COMPACT);
    json_decref(body);
    if (rc < 0 || !body)
        return err_set(&ctx->err, ERR_INTERNAL, "cannot encode the answer");
    return resp_jw(ctx, rs, status, w);
}

/* The quoted-string fallback: printable ASCII only, nothing a browser reads as a path, an escape
 * or a percent-encoding. */
static bool ascii_name_char(unsigned char c)
{
    return c >= 0x20 && c < 0x7f && !strchr("\"\\/%", c);
}

/* RFC 5987 attr-char: sent as is in filename*; everything else is percent-encoded. */
static bool attr_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$&+-.^_`|~", c));
}

int resp_file(struct ctx *ctx, struct resp *rs, int status, const char *content_type,
              const char *filename, const void *data, size_t len)
{
    size_t n = strlen(filename);
    char *ascii = arena_alloc(ctx->arena, n + sizeof("download"));
    char *ext = arena_alloc(ctx->arena, n * 3 + 1);
    size_t a = 0, e = 0;
    bool plain = true;

    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)filename[i];
        /* A folder or a control character has no place in a download's name. */
        if (c < 0x20 || c == 0x7f || c == '/' || c == '\\')
            c = '_';
        if (attr_char(c)) {
            ext[e++] = (char)c;
        } else {
            snprintf(ext + e, 4, "%%%02X", c);
            e += 3;
        }
        plain &= c < 0x80 && ascii_name_char(c);
        if (ascii_name_char(c))
            ascii[a++] = (char)c;
        else if (!a || ascii[a - 1] != '_' || c < 0x80)
            ascii[a++] = '_'; /* one _ for a whole run of UTF-8 bytes */
    }
    if (!a) {
        memcpy(ascii, "download", sizeof("download"));
        a = sizeof("download") - 1; /* only an empty name has no character left */
    }
    ascii[a] = 0;
    ext[e] = 0;
    resp_header(ctx, rs, "Content-Disposition",
                plain ? arena_printf(ctx->arena, "attachment; filename=\"%s\"", ascii)
                      : arena_printf(ctx->arena, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
                                     ascii, ext));
    rs->status = status;
    rs->content_type = content_type;
    rs->jw = NULL;
    rs->len = len;
    rs->body = len ? arena_memdup(ctx->arena, data, len) : NULL;
    return 0;
}

void resp_problem(struct ctx *ctx, struct resp *rs, const char *instance)
{
    struct err *e = &ctx->err;
    int status = err_http_status(e->kind);
    json_t *p;

    if (e->kind == ERR_INTERNAL || e->kind == ERR_NONE) {
        /* The driver's or the bug's text stays in the log, with the request id to find it. */
        log_error("request %s failed: %s", ctx->request_id, e->message);
        snprintf(e->message, sizeof(e->message),
                 "an internal error occurred; quote request id %s to the operators",
                 ctx->request_id);
        status = 500;
        e->kind = ERR_INTERNAL;
    }
    if (instance && utf8_length(instance) == (size_t)-1)
        instance = "(a path that is not valid UTF-8)";
    p = json_pack("{s:s,s:s,s:i,s:s,s:s,s:s}", "type",
                  arena_printf(ctx->arena, PROBLEM_BASE "%s", err_slug(e->kind)), "title",
                  err_title(e->kind), "status", status, "detail", e->message, "instance",
                  instance ? instance : "", "request_id", ctx->request_id);
    if (e->n_fields) {
        json_t *arr = json_array();
        for (int i = 0; i < e->n_fields; i++)
            json_array_append_new(arr,
                                  json_pack("{s:s,s:s,s:s}", "field", e->fields[i].field, "rule",
                                            e->fields[i].rule, "message", e->fields[i].message));
        json_object_set_new(p, "errors", arr);
    }
    /* The rule of the refusal, also beside errors[] (issue 12: clients read one member for every
     * 409/403/422, whatever its shape); for field errors it is the first field's rule. */
    if (p && e->rule[0])
        json_object_set_new(p, "rule", json_string(e->rule));
    if (p && e->n_params) {
        /* The figures the refusal speaks of, for programs (additive to detail). */
        json_t *params = json_object();
        for (int i = 0; i < e->n_params; i++)
            json_object_set_new(params, e->params[i].name,
                                e->params[i].is_number
                                    ? json_integer(strtoll(e->params[i].value, NULL, 10))
                                    : json_string(e->params[i].value));
        json_object_set_new(p, "params", params);
    }
    if ((e->kind == ERR_RATE_LIMITED || e->kind == ERR_UNAVAILABLE) && e->retry_after > 0)
        resp_header(ctx, rs, "Retry-After", arena_printf(ctx->arena, "%d", e->retry_after));
    if (!p) {
        /* json_pack fails only on invalid UTF-8 in a message: answer without the detail. */
        p = json_pack("{s:s,s:s,s:i,s:s}", "type",
                      arena_printf(ctx->arena, PROBLEM_BASE "%s", err_slug(e->kind)), "title",
                      err_title(e->kind), "status", status, "detail",
                      "the request could not be described (it holds invalid UTF-8)");
    }
    resp_json(ctx, rs, status, p);
    rs->content_type = "application/problem+json";
}
