/*
 * person_store.c - all SQL of people, their posts, certificates and login state.
 */
#include <string.h>

#include "org_store.h"
#include "domain/store_util.h"
#include "app.h"
#include "core/strbuf.h"
#include "db/db.h"
#include "core/banned.h"

/* The columns of person_entity, in its order (org_entity.c). */
#define PERSON_COLS                                                                                \
    "p.id, p.institution_id, p.login, p.name, p.team, p.email, p.phone, p.is_admin, "              \
    "p.enabled, p.locked_until, p.created_at, p.updated_at, p.version"
#define SECRET_COLS ", p.password_hash, p.failed_logins"
#define PERSON_WHERE                                                                               \
    SQL_IN_JURISDICTION("p.institution_id", "$1", "$2")                                            \
    " AND (CAST($3 AS BIGINT) = 0 OR p.institution_id = $3) AND ($4 = '' OR p.team = $4) "         \
    "AND ($5 = '' OR LOWER(p.name) LIKE $5 ESCAPE '\\' OR LOWER(p.login) LIKE $5 ESCAPE '\\') "    \
    "AND (CAST($6 AS INTEGER) < 0 OR p.enabled = $6)"

static const char SQL_GET[] = "SELECT " PERSON_COLS SECRET_COLS " FROM people p WHERE p.id = $1";
/* The jurisdiction check and the load in one statement: $2 root, $3 depth. */
static const char SQL_GET_SCOPED[] =
    "SELECT " PERSON_COLS SECRET_COLS " FROM people p WHERE "
    "p.id = $1 AND " SQL_IN_JURISDICTION("p.institution_id", "$2", "$3");
static const char SQL_BY_LOGIN[] =
    "SELECT " PERSON_COLS SECRET_COLS " FROM people p WHERE p.login = $1";
static const char SQL_LIST[] = "SELECT " PERSON_COLS " FROM people p WHERE " PERSON_WHERE
                               " AND p.id > $7 ORDER BY p.id LIMIT $8";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM people p WHERE " PERSON_WHERE;
static const char SQL_INSERT[] =
    "INSERT INTO people (id, institution_id, login, name, team, email, phone, is_admin, enabled, "
    "password_hash, failed_logins, locked_until, created_at, updated_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 0, $11, $11, 1)";
static const char SQL_UPDATE[] =
    "UPDATE people SET name = $2, team = $3, email = $4, phone = $5, is_admin = $6, "
    "enabled = $7, updated_at = $8, version = version + 1 WHERE id = $1 AND version = $9";
static const char SQL_SET_PASSWORD[] =
    "UPDATE people SET password_hash = $2, failed_logins = 0, locked_until = 0, "
    "version = version + 1 WHERE id = $1";
static const char SQL_LOGIN_STATE[] =
    "UPDATE people SET failed_logins = $2, locked_until = $3 WHERE id = $1";
/* One more failure, counted by the store itself so that parallel attempts cannot overwrite each
 * other's count; a count left alone since $3 whose lock has ended starts again at 1. */
static const char SQL_LOGIN_FAILED[] =
    "UPDATE people SET failed_logins = CASE WHEN last_failed_at <= $3 AND locked_until <= $2 "
    "THEN 1 ELSE failed_logins + 1 END, last_failed_at = $2 WHERE id = $1 "
    "RETURNING failed_logins";
/* A lock only ever grows: of two parallel failures the longer wait wins. */
static const char SQL_LOGIN_LOCK[] =
    "UPDATE people SET locked_until = CASE WHEN locked_until > $2 THEN locked_until ELSE $2 END "
    "WHERE id = $1";
static const char SQL_POSTS[] =
    "SELECT po.id, po.name FROM person_posts pp JOIN posts po ON po.id = pp.post_id "
    "WHERE pp.person_id = $1 ORDER BY po.id";
static const char SQL_POSTS_CLEAR[] = "DELETE FROM person_posts WHERE person_id = $1";
static const char SQL_POSTS_ADD[] = "INSERT INTO person_posts (person_id, post_id) VALUES ($1, $2)";
static const char SQL_REVOKE[] =
    "UPDATE sessions SET revoked = 1 WHERE person_id = $1 AND token_hash <> $2";
/* A post grants its permissions only while its certificate requirement is met (T5-9.2b). */
static const char SQL_GRANTS[] =
    "SELECT po.grants FROM person_posts pp JOIN posts po ON po.id = pp.post_id "
    "WHERE pp.person_id = $1 AND po.grants <> '' AND (po.required_certificate = '' OR EXISTS "
    "(SELECT 1 FROM certificates c WHERE c.person_id = $1 AND c.kind = po.required_certificate "
    "AND c.valid_to >= $2))";

/* The columns of certificate_entity, in its order (org_entity.c). */
#define CERT_COLS                                                                                  \
    "c.id, c.person_id, p.name, p.institution_id, c.kind, c.number, c.issuer, c.valid_to, "        \
    "c.created_at, c.version"
#define CERT_WHERE                                                                                 \
    SQL_IN_JURISDICTION("p.institution_id", "$1", "$2")                                            \
    " AND (CAST($3 AS BIGINT) = 0 OR c.person_id = $3) AND ($4 = '' OR c.kind = $4) "              \
    "AND ($5 = '' OR c.valid_to < $5)"
static const char SQL_CERT_LIST[] =
    "SELECT " CERT_COLS " FROM certificates c JOIN people p ON p.id = c.person_id WHERE " CERT_WHERE
    " AND c.id > $6 ORDER BY c.id LIMIT $7";
static const char SQL_CERT_COUNT[] =
    "SELECT COUNT(*) FROM certificates c JOIN people p ON p.id = c.person_id WHERE " CERT_WHERE;
static const char SQL_CERT_GET[] =
    "SELECT " CERT_COLS " FROM certificates c JOIN people p ON p.id = c.person_id WHERE c.id = $1";
static const char SQL_CERT_INSERT[] =
    "INSERT INTO certificates (id, person_id, kind, number, issuer, valid_to, created_at, "
    "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)";
static const char SQL_CERT_DELETE[] = "DELETE FROM certificates WHERE id = $1";
static const char SQL_CERT_VALID[] =
    "SELECT COUNT(*) FROM certificates WHERE person_id = $1 AND kind = $2 AND valid_to >= $3";

struct person_row {
    struct person p;
    struct person_secret s;
};

/* The person's columns, then the secrets that only logins read. */
static void read_person_row(struct ctx *ctx, struct db_rows *r, struct person_row *o)
{
    int n = entity_read(ctx, r, &person_entity, &o->p);
    o->s.password_hash = S(n);
    o->s.failed_logins = (int)db_int(r, n + 1);
    o->s.locked_until = o->p.locked_until;
}

static int get_row(struct ctx *ctx, const char *sql, struct db_val key, struct person *out,
                   struct person_secret *secret)
{
    struct person_row row;
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, sql, &key, 1, &r, &ctx->err);
    if (rc != 1)
        return rc;
    read_person_row(ctx, r, &row);
    db_rows_free(r);
    *out = row.p;
    if (secret)
        *secret = row.s;
    return 1;
}

int org_store_person_get(struct ctx *ctx, int64_t id, struct person *out,
                         struct person_secret *secret)
{
    return get_row(ctx, SQL_GET, DB_INT(id), out, secret);
}

int org_store_person_get_scoped(struct ctx *ctx, int64_t id, int64_t root, int depth,
                                struct person *out)
{
    struct person_row row;
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_GET_SCOPED, DB_ARGS(DB_INT(id), DB_INT(root), DB_INT(depth)), &r,
                          &ctx->err);
    if (rc != 1)
        return rc;
    read_person_row(ctx, r, &row);
    db_rows_free(r);
    *out = row.p;
    return 1;
}

int org_store_person_by_login(struct ctx *ctx, const char *login, struct person *out,
                              struct person_secret *secret)
{
    return get_row(ctx, SQL_BY_LOGIN, DB_TEXT(login), out, secret);
}

#define PERSON_FILTER_ARGS(root, depth, f, like)                                                   \
    DB_INT(root), DB_INT(depth), DB_INT((f)->institution_id), DB_TEXT(OR_EMPTY((f)->team)),        \
        DB_TEXT(like), DB_INT((f)->enabled)

int org_store_person_list(struct ctx *ctx, int64_t root, int depth, const struct person_filter *f,
                          const struct page_req *p, struct person **items, int *n)
{
    const char *like = store_like_pattern(ctx, f->q);
    return store_list_entity(ctx, SQL_LIST,
                             DB_ARGS(PERSON_FILTER_ARGS(root, depth, f, like), DB_INT(p->after_id),
                                     DB_INT(page_fetch_limit(p))),
                             &person_entity, items, n);
}

int org_store_person_count(struct ctx *ctx, int64_t root, int depth, const struct person_filter *f,
                           int64_t *total)
{
    const char *like = store_like_pattern(ctx, f->q);
    return db_query_int(ctx_db(ctx), SQL_COUNT, DB_ARGS(PERSON_FILTER_ARGS(root, depth, f, like)),
                        total, &ctx->err);
}

int org_store_person_insert(struct ctx *ctx, const struct person *p, const char *hash)
{
    return db_exec(ctx_db(ctx), SQL_INSERT,
                   DB_ARGS(DB_INT(p->id), DB_INT(p->institution_id), DB_TEXT(p->login),
                           DB_TEXT(p->name), DB_TEXT(p->team), DB_TEXT(OR_EMPTY(p->email)),
                           DB_TEXT(OR_EMPTY(p->phone)), DB_INT(p->is_admin), DB_INT(p->enabled),
                           DB_TEXT(hash), DB_INT(p->created_at)),
                   NULL, &ctx->err);
}

int org_store_person_update(struct ctx *ctx, const struct person *p, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_UPDATE,
                DB_ARGS(DB_INT(p->id), DB_TEXT(p->name), DB_TEXT(p->team),
                        DB_TEXT(OR_EMPTY(p->email)), DB_TEXT(OR_EMPTY(p->phone)),
                        DB_INT(p->is_admin), DB_INT(p->enabled), DB_INT(p->updated_at),
                        DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int org_store_person_set_password(struct ctx *ctx, int64_t id, const char *hash)
{
    return db_exec(ctx_db(ctx), SQL_SET_PASSWORD, DB_ARGS(DB_INT(id), DB_TEXT(hash)), NULL,
                   &ctx->err);
}

int org_store_person_login_state(struct ctx *ctx, int64_t id, int failed, int64_t locked_until)
{
    return db_exec(ctx_db(ctx), SQL_LOGIN_STATE,
                   DB_ARGS(DB_INT(id), DB_INT(failed), DB_INT(locked_until)), NULL, &ctx->err);
}

int org_store_person_login_failed(struct ctx *ctx, int64_t id, int64_t now, int64_t idle_before,
                                  int *failures)
{
    int64_t n;
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_query_int(c, SQL_LOGIN_FAILED, DB_ARGS(DB_INT(id), DB_INT(now), DB_INT(idle_before)), &n,
                     &ctx->err) < 0)
        return -1;
    *failures = (int)n;
    return 0;
}

int org_store_person_lock_until(struct ctx *ctx, int64_t id, int64_t until)
{
    return db_exec(ctx_db(ctx), SQL_LOGIN_LOCK, DB_ARGS(DB_INT(id), DB_INT(until)), NULL,
                   &ctx->err);
}

static void read_pp(struct ctx *ctx, struct db_rows *r, struct person_post *o)
{
    o->id = db_int(r, 0);
    o->name = S(1);
}

int org_store_person_posts(struct ctx *ctx, int64_t id, struct person_post **items, int *n)
{
    LIST_ALL(SQL_POSTS, DB_ARGS(DB_INT(id)), struct person_post, read_pp, items, n);
}

int org_store_person_set_posts(struct ctx *ctx, int64_t id, const int64_t *post_ids, int n)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_POSTS_CLEAR, DB_ARGS(DB_INT(id)), NULL, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (db_exec(c, SQL_POSTS_ADD, DB_ARGS(DB_INT(id), DB_INT(post_ids[i])), NULL, &ctx->err) <
            0)
            return -1;
    return 0;
}

int org_store_person_revoke_sessions(struct ctx *ctx, int64_t id, const char *except_hash)
{
    return db_exec(ctx_db(ctx), SQL_REVOKE, DB_ARGS(DB_INT(id), DB_TEXT(OR_EMPTY(except_hash))),
                   NULL, &ctx->err);
}

int org_store_person_grants(struct ctx *ctx, int64_t id, const char *date, const char **grants)
{
    struct db_rows *r;
    struct strbuf sb;
    int step;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query(c, SQL_GRANTS, DB_ARGS(DB_INT(id), DB_TEXT(date)), &r, &ctx->err) < 0)
        return -1;
    sb_init(&sb, 8192);
    while ((step = db_rows_next(r, &ctx->err)) == 1) {
        if (sb.len)
            sb_adds(&sb, ",");
        sb_adds(&sb, db_text(r, 0));
    }
    db_rows_free(r);
    *grants = arena_strdup(ctx->arena, sb.buf ? sb.buf : "");
    sb_release(&sb);
    return step < 0 ? -1 : 0;
}

#define CERT_FILTER_ARGS(root, depth, f)                                                           \
    DB_INT(root), DB_INT(depth), DB_INT((f)->person_id), DB_TEXT(OR_EMPTY((f)->kind)),             \
        DB_TEXT(OR_EMPTY((f)->expiring_before))

int org_store_cert_list(struct ctx *ctx, int64_t root, int depth,
                        const struct certificate_filter *f, const struct page_req *p,
                        struct certificate **items, int *n)
{
    return store_list_entity(
        ctx, SQL_CERT_LIST,
        DB_ARGS(CERT_FILTER_ARGS(root, depth, f), DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
        &certificate_entity, items, n);
}

int org_store_cert_count(struct ctx *ctx, int64_t root, int depth,
                         const struct certificate_filter *f, int64_t *total)
{
    return db_query_int(ctx_db(ctx), SQL_CERT_COUNT, DB_ARGS(CERT_FILTER_ARGS(root, depth, f)),
                        total, &ctx->err);
}

int org_store_cert_insert(struct ctx *ctx, const struct certificate *c)
{
    return db_exec(ctx_db(ctx), SQL_CERT_INSERT,
                   DB_ARGS(DB_INT(c->id), DB_INT(c->person_id), DB_TEXT(c->kind),
                           DB_TEXT(c->number), DB_TEXT(c->issuer), DB_TEXT(c->valid_to),
                           DB_INT(c->created_at)),
                   NULL, &ctx->err);
}

int org_store_cert_get(struct ctx *ctx, int64_t id, struct certificate *out)
{
    return store_get_entity(ctx, SQL_CERT_GET, DB_ARGS(DB_INT(id)), &certificate_entity, out);
}

int org_store_cert_delete(struct ctx *ctx, int64_t id)
{
    return db_exec(ctx_db(ctx), SQL_CERT_DELETE, DB_ARGS(DB_INT(id)), NULL, &ctx->err);
}

int org_store_cert_valid(struct ctx *ctx, int64_t person, const char *kind, const char *date)
{
    int64_t n = 0;
    if (db_query_int(ctx_db(ctx), SQL_CERT_VALID,
                     DB_ARGS(DB_INT(person), DB_TEXT(kind), DB_TEXT(date)), &n, &ctx->err) < 0)
        return -1;
    return n > 0;
}
