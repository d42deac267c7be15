/*
 * product_store.c - all SQL of products, metrics, transitions, tests, price basis and
 * documents.
 */
#include <string.h>

#include "product_store.h"
#include "app.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/arena.h"
#include "core/decimal.h"
#include "domain/store_util.h"
#include "core/banned.h"

/* $1 root, $2 depth: management sees the products of providers in its subtree, a provider its
 * own, an evaluator those it tests; everyone sees what is online (the catalogue). */
#define PRODUCT_SCOPE                                                                              \
    "(CAST($1 AS BIGINT) = 0 OR p.state = 'online' OR " SQL_IN_SUBTREE(                            \
        "p.provider_id", "$1",                                                                     \
        "$2") " OR p.id "                                                                          \
              "IN (SELECT product_id FROM product_tests WHERE evaluator_id = $1))"
#define PRODUCT_COLS                                                                               \
    "p.id, p.provider_id, i.name, p.name, p.category, p.description, p.state, p.region, "          \
    "p.recommended, p.recommend_note, p.eliminate_note, COALESCE((SELECT t.status FROM "           \
    "product_tests t WHERE t.product_id = p.id ORDER BY t.id DESC LIMIT 1), ''), "                 \
    "p.created_at, p.updated_at, p.version"
#define PRODUCT_FROM " FROM products p JOIN institutions i ON i.id = p.provider_id "
/* q: substring of name or description. LIKE with an escape works everywhere (and uses the
 * pg_trgm indexes on PostgreSQL); SQLite's FTS5 trigram index serves LIKE only without ESCAPE
 * and for three characters or more, so there the FTS form is used when it applies. */
#define Q_LIKE                                                                                     \
    "($6 = '' OR LOWER(p.name) LIKE $6 ESCAPE '\\' OR LOWER(p.description) LIKE $6 ESCAPE "        \
    "'\\')"
/* On SQLite the trigram index drives the query: matches come in rowid (= id) order, so the
 * page ends as soon as it is full. */
#define Q_FTS "f.text LIKE $6"
#define PRODUCT_WHERE_Q(q)                                                                         \
    PRODUCT_SCOPE " AND (CAST($3 AS BIGINT) = 0 OR p.provider_id = $3) AND ($4 = '' OR "           \
                  "p.category = $4) AND ($5 = '' OR p.state = $5) AND " q                          \
                  " AND (CAST($7 AS INTEGER) < 0 OR p.recommended = $7)"
#define PRODUCT_WHERE PRODUCT_WHERE_Q(Q_LIKE)
/* With a q, the "$6 = ''" escape is left out: PostgreSQL cannot use the pg_trgm indexes under an
 * OR with a parameter test, once it plans the prepared statement generically. */
#define Q_LIKE_ONLY                                                                                \
    "(LOWER(p.name) LIKE $6 ESCAPE '\\' OR LOWER(p.description) LIKE $6 ESCAPE '\\')"

static const char SQL_VISIBLE[] =
    "SELECT COUNT(*) FROM products p WHERE p.id = $3 AND " PRODUCT_SCOPE;
static const char SQL_GET[] = "SELECT " PRODUCT_COLS PRODUCT_FROM "WHERE p.id = $1";
static const char SQL_LIST[] = "SELECT " PRODUCT_COLS PRODUCT_FROM "WHERE " PRODUCT_WHERE
                               " AND p.id > $8 ORDER BY p.id LIMIT $9";
static const char SQL_COUNT[] = "SELECT COUNT(*)" PRODUCT_FROM "WHERE " PRODUCT_WHERE;
static const char SQL_LIST_Q[] = "SELECT " PRODUCT_COLS PRODUCT_FROM
                                 "WHERE " PRODUCT_WHERE_Q(Q_LIKE_ONLY) " AND p.id > $8 ORDER BY "
                                                                       "p.id LIMIT $9";
static const char SQL_COUNT_Q[] =
    "SELECT COUNT(*)" PRODUCT_FROM "WHERE " PRODUCT_WHERE_Q(Q_LIKE_ONLY);
static const char SQL_LIST_FTS[] =
    "SELECT " PRODUCT_COLS " FROM products_fts f JOIN products p ON p.id = f.rowid JOIN "
    "institutions i ON i.id = p.provider_id WHERE " PRODUCT_WHERE_Q(
        Q_FTS) " AND f.rowid > $8 ORDER BY f.rowid LIMIT $9";
static const char SQL_COUNT_FTS[] = "SELECT COUNT(*) FROM products_fts f JOIN products p ON "
                                    "p.id = f.rowid WHERE " PRODUCT_WHERE_Q(Q_FTS);

static const char SQL_INSERT[] =
    "INSERT INTO products (id, provider_id, name, category, description, state, recommended, "
    "recommend_note, eliminate_note, region, created_at, updated_at, version) VALUES ($1, $2, "
    "$3, $4, $5, $6, 0, '', '', $7, $8, $8, 1)";
static const char SQL_UPDATE[] =
    "UPDATE products SET name = $2, category = $3, description = $4, state = $5, "
    "recommended = $6, recommend_note = $7, eliminate_note = $8, region = $9, updated_at = $10, "
    "version = version + 1 WHERE id = $1 AND version = $11";
static const char SQL_POOLS[] =
    "SELECT pool_id FROM product_resources WHERE product_id = $1 ORDER BY pool_id";
static const char SQL_POOLS_CLEAR[] = "DELETE FROM product_resources WHERE product_id = $1";
static const char SQL_POOLS_ADD[] =
    "INSERT INTO product_resources (product_id, pool_id) VALUES ($1, $2)";
static const char SQL_TRANSITION[] =
    "INSERT INTO product_transitions (id, product_id, from_state, to_state, reason, at, "
    "by_person, by_institution) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_HISTORY[] =
    "SELECT id, product_id, from_state, to_state, reason, at, COALESCE(by_person, 0), "
    "COALESCE(by_institution, 0) FROM product_transitions WHERE product_id = $1 ORDER BY id";

static const char SQL_METRIC_INSERT[] =
    "INSERT INTO product_metrics (id, product_id, name, unit, method, list_price_fen, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_METRICS[] =
    "SELECT id, product_id, name, unit, method, list_price_fen, created_at FROM product_metrics "
    "WHERE product_id = $1 ORDER BY id";

#define TEST_COLS                                                                                  \
    "t.id, t.product_id, t.evaluator_id, COALESCE(t.assigned_by, 0), p.provider_id, p.name, "      \
    "e.name, t.status, t.findings, t.report_ref, t.tested_on, t.created_at, t.updated_at"
#define TEST_FROM                                                                                  \
    " FROM product_tests t JOIN products p ON p.id = t.product_id JOIN institutions e ON "         \
    "e.id = t.evaluator_id "
static const char SQL_TEST_INSERT[] =
    "INSERT INTO product_tests (id, product_id, evaluator_id, assigned_by, status, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, 'assigned', $5, $5)";
static const char SQL_TEST_GET[] = "SELECT " TEST_COLS TEST_FROM "WHERE t.id = $1";
static const char SQL_TEST_LATEST[] =
    "SELECT " TEST_COLS TEST_FROM "WHERE t.product_id = $1 ORDER BY t.id DESC LIMIT 1";
static const char SQL_TEST_UPDATE[] =
    "UPDATE product_tests SET status = $2, findings = $3, report_ref = $4, tested_on = $5, "
    "updated_at = $6 WHERE id = $1 AND status = 'assigned'";
static const char SQL_TEST_OPEN[] =
    "SELECT " TEST_COLS TEST_FROM "WHERE t.product_id = $1 AND t.status = 'assigned' ORDER BY t.id";
static const char SQL_TESTED_BY[] =
    "SELECT COUNT(*) FROM product_tests WHERE product_id = $1 AND evaluator_id = $2 AND "
    "status <> 'assigned'";
static const char SQL_TESTS[] =
    "SELECT " TEST_COLS TEST_FROM
    "WHERE (CAST($1 AS BIGINT) = 0 OR t.evaluator_id = $1 OR " SQL_IN_SUBTREE(
        "p.provider_id", "$1",
        "$2") ") AND (CAST($3 AS BIGINT) = 0 OR t.product_id = $3) AND ($4 = '' OR t.status = "
              "$4) AND t.id > $5 ORDER BY t.id LIMIT $6";

static const char SQL_PRICE_OVERLAP[] =
    "SELECT COUNT(*) FROM price_basis WHERE metric_id = $1 AND valid_from <= $3 AND "
    "valid_to >= $2";
static const char SQL_PRICE_INSERT[] =
    "INSERT INTO price_basis (id, metric_id, evaluator_id, price_fen, measurement, valid_from, "
    "valid_to, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_PRICES[] =
    "SELECT b.id, b.metric_id, b.evaluator_id, b.price_fen, b.published_at, m.name, m.unit, "
    "b.measurement, b.valid_from, b.valid_to, e.name FROM price_basis b JOIN product_metrics m "
    "ON m.id = b.metric_id JOIN institutions e ON e.id = b.evaluator_id WHERE m.product_id = $1 "
    "AND ($2 = '' OR (b.valid_from <= $2 AND b.valid_to >= $2)) ORDER BY m.id, b.valid_from";
static const char SQL_BACKDATING_INSERT[] =
    "INSERT INTO price_backdatings (id, metric_id, valid_from, reason, management_id, granted_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
/* The oldest unused record that allows a basis of the metric from valid_from ($2). */
static const char SQL_BACKDATING_FIND[] =
    "SELECT id, metric_id, valid_from, reason, management_id, COALESCE(granted_by, 0), created_at "
    "FROM price_backdatings WHERE metric_id = $1 AND valid_from <= $2 AND basis_id IS NULL "
    "ORDER BY id LIMIT 1";
static const char SQL_BACKDATING_USE[] =
    "UPDATE price_backdatings SET basis_id = $2 WHERE id = $1 AND basis_id IS NULL";
static const char SQL_RATE_INSERT[] =
    "INSERT INTO price_rates (basis_id, service_level, tier_from, unit_price) VALUES ($1, $2, $3, "
    "$4)";
/* The rates of the bases SQL_PRICES answers, in the order the API shows them: level (basic,
 * standard, premium), then tier. */
static const char SQL_RATES[] =
    "SELECT r.basis_id, r.service_level, r.tier_from, r.unit_price FROM price_rates r JOIN "
    "price_basis b ON b.id = r.basis_id JOIN product_metrics m ON m.id = b.metric_id WHERE "
    "m.product_id = $1 AND ($2 = '' OR (b.valid_from <= $2 AND b.valid_to >= $2)) ORDER BY "
    "r.basis_id, CASE r.service_level WHEN 'basic' THEN 0 WHEN 'standard' THEN 1 ELSE 2 END, "
    "r.tier_from";

static const char SQL_DOC_INSERT[] =
    "INSERT INTO product_documents (id, product_id, kind, title, content, session_date, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_DOCS[] =
    "SELECT id, product_id, kind, title, content, session_date, created_at FROM "
    "product_documents WHERE product_id = $1 ORDER BY id";

/* Candidates for elimination (T5-7.2a): the newest recorded test failed, or the product has been
 * online since before $3 (ms), no agreement in force covers it and no order of it is delivered
 * (in its trial) or in service - the use that the platform can see. */
#define FAILED_RETEST                                                                              \
    "(SELECT t.status FROM product_tests t WHERE t.product_id = p.id AND t.status <> "             \
    "'assigned' ORDER BY t.id DESC LIMIT 1) = 'failed'"
#define UNUSED                                                                                     \
    "(p.state = 'online' AND (SELECT MAX(x.at) FROM product_transitions x WHERE x.product_id "     \
    "= p.id AND x.to_state = 'online') < CAST($3 AS BIGINT) AND NOT EXISTS (SELECT 1 FROM "        \
    "agreement_items ai JOIN agreements a ON a.id = ai.agreement_id WHERE ai.product_id = "        \
    "p.id AND a.state = 'in_force') AND NOT EXISTS (SELECT 1 FROM order_items oi JOIN orders o "   \
    "ON o.id = oi.order_id WHERE oi.product_id = p.id AND o.state IN ('delivered', "               \
    "'in_service')))"
static const char SQL_CANDIDATES[] =
    "SELECT " PRODUCT_COLS ", CASE WHEN " FAILED_RETEST " THEN 'failed_retest' ELSE 'unused' "
    "END" PRODUCT_FROM "WHERE p.state IN ('online', 'offline') AND p.provider_id IN (SELECT "
    "descendant_id FROM institution_tree WHERE CAST($1 AS BIGINT) = 0 OR (ancestor_id = $1 AND "
    "depth <= CAST($2 AS INTEGER))) AND (" FAILED_RETEST " OR " UNUSED ") ORDER BY p.id LIMIT "
    "1000";
static const char SQL_ONLINE[] =
    "SELECT " PRODUCT_COLS PRODUCT_FROM
    "WHERE p.state = 'online' AND " SQL_UNDER("p.provider_id", "$1") " ORDER BY p.id";

static void read_product(struct ctx *ctx, struct db_rows *r, struct product *o)
{
    o->id = db_int(r, 0);
    o->provider_id = db_int(r, 1);
    o->provider_name = S(2);
    o->name = S(3);
    o->category = S(4);
    o->description = S(5);
    o->state = S(6);
    o->region = S(7);
    o->recommended = db_int(r, 8) != 0;
    o->recommend_note = S(9);
    o->eliminate_note = S(10);
    o->latest_test = S(11);
    o->created_at = db_int(r, 12);
    o->updated_at = db_int(r, 13);
    o->version = (int)db_int(r, 14);
    o->candidate_reason = NULL;
    o->pool_ids = NULL;
    o->n_pools = 0;
}

int product_store_visible(struct ctx *ctx, int64_t root, int depth, int64_t id)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query_int(c, SQL_VISIBLE, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(id)), &n,
                           &ctx->err) < 0)
        return -1;
    return n > 0;
}

int product_store_get(struct ctx *ctx, int64_t id, struct product *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_INT(id)), read_product, out);
}

#define FILTER_ARGS(root, depth, f, like)                                                          \
    DB_INT(root), DB_INT(depth), DB_INT((f)->provider_id), DB_TEXT(OR_EMPTY((f)->category)),       \
        DB_TEXT(OR_EMPTY((f)->state)), DB_TEXT(like), DB_INT((f)->recommended)

/* The FTS5 form on SQLite for a query of three or more characters without LIKE wildcards. */
static const char *fts_pattern(struct ctx *ctx, const char *q)
{
    if (db_conn_kind(ctx_db(ctx)) != DB_SQLITE || !q || strpbrk(q, "%_\\"))
        return NULL;
    size_t chars = 0;
    for (const unsigned char *s = (const unsigned char *)q; *s; s++)
        chars += (*s & 0xc0) != 0x80;
    return chars >= 3 ? arena_printf(ctx->arena, "%%%s%%", q) : NULL;
}

int product_store_list(struct ctx *ctx, int64_t root, int depth, const struct product_filter *f,
                       const struct page_req *p, struct product **items, int *n)
{
    const char *fts = fts_pattern(ctx, f->q);
    const char *like = fts ? fts : store_like_pattern(ctx, f->q);
    LIST_ALL(fts     ? SQL_LIST_FTS
             : *like ? SQL_LIST_Q
                     : SQL_LIST,
             DB_ARGS(FILTER_ARGS(root, depth, f, like), DB_INT(p->after_id),
                     DB_INT(page_fetch_limit(p))),
             struct product, read_product, items, n);
}

int product_store_count(struct ctx *ctx, int64_t root, int depth, const struct product_filter *f,
                        int64_t *total)
{
    const char *fts = fts_pattern(ctx, f->q);
    const char *like = fts ? fts : store_like_pattern(ctx, f->q);
    return db_query_int(ctx_db(ctx),
                        fts     ? SQL_COUNT_FTS
                        : *like ? SQL_COUNT_Q
                                : SQL_COUNT,
                        DB_ARGS(FILTER_ARGS(root, depth, f, like)), total, &ctx->err);
}

int product_store_insert(struct ctx *ctx, const struct product *p)
{
    return db_exec(ctx_db(ctx), SQL_INSERT,
                   DB_ARGS(DB_INT(p->id), DB_INT(p->provider_id), DB_TEXT(p->name),
                           DB_TEXT(p->category), DB_TEXT(p->description), DB_TEXT(p->state),
                           DB_TEXT(p->region), DB_INT(p->created_at)),
                   NULL, &ctx->err);
}

int product_store_update(struct ctx *ctx, const struct product *p, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_UPDATE,
                DB_ARGS(DB_INT(p->id), DB_TEXT(p->name), DB_TEXT(p->category),
                        DB_TEXT(p->description), DB_TEXT(p->state), DB_INT(p->recommended),
                        DB_TEXT(OR_EMPTY(p->recommend_note)), DB_TEXT(OR_EMPTY(p->eliminate_note)),
                        DB_TEXT(p->region), DB_INT(p->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

static void read_id(struct ctx *ctx, struct db_rows *r, int64_t *o)
{
    (void)ctx;
    *o = db_int(r, 0);
}

int product_store_pools(struct ctx *ctx, int64_t id, int64_t **ids, int *n)
{
    LIST_ALL(SQL_POOLS, DB_ARGS(DB_INT(id)), int64_t, read_id, ids, n);
}

int product_store_set_pools(struct ctx *ctx, int64_t id, const int64_t *ids, int n)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_POOLS_CLEAR, DB_ARGS(DB_INT(id)), NULL, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (db_exec(c, SQL_POOLS_ADD, DB_ARGS(DB_INT(id), DB_INT(ids[i])), NULL, &ctx->err) < 0)
            return -1;
    return 0;
}

int product_store_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                             const char *reason)
{
    return db_exec(
        ctx_db(ctx), SQL_TRANSITION,
        DB_ARGS(DB_INT(id_new()), DB_INT(id), DB_TEXT(from), DB_TEXT(to), DB_TEXT(OR_EMPTY(reason)),
                DB_INT(time_now_ms()),
                ctx->caller.person_id ? DB_INT(ctx->caller.person_id) : DB_NULL,
                ctx->caller.institution_id ? DB_INT(ctx->caller.institution_id) : DB_NULL),
        NULL, &ctx->err);
}

static void read_transition(struct ctx *ctx, struct db_rows *r, struct product_transition *o)
{
    o->id = db_int(r, 0);
    o->product_id = db_int(r, 1);
    o->from_state = S(2);
    o->to_state = S(3);
    o->reason = S(4);
    o->at = db_int(r, 5);
    o->by_person = db_int(r, 6);
    o->by_institution = db_int(r, 7);
}

int product_store_history(struct ctx *ctx, int64_t id, struct product_transition **items, int *n)
{
    LIST_ALL(SQL_HISTORY, DB_ARGS(DB_INT(id)), struct product_transition, read_transition, items,
             n);
}

int product_store_metric_insert(struct ctx *ctx, const struct metric *m)
{
    return db_exec(ctx_db(ctx), SQL_METRIC_INSERT,
                   DB_ARGS(DB_INT(m->id), DB_INT(m->product_id), DB_TEXT(m->name), DB_TEXT(m->unit),
                           DB_TEXT(m->method), DB_INT(m->list_price_fen), DB_INT(m->created_at)),
                   NULL, &ctx->err);
}

static void read_metric(struct ctx *ctx, struct db_rows *r, struct metric *o)
{
    o->id = db_int(r, 0);
    o->product_id = db_int(r, 1);
    o->name = S(2);
    o->unit = S(3);
    o->method = S(4);
    o->list_price_fen = db_int(r, 5);
    o->created_at = db_int(r, 6);
}

int product_store_metrics(struct ctx *ctx, int64_t product_id, struct metric **items, int *n)
{
    LIST_ALL(SQL_METRICS, DB_ARGS(DB_INT(product_id)), struct metric, read_metric, items, n);
}

int product_store_test_insert(struct ctx *ctx, const struct product_test *t)
{
    return db_exec(ctx_db(ctx), SQL_TEST_INSERT,
                   DB_ARGS(DB_INT(t->id), DB_INT(t->product_id), DB_INT(t->evaluator_id),
                           t->assigned_by ? DB_INT(t->assigned_by) : DB_NULL,
                           DB_INT(t->created_at)),
                   NULL, &ctx->err);
}

static void read_test(struct ctx *ctx, struct db_rows *r, struct product_test *o)
{
    o->id = db_int(r, 0);
    o->product_id = db_int(r, 1);
    o->evaluator_id = db_int(r, 2);
    o->assigned_by = db_int(r, 3);
    o->provider_id = db_int(r, 4);
    o->product_name = S(5);
    o->evaluator_name = S(6);
    o->status = S(7);
    o->findings = S(8);
    o->report_ref = S(9);
    o->tested_on = S(10);
    o->created_at = db_int(r, 11);
    o->updated_at = db_int(r, 12);
}

int product_store_test_get(struct ctx *ctx, int64_t id, struct product_test *out)
{
    GET_ONE(SQL_TEST_GET, DB_ARGS(DB_INT(id)), read_test, out);
}

int product_store_test_latest(struct ctx *ctx, int64_t product_id, struct product_test *out)
{
    GET_ONE(SQL_TEST_LATEST, DB_ARGS(DB_INT(product_id)), read_test, out);
}

int product_store_test_update(struct ctx *ctx, const struct product_test *t)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_TEST_UPDATE,
                DB_ARGS(DB_INT(t->id), DB_TEXT(t->status), DB_TEXT(t->findings),
                        DB_TEXT(t->report_ref), DB_TEXT(t->tested_on), DB_INT(t->updated_at)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

static int count(struct ctx *ctx, const char *sql, const struct db_val *args, int n)
{
    int64_t v = 0;
    if (db_query_int(ctx_db(ctx), sql, args, n, &v, &ctx->err) < 0)
        return -1;
    return v > 0;
}

int product_store_test_open(struct ctx *ctx, int64_t product_id, struct product_test **items,
                            int *n)
{
    LIST_ALL(SQL_TEST_OPEN, DB_ARGS(DB_INT(product_id)), struct product_test, read_test, items, n);
}

int product_store_tested_by(struct ctx *ctx, int64_t product_id, int64_t evaluator_id)
{
    return count(ctx, SQL_TESTED_BY, DB_ARGS(DB_INT(product_id), DB_INT(evaluator_id)));
}

int product_store_tests(struct ctx *ctx, int64_t root, int depth, int64_t product_id,
                        const char *status, const struct page_req *p, struct product_test **items,
                        int *n)
{
    LIST_ALL(SQL_TESTS,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(product_id), DB_TEXT(OR_EMPTY(status)),
                     DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct product_test, read_test, items, n);
}

int product_store_price_overlaps(struct ctx *ctx, int64_t metric_id, const char *from,
                                 const char *to)
{
    return count(ctx, SQL_PRICE_OVERLAP, DB_ARGS(DB_INT(metric_id), DB_TEXT(from), DB_TEXT(to)));
}

int product_store_backdating_insert(struct ctx *ctx, const struct price_backdating *b)
{
    return db_exec(ctx_db(ctx), SQL_BACKDATING_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->metric_id), DB_TEXT(b->valid_from),
                           DB_TEXT(b->reason), DB_INT(b->management_id), DB_INT(b->granted_by),
                           DB_INT(b->created_at)),
                   NULL, &ctx->err);
}

static void read_backdating(struct ctx *ctx, struct db_rows *r, struct price_backdating *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->metric_id = db_int(r, 1);
    o->valid_from = S(2);
    o->reason = S(3);
    o->management_id = db_int(r, 4);
    o->granted_by = db_int(r, 5);
    o->created_at = db_int(r, 6);
}

int product_store_backdating_find(struct ctx *ctx, int64_t metric_id, const char *valid_from,
                                  struct price_backdating *out)
{
    GET_ONE(SQL_BACKDATING_FIND, DB_ARGS(DB_INT(metric_id), DB_TEXT(valid_from)), read_backdating,
            out);
}

int product_store_backdating_use(struct ctx *ctx, int64_t id, int64_t basis_id)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_BACKDATING_USE, DB_ARGS(DB_INT(id), DB_INT(basis_id)), &changed,
                &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int product_store_price_insert(struct ctx *ctx, const struct price_basis *b)
{
    return db_exec(ctx_db(ctx), SQL_PRICE_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->metric_id), DB_INT(b->evaluator_id),
                           DB_INT(b->price_fen), DB_TEXT(b->measurement), DB_TEXT(b->valid_from),
                           DB_TEXT(b->valid_to), DB_INT(b->published_at)),
                   NULL, &ctx->err);
}

static void read_price(struct ctx *ctx, struct db_rows *r, struct price_basis *o)
{
    o->id = db_int(r, 0);
    o->metric_id = db_int(r, 1);
    o->evaluator_id = db_int(r, 2);
    o->price_fen = db_int(r, 3);
    o->published_at = db_int(r, 4);
    o->metric_name = S(5);
    o->unit = S(6);
    o->measurement = S(7);
    o->valid_from = S(8);
    o->valid_to = S(9);
    o->evaluator_name = S(10);
}

int product_store_rate_insert(struct ctx *ctx, int64_t basis_id, const struct price_rate *r)
{
    return db_exec(ctx_db(ctx), SQL_RATE_INSERT,
                   DB_ARGS(DB_INT(basis_id), DB_TEXT(r->service_level), DB_INT(r->tier_from),
                           DB_INT(r->unit_price)),
                   NULL, &ctx->err);
}

static int bases(struct ctx *ctx, int64_t product_id, const char *date, struct price_basis **items,
                 int *n)
{
    LIST_ALL(SQL_PRICES, DB_ARGS(DB_INT(product_id), DB_TEXT(OR_EMPTY(date))), struct price_basis,
             read_price, items, n);
}

struct rate_row {
    int64_t basis_id;
    struct price_rate rate;
};

static void read_rate(struct ctx *ctx, struct db_rows *r, struct rate_row *o)
{
    char buf[32];
    o->basis_id = db_int(r, 0);
    o->rate.service_level = S(1);
    o->rate.tier_from = db_int(r, 2);
    o->rate.unit_price = db_int(r, 3);
    decimal_format(o->rate.tier_from, PRICE_TIER_SCALE, buf, sizeof(buf));
    o->rate.tier_from_text = arena_strdup(ctx->arena, buf);
    decimal_format(o->rate.unit_price, PRICE_UNIT_SCALE, buf, sizeof(buf));
    o->rate.unit_price_text = arena_strdup(ctx->arena, buf);
}

static int rates(struct ctx *ctx, int64_t product_id, const char *date, struct rate_row **items,
                 int *n)
{
    LIST_ALL(SQL_RATES, DB_ARGS(DB_INT(product_id), DB_TEXT(OR_EMPTY(date))), struct rate_row,
             read_rate, items, n);
}

int product_store_prices(struct ctx *ctx, int64_t product_id, const char *date,
                         struct price_basis **items, int *n)
{
    struct rate_row *rr;
    int nr;
    if (bases(ctx, product_id, date, items, n) < 0 || rates(ctx, product_id, date, &rr, &nr) < 0)
        return -1;
    /* Rows come sorted by basis: each basis takes its run of them. */
    for (int i = 0; i < *n; i++) {
        struct price_basis *b = &(*items)[i];
        int first = 0, count = 0;
        while (first < nr && rr[first].basis_id != b->id)
            first++;
        while (first + count < nr && rr[first + count].basis_id == b->id)
            count++;
        b->rates = arena_alloc(ctx->arena, sizeof(*b->rates) * (size_t)(count ? count : 1));
        for (int k = 0; k < count; k++)
            b->rates[k] = rr[first + k].rate;
        b->n_rates = count;
    }
    return 0;
}

int product_store_document_insert(struct ctx *ctx, const struct product_document *d)
{
    return db_exec(ctx_db(ctx), SQL_DOC_INSERT,
                   DB_ARGS(DB_INT(d->id), DB_INT(d->product_id), DB_TEXT(d->kind),
                           DB_TEXT(d->title), DB_TEXT(d->content),
                           DB_TEXT(OR_EMPTY(d->session_date)), DB_INT(d->created_at)),
                   NULL, &ctx->err);
}

static void read_doc(struct ctx *ctx, struct db_rows *r, struct product_document *o)
{
    o->id = db_int(r, 0);
    o->product_id = db_int(r, 1);
    o->kind = S(2);
    o->title = S(3);
    o->content = S(4);
    o->session_date = S(5);
    o->created_at = db_int(r, 6);
}

int product_store_documents(struct ctx *ctx, int64_t product_id, struct product_document **items,
                            int *n)
{
    LIST_ALL(SQL_DOCS, DB_ARGS(DB_INT(product_id)), struct product_document, read_doc, items, n);
}

static void read_candidate(struct ctx *ctx, struct db_rows *r, struct product *o)
{
    read_product(ctx, r, o);
    o->candidate_reason = S(15);
}

int product_store_candidates(struct ctx *ctx, int64_t root, int depth, int64_t online_before,
                             struct product **items, int *n)
{
    LIST_ALL(SQL_CANDIDATES, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(online_before)),
             struct product, read_candidate, items, n);
}

int product_store_online(struct ctx *ctx, int64_t root, struct product **items, int *n)
{
    LIST_ALL(SQL_ONLINE, DB_ARGS(DB_INT(root)), struct product, read_product, items, n);
}
