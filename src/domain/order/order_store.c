/*
 * order_store.c - all SQL of orders, their items, transitions and changes, budget lines and
 * the feedback thread.
 */
#include <string.h>

#include "order_store.h"
#include "domain/billing/billing.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

#define ORDER_COLS                                                                                 \
    "o.id, o.user_id, o.provider_id, o.budget_line_id, o.estimated_fen, COALESCE(o.applied_by, "   \
    "0), u.name, p.name, b.code, o.application, o.justification, o.state, o.trial_months, "        \
    "o.trial_justification, o.delivered_on, o.trial_ends_on, o.accepted_on, o.created_at, "        \
    "o.updated_at, o.version"
#define ORDER_FROM                                                                                 \
    " FROM orders o JOIN institutions u ON u.id = o.user_id JOIN institutions p ON p.id = "        \
    "o.provider_id JOIN budget_lines b ON b.id = o.budget_line_id "
/* $1 root, $2 depth, $3 own institution: management sees the orders of the user agencies of
 * its subtree, a user agency its own (depth 0), a provider those it delivers. */
#define ORDER_SCOPE                                                                                \
    "(CAST($1 AS BIGINT) = 0 OR o.provider_id = $3 OR " SQL_IN_SUBTREE("o.user_id", "$1", "$2") ")"

static const char SQL_VISIBLE[] = "SELECT COUNT(*) FROM orders o WHERE o.id = $4 AND " ORDER_SCOPE;
static const char SQL_GET[] = "SELECT " ORDER_COLS ORDER_FROM "WHERE o.id = $1";
static const char SQL_LIST[] =
    "SELECT " ORDER_COLS ORDER_FROM "WHERE " ORDER_SCOPE
    " AND (CAST($4 AS BIGINT) = 0 OR o.user_id = $4) AND (CAST($5 AS BIGINT) = 0 OR "
    "o.provider_id = $5) AND ($6 = '' OR o.state = $6) AND o.id > $7 ORDER BY o.id LIMIT $8";
static const char SQL_INSERT[] =
    "INSERT INTO orders (id, user_id, provider_id, budget_line_id, application, justification, "
    "estimated_fen, state, trial_months, applied_by, created_at, updated_at, version) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1)";
static const char SQL_UPDATE[] =
    "UPDATE orders SET state = $2, trial_months = $3, trial_justification = $4, delivered_on = "
    "$5, trial_ends_on = $6, accepted_on = $7, updated_at = $8, version = version + 1 WHERE id "
    "= $1 AND version = $9";
static const char SQL_ITEM_INSERT[] =
    "INSERT INTO order_items (id, order_id, product_id, pool_id, quantity, service_level) VALUES "
    "($1, $2, $3, $4, $5, $6)";
static const char SQL_ITEMS[] =
    "SELECT i.id, i.order_id, COALESCE(i.product_id, 0), COALESCE(i.pool_id, 0), i.quantity, "
    "COALESCE(i.allocation_id, 0), COALESCE(pr.name, po.name, ''), COALESCE(po.unit, ''), "
    "COALESCE(a.status, ''), i.service_level FROM order_items i LEFT JOIN products pr ON pr.id = "
    "i.product_id "
    "LEFT JOIN resource_pools po ON po.id = i.pool_id LEFT JOIN allocations a ON a.id = "
    "i.allocation_id WHERE i.order_id = $1 ORDER BY i.id";
static const char SQL_ITEM_ALLOC[] = "UPDATE order_items SET allocation_id = $2 WHERE id = $1";
static const char SQL_ITEM_QTY[] = "UPDATE order_items SET quantity = $2 WHERE id = $1";
static const char SQL_TRANSITION[] =
    "INSERT INTO order_transitions (id, order_id, from_state, to_state, reason, by_person, "
    "by_institution, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_TRANSITIONS[] =
    "SELECT t.id, t.order_id, COALESCE(t.by_person, 0), COALESCE(t.by_institution, 0), t.at, "
    "t.from_state, t.to_state, t.reason, COALESCE(pe.name, '') FROM order_transitions t LEFT "
    "JOIN people pe ON pe.id = t.by_person WHERE t.order_id = $1 ORDER BY t.id";

#define BUDGET_COLS                                                                                \
    "b.id, b.user_id, COALESCE(b.created_by, 0), b.created_at, u.name, b.fiscal_year, b.code, "    \
    "b.name, b.amount_fen, b.committed_fen, " BILLING_BUDGET_BILLED_SQL("b")
#define BUDGET_FROM " FROM budget_lines b JOIN institutions u ON u.id = b.user_id "
static const char SQL_BUDGET_INSERT[] =
    "INSERT INTO budget_lines (id, user_id, fiscal_year, code, name, amount_fen, committed_fen, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8)";
static const char SQL_BUDGET_GET[] = "SELECT " BUDGET_COLS BUDGET_FROM "WHERE b.id = $1";
static const char SQL_BUDGET_LIST[] =
    "SELECT " BUDGET_COLS BUDGET_FROM "WHERE " SQL_IN_JURISDICTION(
        "b.user_id", "$1", "$2") " AND (CAST($3 AS BIGINT) = 0 OR "
                                 "b.user_id = $3) AND (CAST($4 AS BIGINT) = 0 OR b.fiscal_year = "
                                 "$4) AND b.id > $5 ORDER BY "
                                 "b.id LIMIT $6";
static const char SQL_BUDGET_COMMIT[] =
    "UPDATE budget_lines SET committed_fen = committed_fen + $2 WHERE id = $1 AND "
    "committed_fen + $2 <= amount_fen AND committed_fen + $2 >= 0";

#define CHANGE_COLS                                                                                \
    "id, order_id, item_id, quantity, quantity_before, quantity_after, op, reason, status, "       \
    "COALESCE(requested_by, 0), requested_at, COALESCE(applied_by, 0), applied_at"
static const char SQL_CHANGE_INSERT[] =
    "INSERT INTO order_changes (id, order_id, item_id, op, quantity, reason, status, "
    "requested_by, requested_at) VALUES ($1, $2, $3, $4, $5, $6, 'requested', $7, $8)";
static const char SQL_CHANGE_GET[] = "SELECT " CHANGE_COLS " FROM order_changes WHERE id = $1";
static const char SQL_CHANGE_APPLIED[] =
    "UPDATE order_changes SET status = 'applied', quantity_before = $2, quantity_after = $3, "
    "applied_by = $4, applied_at = $5 WHERE id = $1 AND status = 'requested'";
static const char SQL_CHANGES_CANCEL[] =
    "UPDATE order_changes SET status = 'cancelled' WHERE order_id = $1 AND status = 'requested'";
static const char SQL_CHANGES[] =
    "SELECT " CHANGE_COLS " FROM order_changes WHERE order_id = $1 ORDER BY id";

static const char SQL_FEEDBACK_INSERT[] =
    "INSERT INTO order_feedback (id, order_id, rating, comment, by_person, by_institution, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
#define FEEDBACK_COLS                                                                              \
    "f.id, f.order_id, f.rating, COALESCE(f.by_person, 0), f.by_institution, f.created_at, "       \
    "f.comment, COALESCE(pe.name, '')"
static const char SQL_FEEDBACK_GET[] =
    "SELECT " FEEDBACK_COLS
    " FROM order_feedback f LEFT JOIN people pe ON pe.id = f.by_person WHERE f.id = $1";
static const char SQL_FEEDBACK[] =
    "SELECT " FEEDBACK_COLS " FROM order_feedback f LEFT JOIN people pe ON pe.id = f.by_person "
    "WHERE f.order_id = $1 ORDER BY f.id";
static const char SQL_ANSWER_INSERT[] =
    "INSERT INTO order_feedback_answers (id, feedback_id, text, by_person, by_institution, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_ANSWERS[] =
    "SELECT a.id, a.feedback_id, COALESCE(a.by_person, 0), a.by_institution, a.created_at, "
    "a.text, COALESCE(pe.name, '') FROM order_feedback_answers a JOIN order_feedback f ON f.id "
    "= a.feedback_id LEFT JOIN people pe ON pe.id = a.by_person WHERE f.order_id = $1 ORDER BY "
    "a.id";

#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)

static void read_order(struct ctx *ctx, struct db_rows *r, struct order *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->provider_id = db_int(r, 2);
    o->budget_line_id = db_int(r, 3);
    o->estimated_fen = db_int(r, 4);
    o->applied_by = db_int(r, 5);
    o->user_name = S(6);
    o->provider_name = S(7);
    o->budget_code = S(8);
    o->application = S(9);
    o->justification = S(10);
    o->state = S(11);
    o->trial_months = db_int(r, 12);
    o->trial_justification = S(13);
    o->delivered_on = S(14);
    o->trial_ends_on = S(15);
    o->accepted_on = S(16);
    o->created_at = db_int(r, 17);
    o->updated_at = db_int(r, 18);
    o->version = (int)db_int(r, 19);
}

int order_store_visible(struct ctx *ctx, int64_t root, int depth, int64_t own, int64_t id)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_query_int(c, SQL_VISIBLE, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(own), DB_INT(id)),
                     &n, &ctx->err) < 0)
        return -1;
    return n > 0;
}

int order_store_get(struct ctx *ctx, int64_t id, struct order *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_INT(id)), read_order, out);
}

static void read_item(struct ctx *ctx, struct db_rows *r, struct order_item *o)
{
    o->id = db_int(r, 0);
    o->order_id = db_int(r, 1);
    o->product_id = db_int(r, 2);
    o->pool_id = db_int(r, 3);
    o->quantity = db_int(r, 4);
    o->allocation_id = db_int(r, 5);
    o->name = S(6);
    o->unit = S(7);
    o->alloc_state = S(8);
    o->service_level = S(9);
}

static int load_items(struct ctx *ctx, int64_t id, struct order_item **items, int *n)
{
    LIST_ALL(SQL_ITEMS, DB_ARGS(DB_INT(id)), struct order_item, read_item, items, n);
}

int order_store_items(struct ctx *ctx, struct order *o)
{
    return load_items(ctx, o->id, &o->items, &o->n_items);
}

int order_store_list(struct ctx *ctx, int64_t root, int depth, int64_t own,
                     const struct order_filter *f, const struct page_req *p, struct order **items,
                     int *n)
{
    LIST_ALL(SQL_LIST,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(own), DB_INT(f->user_id),
                     DB_INT(f->provider_id), DB_TEXT(OR_EMPTY(f->state)), DB_INT(p->after_id),
                     DB_INT(page_fetch_limit(p))),
             struct order, read_order, items, n);
}

int order_store_insert(struct ctx *ctx, const struct order *o)
{
    struct db_conn *c = ctx_db(ctx);
    if (db_exec(c, SQL_INSERT,
                DB_ARGS(DB_INT(o->id), DB_INT(o->user_id), DB_INT(o->provider_id),
                        DB_INT(o->budget_line_id), DB_TEXT(o->application),
                        DB_TEXT(o->justification), DB_INT(o->estimated_fen), DB_TEXT(o->state),
                        DB_INT(o->trial_months), OPT(o->applied_by), DB_INT(o->created_at)),
                NULL, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < o->n_items; i++) {
        const struct order_item *it = &o->items[i];
        if (db_exec(c, SQL_ITEM_INSERT,
                    DB_ARGS(DB_INT(it->id), DB_INT(o->id), OPT(it->product_id), OPT(it->pool_id),
                            DB_INT(it->quantity),
                            DB_TEXT(it->service_level ? it->service_level : "standard")),
                    NULL, &ctx->err) < 0)
            return -1;
    }
    return 0;
}

int order_store_update(struct ctx *ctx, const struct order *o, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_UPDATE,
                DB_ARGS(DB_INT(o->id), DB_TEXT(o->state), DB_INT(o->trial_months),
                        DB_TEXT(OR_EMPTY(o->trial_justification)),
                        DB_TEXT(OR_EMPTY(o->delivered_on)), DB_TEXT(OR_EMPTY(o->trial_ends_on)),
                        DB_TEXT(OR_EMPTY(o->accepted_on)), DB_INT(o->updated_at),
                        DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int order_store_item_allocation(struct ctx *ctx, int64_t item_id, int64_t allocation_id)
{
    return db_exec(ctx_db(ctx), SQL_ITEM_ALLOC, DB_ARGS(DB_INT(item_id), DB_INT(allocation_id)),
                   NULL, &ctx->err);
}

int order_store_item_quantity(struct ctx *ctx, int64_t item_id, int64_t quantity)
{
    return db_exec(ctx_db(ctx), SQL_ITEM_QTY, DB_ARGS(DB_INT(item_id), DB_INT(quantity)), NULL,
                   &ctx->err);
}

int order_store_transition(struct ctx *ctx, const struct order_transition *t)
{
    return db_exec(ctx_db(ctx), SQL_TRANSITION,
                   DB_ARGS(DB_INT(t->id), DB_INT(t->order_id), DB_TEXT(t->from_state),
                           DB_TEXT(t->to_state), DB_TEXT(OR_EMPTY(t->reason)), OPT(t->by_person),
                           OPT(t->by_institution), DB_INT(t->at)),
                   NULL, &ctx->err);
}

static void read_transition(struct ctx *ctx, struct db_rows *r, struct order_transition *o)
{
    o->id = db_int(r, 0);
    o->order_id = db_int(r, 1);
    o->by_person = db_int(r, 2);
    o->by_institution = db_int(r, 3);
    o->at = db_int(r, 4);
    o->from_state = S(5);
    o->to_state = S(6);
    o->reason = S(7);
    o->by_name = S(8);
}

int order_store_transitions(struct ctx *ctx, int64_t id, struct order_transition **items, int *n)
{
    LIST_ALL(SQL_TRANSITIONS, DB_ARGS(DB_INT(id)), struct order_transition, read_transition, items,
             n);
}

/* ---------- budget lines ---------- */

static void read_budget(struct ctx *ctx, struct db_rows *r, struct budget_line *o)
{
    o->id = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->created_by = db_int(r, 2);
    o->created_at = db_int(r, 3);
    o->user_name = S(4);
    o->fiscal_year = db_int(r, 5);
    o->code = S(6);
    o->name = S(7);
    o->amount_fen = db_int(r, 8);
    o->committed_fen = db_int(r, 9);
    o->billed_fen = db_int(r, 10);
}

int budget_store_insert(struct ctx *ctx, const struct budget_line *b)
{
    return db_exec(ctx_db(ctx), SQL_BUDGET_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->user_id), DB_INT(b->fiscal_year),
                           DB_TEXT(b->code), DB_TEXT(b->name), DB_INT(b->amount_fen),
                           OPT(b->created_by), DB_INT(b->created_at)),
                   NULL, &ctx->err);
}

int budget_store_get(struct ctx *ctx, int64_t id, struct budget_line *out)
{
    GET_ONE(SQL_BUDGET_GET, DB_ARGS(DB_INT(id)), read_budget, out);
}

int budget_store_list(struct ctx *ctx, int64_t root, int depth, const struct budget_filter *f,
                      const struct page_req *p, struct budget_line **items, int *n)
{
    LIST_ALL(SQL_BUDGET_LIST,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->user_id), DB_INT(f->fiscal_year),
                     DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct budget_line, read_budget, items, n);
}

int budget_store_commit(struct ctx *ctx, int64_t id, int64_t delta)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_BUDGET_COMMIT, DB_ARGS(DB_INT(id), DB_INT(delta)), &changed,
                &ctx->err) < 0)
        return -1;
    return changed > 0;
}

/* ---------- changes ---------- */

static void read_change(struct ctx *ctx, struct db_rows *r, struct order_change *o)
{
    o->id = db_int(r, 0);
    o->order_id = db_int(r, 1);
    o->item_id = db_int(r, 2);
    o->quantity = db_int(r, 3);
    o->quantity_before = db_int(r, 4);
    o->quantity_after = db_int(r, 5);
    o->op = S(6);
    o->reason = S(7);
    o->status = S(8);
    o->requested_by = db_int(r, 9);
    o->requested_at = db_int(r, 10);
    o->applied_by = db_int(r, 11);
    o->applied_at = db_int(r, 12);
}

int order_store_change_insert(struct ctx *ctx, const struct order_change *c)
{
    return db_exec(ctx_db(ctx), SQL_CHANGE_INSERT,
                   DB_ARGS(DB_INT(c->id), DB_INT(c->order_id), DB_INT(c->item_id), DB_TEXT(c->op),
                           DB_INT(c->quantity), DB_TEXT(c->reason), OPT(c->requested_by),
                           DB_INT(c->requested_at)),
                   NULL, &ctx->err);
}

int order_store_change_get(struct ctx *ctx, int64_t id, struct order_change *out)
{
    GET_ONE(SQL_CHANGE_GET, DB_ARGS(DB_INT(id)), read_change, out);
}

int order_store_change_applied(struct ctx *ctx, const struct order_change *c)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_CHANGE_APPLIED,
                DB_ARGS(DB_INT(c->id), DB_INT(c->quantity_before), DB_INT(c->quantity_after),
                        OPT(c->applied_by), DB_INT(c->applied_at)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int order_store_changes_cancel(struct ctx *ctx, int64_t order_id)
{
    return db_exec(ctx_db(ctx), SQL_CHANGES_CANCEL, DB_ARGS(DB_INT(order_id)), NULL, &ctx->err);
}

int order_store_changes(struct ctx *ctx, int64_t order_id, struct order_change **items, int *n)
{
    LIST_ALL(SQL_CHANGES, DB_ARGS(DB_INT(order_id)), struct order_change, read_change, items, n);
}

/* ---------- feedback ---------- */

static void read_feedback(struct ctx *ctx, struct db_rows *r, struct feedback *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->order_id = db_int(r, 1);
    o->rating = db_int(r, 2);
    o->by_person = db_int(r, 3);
    o->by_institution = db_int(r, 4);
    o->created_at = db_int(r, 5);
    o->comment = S(6);
    o->by_name = S(7);
}

static void read_answer(struct ctx *ctx, struct db_rows *r, struct feedback_answer *o)
{
    o->id = db_int(r, 0);
    o->feedback_id = db_int(r, 1);
    o->by_person = db_int(r, 2);
    o->by_institution = db_int(r, 3);
    o->created_at = db_int(r, 4);
    o->text = S(5);
    o->by_name = S(6);
}

int order_store_feedback_insert(struct ctx *ctx, const struct feedback *f)
{
    return db_exec(ctx_db(ctx), SQL_FEEDBACK_INSERT,
                   DB_ARGS(DB_INT(f->id), DB_INT(f->order_id), DB_INT(f->rating),
                           DB_TEXT(OR_EMPTY(f->comment)), OPT(f->by_person),
                           DB_INT(f->by_institution), DB_INT(f->created_at)),
                   NULL, &ctx->err);
}

int order_store_feedback_get(struct ctx *ctx, int64_t id, struct feedback *out)
{
    GET_ONE(SQL_FEEDBACK_GET, DB_ARGS(DB_INT(id)), read_feedback, out);
}

int order_store_answer_insert(struct ctx *ctx, const struct feedback_answer *a)
{
    return db_exec(ctx_db(ctx), SQL_ANSWER_INSERT,
                   DB_ARGS(DB_INT(a->id), DB_INT(a->feedback_id), DB_TEXT(a->text),
                           OPT(a->by_person), DB_INT(a->by_institution), DB_INT(a->created_at)),
                   NULL, &ctx->err);
}

int order_store_feedback(struct ctx *ctx, int64_t order_id, struct feedback **items, int *n)
{
    LIST_ALL(SQL_FEEDBACK, DB_ARGS(DB_INT(order_id)), struct feedback, read_feedback, items, n);
}

int order_store_answers(struct ctx *ctx, int64_t order_id, struct feedback_answer **items, int *n)
{
    LIST_ALL(SQL_ANSWERS, DB_ARGS(DB_INT(order_id)), struct feedback_answer, read_answer, items, n);
}
