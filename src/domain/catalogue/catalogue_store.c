/*
 * catalogue_store.c - all SQL of catalogue editions (signing keys: domain/keys/keys_store.c).
 */
#include "catalogue_store.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

static const char SQL_NEXT[] =
    "SELECT COALESCE(MAX(number), 0) + 1 FROM catalogue_editions WHERE catalogue = $1 AND "
    "publisher_id = $2";
static const char SQL_INSERT[] =
    "INSERT INTO catalogue_editions (id, catalogue, publisher_id, number, published_at, "
    "published_by, n_items, body, signature, key_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10)";
#define ED_COLS                                                                                    \
    "e.id, e.catalogue, e.publisher_id, e.number, e.published_at, e.published_by, e.n_items, "     \
    "e.signature, e.key_id, i.name"
static const char SQL_LIST[] = "SELECT " ED_COLS ", '' FROM catalogue_editions e JOIN "
                               "institutions i ON i.id = e.publisher_id WHERE e.catalogue = $1 "
                               "ORDER BY e.published_at DESC, e.id DESC LIMIT 500";
static const char SQL_GET[] =
    "SELECT " ED_COLS ", e.body FROM catalogue_editions e JOIN institutions i ON "
    "i.id = e.publisher_id WHERE e.catalogue = $1 AND e.number = $2 AND "
    "(CAST($3 AS BIGINT) = 0 OR e.publisher_id = $3) ORDER BY e.published_at DESC LIMIT 1";

int catalogue_store_next(struct ctx *ctx, const char *catalogue, int64_t publisher, int *number)
{
    int64_t n = 0;
    if (db_query_int(ctx_db(ctx), SQL_NEXT, DB_ARGS(DB_TEXT(catalogue), DB_INT(publisher)), &n,
                     &ctx->err) < 0)
        return -1;
    *number = (int)n;
    return 0;
}

int catalogue_store_insert(struct ctx *ctx, const struct edition *e)
{
    return db_exec(ctx_db(ctx), SQL_INSERT,
                   DB_ARGS(DB_INT(e->id), DB_TEXT(e->catalogue), DB_INT(e->publisher_id),
                           DB_INT(e->number), DB_INT(e->published_at),
                           e->published_by ? DB_INT(e->published_by) : DB_NULL, DB_INT(e->n_items),
                           DB_TEXT(e->body), DB_TEXT(e->signature), DB_TEXT(e->key_id)),
                   NULL, &ctx->err);
}

static void read_edition(struct ctx *ctx, struct db_rows *r, struct edition *o)
{
    o->id = db_int(r, 0);
    o->catalogue = S(1);
    o->publisher_id = db_int(r, 2);
    o->number = (int)db_int(r, 3);
    o->published_at = db_int(r, 4);
    o->published_by = db_int(r, 5);
    o->n_items = (int)db_int(r, 6);
    o->signature = S(7);
    o->key_id = S(8);
    o->publisher_name = S(9);
    o->body = S(10);
}

int catalogue_store_list(struct ctx *ctx, const char *catalogue, struct edition **items, int *n)
{
    LIST_ALL(SQL_LIST, DB_ARGS(DB_TEXT(catalogue)), struct edition, read_edition, items, n);
}

int catalogue_store_get(struct ctx *ctx, const char *catalogue, int64_t publisher, int number,
                        struct edition *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_TEXT(catalogue), DB_INT(number), DB_INT(publisher)), read_edition,
            out);
}
