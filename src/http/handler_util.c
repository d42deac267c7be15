/*
 * handler_util.c - query parsing and JSON building shared by the handlers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler_util.h"
#include "jv.h"
#include "app.h"
#include "core/arena.h"
#include "core/entity.h"
#include "core/jw.h"
#include "core/timeutil.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/validate.h"
#include "core/banned.h"

static int parse_int(const char *s, long long min, long long max, long long *out)
{
    char *end;
    if (!s || !*s || strlen(s) > 20)
        return -1;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

int q_page(struct ctx *ctx, const struct req *rq, struct page_req *p)
{
    long long v;
    const char *s;
    memset(p, 0, sizeof(*p));
    if ((s = req_query(rq, "limit")) != NULL) {
        if (parse_int(s, 1, PAGE_MAX, &v) < 0)
            return err_field(&ctx->err, "limit", "range", "limit must be 1 to %d", PAGE_MAX);
        p->limit = (int)v;
    }
    if ((s = req_query(rq, "cursor")) != NULL) {
        if (parse_int(s, 0, 9007199254740991LL, &v) < 0)
            return err_field(&ctx->err, "cursor", "cursor",
                             "cursor must be the next_cursor of a previous page");
        p->after_id = v;
    }
    int total;
    if (q_bool(ctx, rq, "total", &total) < 0)
        return -1;
    p->want_total = total == 1;
    return 0;
}

int q_id(struct ctx *ctx, const struct req *rq, const char *name, int64_t *out)
{
    long long v;
    const char *s = req_query(rq, name);
    *out = 0;
    if (!s)
        return 0;
    if (parse_int(s, 1, 9007199254740991LL, &v) < 0)
        return err_field(&ctx->err, name, "id", "%s must be a positive integer id", name);
    *out = v;
    return 0;
}

int q_text(struct ctx *ctx, const struct req *rq, const char *name, int max, const char **out)
{
    const char *s = req_query(rq, name);
    *out = NULL;
    if (!s || !*s)
        return 0;
    if (check_text(ctx, name, s, 1, (size_t)max) < 0)
        return -1;
    *out = s;
    return 0;
}

int q_enum(struct ctx *ctx, const struct req *rq, const char *name, const char *const *allowed,
           const char **out)
{
    if (q_text(ctx, rq, name, 64, out) < 0)
        return -1;
    if (*out && check_enum(ctx, name, *out, allowed) < 0)
        return -1;
    return 0;
}

int q_date(struct ctx *ctx, const struct req *rq, const char *name, const char **out)
{
    if (q_text(ctx, rq, name, 10, out) < 0)
        return -1;
    if (*out && check_date(ctx, name, *out) < 0)
        return -1;
    return 0;
}

int q_period(struct ctx *ctx, const struct req *rq, const char *name, const char **out)
{
    const char *s = req_query(rq, name);
    *out = NULL;
    if (!s || !*s)
        return 0;
    if (strlen(s) != 7 || !date_is_valid(arena_printf(ctx->arena, "%s-01", s)))
        return err_field(&ctx->err, name, "period", "%s must be a month YYYY-MM", name);
    *out = s;
    return 0;
}

int q_region(struct ctx *ctx, const struct req *rq, const char *name, bool prefix, const char **out)
{
    const char *s = req_query(rq, name);
    size_t n;
    *out = NULL;
    if (!s || !*s)
        return 0;
    n = strlen(s);
    if (prefix && (n == 2 || n == 4) && strspn(s, "0123456789") == n) {
        *out = s;
        return 0;
    }
    if (check_region(ctx, name, s) < 0)
        return -1;
    *out = s;
    return 0;
}

int q_time(struct ctx *ctx, const struct req *rq, const char *name, int64_t *out)
{
    const char *s = req_query(rq, name);
    *out = 0;
    if (s && time_parse(s, out) < 0)
        return err_field(&ctx->err, name, "time", "%s must be an RFC 3339 time", name);
    return 0;
}

int q_bool(struct ctx *ctx, const struct req *rq, const char *name, int *out)
{
    const char *s = req_query(rq, name);
    *out = -1;
    if (!s)
        return 0;
    if (!strcmp(s, "true") || !strcmp(s, "1"))
        *out = 1;
    else if (!strcmp(s, "false") || !strcmp(s, "0"))
        *out = 0;
    else
        return err_field(&ctx->err, name, "boolean", "%s must be true or false", name);
    return 0;
}

int q_only(struct ctx *ctx, const struct req *rq, const char *const *allowed)
{
    for (int i = 0; i < rq->n_query; i++) {
        int k;
        for (k = 0; allowed[k]; k++)
            if (!strcmp(allowed[k], rq->query[i].key))
                break;
        if (!allowed[k]) {
            const char *name = utf8_cut(ctx->arena, rq->query[i].key, 60);
            err_field(&ctx->err, name, "unknown_parameter", "unknown query parameter '%s'", name);
        }
    }
    return ctx->err.kind ? -1 : 0;
}

json_t *j_str(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *j_time(int64_t ms)
{
    char buf[40];
    if (!ms)
        return json_null();
    time_format(ms, buf, sizeof(buf));
    return json_string(buf);
}

json_t *j_id(int64_t id)
{
    return id ? json_integer(id) : json_null();
}

json_t *j_page(json_t *items, const struct page_info *info)
{
    char cur[24];
    /* The cursor is opaque to clients: a string they hand back as ?cursor=. */
    snprintf(cur, sizeof(cur), "%lld", (long long)info->next_cursor);
    json_t *o = json_pack("{s:o,s:o}", "items", items, "next_cursor",
                          info->next_cursor ? json_string(cur) : json_null());
    if (info->total >= 0)
        json_object_set_new(o, "total", json_integer(info->total));
    return o;
}

int resp_entity(struct ctx *ctx, struct resp *rs, int status, const struct entity *e,
                const void *obj)
{
    struct jw *w = resp_writer(ctx);
    entity_write(w, e, obj);
    return resp_jw(ctx, rs, status, w);
}

int resp_page(struct ctx *ctx, struct resp *rs, const struct entity *e, const void *items, int n,
              const struct page_info *info)
{
    struct jw *w = resp_writer(ctx);
    entity_write_page(w, e, items, n, info->next_cursor, info->total);
    return resp_jw(ctx, rs, 200, w);
}

/* The members "actions" and "blocked_actions" of an object being written (j_actions' shape). */
static int write_actions(struct ctx *ctx, struct jw *w, const struct lifecycle *lc, const void *obj)
{
    const char **names;
    struct lc_blocked *blocked;
    int n, n_blocked;
    if (lifecycle_actions(ctx, lc, obj, &names, &n, &blocked, &n_blocked) < 0)
        return -1;
    jw_key(w, "actions");
    jw_arr(w);
    for (int i = 0; i < n; i++)
        jw_str(w, names[i]);
    jw_arr_end(w);
    jw_key(w, "blocked_actions");
    jw_arr(w);
    for (int i = 0; i < n_blocked; i++) {
        jw_obj(w);
        jw_key(w, "action");
        jw_str(w, blocked[i].action);
        jw_key(w, "rule");
        jw_str(w, blocked[i].rule);
        jw_key(w, "detail");
        jw_str(w, blocked[i].message);
        jw_key(w, "params");
        jw_obj(w);
        for (int k = 0; k < blocked[i].n_params; k++) {
            const struct err_param *p = &blocked[i].params[k];
            jw_key(w, p->name);
            if (p->is_number)
                jw_int(w, strtoll(p->value, NULL, 10));
            else
                jw_str(w, p->value);
        }
        jw_obj_end(w);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    return 0;
}

int resp_entity_actions(struct ctx *ctx, struct resp *rs, int status, const struct entity *e,
                        const void *obj, const struct lifecycle *lc)
{
    struct jw *w = resp_writer(ctx);
    jw_obj(w);
    entity_write_fields(w, e, obj);
    if (write_actions(ctx, w, lc, obj) < 0)
        return -1;
    jw_obj_end(w);
    return resp_jw(ctx, rs, status, w);
}

int j_actions(struct ctx *ctx, json_t *o, const struct lifecycle *lc, const void *entity)
{
    const char **names;
    struct lc_blocked *blocked;
    int n, n_blocked;
    if (lifecycle_actions(ctx, lc, entity, &names, &n, &blocked, &n_blocked) < 0) {
        json_decref(o);
        return -1;
    }
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_string(names[i]));
    json_object_set_new(o, "actions", arr);
    arr = json_array();
    for (int i = 0; i < n_blocked; i++) {
        json_t *params = json_object();
        for (int k = 0; k < blocked[i].n_params; k++) {
            const struct err_param *p = &blocked[i].params[k];
            json_object_set_new(params, p->name,
                                p->is_number ? json_integer(strtoll(p->value, NULL, 10))
                                             : json_string(p->value));
        }
        json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:o}", "action", blocked[i].action,
                                             "rule", blocked[i].rule, "detail", blocked[i].message,
                                             "params", params));
    }
    json_object_set_new(o, "blocked_actions", arr);
    return 0;
}

int body_decode(struct ctx *ctx, struct req *rq, const struct field_spec *spec, void *target,
                unsigned *has)
{
    return jv_decode(ctx, rq->json, spec, target, has);
}
