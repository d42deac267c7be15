/*
 * agreement_store.c - all SQL of agreements, their SLA targets, service content and breaches.
 */
#include <string.h>

#include "agreement_store.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

#define AGR_COLS                                                                                   \
    "a.id, a.management_id, a.provider_id, COALESCE(a.previous_id, 0), m.name, p.name, "           \
    "a.title, a.state, a.valid_from, a.valid_to, a.number, a.responsibilities, "                   \
    "a.service_content, a.quality_standards, a.security, a.breach_liability, "                     \
    "a.dispute_handling, a.ip_ownership, a.performance, a.fee_payment, a.availability_bp, "        \
    "COALESCE(a.management_signer, 0), a.management_signed_at, COALESCE(a.provider_signer, "       \
    "0), a.provider_signed_at, a.created_at, a.updated_at, a.version"
#define AGR_FROM                                                                                   \
    " FROM agreements a JOIN institutions m ON m.id = a.management_id JOIN institutions p ON "     \
    "p.id = a.provider_id "
/* $1 root, $2 depth, $3 own institution: management sees the agreements its subtree made, a
 * provider its own. */
#define AGR_SCOPE                                                                                  \
    "(CAST($1 AS BIGINT) = 0 OR a.provider_id = $3 OR " SQL_IN_SUBTREE("a.management_id", "$1",    \
                                                                       "$2") ")"

static const char SQL_GET[] = "SELECT " AGR_COLS AGR_FROM "WHERE a.id = $1";
/* The visibility check and the load in one statement. */
static const char SQL_GET_SCOPED[] = "SELECT " AGR_COLS AGR_FROM "WHERE a.id = $4 AND " AGR_SCOPE;
/* $4 provider, $5 state, $6 expiring_before (in force and ending before it). */
#define AGR_FILTER                                                                                 \
    AGR_SCOPE " AND (CAST($4 AS BIGINT) = 0 OR a.provider_id = $4) AND ($5 = '' OR a.state = "     \
              "$5) AND ($6 = '' OR (a.state = 'in_force' AND a.valid_to < $6))"
static const char SQL_LIST[] =
    "SELECT " AGR_COLS AGR_FROM "WHERE " AGR_FILTER " AND a.id > $7 ORDER BY a.id LIMIT $8";
static const char SQL_COUNT[] = "SELECT COUNT(*) FROM agreements a WHERE " AGR_FILTER;
static const char SQL_INSERT[] =
    "INSERT INTO agreements (id, management_id, provider_id, title, number, previous_id, state, "
    "valid_from, valid_to, responsibilities, service_content, quality_standards, security, "
    "breach_liability, dispute_handling, ip_ownership, performance, fee_payment, "
    "availability_bp, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20, 1)";
static const char SQL_UPDATE[] =
    "UPDATE agreements SET title = $2, state = $3, valid_from = $4, valid_to = $5, "
    "responsibilities = $6, service_content = $7, quality_standards = $8, security = $9, "
    "breach_liability = $10, dispute_handling = $11, ip_ownership = $12, performance = $13, "
    "fee_payment = $14, availability_bp = $15, management_signer = $16, management_signed_at "
    "= $17, provider_signer = $18, provider_signed_at = $19, updated_at = $20, version = "
    "version + 1 WHERE id = $1 AND version = $21";
static const char SQL_SLA[] =
    "SELECT severity, response_minutes, resolution_minutes FROM agreement_sla WHERE "
    "agreement_id = $1 ORDER BY severity";
static const char SQL_SLA_CLEAR[] = "DELETE FROM agreement_sla WHERE agreement_id = $1";
static const char SQL_SLA_ADD[] =
    "INSERT INTO agreement_sla (agreement_id, severity, response_minutes, resolution_minutes) "
    "VALUES ($1, $2, $3, $4)";
static const char SQL_ITEMS[] =
    "SELECT COALESCE(product_id, 0), COALESCE(pool_id, 0) FROM agreement_items WHERE "
    "agreement_id = $1 ORDER BY product_id, pool_id";
static const char SQL_ITEMS_CLEAR[] = "DELETE FROM agreement_items WHERE agreement_id = $1";
static const char SQL_ITEM_ADD[] =
    "INSERT INTO agreement_items (agreement_id, product_id, pool_id) VALUES ($1, $2, $3)";
static const char SQL_DUE[] =
    "SELECT id, management_id FROM agreements WHERE state = 'in_force' AND valid_to <> '' AND "
    "valid_to < $1 ORDER BY id LIMIT 1000";
static const char SQL_EXPIRE[] =
    "UPDATE agreements SET state = 'expired', updated_at = $2, version = version + 1 WHERE id = "
    "$1 AND state = 'in_force'";
static const char SQL_BREACH_INSERT[] =
    "INSERT INTO agreement_breaches (id, agreement_id, clause, facts, evidence, liability, "
    "occurred_on, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
/* The columns of breach_entity, in its order (agreement_entity.c). */
static const char SQL_BREACHES[] =
    "SELECT id, agreement_id, clause, facts, evidence, liability, occurred_on, "
    "COALESCE(recorded_by, 0), created_at FROM agreement_breaches WHERE agreement_id = $1 "
    "ORDER BY id";

static void read_agreement(struct ctx *ctx, struct db_rows *r, struct agreement *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->management_id = db_int(r, 1);
    o->provider_id = db_int(r, 2);
    o->previous_id = db_int(r, 3);
    o->management_name = S(4);
    o->provider_name = S(5);
    o->title = S(6);
    o->state = S(7);
    o->valid_from = S(8);
    o->valid_to = S(9);
    o->number = (int)db_int(r, 10);
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        o->clause[i] = S(11 + i);
    o->availability_bp = db_int(r, 20);
    o->management_signer = db_int(r, 21);
    o->management_signed_at = db_int(r, 22);
    o->provider_signer = db_int(r, 23);
    o->provider_signed_at = db_int(r, 24);
    o->created_at = db_int(r, 25);
    o->updated_at = db_int(r, 26);
    o->version = (int)db_int(r, 27);
}

int agreement_store_get(struct ctx *ctx, int64_t id, struct agreement *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_INT(id)), read_agreement, out);
}

int agreement_store_get_scoped(struct ctx *ctx, int64_t root, int depth, int64_t own, int64_t id,
                               struct agreement *out)
{
    GET_ONE(SQL_GET_SCOPED, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(own), DB_INT(id)),
            read_agreement, out);
}

int agreement_store_list(struct ctx *ctx, int64_t root, int depth, int64_t own,
                         const struct agreement_filter *f, const struct page_req *p,
                         struct agreement **items, int *n)
{
    LIST_ALL(SQL_LIST,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(own), DB_INT(f->provider_id),
                     DB_TEXT(OR_EMPTY(f->state)), DB_TEXT(OR_EMPTY(f->expiring_before)),
                     DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct agreement, read_agreement, items, n);
}

int agreement_store_count(struct ctx *ctx, int64_t root, int depth, int64_t own,
                          const struct agreement_filter *f, int64_t *total)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    return db_query_int(c, SQL_COUNT,
                        DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(own), DB_INT(f->provider_id),
                                DB_TEXT(OR_EMPTY(f->state)), DB_TEXT(OR_EMPTY(f->expiring_before))),
                        total, &ctx->err);
}

int agreement_store_insert(struct ctx *ctx, const struct agreement *a)
{
    return db_exec(
        ctx_db(ctx), SQL_INSERT,
        DB_ARGS(DB_INT(a->id), DB_INT(a->management_id), DB_INT(a->provider_id), DB_TEXT(a->title),
                DB_INT(a->number), a->previous_id ? DB_INT(a->previous_id) : DB_NULL,
                DB_TEXT(a->state), DB_TEXT(OR_EMPTY(a->valid_from)), DB_TEXT(OR_EMPTY(a->valid_to)),
                DB_TEXT(OR_EMPTY(a->clause[0])), DB_TEXT(OR_EMPTY(a->clause[1])),
                DB_TEXT(OR_EMPTY(a->clause[2])), DB_TEXT(OR_EMPTY(a->clause[3])),
                DB_TEXT(OR_EMPTY(a->clause[4])), DB_TEXT(OR_EMPTY(a->clause[5])),
                DB_TEXT(OR_EMPTY(a->clause[6])), DB_TEXT(OR_EMPTY(a->clause[7])),
                DB_TEXT(OR_EMPTY(a->clause[8])), DB_INT(a->availability_bp), DB_INT(a->created_at)),
        NULL, &ctx->err);
}

int agreement_store_update(struct ctx *ctx, const struct agreement *a, int expected_version)
{
    int64_t changed = 0;
#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)
    if (db_exec(ctx_db(ctx), SQL_UPDATE,
                DB_ARGS(DB_INT(a->id), DB_TEXT(a->title), DB_TEXT(a->state),
                        DB_TEXT(OR_EMPTY(a->valid_from)), DB_TEXT(OR_EMPTY(a->valid_to)),
                        DB_TEXT(OR_EMPTY(a->clause[0])), DB_TEXT(OR_EMPTY(a->clause[1])),
                        DB_TEXT(OR_EMPTY(a->clause[2])), DB_TEXT(OR_EMPTY(a->clause[3])),
                        DB_TEXT(OR_EMPTY(a->clause[4])), DB_TEXT(OR_EMPTY(a->clause[5])),
                        DB_TEXT(OR_EMPTY(a->clause[6])), DB_TEXT(OR_EMPTY(a->clause[7])),
                        DB_TEXT(OR_EMPTY(a->clause[8])), DB_INT(a->availability_bp),
                        OPT(a->management_signer), DB_INT(a->management_signed_at),
                        OPT(a->provider_signer), DB_INT(a->provider_signed_at),
                        DB_INT(a->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
#undef OPT
    return changed > 0;
}

struct sla_row {
    int64_t severity, response, resolution;
};

static void read_sla(struct ctx *ctx, struct db_rows *r, struct sla_row *o)
{
    (void)ctx;
    o->severity = db_int(r, 0);
    o->response = db_int(r, 1);
    o->resolution = db_int(r, 2);
}

struct item_row {
    int64_t product, pool;
};

static void read_item(struct ctx *ctx, struct db_rows *r, struct item_row *o)
{
    (void)ctx;
    o->product = db_int(r, 0);
    o->pool = db_int(r, 1);
}

static int load_sla(struct ctx *ctx, int64_t id, struct sla_row **items, int *n)
{
    LIST_ALL(SQL_SLA, DB_ARGS(DB_INT(id)), struct sla_row, read_sla, items, n);
}

static int load_items(struct ctx *ctx, int64_t id, struct item_row **items, int *n)
{
    LIST_ALL(SQL_ITEMS, DB_ARGS(DB_INT(id)), struct item_row, read_item, items, n);
}

int agreement_store_details(struct ctx *ctx, struct agreement *a)
{
    struct sla_row *sla;
    struct item_row *items;
    int ns, ni;
    if (load_sla(ctx, a->id, &sla, &ns) < 0 || load_items(ctx, a->id, &items, &ni) < 0)
        return -1;
    a->response_minutes = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(ns + 1));
    a->resolution_minutes = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(ns + 1));
    for (int i = 0; i < ns; i++) {
        a->response_minutes[i] = sla[i].response;
        a->resolution_minutes[i] = sla[i].resolution;
    }
    a->n_response = a->n_resolution = ns;
    a->product_ids = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(ni + 1));
    a->pool_ids = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(ni + 1));
    a->n_products = a->n_pools = 0;
    for (int i = 0; i < ni; i++) {
        if (items[i].product)
            a->product_ids[a->n_products++] = items[i].product;
        else
            a->pool_ids[a->n_pools++] = items[i].pool;
    }
    return 0;
}

int agreement_store_set_details(struct ctx *ctx, const struct agreement *a)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_SLA_CLEAR, DB_ARGS(DB_INT(a->id)), NULL, &ctx->err) < 0 ||
        db_exec(c, SQL_ITEMS_CLEAR, DB_ARGS(DB_INT(a->id)), NULL, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < a->n_response && i < a->n_resolution; i++)
        if (db_exec(c, SQL_SLA_ADD,
                    DB_ARGS(DB_INT(a->id), DB_INT(i + 1), DB_INT(a->response_minutes[i]),
                            DB_INT(a->resolution_minutes[i])),
                    NULL, &ctx->err) < 0)
            return -1;
    for (int i = 0; i < a->n_products; i++)
        if (db_exec(c, SQL_ITEM_ADD, DB_ARGS(DB_INT(a->id), DB_INT(a->product_ids[i]), DB_NULL),
                    NULL, &ctx->err) < 0)
            return -1;
    for (int i = 0; i < a->n_pools; i++)
        if (db_exec(c, SQL_ITEM_ADD, DB_ARGS(DB_INT(a->id), DB_NULL, DB_INT(a->pool_ids[i])), NULL,
                    &ctx->err) < 0)
            return -1;
    return 0;
}

int agreement_store_breach_insert(struct ctx *ctx, const struct breach *b)
{
    return db_exec(
        ctx_db(ctx), SQL_BREACH_INSERT,
        DB_ARGS(DB_INT(b->id), DB_INT(b->agreement_id), DB_TEXT(b->clause), DB_TEXT(b->facts),
                DB_TEXT(b->evidence), DB_TEXT(b->liability), DB_TEXT(b->occurred_on),
                b->recorded_by ? DB_INT(b->recorded_by) : DB_NULL, DB_INT(b->created_at)),
        NULL, &ctx->err);
}

int agreement_store_breaches(struct ctx *ctx, int64_t id, struct breach **items, int *n)
{
    return store_list_entity(ctx, SQL_BREACHES, DB_ARGS(DB_INT(id)), &breach_entity, items, n);
}

int agreement_store_due(struct ctx *ctx, const char *day, int64_t **ids, int64_t **managers, int *n)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    int step;
    if (!c || db_query(c, SQL_DUE, DB_ARGS(DB_TEXT(day)), &r, &ctx->err) < 0)
        return -1;
    *ids = arena_alloc(ctx->arena, sizeof(int64_t) * 1000);
    *managers = arena_alloc(ctx->arena, sizeof(int64_t) * 1000);
    *n = 0;
    while ((step = db_rows_next(r, &ctx->err)) == 1 && *n < 1000) {
        (*ids)[*n] = db_int(r, 0);
        (*managers)[(*n)++] = db_int(r, 1);
    }
    db_rows_free(r);
    return step < 0 ? -1 : 0;
}

int agreement_store_expire(struct ctx *ctx, int64_t id, int64_t at)
{
    struct db_conn *c = ctx_db(ctx);
    int64_t changed = 0;
    if (!c || db_exec(c, SQL_EXPIRE, DB_ARGS(DB_INT(id), DB_INT(at)), &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}
