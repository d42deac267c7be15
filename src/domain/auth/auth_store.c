/*
 * auth_store.c - all SQL of sessions.
 */
#include "auth_store.h"
#include "domain/store_util.h"
#include "app.h"
#include "db/db.h"
#include "core/banned.h"

static const char SQL_INSERT[] =
    "INSERT INTO sessions (token_hash, person_id, created_at, expires_at, revoked, client_ip) "
    "VALUES ($1, $2, $3, $4, 0, $5)";
/* The caller in one statement: session, person and institution must all still be in force. */
static const char SQL_RESOLVE[] =
    "SELECT p.id, p.institution_id, p.login, p.name, i.kind, i.level, p.is_admin, s.expires_at "
    "FROM sessions s JOIN people p ON p.id = s.person_id JOIN institutions i ON "
    "i.id = p.institution_id WHERE s.token_hash = $1 AND s.revoked = 0 AND s.expires_at > $2 "
    "AND p.enabled = 1 AND i.status = 'active'";
static const char SQL_REVOKE[] = "UPDATE sessions SET revoked = 1 WHERE token_hash = $1";
/* Ended sessions of one person are removed at that person's next login: the table stays the
 * size of the live sessions without a background job. */
static const char SQL_PURGE[] =
    "DELETE FROM sessions WHERE person_id = $1 AND (expires_at < $2 OR revoked = 1)";

int auth_store_insert(struct ctx *ctx, const char *hash, int64_t person_id, int64_t now,
                      int64_t expires)
{
    return db_exec(ctx_db(ctx), SQL_INSERT,
                   DB_ARGS(DB_TEXT(hash), DB_INT(person_id), DB_INT(now), DB_INT(expires),
                           DB_TEXT(ctx->client_ip)),
                   NULL, &ctx->err);
}

int auth_store_resolve(struct ctx *ctx, const char *hash, int64_t now, struct caller *out)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_RESOLVE, DB_ARGS(DB_TEXT(hash), DB_INT(now)), &r, &ctx->err);
    if (rc != 1)
        return rc;
    out->person_id = db_int(r, 0);
    out->institution_id = db_int(r, 1);
    out->login = S(2);
    out->name = S(3);
    out->inst_kind = S(4);
    out->inst_level = S(5);
    out->is_admin = db_int(r, 6) != 0;
    out->session_expires_at = db_int(r, 7);
    db_rows_free(r);
    return 1;
}

int auth_store_revoke(struct ctx *ctx, const char *hash)
{
    return db_exec(ctx_db(ctx), SQL_REVOKE, DB_ARGS(DB_TEXT(hash)), NULL, &ctx->err);
}

int auth_store_purge(struct ctx *ctx, int64_t person_id, int64_t before)
{
    return db_exec(ctx_db(ctx), SQL_PURGE, DB_ARGS(DB_INT(person_id), DB_INT(before)), NULL,
                   &ctx->err);
}
