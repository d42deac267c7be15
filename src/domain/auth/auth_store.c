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

/* The ladders of unknown login names and of client addresses: the same count as a person's
 * (people.failed_logins), kept in one statement so that parallel attempts each count. */
static const char SQL_THROTTLE_GET[] =
    "SELECT failures, locked_until FROM login_throttle WHERE key = $1";
static const char SQL_THROTTLE_FAIL[] =
    "INSERT INTO login_throttle (key, failures, locked_until, updated_at) VALUES ($1, 1, 0, $2) "
    "ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_throttle.updated_at <= $3 AND "
    "login_throttle.locked_until <= $2 THEN 1 ELSE login_throttle.failures + 1 END, "
    "updated_at = $2 RETURNING failures";
static const char SQL_THROTTLE_LOCK[] =
    "UPDATE login_throttle SET locked_until = CASE WHEN locked_until > $2 THEN locked_until "
    "ELSE $2 END WHERE key = $1";
/* A ladder nobody has touched for a whole lock period would restart at 1 anyway: forgetting it
 * changes nothing, and the table holds only the names and addresses that failed recently. */
static const char SQL_THROTTLE_PRUNE[] =
    "DELETE FROM login_throttle WHERE updated_at < $1 AND locked_until < $2";
static const char SQL_KNOWN_ADD[] =
    "INSERT INTO login_known (person_id, kind, value, last_at) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (person_id, kind, value) DO UPDATE SET last_at = $4";
static const char SQL_KNOWN_HAS[] =
    "SELECT COUNT(*) FROM login_known WHERE person_id = $1 AND kind = $2 AND value = $3 "
    "AND last_at >= $4";
static const char SQL_KNOWN_DROP[] =
    "DELETE FROM login_known WHERE person_id = $1 AND kind = $2 AND value = $3";
static const char SQL_KNOWN_PRUNE[] =
    "DELETE FROM login_known WHERE person_id = $1 AND last_at < $2";
/* One counter per key and window: a refusal in a window that has ended opens a new one and
 * keeps the old window's count in prev_refused (the right-hand sides read the old row). */
static const char SQL_REFUSAL[] =
    "INSERT INTO login_refusals (key, window_start, refused, prev_refused) VALUES ($1, $2, 1, 0) "
    "ON CONFLICT (key) DO UPDATE SET "
    "prev_refused = CASE WHEN login_refusals.window_start <= $3 THEN login_refusals.refused "
    "ELSE login_refusals.prev_refused END, "
    "refused = CASE WHEN login_refusals.window_start <= $3 THEN 1 "
    "ELSE login_refusals.refused + 1 END, "
    "window_start = CASE WHEN login_refusals.window_start <= $3 THEN $2 "
    "ELSE login_refusals.window_start END RETURNING refused, prev_refused";
static const char SQL_REFUSAL_PRUNE[] = "DELETE FROM login_refusals WHERE window_start < $1";

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

int auth_store_throttle_get(struct ctx *ctx, const char *key, int *failures, int64_t *locked_until)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    *failures = 0;
    *locked_until = 0;
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_THROTTLE_GET, DB_ARGS(DB_TEXT(key)), &r, &ctx->err);
    if (rc != 1)
        return rc;
    *failures = (int)db_int(r, 0);
    *locked_until = db_int(r, 1);
    db_rows_free(r);
    return 0;
}

int auth_store_throttle_fail(struct ctx *ctx, const char *key, int64_t now, int64_t idle_before,
                             int *failures)
{
    int64_t n;
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_query_int(c, SQL_THROTTLE_FAIL, DB_ARGS(DB_TEXT(key), DB_INT(now), DB_INT(idle_before)),
                     &n, &ctx->err) < 0)
        return -1;
    *failures = (int)n;
    return 0;
}

int auth_store_throttle_lock(struct ctx *ctx, const char *key, int64_t until)
{
    return db_exec(ctx_db(ctx), SQL_THROTTLE_LOCK, DB_ARGS(DB_TEXT(key), DB_INT(until)), NULL,
                   &ctx->err);
}

int auth_store_prune(struct ctx *ctx, int64_t idle_before, int64_t now)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_exec(c, SQL_THROTTLE_PRUNE, DB_ARGS(DB_INT(idle_before), DB_INT(now)), NULL,
                      &ctx->err) < 0)
        return -1;
    return db_exec(c, SQL_REFUSAL_PRUNE, DB_ARGS(DB_INT(idle_before)), NULL, &ctx->err);
}

int auth_store_known_add(struct ctx *ctx, int64_t person_id, const char *kind, const char *value,
                         int64_t now, int64_t forget_before)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_exec(c, SQL_KNOWN_PRUNE, DB_ARGS(DB_INT(person_id), DB_INT(forget_before)), NULL,
                      &ctx->err) < 0)
        return -1;
    return db_exec(c, SQL_KNOWN_ADD,
                   DB_ARGS(DB_INT(person_id), DB_TEXT(kind), DB_TEXT(value), DB_INT(now)), NULL,
                   &ctx->err);
}

int auth_store_known_has(struct ctx *ctx, int64_t person_id, const char *kind, const char *value,
                         int64_t since)
{
    int64_t n;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query_int(c, SQL_KNOWN_HAS,
                           DB_ARGS(DB_INT(person_id), DB_TEXT(kind), DB_TEXT(value), DB_INT(since)),
                           &n, &ctx->err) < 0)
        return -1;
    return n > 0;
}

int auth_store_known_drop(struct ctx *ctx, int64_t person_id, const char *kind, const char *value)
{
    return db_exec(ctx_db(ctx), SQL_KNOWN_DROP,
                   DB_ARGS(DB_INT(person_id), DB_TEXT(kind), DB_TEXT(value)), NULL, &ctx->err);
}

int auth_store_refusal(struct ctx *ctx, const char *key, int64_t now, int64_t window_ms,
                       int *refused, int *prev_refused)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(
        c, SQL_REFUSAL, DB_ARGS(DB_TEXT(key), DB_INT(now), DB_INT(now - window_ms)), &r, &ctx->err);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "refusal counter not returned");
    *refused = (int)db_int(r, 0);
    *prev_refused = (int)db_int(r, 1);
    db_rows_free(r);
    return 0;
}
