/*
 * org_store.c - all SQL of institutions, the jurisdiction tree, qualifications, interest
 * relations and posts. People and certificates are in person_store.c.
 *
 * Filters follow one pattern so that each list is a single static statement: an empty text or
 * a zero id parameter matches everything. The jurisdiction is a subtree of the closure table
 * given as (root, max depth); root 0 means the whole store (CLI operator).
 */
#include <string.h>

#include "org_store.h"
#include "domain/store_util.h"
#include "app.h"
#include "core/arena.h"
#include "db/db.h"
#include "core/banned.h"

/* The columns of institution_entity, in its order (org_entity.c). */
#define INST_COLS                                                                                  \
    "id, uscc, uscc_exception, name, kind, level, parent_id, region, contact_name, "               \
    "contact_phone, contact_email, address, timezone, status, created_at, updated_at, version"

/* $1 root, $2 depth, $3 kind, $4 level, $5 status, $6 region prefix, $7 LIKE pattern,
 * $8 parent, $9 within. */
#define INST_WHERE                                                                                 \
    SQL_IN_JURISDICTION("id", "$1", "$2")                                                          \
    " AND ($3 = '' OR kind = $3) AND ($4 = '' OR level = $4) AND ($5 = '' OR status = $5) "        \
    "AND ($6 = '' OR region LIKE $6 || '%') "                                                      \
    "AND ($7 = '' OR LOWER(name) LIKE $7 ESCAPE '\\' OR LOWER(uscc) LIKE $7 ESCAPE '\\') "         \
    "AND (CAST($8 AS BIGINT) = 0 OR parent_id = $8) "                                              \
    "AND (CAST($9 AS BIGINT) = 0 OR " SQL_UNDER("id", "$9") ")"

static const char SQL_INST_GET[] = "SELECT " INST_COLS " FROM institutions WHERE id = $1";
/* The jurisdiction check and the load in one statement: $2 root, $3 depth. */
static const char SQL_INST_GET_SCOPED[] = "SELECT " INST_COLS " FROM institutions WHERE id = $1 "
                                          "AND " SQL_IN_JURISDICTION("id", "$2", "$3");
static const char SQL_INST_BY_USCC[] = "SELECT " INST_COLS " FROM institutions WHERE uscc = $1";
static const char SQL_INST_LIST[] = "SELECT " INST_COLS " FROM institutions WHERE " INST_WHERE
                                    " AND id > $10 ORDER BY id LIMIT $11";
static const char SQL_INST_COUNT[] = "SELECT COUNT(*) FROM institutions WHERE " INST_WHERE;
static const char SQL_INST_INSERT[] =
    "INSERT INTO institutions (" INST_COLS ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
    "$11, $12, $13, $14, $15, $16, $17)";
static const char SQL_INST_UPDATE[] =
    "UPDATE institutions SET uscc = $2, uscc_exception = $3, name = $4, kind = $5, level = $6, "
    "parent_id = $7, region = $8, contact_name = $9, contact_phone = $10, contact_email = $11, "
    "address = $12, timezone = $13, status = $14, updated_at = $15, version = version + 1 "
    "WHERE id = $1 AND version = $16";
static const char SQL_INST_DELETE_TREE[] = "DELETE FROM institution_tree WHERE descendant_id = $1";
static const char SQL_INST_DELETE[] = "DELETE FROM institutions WHERE id = $1";
static const char SQL_INST_DEPS[] =
    "SELECT (SELECT COUNT(*) FROM institutions WHERE parent_id = $1), "
    "(SELECT COUNT(*) FROM people WHERE institution_id = $1), "
    "(SELECT COUNT(*) FROM posts WHERE institution_id = $1), "
    "(SELECT COUNT(*) FROM qualifications WHERE institution_id = $1), "
    "(SELECT COUNT(*) FROM interest_relations WHERE institution_id = $1 OR related_id = $1)";
static const char SQL_TREE_SELF[] =
    "INSERT INTO institution_tree (ancestor_id, descendant_id, depth) VALUES ($1, $1, 0)";
static const char SQL_TREE_ANCESTORS[] =
    "INSERT INTO institution_tree (ancestor_id, descendant_id, depth) "
    "SELECT ancestor_id, $1, depth + 1 FROM institution_tree WHERE descendant_id = $2";
/* Moving a subtree: cut the links from outside ancestors, then link it under the new parent. */
static const char SQL_TREE_CUT[] =
    "DELETE FROM institution_tree WHERE descendant_id IN (SELECT descendant_id FROM "
    "institution_tree WHERE ancestor_id = $1) AND ancestor_id NOT IN (SELECT descendant_id "
    "FROM institution_tree WHERE ancestor_id = $1)";
static const char SQL_TREE_LINK[] =
    "INSERT INTO institution_tree (ancestor_id, descendant_id, depth) "
    "SELECT up.ancestor_id, down.descendant_id, up.depth + down.depth + 1 "
    "FROM institution_tree up, institution_tree down "
    "WHERE up.descendant_id = $2 AND down.ancestor_id = $1";
static const char SQL_IN_SUBTREE[] =
    "SELECT COUNT(*) FROM institution_tree WHERE ancestor_id = $1 AND descendant_id = $2 "
    "AND depth <= CAST($3 AS INTEGER)";

/* The columns of qualification_entity, in its order (org_entity.c). */
#define QUAL_COLS                                                                                  \
    "q.id, q.institution_id, q.kind, q.grade, q.certificate_no, q.issuer, q.valid_from, "          \
    "q.valid_to, q.created_at, q.updated_at, q.version"
#define QUAL_WHERE                                                                                 \
    SQL_IN_JURISDICTION("q.institution_id", "$1", "$2")                                            \
    " AND (CAST($3 AS BIGINT) = 0 OR q.institution_id = $3) AND ($4 = '' OR q.kind = $4) "         \
    "AND ($5 = '' OR q.valid_to < $5)"
static const char SQL_QUAL_LIST[] = "SELECT " QUAL_COLS " FROM qualifications q WHERE " QUAL_WHERE
                                    " AND q.id > $6 ORDER BY q.id LIMIT $7";
static const char SQL_QUAL_COUNT[] = "SELECT COUNT(*) FROM qualifications q WHERE " QUAL_WHERE;
static const char SQL_QUAL_GET[] = "SELECT " QUAL_COLS " FROM qualifications q WHERE q.id = $1";
static const char SQL_QUAL_INSERT[] =
    "INSERT INTO qualifications (id, institution_id, kind, grade, certificate_no, issuer, "
    "valid_from, valid_to, created_at, updated_at, version) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, 1)";
static const char SQL_QUAL_DELETE[] = "DELETE FROM qualifications WHERE id = $1";
static const char SQL_QUAL_HOLDS[] =
    "SELECT COUNT(*) FROM qualifications WHERE institution_id = $1 AND kind = $2 "
    "AND valid_from <= $3 AND valid_to >= $3";

/* The columns of relation_entity, in its order (org_entity.c). */
#define REL_COLS_TAIL "r.kind, r.since, r.note, r.declared_by, r.created_at, r.version"
/* Both directions: a relation binds the two institutions whoever declared it. Rows are shown
 * from the viewer's side: institution_id is the viewer, related_id and the name the other
 * party's. */
static const char SQL_REL_LIST[] =
    "SELECT r.id, CAST($1 AS BIGINT), CASE WHEN r.institution_id = $1 THEN r.related_id ELSE "
    "r.institution_id END, o.name, o.uscc, " REL_COLS_TAIL " FROM interest_relations r "
    "JOIN institutions o ON "
    "o.id = CASE WHEN r.institution_id = $1 THEN r.related_id ELSE r.institution_id END "
    "WHERE r.institution_id = $1 OR r.related_id = $1 ORDER BY r.id LIMIT 1000";
static const char SQL_REL_GET[] =
    "SELECT r.id, r.institution_id, r.related_id, o.name, o.uscc, " REL_COLS_TAIL
    " FROM interest_relations r JOIN institutions o ON o.id = r.related_id WHERE r.id = $1";
static const char SQL_REL_INSERT[] =
    "INSERT INTO interest_relations (id, institution_id, related_id, kind, since, note, "
    "declared_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)";
static const char SQL_REL_DELETE[] = "DELETE FROM interest_relations WHERE id = $1";
static const char SQL_REL_BETWEEN[] =
    "SELECT kind FROM interest_relations WHERE (institution_id = $1 AND related_id = $2) OR "
    "(institution_id = $2 AND related_id = $1) ORDER BY id LIMIT 1";

/* The columns of post_entity, in its order (org_entity.c). */
#define POST_COLS                                                                                  \
    "p.id, p.institution_id, p.name, p.duties, p.required_certificate, p.grants, "                 \
    "(SELECT COUNT(*) FROM person_posts pp WHERE pp.post_id = p.id), "                             \
    "p.created_at, p.updated_at, p.version"
static const char SQL_POST_LIST[] =
    "SELECT " POST_COLS " FROM posts p WHERE p.institution_id = $1 ORDER BY p.id "
    "LIMIT 1000";
static const char SQL_POST_GET[] = "SELECT " POST_COLS " FROM posts p WHERE p.id = $1";
static const char SQL_POST_INSERT[] =
    "INSERT INTO posts (id, institution_id, name, duties, required_certificate, grants, "
    "created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1)";
static const char SQL_POST_UPDATE[] =
    "UPDATE posts SET name = $2, duties = $3, required_certificate = $4, grants = $5, "
    "updated_at = $6, version = version + 1 WHERE id = $1 AND version = $7";
static const char SQL_POST_DELETE[] = "DELETE FROM posts WHERE id = $1";

int org_store_inst_get(struct ctx *ctx, int64_t id, struct institution *out)
{
    return store_get_entity(ctx, SQL_INST_GET, DB_ARGS(DB_INT(id)), &institution_entity, out);
}

int org_store_inst_get_scoped(struct ctx *ctx, int64_t id, int64_t root, int depth,
                              struct institution *out)
{
    return store_get_entity(ctx, SQL_INST_GET_SCOPED,
                            DB_ARGS(DB_INT(id), DB_INT(root), DB_INT(depth)), &institution_entity,
                            out);
}

int org_store_inst_by_uscc(struct ctx *ctx, const char *uscc, struct institution *out)
{
    return store_get_entity(ctx, SQL_INST_BY_USCC, DB_ARGS(DB_TEXT(uscc)), &institution_entity,
                            out);
}

#define INST_FILTER_ARGS(root, depth, f, like)                                                     \
    DB_INT(root), DB_INT(depth), DB_TEXT(OR_EMPTY((f)->kind)), DB_TEXT(OR_EMPTY((f)->level)),      \
        DB_TEXT(OR_EMPTY((f)->status)), DB_TEXT(OR_EMPTY((f)->region)), DB_TEXT(like),             \
        DB_INT((f)->parent_id), DB_INT((f)->within_id)

int org_store_inst_list(struct ctx *ctx, int64_t root, int depth,
                        const struct institution_filter *f, const struct page_req *p,
                        struct institution **items, int *n)
{
    const char *like = store_like_pattern(ctx, f->q);
    return store_list_entity(ctx, SQL_INST_LIST,
                             DB_ARGS(INST_FILTER_ARGS(root, depth, f, like), DB_INT(p->after_id),
                                     DB_INT(page_fetch_limit(p))),
                             &institution_entity, items, n);
}

int org_store_inst_count(struct ctx *ctx, int64_t root, int depth,
                         const struct institution_filter *f, int64_t *total)
{
    const char *like = store_like_pattern(ctx, f->q);
    return db_query_int(ctx_db(ctx), SQL_INST_COUNT,
                        DB_ARGS(INST_FILTER_ARGS(root, depth, f, like)), total, &ctx->err);
}

int org_store_inst_insert(struct ctx *ctx, const struct institution *i)
{
    return db_exec(ctx_db(ctx), SQL_INST_INSERT,
                   DB_ARGS(DB_INT(i->id), DB_TEXT(i->uscc), DB_TEXT(i->uscc_exception),
                           DB_TEXT(i->name), DB_TEXT(i->kind), DB_TEXT(i->level),
                           i->parent_id ? DB_INT(i->parent_id) : DB_NULL, DB_TEXT(i->region),
                           DB_TEXT(i->contact_name), DB_TEXT(i->contact_phone),
                           DB_TEXT(i->contact_email), DB_TEXT(i->address), DB_TEXT(i->timezone),
                           DB_TEXT(i->status), DB_INT(i->created_at), DB_INT(i->updated_at),
                           DB_INT(i->version)),
                   NULL, &ctx->err);
}

int org_store_inst_update(struct ctx *ctx, const struct institution *i, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_INST_UPDATE,
                DB_ARGS(DB_INT(i->id), DB_TEXT(i->uscc), DB_TEXT(i->uscc_exception),
                        DB_TEXT(i->name), DB_TEXT(i->kind), DB_TEXT(i->level),
                        i->parent_id ? DB_INT(i->parent_id) : DB_NULL, DB_TEXT(i->region),
                        DB_TEXT(i->contact_name), DB_TEXT(i->contact_phone),
                        DB_TEXT(i->contact_email), DB_TEXT(i->address), DB_TEXT(i->timezone),
                        DB_TEXT(i->status), DB_INT(i->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int org_store_inst_delete(struct ctx *ctx, int64_t id)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_INST_DELETE_TREE, DB_ARGS(DB_INT(id)), NULL, &ctx->err) < 0)
        return -1;
    return db_exec(c, SQL_INST_DELETE, DB_ARGS(DB_INT(id)), NULL, &ctx->err);
}

int org_store_inst_deps(struct ctx *ctx, int64_t id, struct inst_deps *d)
{
    struct db_rows *r;
    int rc = db_query_row(ctx_db(ctx), SQL_INST_DEPS, DB_ARGS(DB_INT(id)), &r, &ctx->err);
    if (rc <= 0)
        return rc;
    d->children = db_int(r, 0);
    d->people = db_int(r, 1);
    d->posts = db_int(r, 2);
    d->qualifications = db_int(r, 3);
    d->relations = db_int(r, 4);
    db_rows_free(r);
    return 0;
}

int org_store_tree_add(struct ctx *ctx, int64_t id, int64_t parent_id)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_TREE_SELF, DB_ARGS(DB_INT(id)), NULL, &ctx->err) < 0)
        return -1;
    if (!parent_id)
        return 0;
    return db_exec(c, SQL_TREE_ANCESTORS, DB_ARGS(DB_INT(id), DB_INT(parent_id)), NULL, &ctx->err);
}

int org_store_tree_move(struct ctx *ctx, int64_t id, int64_t new_parent_id)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_TREE_CUT, DB_ARGS(DB_INT(id)), NULL, &ctx->err) < 0)
        return -1;
    return db_exec(c, SQL_TREE_LINK, DB_ARGS(DB_INT(id), DB_INT(new_parent_id)), NULL, &ctx->err);
}

int org_store_in_subtree(struct ctx *ctx, int64_t ancestor, int64_t descendant, int max_depth)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query_int(c, SQL_IN_SUBTREE,
                           DB_ARGS(DB_INT(ancestor), DB_INT(descendant), DB_INT(max_depth)), &n,
                           &ctx->err) < 0)
        return -1;
    return n > 0;
}

#define QUAL_FILTER_ARGS(root, depth, f)                                                           \
    DB_INT(root), DB_INT(depth), DB_INT((f)->institution_id), DB_TEXT(OR_EMPTY((f)->kind)),        \
        DB_TEXT(OR_EMPTY((f)->expiring_before))

int org_store_qual_list(struct ctx *ctx, int64_t root, int depth,
                        const struct qualification_filter *f, const struct page_req *p,
                        struct qualification **items, int *n)
{
    return store_list_entity(
        ctx, SQL_QUAL_LIST,
        DB_ARGS(QUAL_FILTER_ARGS(root, depth, f), DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
        &qualification_entity, items, n);
}

int org_store_qual_count(struct ctx *ctx, int64_t root, int depth,
                         const struct qualification_filter *f, int64_t *total)
{
    return db_query_int(ctx_db(ctx), SQL_QUAL_COUNT, DB_ARGS(QUAL_FILTER_ARGS(root, depth, f)),
                        total, &ctx->err);
}

int org_store_qual_insert(struct ctx *ctx, const struct qualification *q)
{
    return db_exec(ctx_db(ctx), SQL_QUAL_INSERT,
                   DB_ARGS(DB_INT(q->id), DB_INT(q->institution_id), DB_TEXT(q->kind),
                           DB_TEXT(q->grade), DB_TEXT(q->certificate_no), DB_TEXT(q->issuer),
                           DB_TEXT(q->valid_from), DB_TEXT(q->valid_to), DB_INT(q->created_at)),
                   NULL, &ctx->err);
}

int org_store_qual_get(struct ctx *ctx, int64_t id, struct qualification *out)
{
    return store_get_entity(ctx, SQL_QUAL_GET, DB_ARGS(DB_INT(id)), &qualification_entity, out);
}

int org_store_qual_delete(struct ctx *ctx, int64_t id)
{
    return db_exec(ctx_db(ctx), SQL_QUAL_DELETE, DB_ARGS(DB_INT(id)), NULL, &ctx->err);
}

int org_store_qual_holds(struct ctx *ctx, int64_t inst, const char *kind, const char *date)
{
    int64_t n = 0;
    if (db_query_int(ctx_db(ctx), SQL_QUAL_HOLDS,
                     DB_ARGS(DB_INT(inst), DB_TEXT(kind), DB_TEXT(date)), &n, &ctx->err) < 0)
        return -1;
    return n > 0;
}

int org_store_rel_list(struct ctx *ctx, int64_t inst, struct interest_relation **items, int *n)
{
    return store_list_entity(ctx, SQL_REL_LIST, DB_ARGS(DB_INT(inst)), &relation_entity, items, n);
}

int org_store_rel_insert(struct ctx *ctx, const struct interest_relation *r)
{
    return db_exec(ctx_db(ctx), SQL_REL_INSERT,
                   DB_ARGS(DB_INT(r->id), DB_INT(r->institution_id), DB_INT(r->related_id),
                           DB_TEXT(r->kind), DB_TEXT(r->since), DB_TEXT(OR_EMPTY(r->note)),
                           DB_INT(r->declared_by), DB_INT(r->created_at)),
                   NULL, &ctx->err);
}

int org_store_rel_get(struct ctx *ctx, int64_t id, struct interest_relation *out)
{
    return store_get_entity(ctx, SQL_REL_GET, DB_ARGS(DB_INT(id)), &relation_entity, out);
}

int org_store_rel_delete(struct ctx *ctx, int64_t id)
{
    return db_exec(ctx_db(ctx), SQL_REL_DELETE, DB_ARGS(DB_INT(id)), NULL, &ctx->err);
}

int org_store_rel_between(struct ctx *ctx, int64_t a, int64_t b, const char **kind)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_REL_BETWEEN, DB_ARGS(DB_INT(a), DB_INT(b)), &r, &ctx->err);
    if (rc == 1) {
        *kind = arena_strdup(ctx->arena, db_text(r, 0));
        db_rows_free(r);
    }
    return rc;
}

int org_store_post_list(struct ctx *ctx, int64_t inst, struct post **items, int *n)
{
    return store_list_entity(ctx, SQL_POST_LIST, DB_ARGS(DB_INT(inst)), &post_entity, items, n);
}

int org_store_post_get(struct ctx *ctx, int64_t id, struct post *out)
{
    return store_get_entity(ctx, SQL_POST_GET, DB_ARGS(DB_INT(id)), &post_entity, out);
}

int org_store_post_insert(struct ctx *ctx, const struct post *p)
{
    return db_exec(ctx_db(ctx), SQL_POST_INSERT,
                   DB_ARGS(DB_INT(p->id), DB_INT(p->institution_id), DB_TEXT(p->name),
                           DB_TEXT(p->duties), DB_TEXT(OR_EMPTY(p->required_certificate)),
                           DB_TEXT(OR_EMPTY(p->grants)), DB_INT(p->created_at)),
                   NULL, &ctx->err);
}

int org_store_post_update(struct ctx *ctx, const struct post *p, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_POST_UPDATE,
                DB_ARGS(DB_INT(p->id), DB_TEXT(p->name), DB_TEXT(p->duties),
                        DB_TEXT(OR_EMPTY(p->required_certificate)), DB_TEXT(OR_EMPTY(p->grants)),
                        DB_INT(p->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int org_store_post_delete(struct ctx *ctx, int64_t id)
{
    return db_exec(ctx_db(ctx), SQL_POST_DELETE, DB_ARGS(DB_INT(id)), NULL, &ctx->err);
}
