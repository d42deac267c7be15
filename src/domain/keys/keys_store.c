/*
 * keys_store.c - all SQL of signing keys (public keys and their validity).
 */
#include "keys_store.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

#define KEY_COLS "id, algorithm, public_key, created_at, retired_at"
static const char SQL_BY_PUBLIC_KEY[] =
    "SELECT " KEY_COLS " FROM signing_keys WHERE public_key = $1";
static const char SQL_GET[] = "SELECT " KEY_COLS " FROM signing_keys WHERE id = $1";
static const char SQL_LIST[] = "SELECT " KEY_COLS " FROM signing_keys ORDER BY created_at, id";
/* No conflict target: either the id or the public key may already be there. */
static const char SQL_INSERT[] =
    "INSERT INTO signing_keys (id, algorithm, public_key, created_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING";
static const char SQL_RETIRE_OTHERS[] =
    "UPDATE signing_keys SET retired_at = $2 WHERE retired_at IS NULL AND id <> $1";
static const char SQL_RETIRE[] =
    "UPDATE signing_keys SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL";
/* Only valid before migration 0015 (the column is dropped there). */
static const char SQL_LEGACY_SECRET[] =
    "SELECT id, secret_key FROM signing_keys ORDER BY created_at DESC, id LIMIT 1";

/* A statement without parameters, as one macro argument. */
#define NO_ARGS NULL, 0

static void read_key(struct ctx *ctx, struct db_rows *r, struct signing_key *k)
{
    k->id = S(0);
    k->algorithm = S(1);
    k->public_key = S(2);
    k->valid_from = db_int(r, 3);
    k->retired_at = db_is_null(r, 4) ? 0 : db_int(r, 4);
}

int keys_store_by_public_key(struct ctx *ctx, const char *public_key, struct signing_key *out)
{
    GET_ONE(SQL_BY_PUBLIC_KEY, DB_ARGS(DB_TEXT(public_key)), read_key, out);
}

int keys_store_get(struct ctx *ctx, const char *id, struct signing_key *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_TEXT(id)), read_key, out);
}

int keys_store_insert(struct ctx *ctx, const struct signing_key *k)
{
    struct db_conn *c = ctx_db(ctx);
    return c ? db_exec(c, SQL_INSERT,
                       DB_ARGS(DB_TEXT(k->id), DB_TEXT(k->algorithm), DB_TEXT(k->public_key),
                               DB_INT(k->valid_from)),
                       NULL, &ctx->err)
             : -1;
}

int keys_store_list(struct ctx *ctx, struct signing_key **items, int *n)
{
    LIST_ALL(SQL_LIST, NO_ARGS, struct signing_key, read_key, items, n);
}

int keys_store_retire_others(struct ctx *ctx, const char *keep_id, int64_t now, int64_t *n_retired)
{
    return db_exec(ctx_db(ctx), SQL_RETIRE_OTHERS, DB_ARGS(DB_TEXT(keep_id), DB_INT(now)),
                   n_retired, &ctx->err);
}

int keys_store_retire(struct ctx *ctx, const char *id, int64_t now, int64_t *n_retired)
{
    return db_exec(ctx_db(ctx), SQL_RETIRE, DB_ARGS(DB_TEXT(id), DB_INT(now)), n_retired,
                   &ctx->err);
}

int keys_store_legacy_secret(struct ctx *ctx, const char **id, const char **secret)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_LEGACY_SECRET, NULL, 0, &r, &ctx->err);
    if (rc == 1) {
        *id = S(0);
        *secret = S(1);
        db_rows_free(r);
    }
    return rc;
}
