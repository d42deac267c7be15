/*
 * billing_store.c - SQL of rating, bills, settlement statements, quality coefficients, budget
 * alerts and spend. Visibility is a subtree of the institution tree (root 0 = all), as in the
 * other modules.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing_store.h"
#include "app.h"
#include "domain/store_util.h"
#include "domain/usage/usage.h"
#include "core/banned.h"

#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)

/* $1 root, $2 depth: an institution column in the caller's subtree. */
#define IN_TREE(col) SQL_IN_JURISDICTION(col, "$1", "$2")

/* ---------- references for rating ---------- */

static void read_alloc(struct ctx *ctx, struct db_rows *r, struct ref_alloc *o)
{
    o->id = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->budget_line_id = db_int(r, 2);
    o->application = S(3);
    o->level = S(4);
}

int billing_store_allocs(struct ctx *ctx, int64_t root, int depth, int64_t user_id,
                         struct ref_alloc **items, int *n)
{
    static const char sql[] =
        "SELECT a.id, a.user_id, COALESCE(MAX(o.budget_line_id), 0), a.application, "
        "a.service_level FROM allocations a LEFT JOIN order_items oi ON oi.allocation_id = a.id "
        "LEFT JOIN orders o ON o.id = oi.order_id WHERE " IN_TREE(
            "a.user_id") " AND (CAST($3 AS BIGINT) = 0 OR a.user_id = $3) GROUP BY a.id, "
                         "a.user_id, "
                         "a.application, a.service_level ORDER BY a.id";
    LIST_ALL(sql, DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(user_id)), struct ref_alloc,
             read_alloc, items, n);
}

static void read_metric(struct ctx *ctx, struct db_rows *r, struct ref_metric *o)
{
    (void)ctx;
    o->id = db_int(r, 0);
    o->product_id = db_int(r, 1);
    o->provider_id = db_int(r, 2);
    o->list_price_fen = db_int(r, 3);
}

int billing_store_metrics(struct ctx *ctx, struct ref_metric **items, int *n)
{
    static const char sql[] =
        "SELECT m.id, m.product_id, p.provider_id, m.list_price_fen FROM "
        "product_metrics m JOIN products p ON p.id = m.product_id WHERE m.id > "
        "$1 ORDER BY m.id";
    LIST_ALL(sql, DB_ARGS(DB_INT(0)), struct ref_metric, read_metric, items, n);
}

static void read_basis(struct ctx *ctx, struct db_rows *r, struct ref_basis *o)
{
    o->id = db_int(r, 0);
    o->metric_id = db_int(r, 1);
    o->price_fen = db_int(r, 2);
    o->valid_from = S(3);
    o->valid_to = S(4);
}

int billing_store_bases(struct ctx *ctx, const char *from, const char *to, struct ref_basis **items,
                        int *n)
{
    static const char sql[] = "SELECT id, metric_id, price_fen, valid_from, valid_to FROM "
                              "price_basis WHERE valid_from <= $2 AND valid_to >= $1 ORDER BY "
                              "metric_id, valid_from";
    LIST_ALL(sql, DB_ARGS(DB_TEXT(from), DB_TEXT(to)), struct ref_basis, read_basis, items, n);
}

static void read_rate(struct ctx *ctx, struct db_rows *r, struct ref_rate *o)
{
    o->basis_id = db_int(r, 0);
    o->level = S(1);
    o->tier_from = db_int(r, 2);
    o->unit_price = db_int(r, 3);
}

int billing_store_rates(struct ctx *ctx, const char *from, const char *to, struct ref_rate **items,
                        int *n)
{
    static const char sql[] =
        "SELECT r.basis_id, r.service_level, r.tier_from, r.unit_price FROM price_rates r JOIN "
        "price_basis b ON b.id = r.basis_id WHERE b.valid_from <= $2 AND b.valid_to >= $1 ORDER "
        "BY r.basis_id, r.service_level, r.tier_from";
    LIST_ALL(sql, DB_ARGS(DB_TEXT(from), DB_TEXT(to)), struct ref_rate, read_rate, items, n);
}

int billing_store_usage(struct ctx *ctx, int64_t d0, int64_t d1, bool from_records, usage_day_fn fn,
                        void *arg)
{
    static const char daily[] = "SELECT allocation_id, metric_id, day, quantity, records FROM "
                                "usage_daily WHERE day >= $1 AND day < $2";
    /* Every record of the month, one by one: no GROUP BY, so the store sorts nothing (SQLite
     * would sort all of them in memory) and the caller sums them. */
    static const char records[] = "SELECT allocation_id, metric_id, period_start, quantity FROM "
                                  "usage_records WHERE period_start >= $1 AND period_start < $2";
    struct db_conn *c = ctx_db(ctx);
    struct db_rows *r;
    int step, rc = 0;
    const int64_t day_ms = 86400000, off = 28800000;
    if (!c)
        return -1;
    if (from_records) {
        if (db_query(c, records, DB_ARGS(DB_INT(d0 * day_ms - off), DB_INT(d1 * day_ms - off)), &r,
                     &ctx->err) < 0)
            return -1;
    } else if (db_query(c, daily, DB_ARGS(DB_INT(d0), DB_INT(d1)), &r, &ctx->err) < 0) {
        return -1;
    }
    while ((step = db_rows_next(r, &ctx->err)) == 1) {
        if (from_records)
            rc = fn(arg, db_int(r, 0), db_int(r, 1), usage_day(db_int(r, 2)), db_int(r, 3), 1);
        else
            rc = fn(arg, db_int(r, 0), db_int(r, 1), db_int(r, 2), db_int(r, 3), db_int(r, 4));
        if (rc)
            break;
    }
    db_rows_free(r);
    return step < 0 ? -1 : rc;
}

/* ---------- bills ---------- */

static int versions(struct ctx *ctx, const char *sql, int64_t owner, const char *period,
                    struct bill_versions *out)
{
    struct db_conn *c = ctx_db(ctx);
    struct db_rows *r;
    int step;
    memset(out, 0, sizeof(*out));
    if (!c || db_query(c, sql, DB_ARGS(DB_INT(owner), DB_TEXT(period)), &r, &ctx->err) < 0)
        return -1;
    while ((step = db_rows_next(r, &ctx->err)) == 1) {
        int64_t id = db_int(r, 0), v = db_int(r, 1);
        const char *st = db_text(r, 2);
        if (v > out->max_version)
            out->max_version = v;
        if (st && !strcmp(st, "draft")) {
            out->draft_id = id;
            out->draft_version = v;
        } else if (st && !strcmp(st, "issued")) {
            out->issued_id = id;
        }
    }
    db_rows_free(r);
    return step < 0 ? -1 : 0;
}

int billing_store_bill_versions(struct ctx *ctx, int64_t user_id, const char *period,
                                struct bill_versions *out)
{
    return versions(ctx, "SELECT id, version, state FROM bills WHERE user_id = $1 AND period = $2",
                    user_id, period, out);
}

int billing_store_bill_insert(struct ctx *ctx, const struct bill *b)
{
    static const char bill_sql[] =
        "INSERT INTO bills (id, user_id, period, version, state, total_fen, line_count, records, "
        "reason, rated_at, rated_by) VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7, $8, $9, $10)";
    static const char line_sql[] =
        "INSERT INTO bill_lines (bill_id, line_no, provider_id, product_id, metric_id, "
        "application, service_level, basis_id, budget_line_id, quantity, records, amount_fen) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    struct db_conn *c = ctx_db(ctx);
    struct db_stmt *st;
    if (!c ||
        db_exec(c, bill_sql,
                DB_ARGS(DB_INT(b->id), DB_INT(b->user_id), DB_TEXT(b->period), DB_INT(b->version),
                        DB_INT(b->total_fen), DB_INT(b->line_count), DB_INT(b->records),
                        DB_TEXT(b->reason), DB_INT(b->rated_at), OPT(b->rated_by)),
                NULL, &ctx->err) < 0)
        return -1;
    if (db_stmt_prepare(c, line_sql, &st, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < b->n_lines; i++) {
        const struct bill_line *l = &b->lines[i];
        if (db_stmt_exec(st,
                         DB_ARGS(DB_INT(b->id), DB_INT(l->line_no), DB_INT(l->provider_id),
                                 DB_INT(l->product_id), DB_INT(l->metric_id),
                                 DB_TEXT(l->application), DB_TEXT(l->service_level),
                                 OPT(l->basis_id), OPT(l->budget_line_id), DB_INT(l->quantity),
                                 DB_INT(l->records), DB_INT(l->amount_fen)),
                         NULL, &ctx->err) < 0) {
            db_stmt_free(st);
            return -1;
        }
    }
    db_stmt_free(st);
    return 0;
}

int billing_store_bill_delete_draft(struct ctx *ctx, int64_t id)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_exec(c, "DELETE FROM bill_lines WHERE bill_id = $1", DB_ARGS(DB_INT(id)), NULL,
                &ctx->err) < 0 ||
        db_exec(c, "DELETE FROM bills WHERE id = $1 AND state = 'draft'", DB_ARGS(DB_INT(id)), NULL,
                &ctx->err) < 0)
        return -1;
    return 0;
}

static void read_id(struct ctx *ctx, struct db_rows *r, int64_t *o)
{
    (void)ctx;
    *o = db_int(r, 0);
}

int billing_store_drafts(struct ctx *ctx, const char *period, int64_t root, int depth,
                         int64_t user_id, int64_t **ids, int *n)
{
    static const char sql[] =
        "SELECT id FROM bills WHERE " IN_TREE("user_id") " AND period = $3 AND state = 'draft' AND "
                                                         "(CAST($4 AS BIGINT) = 0 OR user_id = $4) "
                                                         "ORDER BY id";
    LIST_ALL(sql, DB_ARGS(DB_INT(root), DB_INT(depth), DB_TEXT(period), DB_INT(user_id)), int64_t,
             read_id, ids, n);
}

#define BILL_COLS                                                                                  \
    "b.id, b.user_id, b.version, b.total_fen, b.line_count, b.records, b.rated_at, "               \
    "COALESCE(b.rated_by, 0), b.issued_at, COALESCE(b.issued_by, 0), "                             \
    "COALESCE(b.superseded_by, 0), u.name, b.period, b.state, b.reason"
#define BILL_FROM " FROM bills b JOIN institutions u ON u.id = b.user_id "

static void read_bill(struct ctx *ctx, struct db_rows *r, struct bill *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->version = db_int(r, 2);
    o->total_fen = db_int(r, 3);
    o->line_count = db_int(r, 4);
    o->records = db_int(r, 5);
    o->rated_at = db_int(r, 6);
    o->rated_by = db_int(r, 7);
    o->issued_at = db_int(r, 8);
    o->issued_by = db_int(r, 9);
    o->superseded_by = db_int(r, 10);
    o->user_name = S(11);
    o->period = S(12);
    o->state = S(13);
    o->reason = S(14);
}

int billing_store_bill_get(struct ctx *ctx, int64_t id, struct bill *out)
{
    static const char sql[] = "SELECT " BILL_COLS BILL_FROM "WHERE b.id = $1";
    GET_ONE(sql, DB_ARGS(DB_INT(id)), read_bill, out);
}

static void read_line(struct ctx *ctx, struct db_rows *r, struct bill_line *o)
{
    o->line_no = db_int(r, 0);
    o->provider_id = db_int(r, 1);
    o->product_id = db_int(r, 2);
    o->metric_id = db_int(r, 3);
    o->basis_id = db_int(r, 4);
    o->budget_line_id = db_int(r, 5);
    o->quantity = db_int(r, 6);
    o->records = db_int(r, 7);
    o->amount_fen = db_int(r, 8);
    o->application = S(9);
    o->service_level = S(10);
    o->provider_name = S(11);
    o->product_name = S(12);
    o->metric_name = S(13);
    o->unit = S(14);
    o->budget_code = S(15);
}

int billing_store_bill_lines(struct ctx *ctx, int64_t bill_id, struct bill_line **items, int *n)
{
    static const char sql[] =
        "SELECT l.line_no, l.provider_id, l.product_id, l.metric_id, COALESCE(l.basis_id, 0), "
        "COALESCE(l.budget_line_id, 0), l.quantity, l.records, l.amount_fen, l.application, "
        "l.service_level, COALESCE(i.name, ''), COALESCE(p.name, ''), COALESCE(m.name, ''), "
        "COALESCE(m.unit, ''), COALESCE(bl.code, '') FROM bill_lines l LEFT JOIN institutions i "
        "ON i.id = l.provider_id LEFT JOIN products p ON p.id = l.product_id LEFT JOIN "
        "product_metrics m ON m.id = l.metric_id LEFT JOIN budget_lines bl ON bl.id = "
        "l.budget_line_id WHERE l.bill_id = $1 ORDER BY l.line_no";
    LIST_ALL(sql, DB_ARGS(DB_INT(bill_id)), struct bill_line, read_line, items, n);
}

int billing_store_bill_list(struct ctx *ctx, int64_t root, int depth, const struct bill_filter *f,
                            const struct page_req *p, struct bill **items, int *n)
{
    static const char sql[] = "SELECT " BILL_COLS BILL_FROM "WHERE " IN_TREE(
        "b.user_id") " AND (CAST($3 AS BIGINT) = 0 OR b.user_id = $3) AND ($4 = '' OR b.period = "
                     "$4) AND "
                     "($5 = '' OR b.state = $5) AND b.id > $6 ORDER BY b.id LIMIT $7";
    LIST_ALL(sql,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->user_id), DB_TEXT(OR_EMPTY(f->period)),
                     DB_TEXT(OR_EMPTY(f->state)), DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct bill, read_bill, items, n);
}

static int exec_changed(struct ctx *ctx, const char *sql, const struct db_val *args, int nargs)
{
    int64_t changed = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_exec(c, sql, args, nargs, &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}
#define EXEC_CHANGED(sql, args) exec_changed(ctx, sql, args)

int billing_store_bill_issue(struct ctx *ctx, int64_t id, int64_t by, int64_t at)
{
    return EXEC_CHANGED("UPDATE bills SET state = 'issued', issued_by = $2, issued_at = $3 WHERE "
                        "id = $1 AND state = 'draft'",
                        DB_ARGS(DB_INT(id), OPT(by), DB_INT(at)));
}

int billing_store_bill_supersede(struct ctx *ctx, int64_t id, int64_t by_id)
{
    return EXEC_CHANGED("UPDATE bills SET state = 'superseded', superseded_by = $2 WHERE id = $1 "
                        "AND state = 'issued'",
                        DB_ARGS(DB_INT(id), DB_INT(by_id)));
}

/* ---------- budgets and alerts ---------- */

int billing_store_budget_billed(struct ctx *ctx, int64_t budget_line_id, int64_t *billed,
                                int64_t *amount, int64_t *user_id, int64_t *fiscal_year)
{
    static const char sql[] =
        "SELECT bl.amount_fen, bl.user_id, bl.fiscal_year, " BILLING_BUDGET_BILLED_SQL(
            "bl") " FROM budget_lines bl WHERE bl.id = $1";
    struct db_conn *c = ctx_db(ctx);
    struct db_rows *r;
    if (!c)
        return -1;
    int rc = db_query_row(c, sql, DB_ARGS(DB_INT(budget_line_id)), &r, &ctx->err);
    if (rc == 1) {
        *amount = db_int(r, 0);
        *user_id = db_int(r, 1);
        *fiscal_year = db_int(r, 2);
        *billed = db_int(r, 3);
        db_rows_free(r);
    }
    return rc;
}

int billing_store_alert_insert(struct ctx *ctx, const struct budget_alert *a)
{
    return EXEC_CHANGED(
        "INSERT INTO budget_alerts (id, budget_line_id, user_id, threshold_pct, billed_fen, "
        "amount_fen, bill_id, fired_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT "
        "(budget_line_id, threshold_pct) DO NOTHING",
        DB_ARGS(DB_INT(a->id), DB_INT(a->budget_line_id), DB_INT(a->user_id),
                DB_INT(a->threshold_pct), DB_INT(a->billed_fen), DB_INT(a->amount_fen),
                DB_INT(a->bill_id), DB_INT(a->fired_at)));
}

#define ALERT_COLS                                                                                 \
    "a.id, a.budget_line_id, a.user_id, a.threshold_pct, a.billed_fen, a.amount_fen, a.bill_id, "  \
    "a.fired_at, COALESCE(a.acknowledged_by, 0), a.acknowledged_at, bl.fiscal_year, bl.code, "     \
    "bl.name, u.name"
#define ALERT_FROM                                                                                 \
    " FROM budget_alerts a JOIN budget_lines bl ON bl.id = a.budget_line_id JOIN institutions u "  \
    "ON u.id = a.user_id "

static void read_alert(struct ctx *ctx, struct db_rows *r, struct budget_alert *o)
{
    o->id = db_int(r, 0);
    o->budget_line_id = db_int(r, 1);
    o->user_id = db_int(r, 2);
    o->threshold_pct = db_int(r, 3);
    o->billed_fen = db_int(r, 4);
    o->amount_fen = db_int(r, 5);
    o->bill_id = db_int(r, 6);
    o->fired_at = db_int(r, 7);
    o->acknowledged_by = db_int(r, 8);
    o->acknowledged_at = db_int(r, 9);
    o->fiscal_year = db_int(r, 10);
    o->budget_code = S(11);
    o->budget_name = S(12);
    o->user_name = S(13);
}

int billing_store_alert_list(struct ctx *ctx, int64_t root, int depth, const struct alert_filter *f,
                             const struct page_req *p, struct budget_alert **items, int *n)
{
    static const char sql[] =
        "SELECT " ALERT_COLS ALERT_FROM
        "WHERE " IN_TREE("a.user_id") " AND (CAST($3 AS BIGINT) = 0 OR a.user_id = $3) AND "
                                      "(CAST($4 AS INTEGER) = 0 OR "
                                      "a.acknowledged_at = 0) AND a.id > $5 ORDER BY a.id LIMIT $6";
    LIST_ALL(sql,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->user_id), DB_INT(f->open_only ? 1 : 0),
                     DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct budget_alert, read_alert, items, n);
}

int billing_store_alert_get(struct ctx *ctx, int64_t id, struct budget_alert *out)
{
    static const char sql[] = "SELECT " ALERT_COLS ALERT_FROM "WHERE a.id = $1";
    GET_ONE(sql, DB_ARGS(DB_INT(id)), read_alert, out);
}

int billing_store_alert_ack(struct ctx *ctx, int64_t id, int64_t by, int64_t at)
{
    return EXEC_CHANGED("UPDATE budget_alerts SET acknowledged_by = $2, acknowledged_at = $3 "
                        "WHERE id = $1 AND acknowledged_at = 0",
                        DB_ARGS(DB_INT(id), OPT(by), DB_INT(at)));
}

/* ---------- settlements ---------- */

static void read_settle_row(struct ctx *ctx, struct db_rows *r, struct settle_row *o)
{
    (void)ctx;
    o->provider_id = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->bill_id = db_int(r, 2);
    o->product_id = db_int(r, 3);
    o->line_count = db_int(r, 4);
    o->amount_fen = db_int(r, 5);
}

int billing_store_settle_rows(struct ctx *ctx, const char *period, int64_t root, int depth,
                              int64_t provider_id, struct settle_row **items, int *n)
{
    static const char sql[] =
        "SELECT l.provider_id, b.user_id, b.id, l.product_id, COUNT(*), SUM(l.amount_fen) FROM "
        "bill_lines l JOIN bills b ON b.id = l.bill_id WHERE b.period = $3 AND b.state = "
        "'issued' AND " IN_TREE(
            "l.provider_id") " AND (CAST($4 AS BIGINT) = 0 OR l.provider_id = $4) GROUP BY "
                             "l.provider_id, b.user_id, "
                             "b.id, l.product_id ORDER BY l.provider_id, b.user_id, l.product_id";
    LIST_ALL(sql, DB_ARGS(DB_INT(root), DB_INT(depth), DB_TEXT(period), DB_INT(provider_id)),
             struct settle_row, read_settle_row, items, n);
}

int billing_store_settlement_versions(struct ctx *ctx, int64_t provider_id, const char *period,
                                      struct bill_versions *out)
{
    return versions(ctx,
                    "SELECT id, version, state FROM settlements WHERE provider_id = $1 AND "
                    "period = $2",
                    provider_id, period, out);
}

int billing_store_settlement_insert(struct ctx *ctx, const struct settlement *s)
{
    static const char sql[] =
        "INSERT INTO settlements (id, provider_id, period, version, state, gross_fen, "
        "coefficient, net_fen, reason, rated_at, rated_by) VALUES ($1, $2, $3, $4, 'draft', $5, "
        "$6, $7, $8, $9, $10)";
    static const char line_sql[] =
        "INSERT INTO settlement_lines (settlement_id, line_no, user_id, bill_id, product_id, "
        "line_count, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_exec(c, sql,
                      DB_ARGS(DB_INT(s->id), DB_INT(s->provider_id), DB_TEXT(s->period),
                              DB_INT(s->version), DB_INT(s->gross_fen), DB_INT(s->coefficient),
                              DB_INT(s->net_fen), DB_TEXT(s->reason), DB_INT(s->rated_at),
                              OPT(s->rated_by)),
                      NULL, &ctx->err) < 0)
        return -1;
    for (int i = 0; i < s->n_lines; i++) {
        const struct settlement_line *l = &s->lines[i];
        if (db_exec(c, line_sql,
                    DB_ARGS(DB_INT(s->id), DB_INT(l->line_no), DB_INT(l->user_id),
                            DB_INT(l->bill_id), DB_INT(l->product_id), DB_INT(l->line_count),
                            DB_INT(l->amount_fen)),
                    NULL, &ctx->err) < 0)
            return -1;
    }
    return 0;
}

int billing_store_settlement_delete_draft(struct ctx *ctx, int64_t id)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_exec(c, "DELETE FROM settlement_lines WHERE settlement_id = $1", DB_ARGS(DB_INT(id)),
                NULL, &ctx->err) < 0 ||
        db_exec(c, "DELETE FROM settlements WHERE id = $1 AND state = 'draft'", DB_ARGS(DB_INT(id)),
                NULL, &ctx->err) < 0)
        return -1;
    return 0;
}

#define SETTLE_COLS                                                                                \
    "s.id, s.provider_id, s.version, s.gross_fen, s.coefficient, s.net_fen, s.rated_at, "          \
    "COALESCE(s.rated_by, 0), s.issued_at, COALESCE(s.issued_by, 0), "                             \
    "COALESCE(s.superseded_by, 0), i.name, s.period, s.state, s.reason"
#define SETTLE_FROM " FROM settlements s JOIN institutions i ON i.id = s.provider_id "

static void read_settlement(struct ctx *ctx, struct db_rows *r, struct settlement *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->provider_id = db_int(r, 1);
    o->version = db_int(r, 2);
    o->gross_fen = db_int(r, 3);
    o->coefficient = db_int(r, 4);
    o->net_fen = db_int(r, 5);
    o->rated_at = db_int(r, 6);
    o->rated_by = db_int(r, 7);
    o->issued_at = db_int(r, 8);
    o->issued_by = db_int(r, 9);
    o->superseded_by = db_int(r, 10);
    o->provider_name = S(11);
    o->period = S(12);
    o->state = S(13);
    o->reason = S(14);
}

int billing_store_settlement_get(struct ctx *ctx, int64_t id, struct settlement *out)
{
    static const char sql[] = "SELECT " SETTLE_COLS SETTLE_FROM "WHERE s.id = $1";
    GET_ONE(sql, DB_ARGS(DB_INT(id)), read_settlement, out);
}

static void read_sline(struct ctx *ctx, struct db_rows *r, struct settlement_line *o)
{
    o->line_no = db_int(r, 0);
    o->user_id = db_int(r, 1);
    o->bill_id = db_int(r, 2);
    o->product_id = db_int(r, 3);
    o->line_count = db_int(r, 4);
    o->amount_fen = db_int(r, 5);
    o->user_name = S(6);
    o->product_name = S(7);
}

int billing_store_settlement_lines(struct ctx *ctx, int64_t id, struct settlement_line **items,
                                   int *n)
{
    static const char sql[] =
        "SELECT l.line_no, l.user_id, l.bill_id, l.product_id, l.line_count, l.amount_fen, "
        "COALESCE(u.name, ''), COALESCE(p.name, '') FROM settlement_lines l LEFT JOIN "
        "institutions u ON u.id = l.user_id LEFT JOIN products p ON p.id = l.product_id WHERE "
        "l.settlement_id = $1 ORDER BY l.line_no";
    LIST_ALL(sql, DB_ARGS(DB_INT(id)), struct settlement_line, read_sline, items, n);
}

int billing_store_settlement_list(struct ctx *ctx, int64_t root, int depth,
                                  const struct settlement_filter *f, const struct page_req *p,
                                  struct settlement **items, int *n)
{
    static const char sql[] = "SELECT " SETTLE_COLS SETTLE_FROM "WHERE " IN_TREE(
        "s.provider_id") " AND (CAST($3 AS BIGINT) = 0 OR s.provider_id = $3) AND ($4 = '' OR "
                         "s.period = $4) AND "
                         "($5 = '' OR s.state = $5) AND s.id > $6 ORDER BY s.id LIMIT $7";
    LIST_ALL(sql,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->provider_id),
                     DB_TEXT(OR_EMPTY(f->period)), DB_TEXT(OR_EMPTY(f->state)), DB_INT(p->after_id),
                     DB_INT(page_fetch_limit(p))),
             struct settlement, read_settlement, items, n);
}

int billing_store_settlement_issue(struct ctx *ctx, int64_t id, int64_t by, int64_t at)
{
    return EXEC_CHANGED("UPDATE settlements SET state = 'issued', issued_by = $2, issued_at = $3 "
                        "WHERE id = $1 AND state = 'draft'",
                        DB_ARGS(DB_INT(id), OPT(by), DB_INT(at)));
}

int billing_store_settlement_supersede(struct ctx *ctx, int64_t id, int64_t by_id)
{
    return EXEC_CHANGED("UPDATE settlements SET state = 'superseded', superseded_by = $2 WHERE id "
                        "= $1 AND state = 'issued'",
                        DB_ARGS(DB_INT(id), DB_INT(by_id)));
}

/* ---------- quality coefficients ---------- */

static void read_qc(struct ctx *ctx, struct db_rows *r, struct quality_coefficient *o)
{
    memset(o, 0, sizeof(*o));
    o->provider_id = db_int(r, 0);
    o->coefficient = db_int(r, 1);
    o->set_by = db_int(r, 2);
    o->set_at = db_int(r, 3);
    o->period = S(4);
    o->note = S(5);
    o->provider_name = S(6);
}
#define QC_SELECT                                                                                  \
    "SELECT q.provider_id, q.coefficient, COALESCE(q.set_by, 0), q.set_at, q.period, q.note, "     \
    "i.name FROM quality_coefficients q JOIN institutions i ON i.id = q.provider_id "

int billing_store_qc_get(struct ctx *ctx, int64_t provider_id, const char *period,
                         struct quality_coefficient *out)
{
    static const char sql[] = QC_SELECT "WHERE q.provider_id = $1 AND q.period = $2";
    GET_ONE(sql, DB_ARGS(DB_INT(provider_id), DB_TEXT(period)), read_qc, out);
}

int billing_store_qc_put(struct ctx *ctx, const struct quality_coefficient *q)
{
    return EXEC_CHANGED(
        "INSERT INTO quality_coefficients (provider_id, period, coefficient, note, set_by, "
        "set_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (provider_id, period) DO UPDATE SET "
        "coefficient = excluded.coefficient, note = excluded.note, set_by = excluded.set_by, "
        "set_at = excluded.set_at",
        DB_ARGS(DB_INT(q->provider_id), DB_TEXT(q->period), DB_INT(q->coefficient),
                DB_TEXT(OR_EMPTY(q->note)), OPT(q->set_by), DB_INT(q->set_at)));
}

int billing_store_qc_list(struct ctx *ctx, int64_t root, int depth, const struct qc_filter *f,
                          struct quality_coefficient **items, int *n)
{
    static const char sql[] =
        QC_SELECT "WHERE " IN_TREE("q.provider_id") " AND (CAST($3 AS BIGINT) = 0 OR q.provider_id "
                                                    "= $3) AND ($4 = '' OR q.period = $4) "
                                                    "ORDER BY q.period DESC, i.name LIMIT 1000";
    LIST_ALL(
        sql,
        DB_ARGS(DB_INT(root), DB_INT(depth), DB_INT(f->provider_id), DB_TEXT(OR_EMPTY(f->period))),
        struct quality_coefficient, read_qc, items, n);
}

/* ---------- spend ---------- */

static void read_spend(struct ctx *ctx, struct db_rows *r, struct spend_item *o)
{
    o->id = db_int(r, 0);
    o->key = S(1);
    o->total_fen = db_int(r, 2);
}

/* The lines of the current bill of each agency and month (the issued version, else the draft),
 * with a join for names. The caller sees agencies of its subtree ($1, $2 on the agency) or, as a
 * provider, the lines it provides ($5, with $7 = 1 lifting the subtree). */
#define SPEND_FROM(join)                                                                           \
    " FROM bill_lines l JOIN bills b ON b.id = l.bill_id " join " WHERE (b.state = 'issued' OR "   \
    "(b.state = 'draft' AND NOT EXISTS (SELECT 1 FROM bills x WHERE x.user_id = b.user_id AND "    \
    "x.period = b.period AND x.state = 'issued'))) AND b.period >= $3 AND b.period <= $4 AND "     \
    "(CAST($5 AS BIGINT) = 0 OR l.provider_id = $5) AND (CAST($6 AS BIGINT) = 0 OR b.user_id = "   \
    "$6) AND (CAST($7 AS INTEGER) = 1 OR " IN_TREE("b.user_id") ") "

int billing_store_spend(struct ctx *ctx, int64_t root, int depth, const struct spend_filter *f,
                        int by, struct spend_item **items, int *n)
{
    static const char months[] = "SELECT 0, b.period, SUM(l.amount_fen)" SPEND_FROM(
        "") "GROUP BY b.period ORDER BY b.period";
    static const char providers[] =
        "SELECT l.provider_id, MAX(i.name), SUM(l.amount_fen)" SPEND_FROM(
            "JOIN institutions i ON i.id = l.provider_id") "GROUP BY l.provider_id ORDER BY "
                                                           "SUM(l.amount_fen) DESC";
    static const char products[] = "SELECT l.product_id, MAX(p.name), SUM(l.amount_fen)" SPEND_FROM(
        "JOIN products p ON p.id = l.product_id") "GROUP BY l.product_id ORDER BY "
                                                  "SUM(l.amount_fen) DESC";
    const char *sql = by == 0 ? months : by == 1 ? providers : products;
    /* A provider's view is its own lines, whoever the agency: $7 = 1 lifts the agency subtree. */
    int provider_view = f->provider_id && root == f->provider_id;
    LIST_ALL(sql,
             DB_ARGS(DB_INT(root), DB_INT(depth), DB_TEXT(f->from), DB_TEXT(f->to),
                     DB_INT(f->provider_id), DB_INT(f->user_id), DB_INT(provider_view)),
             struct spend_item, read_spend, items, n);
}
