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
