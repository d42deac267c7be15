/*
 * audit_store.c - all SQL of the audit trail. The chain head is one row that every appender
 * locks first, so that concurrent transactions on PostgreSQL append one after the other
 * instead of forking the chain.
 */
#include <string.h>

#include "audit_store.h"
#include "app.h"
#include "core/arena.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

/* PostgreSQL needs FOR UPDATE to serialise appenders; SQLite has no such clause and needs
 * none, because its BEGIN IMMEDIATE already holds the only write lock. */
static const char SQL_HEAD_PG[] = "SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE";
static const char SQL_HEAD_SQLITE[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
static const char SQL_SET_HEAD[] = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
static const char SQL_INSERT[] =
    "INSERT INTO audit_log (seq, at, actor_id, actor_login, actor_institution_id, "
    "scope_institution_id, action, object_type, object_id, changes, client_ip, request_id, "
    "prev_hash, hash, hash_alg) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
    "$14, $15)";
static const char SQL_ALL[] =
    "SELECT seq, at, actor_id, actor_login, actor_institution_id, scope_institution_id, action, "
    "object_type, object_id, changes, client_ip, request_id, prev_hash, hash, hash_alg FROM "
    "audit_log WHERE seq > $1 ORDER BY seq LIMIT 5000";
static const char SQL_HEAD_READ[] = "SELECT seq, hash FROM audit_head WHERE id = 1";
/* Records of no institution (failed logins of unknown names, addresses locked) belong to the
 * root management institution ($1). */
#define AUDIT_UNOWNED                                                                              \
    "(scope_institution_id IS NULL AND actor_institution_id IS NULL AND EXISTS (SELECT 1 FROM "    \
    "institutions WHERE id = $1 AND parent_id IS NULL AND kind = 'management'))"
#define AUDIT_SCOPE                                                                                \
    SQL_UNDER("scope_institution_id", "$1") " OR " SQL_UNDER("actor_institution_id", "$1")
/* $1 jurisdiction root (0 = everything), then the filters; a 0 / NULL filter matches all. */
#define AUDIT_WHERE                                                                                \
    "(CAST($1 AS BIGINT) = 0 OR " AUDIT_SCOPE " OR " AUDIT_UNOWNED ") "                            \
    "AND (CAST($2 AS BIGINT) = 0 OR actor_id = $2) AND ($3 = '' OR object_type = $3) "             \
    "AND (CAST($4 AS BIGINT) = 0 OR object_id = $4) AND ($5 = '' OR action = $5) "                 \
    "AND (CAST($6 AS BIGINT) = 0 OR at >= $6) AND (CAST($7 AS BIGINT) = 0 OR at < $7)"
static const char SQL_LIST[] =
    "SELECT seq, at, actor_id, actor_login, actor_institution_id, scope_institution_id, action, "
    "object_type, object_id, changes, client_ip, request_id, prev_hash, hash, hash_alg FROM "
    "audit_log WHERE " AUDIT_WHERE
    " AND (CAST($8 AS BIGINT) = 0 OR seq < $8) ORDER BY seq DESC LIMIT $9";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM audit_log WHERE " AUDIT_WHERE;
static const char SQL_ALG_AT[] = "SELECT hash_alg FROM audit_log WHERE seq = $1";
static const char SQL_CP_INSERT[] =
    "INSERT INTO audit_checkpoints (seq, at, hash, hash_alg, reason, key_id, algorithm, "
    "signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
#define CP_COLS "seq, at, hash, hash_alg, reason, key_id, algorithm, signature"
static const char SQL_CP_LAST[] =
    "SELECT " CP_COLS " FROM audit_checkpoints ORDER BY seq DESC LIMIT 1";
/* Newest first for readers ($1: before this seq, 0 = from the newest); oldest first for the
 * export to the file ($1: after this seq). */
static const char SQL_CP_PAGE[] =
    "SELECT " CP_COLS " FROM audit_checkpoints WHERE (CAST($1 AS BIGINT) = 0 OR seq < $1) "
    "ORDER BY seq DESC LIMIT $2";
static const char SQL_CP_AFTER[] =
    "SELECT " CP_COLS " FROM audit_checkpoints WHERE seq > $1 ORDER BY seq LIMIT $2";

int audit_store_lock_head(struct ctx *ctx, int64_t *seq, char *hash, size_t cap)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    const char *sql = db_conn_kind(c) == DB_PG ? SQL_HEAD_PG : SQL_HEAD_SQLITE;
    int rc = db_query_row(c, sql, NULL, 0, &r, &ctx->err);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "audit head missing");
    *seq = db_int(r, 0);
    const char *h = db_text(r, 1);
    snprintf(hash, cap, "%s", h ? h : "");
    db_rows_free(r);
    return 0;
}

int audit_store_append(struct ctx *ctx, const struct audit_row *a)
{
    struct db_conn *c = ctx_db(ctx);
#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)
    if (db_exec(c, SQL_INSERT,
                DB_ARGS(DB_INT(a->seq), DB_INT(a->at), OPT(a->actor_id), DB_TEXT(a->actor_login),
                        OPT(a->actor_institution_id), OPT(a->scope_institution_id),
                        DB_TEXT(a->action), DB_TEXT(a->object_type), OPT(a->object_id),
                        DB_TEXT(a->changes), DB_TEXT(a->client_ip), DB_TEXT(a->request_id),
                        DB_TEXT(a->prev_hash), DB_TEXT(a->hash), DB_TEXT(a->hash_alg)),
                NULL, &ctx->err) < 0)
        return -1;
#undef OPT
    return db_exec(c, SQL_SET_HEAD, DB_ARGS(DB_INT(a->seq), DB_TEXT(a->hash)), NULL, &ctx->err);
}

static void read_row(struct ctx *ctx, struct db_rows *r, struct audit_row *a)
{
    a->seq = db_int(r, 0);
    a->at = db_int(r, 1);
    a->actor_id = db_int(r, 2);
    a->actor_login = arena_strdup(ctx->arena, db_text(r, 3));
    a->actor_institution_id = db_int(r, 4);
    a->scope_institution_id = db_int(r, 5);
    a->action = arena_strdup(ctx->arena, db_text(r, 6));
    a->object_type = arena_strdup(ctx->arena, db_text(r, 7));
    a->object_id = db_int(r, 8);
    a->changes = arena_strdup(ctx->arena, db_text(r, 9));
    a->client_ip = arena_strdup(ctx->arena, db_text(r, 10));
    a->request_id = arena_strdup(ctx->arena, db_text(r, 11));
    a->prev_hash = arena_strdup(ctx->arena, db_text(r, 12));
    a->hash = arena_strdup(ctx->arena, db_text(r, 13));
    a->hash_alg = arena_strdup(ctx->arena, db_text(r, 14));
}

int audit_store_each(struct ctx *ctx, int (*fn)(void *arg, const struct audit_row *a), void *arg)
{
    struct db_conn *c = ctx_db(ctx);
    int64_t after = 0;
    int rc = 0;
    if (!c)
        return -1;
    /* Pages of 5,000 by seq keep memory flat however long the trail grows. */
    for (;;) {
        struct db_rows *r;
        int step = 0, n = 0;
        if (db_query(c, SQL_ALL, DB_ARGS(DB_INT(after)), &r, &ctx->err) < 0)
            return -1;
        while (rc == 0 && (step = db_rows_next(r, &ctx->err)) == 1) {
            struct arena *saved = ctx->arena;
            struct arena *tmp = arena_new();
            struct audit_row a;
            ctx->arena = tmp;
            read_row(ctx, r, &a);
            after = a.seq;
            n++;
            rc = fn(arg, &a);
            ctx->arena = saved;
            arena_free(tmp);
        }
        db_rows_free(r);
        if (rc != 0)
            return rc;
        if (step < 0)
            return -1;
        if (n == 0)
            return 0;
    }
}

int audit_store_head(struct ctx *ctx, int64_t *seq, const char **hash)
{
    struct db_rows *r;
    int rc = db_query_row(ctx_db(ctx), SQL_HEAD_READ, NULL, 0, &r, &ctx->err);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "audit head missing");
    *seq = db_int(r, 0);
    *hash = arena_strdup(ctx->arena, db_text(r, 1));
    db_rows_free(r);
    return 0;
}

int audit_store_count(struct ctx *ctx, int64_t root, const struct audit_filter *f, int64_t *total)
{
    return db_query_int(ctx_db(ctx), SQL_COUNT,
                        DB_ARGS(DB_INT(root), DB_INT(f->actor_id),
                                DB_TEXT(f->object_type ? f->object_type : ""), DB_INT(f->object_id),
                                DB_TEXT(f->action ? f->action : ""), DB_INT(f->from_ms),
                                DB_INT(f->to_ms)),
                        total, &ctx->err);
}

int audit_store_list(struct ctx *ctx, int64_t root, const struct audit_filter *f,
                     struct audit_row **items, int *n)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    int step, cap = f->limit;
    if (!c)
        return -1;
    if (db_query(c, SQL_LIST,
                 DB_ARGS(DB_INT(root), DB_INT(f->actor_id),
                         DB_TEXT(f->object_type ? f->object_type : ""), DB_INT(f->object_id),
                         DB_TEXT(f->action ? f->action : ""), DB_INT(f->from_ms), DB_INT(f->to_ms),
                         DB_INT(f->before_seq), DB_INT(f->limit)),
                 &r, &ctx->err) < 0)
        return -1;
    *items = arena_alloc(ctx->arena, sizeof(struct audit_row) * (size_t)(cap > 0 ? cap : 1));
    *n = 0;
    while ((step = db_rows_next(r, &ctx->err)) == 1 && *n < cap)
        read_row(ctx, r, &(*items)[(*n)++]);
    db_rows_free(r);
    return step < 0 ? -1 : 0;
}

int audit_store_alg_at(struct ctx *ctx, int64_t seq, const char **alg)
{
    struct db_rows *r;
    int rc = db_query_row(ctx_db(ctx), SQL_ALG_AT, DB_ARGS(DB_INT(seq)), &r, &ctx->err);
    if (rc <= 0)
        return rc < 0
                   ? -1
                   : err_set(&ctx->err, ERR_INTERNAL, "audit record %lld missing", (long long)seq);
    *alg = arena_strdup(ctx->arena, db_text(r, 0));
    db_rows_free(r);
    return 0;
}

int audit_store_checkpoint_insert(struct ctx *ctx, const struct audit_checkpoint *cp)
{
    return db_exec(ctx_db(ctx), SQL_CP_INSERT,
                   DB_ARGS(DB_INT(cp->seq), DB_INT(cp->at), DB_TEXT(cp->hash),
                           DB_TEXT(cp->hash_alg), DB_TEXT(cp->reason), DB_TEXT(cp->key_id),
                           DB_TEXT(cp->algorithm), DB_TEXT(cp->signature)),
                   NULL, &ctx->err);
}

static void read_checkpoint(struct ctx *ctx, struct db_rows *r, struct audit_checkpoint *cp)
{
    cp->seq = db_int(r, 0);
    cp->at = db_int(r, 1);
    cp->hash = arena_strdup(ctx->arena, db_text(r, 2));
    cp->hash_alg = arena_strdup(ctx->arena, db_text(r, 3));
    cp->reason = arena_strdup(ctx->arena, db_text(r, 4));
    cp->key_id = arena_strdup(ctx->arena, db_text(r, 5));
    cp->algorithm = arena_strdup(ctx->arena, db_text(r, 6));
    cp->signature = arena_strdup(ctx->arena, db_text(r, 7));
}

int audit_store_checkpoint_last(struct ctx *ctx, struct audit_checkpoint *cp)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_CP_LAST, NULL, 0, &r, &ctx->err);
    if (rc == 1) {
        read_checkpoint(ctx, r, cp);
        db_rows_free(r);
    }
    return rc;
}

int audit_store_checkpoints(struct ctx *ctx, bool oldest_first, int64_t seq, int limit,
                            struct audit_checkpoint **items, int *n)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    int step;
    if (!c)
        return -1;
    if (db_query(c, oldest_first ? SQL_CP_AFTER : SQL_CP_PAGE, DB_ARGS(DB_INT(seq), DB_INT(limit)),
                 &r, &ctx->err) < 0)
        return -1;
    *items = arena_alloc(ctx->arena, sizeof(**items) * (size_t)(limit > 0 ? limit : 1));
    *n = 0;
    while ((step = db_rows_next(r, &ctx->err)) == 1 && *n < limit)
        read_checkpoint(ctx, r, &(*items)[(*n)++]);
    db_rows_free(r);
    return step < 0 ? -1 : 0;
}
