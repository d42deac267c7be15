/*
 * store_util.c - helpers shared by the domain store files.
 */
#include <ctype.h>

#include "store_util.h"
#include "app.h"
#include "core/banned.h"

const char *store_like_pattern(struct ctx *ctx, const char *q)
{
    if (!q || !*q)
        return "";
    size_t n = strlen(q);
    char *out = arena_alloc(ctx->arena, n * 2 + 3);
    size_t o = 0;
    out[o++] = '%';
    for (size_t i = 0; i < n; i++) {
        char ch = q[i];
        if (ch == '%' || ch == '_' || ch == '\\')
            out[o++] = '\\';
        /* LOWER() in SQL folds ASCII only on SQLite; fold the pattern the same way. */
        out[o++] = (char)tolower((unsigned char)ch);
    }
    out[o++] = '%';
    out[o] = 0;
    return out;
}

#define AT(obj, f, type) ((type *)((char *)(obj) + (f)->offset))

int entity_read(struct ctx *ctx, struct db_rows *r, const struct entity *e, void *obj)
{
    int col = 0;
    for (int i = 0; i < e->n_fields; i++) {
        const struct entity_field *f = &e->fields[i];
        if (!f->column)
            continue;
        switch (f->kind) {
        case EF_ID:
        case EF_INT64:
        case EF_MONEY:
        case EF_TIME:
        case EF_DECIMAL:
            *AT(obj, f, int64_t) = db_int(r, col);
            break;
        case EF_INT:
            *AT(obj, f, int) = (int)db_int(r, col);
            break;
        case EF_BOOL:
            *AT(obj, f, bool) = db_int(r, col) != 0;
            break;
        case EF_TEXT:
        case EF_ENUM:
        case EF_DATE:
        case EF_CSV: {
            const char *s = db_text(r, col);
            /* A NULL column is NULL only where the API may say null; elsewhere "". */
            *AT(obj, f, const char *) = s                          ? arena_strdup(ctx->arena, s)
                                        : (f->flags & EF_NULLABLE) ? NULL
                                                                   : "";
            break;
        }
        }
        col++;
    }
    return col;
}

int store_get_entity(struct ctx *ctx, const char *sql, const struct db_val *params, int n,
                     const struct entity *e, void *out)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, sql, params, n, &r, &ctx->err);
    if (rc == 1) {
        entity_read(ctx, r, e, out);
        db_rows_free(r);
    }
    return rc;
}

int store_list_entity(struct ctx *ctx, const char *sql, const struct db_val *params, int n,
                      const struct entity *e, void *items, int *n_items)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    int cap = 16, step;
    if (!c || db_query(c, sql, params, n, &r, &ctx->err) < 0)
        return -1;
    char *arr = arena_alloc(ctx->arena, e->size * (size_t)cap);
    *n_items = 0;
    while ((step = db_rows_next(r, &ctx->err)) == 1) {
        if (*n_items == cap) {
            char *grown = arena_alloc(ctx->arena, e->size * (size_t)cap * 2);
            memcpy(grown, arr, e->size * (size_t)cap);
            arr = grown;
            cap *= 2;
        }
        entity_read(ctx, r, e, arr + e->size * (size_t)(*n_items)++);
    }
    db_rows_free(r);
    *(void **)items = arr;
    return step < 0 ? -1 : 0;
}
