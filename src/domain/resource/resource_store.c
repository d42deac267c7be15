/*
 * resource_store.c - all SQL of pools, allocations and conformity tests.
 */
#include <string.h>

#include "resource_store.h"
#include "app.h"
#include "db/db.h"
#include "core/timeutil.h"
#include "domain/store_util.h"
#include "core/banned.h"

/* $1 root, $2 depth. */
#define POOL_SCOPE                                                                                 \
    "(CAST($1 AS BIGINT) = 0 OR " SQL_IN_SUBTREE(                                                  \
        "p.provider_id", "$1",                                                                     \
        "$2") " OR p.id IN (SELECT pool_id FROM conformity_tests WHERE evaluator_id = $1)"         \
              " OR p.id IN (SELECT pool_id FROM allocations WHERE user_id = $1))"
/* The columns of pool_entity, in its order (resource_entity.c). */
#define POOL_COLS                                                                                  \
    "p.id, p.provider_id, i.name, p.name, p.kind, p.unit, p.specification, p.capacity, "           \
    "p.allocated, p.region, p.security_level, p.status, COALESCE((SELECT t.status FROM "           \
    "conformity_tests t WHERE t.pool_id = p.id ORDER BY t.id DESC LIMIT 1), ''), "                 \
    "p.created_at, p.updated_at, p.version"
#define POOL_FROM " FROM resource_pools p JOIN institutions i ON i.id = p.provider_id "
#define POOL_WHERE                                                                                 \
    POOL_SCOPE " AND (CAST($3 AS BIGINT) = 0 OR p.provider_id = $3) AND ($4 = '' OR p.kind = "     \
               "$4) AND ($5 = '' OR p.region = $5) AND ($6 = '' OR p.status = $6)"

static const char SQL_VISIBLE[] =
    "SELECT COUNT(*) FROM resource_pools p WHERE p.id = $3 AND " POOL_SCOPE;
static const char SQL_POOL_GET[] = "SELECT " POOL_COLS POOL_FROM "WHERE p.id = $1";
/* The visibility check and the load in one statement: $1 root, $2 depth, $3 the pool. */
static const char SQL_POOL_GET_SCOPED[] =
    "SELECT " POOL_COLS POOL_FROM "WHERE p.id = $3 AND " POOL_SCOPE;
static const char SQL_POOL_LIST[] =
    "SELECT " POOL_COLS POOL_FROM "WHERE " POOL_WHERE " AND p.id > $7 ORDER BY p.id LIMIT $8";
static const char SQL_POOL_COUNT[] = "SELECT COUNT(*)" POOL_FROM "WHERE " POOL_WHERE;
static const char SQL_POOL_INSERT[] =
    "INSERT INTO resource_pools (id, provider_id, name, kind, unit, specification, capacity, "
    "allocated, region, security_level, status, created_at, updated_at, version) VALUES ($1, $2, "
    "$3, $4, $5, $6, $7, 0, $8, $9, $10, $11, $11, 1)";
static const char SQL_POOL_UPDATE[] =
    "UPDATE resource_pools SET name = $2, specification = $3, capacity = $4, region = $5, "
    "security_level = $6, status = $7, updated_at = $8, version = version + 1 WHERE id = $1 AND "
    "version = $9 AND allocated <= $4";
static const char SQL_POOL_TRANSITION[] =
    "INSERT INTO pool_transitions (id, pool_id, from_state, to_state, reason, at, by_person, "
    "by_institution) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_POOL_HISTORY[] =
    "SELECT id, pool_id, from_state, to_state, reason, at, COALESCE(by_person, 0), "
    "COALESCE(by_institution, 0) FROM pool_transitions WHERE pool_id = $1 ORDER BY id";
static const char SQL_POOL_TAKE[] =
    "UPDATE resource_pools SET allocated = allocated + $2 WHERE id = $1 AND status = 'active' "
    "AND allocated + $2 <= capacity AND allocated + $2 >= 0";

/* The columns of allocation_entity, in its order (resource_entity.c). The macro's argument
 * `today` names the bound parameter that holds today's date, for the reclamation flag. */
#define ALLOC_COLS(today)                                                                          \
    "a.id, a.pool_id, a.user_id, u.name, a.application, a.quantity, a.status, a.service_level, "   \
    "a.use_by, a.first_used_on, CASE WHEN a.status = 'active' AND a.use_by <> '' AND a.use_by "    \
    "< " today                                                                                     \
    " AND a.first_used_on = '' THEN 1 ELSE 0 END, a.created_at, a.updated_at, a.version, "         \
    "CASE WHEN a.service_start <> 0 THEN a.service_start ELSE a.created_at END, "                  \
    "a.service_start_reason, a.service_start"
#define ALLOC_FROM                                                                                 \
    " FROM allocations a JOIN institutions u ON u.id = a.user_id JOIN resource_pools p ON "        \
    "p.id = a.pool_id "
/* A user agency sees its own allocations; the provider and management see those of their pools. */
#define ALLOC_WHERE                                                                                \
    "(CAST($1 AS BIGINT) = 0 OR a.user_id = $1 OR " SQL_IN_SUBTREE(                                \
        "p.provider_id", "$1", "$2") ") AND "                                                      \
                                     "(CAST($3 AS BIGINT) = 0 OR a.pool_id = $3) AND (CAST($4 AS " \
                                     "BIGINT) = 0 OR a.user_id = $4) "                             \
                                     "AND ($5 = '' OR a.status = $5) AND (CAST($6 AS INTEGER) = "  \
                                     "0 OR (a.status = 'active' AND "                              \
                                     "a.use_by <> '' AND a.use_by < $9 AND a.first_used_on = ''))"
static const char SQL_ALLOC_GET[] = "SELECT " ALLOC_COLS("$2") ALLOC_FROM "WHERE a.id = $1";
static const char SQL_ALLOC_LIST[] = "SELECT " ALLOC_COLS("$9") ALLOC_FROM
    "WHERE " ALLOC_WHERE " AND a.id > $7 ORDER BY a.id LIMIT $8";
static const char SQL_ALLOC_INSERT[] =
    "INSERT INTO allocations (id, pool_id, user_id, application, quantity, status, use_by, "
    "first_used_on, created_at, updated_at, version, service_level) VALUES ($1, $2, $3, $4, $5, "
    "$6, $7, $8, $9, $9, 1, $10)";
static const char SQL_ALLOC_UPDATE[] =
    "UPDATE allocations SET quantity = $2, status = $3, first_used_on = $4, updated_at = $5, "
    "version = version + 1 WHERE id = $1";
static const char SQL_ALLOC_SERVICE_START[] =
    "UPDATE allocations SET service_start = $2, service_start_reason = $3, updated_at = $4, "
    "version = version + 1 WHERE id = $1";
static const char SQL_EVENT[] =
    "INSERT INTO allocation_events (id, allocation_id, op, quantity_before, quantity_after, "
    "reason, at, by_person) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/* The columns of conformity_test_entity, in its order (resource_entity.c). */
#define TEST_COLS                                                                                  \
    "t.id, t.pool_id, p.name, p.provider_id, t.evaluator_id, e.name, t.assigned_by, t.status, "    \
    "t.findings, t.report_ref, t.tested_on, t.created_at, t.updated_at, t.version"
#define TEST_FROM                                                                                  \
    " FROM conformity_tests t JOIN institutions e ON e.id = t.evaluator_id JOIN resource_pools "   \
    "p ON p.id = t.pool_id "
static const char SQL_TEST_GET[] = "SELECT " TEST_COLS TEST_FROM "WHERE t.id = $1";
static const char SQL_TEST_OPEN[] =
    "SELECT " TEST_COLS TEST_FROM "WHERE t.pool_id = $1 AND t.status = 'assigned' ORDER BY t.id";
/* An evaluator sees the tests assigned to it; others those of pools in their jurisdiction. */
static const char SQL_TEST_LIST[] =
    "SELECT " TEST_COLS TEST_FROM
    "WHERE (CAST($1 AS BIGINT) = 0 OR t.evaluator_id = $1 OR " SQL_IN_SUBTREE(
        "p.provider_id", "$1",
        "$2") ") AND (CAST($3 AS BIGINT) = 0 OR t.pool_id = $3) AND ($4 = '' OR t.status = $4) "
              "AND t.id > $5 ORDER BY t.id LIMIT $6";
static const char SQL_TEST_INSERT[] =
    "INSERT INTO conformity_tests (id, pool_id, evaluator_id, assigned_by, status, findings, "
    "report_ref, tested_on, created_at, updated_at, version) VALUES ($1, $2, $3, $4, 'assigned', "
    "'', '', '', $5, $5, 1)";
static const char SQL_TEST_UPDATE[] =
    "UPDATE conformity_tests SET status = $2, findings = $3, report_ref = $4, tested_on = $5, "
    "updated_at = $6, version = version + 1 WHERE id = $1 AND status = 'assigned'";

/* Conformant: active, and the newest recorded test passed (T5-6.2c). */
static const char SQL_CATALOGUE[] =
    "SELECT " POOL_COLS
    ", i.uscc, t.id, t.evaluator_id, e.name, t.tested_on, t.report_ref" POOL_FROM
    "JOIN conformity_tests t ON t.id = (SELECT MAX(t2.id) FROM conformity_tests t2 "
    "WHERE t2.pool_id = p.id AND t2.status <> 'assigned') JOIN institutions e ON "
    "e.id = t.evaluator_id WHERE p.status = 'active' AND t.status = 'passed' AND " SQL_UNDER(
        "p.provider_id", "$1") " "
                               "ORDER BY p.id";

int resource_store_pool_visible(struct ctx *ctx, int64_t root, int depth, int64_t id)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query_int(c, SQL_VISIBLE, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(id)), &n,
                           &ctx->err) < 0)
        return -1;
    return n > 0;
}

int resource_store_pool_get(struct ctx *ctx, int64_t id, struct pool *out)
{
    return store_get_entity(ctx, SQL_POOL_GET, DB_ARGS(DB_INT(id)), &pool_entity, out);
}

int resource_store_pool_get_scoped(struct ctx *ctx, int64_t root, int depth, int64_t id,
                                   struct pool *out)
{
    return store_get_entity(ctx, SQL_POOL_GET_SCOPED,
                            DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(id)), &pool_entity, out);
}

#define POOL_ARGS(root, depth, f)                                                                  \
    DB_INT(root), DB_INT(depth), DB_INT((f)->provider_id), DB_TEXT(OR_EMPTY((f)->kind)),           \
        DB_TEXT(OR_EMPTY((f)->region)), DB_TEXT(OR_EMPTY((f)->status))

int resource_store_pool_list(struct ctx *ctx, int64_t root, int depth, const struct pool_filter *f,
                             const struct page_req *p, struct pool **items, int *n)
{
    return store_list_entity(
        ctx, SQL_POOL_LIST,
        DB_ARGS(POOL_ARGS(root, depth, f), DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
        &pool_entity, items, n);
}

int resource_store_pool_count(struct ctx *ctx, int64_t root, int depth, const struct pool_filter *f,
                              int64_t *total)
{
    return db_query_int(ctx_db(ctx), SQL_POOL_COUNT, DB_ARGS(POOL_ARGS(root, depth, f)), total,
                        &ctx->err);
}

int resource_store_pool_insert(struct ctx *ctx, const struct pool *p)
{
    return db_exec(ctx_db(ctx), SQL_POOL_INSERT,
                   DB_ARGS(DB_INT(p->id), DB_INT(p->provider_id), DB_TEXT(p->name),
                           DB_TEXT(p->kind), DB_TEXT(p->unit), DB_TEXT(p->specification),
                           DB_INT(p->capacity), DB_TEXT(p->region), DB_INT(p->security_level),
                           DB_TEXT(p->status), DB_INT(p->created_at)),
                   NULL, &ctx->err);
}

int resource_store_pool_update(struct ctx *ctx, const struct pool *p, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_POOL_UPDATE,
                DB_ARGS(DB_INT(p->id), DB_TEXT(p->name), DB_TEXT(p->specification),
                        DB_INT(p->capacity), DB_TEXT(p->region), DB_INT(p->security_level),
                        DB_TEXT(p->status), DB_INT(p->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int resource_store_pool_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                                   const char *reason)
{
    return db_exec(
        ctx_db(ctx), SQL_POOL_TRANSITION,
        DB_ARGS(DB_INT(id_new()), DB_INT(id), DB_TEXT(from), DB_TEXT(to),
                DB_TEXT(reason ? reason : ""), DB_INT(time_now_ms()),
                ctx->caller.person_id ? DB_INT(ctx->caller.person_id) : DB_NULL,
                ctx->caller.institution_id ? DB_INT(ctx->caller.institution_id) : DB_NULL),
        NULL, &ctx->err);
}

static void read_transition(struct ctx *ctx, struct db_rows *r, struct pool_transition *o)
{
    o->id = db_int(r, 0);
    o->pool_id = db_int(r, 1);
    o->from_state = S(2);
    o->to_state = S(3);
    o->reason = S(4);
    o->at = db_int(r, 5);
    o->by_person = db_int(r, 6);
    o->by_institution = db_int(r, 7);
}

int resource_store_pool_history(struct ctx *ctx, int64_t id, struct pool_transition **items, int *n)
{
    LIST_ALL(SQL_POOL_HISTORY, DB_ARGS(DB_INT(id)), struct pool_transition, read_transition, items,
             n);
}

int resource_store_pool_take(struct ctx *ctx, int64_t pool_id, int64_t delta)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_POOL_TAKE, DB_ARGS(DB_INT(pool_id), DB_INT(delta)), &changed,
                &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int resource_store_alloc_get(struct ctx *ctx, int64_t id, const char *today, struct allocation *out)
{
    return store_get_entity(ctx, SQL_ALLOC_GET, DB_ARGS(DB_INT(id), DB_TEXT(today)),
                            &allocation_entity, out);
}

int resource_store_alloc_list(struct ctx *ctx, int64_t root, int depth, const char *today,
                              const struct allocation_filter *f, const struct page_req *p,
                              struct allocation **items, int *n)
{
    return store_list_entity(ctx, SQL_ALLOC_LIST,
                             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->pool_id),
                                     DB_INT(f->user_id), DB_TEXT(OR_EMPTY(f->status)),
                                     DB_INT(f->reclaimable_only), DB_INT(p->after_id),
                                     DB_INT(page_fetch_limit(p)), DB_TEXT(today)),
                             &allocation_entity, items, n);
}

int resource_store_alloc_insert(struct ctx *ctx, const struct allocation *a)
{
    return db_exec(ctx_db(ctx), SQL_ALLOC_INSERT,
                   DB_ARGS(DB_INT(a->id), DB_INT(a->pool_id), DB_INT(a->user_id),
                           DB_TEXT(a->application), DB_INT(a->quantity), DB_TEXT(a->status),
                           DB_TEXT(OR_EMPTY(a->use_by)), DB_TEXT(OR_EMPTY(a->first_used_on)),
                           DB_INT(a->created_at), DB_TEXT(a->service_level)),
                   NULL, &ctx->err);
}

int resource_store_alloc_update(struct ctx *ctx, const struct allocation *a)
{
    return db_exec(ctx_db(ctx), SQL_ALLOC_UPDATE,
                   DB_ARGS(DB_INT(a->id), DB_INT(a->quantity), DB_TEXT(a->status),
                           DB_TEXT(OR_EMPTY(a->first_used_on)), DB_INT(a->updated_at)),
                   NULL, &ctx->err);
}

int resource_store_alloc_service_start(struct ctx *ctx, const struct allocation *a)
{
    return db_exec(ctx_db(ctx), SQL_ALLOC_SERVICE_START,
                   DB_ARGS(DB_INT(a->id), DB_INT(a->service_start),
                           DB_TEXT(a->service_start_reason), DB_INT(a->updated_at)),
                   NULL, &ctx->err);
}

int resource_store_alloc_event(struct ctx *ctx, int64_t alloc_id, const char *op, int64_t before,
                               int64_t after, const char *reason)
{
    return db_exec(ctx_db(ctx), SQL_EVENT,
                   DB_ARGS(DB_INT(id_new()), DB_INT(alloc_id), DB_TEXT(op), DB_INT(before),
                           DB_INT(after), DB_TEXT(OR_EMPTY(reason)), DB_INT(time_now_ms()),
                           ctx->caller.person_id ? DB_INT(ctx->caller.person_id) : DB_NULL),
                   NULL, &ctx->err);
}

int resource_store_test_get(struct ctx *ctx, int64_t id, struct conformity_test *out)
{
    return store_get_entity(ctx, SQL_TEST_GET, DB_ARGS(DB_INT(id)), &conformity_test_entity, out);
}

int resource_store_test_open(struct ctx *ctx, int64_t pool_id, struct conformity_test **items,
                             int *n)
{
    return store_list_entity(ctx, SQL_TEST_OPEN, DB_ARGS(DB_INT(pool_id)), &conformity_test_entity,
                             items, n);
}

int resource_store_test_list(struct ctx *ctx, int64_t root, int depth, int64_t pool_id,
                             const char *status, const struct page_req *p,
                             struct conformity_test **items, int *n)
{
    return store_list_entity(ctx, SQL_TEST_LIST,
                             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(pool_id),
                                     DB_TEXT(OR_EMPTY(status)), DB_INT(p->after_id),
                                     DB_INT(page_fetch_limit(p))),
                             &conformity_test_entity, items, n);
}

int resource_store_test_insert(struct ctx *ctx, const struct conformity_test *t)
{
    return db_exec(ctx_db(ctx), SQL_TEST_INSERT,
                   DB_ARGS(DB_INT(t->id), DB_INT(t->pool_id), DB_INT(t->evaluator_id),
                           t->assigned_by ? DB_INT(t->assigned_by) : DB_NULL,
                           DB_INT(t->created_at)),
                   NULL, &ctx->err);
}

int resource_store_test_update(struct ctx *ctx, const struct conformity_test *t)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_TEST_UPDATE,
                DB_ARGS(DB_INT(t->id), DB_TEXT(t->status), DB_TEXT(t->findings),
                        DB_TEXT(t->report_ref), DB_TEXT(t->tested_on), DB_INT(t->updated_at)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

static void read_cat(struct ctx *ctx, struct db_rows *r, struct catalogue_row *o)
{
    int n = entity_read(ctx, r, &pool_entity, &o->pool);
    o->provider_uscc = S(n);
    o->test_id = db_int(r, n + 1);
    o->evaluator_id = db_int(r, n + 2);
    o->evaluator_name = S(n + 3);
    o->tested_on = S(n + 4);
    o->report_ref = S(n + 5);
}

int resource_store_catalogue(struct ctx *ctx, int64_t root, struct catalogue_row **items, int *n)
{
    LIST_ALL(SQL_CATALOGUE, DB_ARGS(DB_INT(root)), struct catalogue_row, read_cat, items, n);
}
