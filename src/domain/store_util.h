/*
 * store_util.h - the few macros every *_store.c uses to read rows into
 * arena-owned structs, so that each store function is its SQL plus its column mapping.
 * `ctx` and `r` must be in scope.
 */
#ifndef EGOV_STORE_UTIL_H
#define EGOV_STORE_UTIL_H

#include <string.h>

#include "core/arena.h"
#include "core/entity.h"
#include "db/db.h"

struct ctx;

#define S(i)        arena_strdup(ctx->arena, db_text(r, (i)) ? db_text(r, (i)) : "")
#define OR_EMPTY(s) ((s) ? (s) : "")

/* Reads one row through fn into *out: returns 1 found, 0 none, -1 error. */
#define GET_ONE(sql, args, fn, out)                                                                \
    do {                                                                                           \
        struct db_rows *r;                                                                         \
        struct db_conn *c_ = ctx_db(ctx);                                                          \
        if (!c_)                                                                                   \
            return -1;                                                                             \
        int rc_ = db_query_row(c_, sql, args, &r, &ctx->err);                                      \
        if (rc_ == 1) {                                                                            \
            fn(ctx, r, out);                                                                       \
            db_rows_free(r);                                                                       \
        }                                                                                          \
        return rc_;                                                                                \
    } while (0)

/* Reads every row through fn into an arena array. `type` is a type name, which cannot be put
 * in parentheses. */
/* NOLINTBEGIN(bugprone-macro-parentheses) */
#define LIST_ALL(sql, args, type, fn, items, n)                                                    \
    do {                                                                                           \
        struct db_rows *r;                                                                         \
        struct db_conn *c_ = ctx_db(ctx);                                                          \
        int cap_ = 16, step_;                                                                      \
        if (!c_ || db_query(c_, sql, args, &r, &ctx->err) < 0)                                     \
            return -1;                                                                             \
        type *arr_ = arena_alloc(ctx->arena, sizeof(type) * (size_t)cap_);                         \
        *(n) = 0;                                                                                  \
        while ((step_ = db_rows_next(r, &ctx->err)) == 1) {                                        \
            if (*(n) == cap_) {                                                                    \
                type *grown_ = arena_alloc(ctx->arena, sizeof(type) * (size_t)cap_ * 2);           \
                memcpy(grown_, arr_, sizeof(type) * (size_t)cap_);                                 \
                arr_ = grown_;                                                                     \
                cap_ *= 2;                                                                         \
            }                                                                                      \
            fn(ctx, r, &arr_[(*(n))++]);                                                           \
        }                                                                                          \
        db_rows_free(r);                                                                           \
        *(items) = arr_;                                                                           \
        return step_ < 0 ? -1 : 0;                                                                 \
    } while (0)

/* NOLINTEND(bugprone-macro-parentheses) */

/*
 * Described entities (core/entity.h): entity_read copies the current row into obj, column i into
 * the i-th field that has a column (text into the arena), and returns the number of columns
 * read, so a store may read columns of its own after them. store_get_entity answers 1 found, 0
 * none, -1 error; store_list_entity reads every row into an arena array (*(T **)items) of
 * e->size elements.
 */
int entity_read(struct ctx *ctx, struct db_rows *r, const struct entity *e, void *obj);
int store_get_entity(struct ctx *ctx, const char *sql, const struct db_val *params, int n,
                     const struct entity *e, void *out);
int store_list_entity(struct ctx *ctx, const char *sql, const struct db_val *params, int n,
                      const struct entity *e, void *items, int *n_items);

/*
 * The one SQL fragment of the jurisdiction: true when the institution in column col lies in the
 * subtree of root within depth levels (root 0: the whole store, the CLI operator). root and
 * depth are placeholders, e.g. SQL_IN_JURISDICTION("p.provider_id", "$1", "$2").
 */
#define SQL_IN_JURISDICTION(col, root, depth)                                                      \
    "(CAST(" root " AS BIGINT) = 0 OR " SQL_IN_SUBTREE(col, root, depth) ")"
/* The whole subtree of root, whatever its depth (a filter, or a publisher's catalogue). */
#define SQL_UNDER(col, root)                                                                       \
    col " IN (SELECT descendant_id FROM institution_tree WHERE ancestor_id = " root ")"
/* The same without the operator's case, for scopes that widen it with other conditions. */
#define SQL_IN_SUBTREE(col, root, depth)                                                           \
    col " IN (SELECT descendant_id FROM institution_tree WHERE ancestor_id = " root                \
        " AND depth <= CAST(" depth " AS INTEGER))"

/* "%q%" for LIKE with the wildcards of q escaped; "" when q is empty. Arena-owned. */
const char *store_like_pattern(struct ctx *ctx, const char *q);

#endif
