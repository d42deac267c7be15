/*
 * catalogue_store.c - all SQL of signing keys and catalogue editions.
 */
#include "catalogue_store.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

static const char SQL_KEY[] =
    "SELECT id, public_key, secret_key FROM signing_keys ORDER BY created_at DESC, id LIMIT 1";
/* Two nodes may create the first key at once: the second insert does nothing and both read
 * the same row back. */
static const char SQL_KEY_INSERT[] =
    "INSERT INTO signing_keys (id, public_key, secret_key, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (id) DO NOTHING";
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

int catalogue_store_key(struct ctx *ctx, const char **id, const char **pk, const char **sk)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_KEY, NULL, 0, &r, &ctx->err);
    if (rc == 1) {
        *id = S(0);
        *pk = S(1);
        *sk = S(2);
        db_rows_free(r);
    }
    return rc;
}

int catalogue_store_key_insert(struct ctx *ctx, const char *id, const char *pk, const char *sk,
                               int64_t now)
{
    return db_exec(ctx_db(ctx), SQL_KEY_INSERT,
                   DB_ARGS(DB_TEXT(id), DB_TEXT(pk), DB_TEXT(sk), DB_INT(now)), NULL, &ctx->err);
}

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
