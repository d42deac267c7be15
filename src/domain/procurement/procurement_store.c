/*
 * procurement_store.c - all SQL of procurement projects, their transitions, lots, bids,
 * milestones and supervision records, of provider bars and of the market-concentration query.
 * No rule is decided here.
 */
#include <string.h>

#include "procurement_store.h"
#include "app.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

#define OPT(x) ((x) ? DB_INT(x) : DB_NULL)

#define PRJ_COLS                                                                                   \
    "p.id, p.title, p.description, p.subject, p.declared_by, COALESCE(p.declared_by_person, 0), "  \
    "p.management_id, p.region, p.state, p.requested_fen, p.fiscal_year, p.budget_fen, "           \
    "p.budget_line, COALESCE(p.supervisor_id, 0), p.score, p.findings, "                           \
    "COALESCE(p.evaluated_by, 0), p.evaluated_at, p.cancel_reason, p.created_at, p.updated_at, "   \
    "p.version, d.name, m.name, COALESCE(s.name, '')"
#define PRJ_FROM                                                                                   \
    " FROM procurement_projects p JOIN institutions d ON d.id = p.declared_by JOIN institutions "  \
    "m ON m.id = p.management_id LEFT JOIN institutions s ON s.id = p.supervisor_id "
/* $1 root (0 = all), $2 depth, $3 is_provider. Management sees what its subtree manages, a user
 * agency what it declared, an evaluator what it supervises, a provider what is open for bids or
 * what it bid on. */
#define PRJ_SCOPE                                                                                  \
    "(CAST($1 AS BIGINT) = 0 OR " SQL_IN_SUBTREE(                                                  \
        "p.management_id", "$1", "$2") " OR p.declared_by = $1 OR "                                \
                                       "p.supervisor_id = $1 OR (CAST($3 AS INTEGER) = 1 AND "     \
                                       "(p.state = 'procuring' OR EXISTS "                         \
                                       "(SELECT 1 FROM procurement_bids b WHERE b.project_id = "   \
                                       "p.id AND b.provider_id = $1))))"

static const char SQL_VISIBLE[] =
    "SELECT COUNT(*) FROM procurement_projects p WHERE p.id = $4 AND " PRJ_SCOPE;
static const char SQL_GET[] = "SELECT " PRJ_COLS PRJ_FROM "WHERE p.id = $1";
static const char SQL_LIST[] = "SELECT " PRJ_COLS PRJ_FROM "WHERE " PRJ_SCOPE
                               " AND ($4 = '' OR p.state = $4) AND ($5 = '' OR p.region = $5) AND "
                               "p.id > $6 ORDER BY p.id LIMIT $7";
static const char SQL_INSERT[] =
    "INSERT INTO procurement_projects (id, title, description, subject, declared_by, "
    "declared_by_person, management_id, region, state, requested_fen, created_at, updated_at, "
    "version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 1)";
static const char SQL_UPDATE[] =
    "UPDATE procurement_projects SET state = $2, fiscal_year = $3, budget_fen = $4, budget_line = "
    "$5, supervisor_id = $6, score = $7, findings = $8, evaluated_by = $9, evaluated_at = $10, "
    "cancel_reason = $11, updated_at = $12, version = version + 1 WHERE id = $1 AND version = $13";
static const char SQL_TRANSITION[] =
    "INSERT INTO procurement_transitions (id, project_id, from_state, to_state, reason, at, "
    "by_person, by_institution) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_HISTORY[] =
    "SELECT id, project_id, from_state, to_state, reason, at, COALESCE(by_person, 0), "
    "COALESCE(by_institution, 0) FROM procurement_transitions WHERE project_id = $1 ORDER BY id";

static const char SQL_LOTS[] =
    "SELECT l.id, l.project_id, l.category, l.title, l.budget_fen, COALESCE(l.awarded_bid_id, 0), "
    "COALESCE(l.awarded_provider_id, 0), l.award_fen, l.awarded_on, l.awarded_at, l.created_at, "
    "COALESCE(i.name, ''), (SELECT COUNT(*) FROM procurement_bids b WHERE b.lot_id = l.id) FROM "
    "procurement_lots l LEFT JOIN institutions i ON i.id = l.awarded_provider_id WHERE "
    "l.project_id = $1 ORDER BY l.id";
static const char SQL_LOT_INSERT[] =
    "INSERT INTO procurement_lots (id, project_id, category, title, budget_fen, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6)";
static const char SQL_LOT_AWARD[] =
    "UPDATE procurement_lots SET awarded_bid_id = $2, awarded_provider_id = $3, award_fen = $4, "
    "awarded_on = $5, awarded_at = $6 WHERE id = $1 AND awarded_bid_id IS NULL";

#define BID_COLS                                                                                   \
    "b.id, b.project_id, b.lot_id, b.provider_id, b.amount_fen, b.note, b.status, "                \
    "COALESCE(b.submitted_by, 0), b.created_at, b.updated_at, b.version, i.name, l.title"
#define BID_FROM                                                                                   \
    " FROM procurement_bids b JOIN institutions i ON i.id = b.provider_id JOIN procurement_lots "  \
    "l ON l.id = b.lot_id "
static const char SQL_BID_GET[] = "SELECT " BID_COLS BID_FROM "WHERE b.id = $1";
static const char SQL_BID_FIND[] =
    "SELECT " BID_COLS BID_FROM "WHERE b.lot_id = $1 AND b.provider_id = $2";
static const char SQL_BIDS[] =
    "SELECT " BID_COLS BID_FROM "WHERE b.project_id = $1 AND (CAST($2 AS BIGINT) = 0 OR "
    "b.provider_id = $2) ORDER BY l.id, b.amount_fen, b.id";
static const char SQL_BID_INSERT[] =
    "INSERT INTO procurement_bids (id, project_id, lot_id, provider_id, amount_fen, note, status, "
    "submitted_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, 'submitted', "
    "$7, $8, $8, 1)";
static const char SQL_BID_REVISE[] =
    "UPDATE procurement_bids SET amount_fen = $2, note = $3, submitted_by = $4, updated_at = $5, "
    "version = version + 1 WHERE id = $1 AND version = $6 AND status = 'submitted'";
static const char SQL_BIDS_SETTLE[] =
    "UPDATE procurement_bids SET status = CASE WHEN id = $2 THEN 'awarded' ELSE 'not_awarded' "
    "END, updated_at = $3, version = version + 1 WHERE lot_id = $1";

#define MS_COLS "id, project_id, title, due_on, done_on, created_at, updated_at, version"
static const char SQL_MS_GET[] = "SELECT " MS_COLS " FROM procurement_milestones WHERE id = $1";
static const char SQL_MS_LIST[] =
    "SELECT " MS_COLS " FROM procurement_milestones WHERE project_id = $1 ORDER BY due_on, id";
static const char SQL_MS_INSERT[] =
    "INSERT INTO procurement_milestones (id, project_id, title, due_on, done_on, created_at, "
    "updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $6, 1)";
static const char SQL_MS_UPDATE[] =
    "UPDATE procurement_milestones SET title = $2, due_on = $3, done_on = $4, updated_at = $5, "
    "version = version + 1 WHERE id = $1 AND version = $6";

static const char SQL_REC_INSERT[] =
    "INSERT INTO supervision_records (id, project_id, milestone_id, evaluator_id, observation, "
    "conclusion, recorded_by, recorded_on, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    "$9)";
static const char SQL_RECS[] =
    "SELECT r.id, r.project_id, COALESCE(r.milestone_id, 0), r.evaluator_id, "
    "COALESCE(r.recorded_by, 0), r.created_at, i.name, r.observation, r.conclusion, "
    "r.recorded_on FROM supervision_records r JOIN institutions i ON i.id = r.evaluator_id WHERE "
    "r.project_id = $1 ORDER BY r.id";

#define BAR_COLS                                                                                   \
    "b.id, b.provider_id, b.management_id, COALESCE(b.created_by, 0), b.created_at, "              \
    "b.lifted_at, COALESCE(b.lifted_by, 0), pi.name, mi.name, b.reason, b.valid_from, "            \
    "b.valid_to, b.lift_reason"
#define BAR_FROM                                                                                   \
    " FROM provider_bars b JOIN institutions pi ON pi.id = b.provider_id JOIN institutions mi ON " \
    "mi.id = b.management_id "
static const char SQL_BAR_INSERT[] =
    "INSERT INTO provider_bars (id, provider_id, management_id, reason, valid_from, valid_to, "
    "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
static const char SQL_BAR_GET[] = "SELECT " BAR_COLS BAR_FROM "WHERE b.id = $1";
static const char SQL_BAR_LIFT[] =
    "UPDATE provider_bars SET lifted_at = $2, lifted_by = $3, lift_reason = $4 WHERE id = $1 AND "
    "lifted_at = 0";
/* $1 root, $2 provider, $3 in_force (-1 any), $4 today. */
static const char SQL_BARS[] =
    "SELECT " BAR_COLS BAR_FROM
    "WHERE (CAST($1 AS BIGINT) = 0 OR b.management_id IN (SELECT descendant_id FROM "
    "institution_tree WHERE ancestor_id = $1) OR b.management_id IN (SELECT ancestor_id FROM "
    "institution_tree WHERE descendant_id = $1)) AND (CAST($2 AS BIGINT) = 0 OR b.provider_id = "
    "$2) AND (CAST($3 AS INTEGER) < 0 OR (CASE WHEN b.lifted_at = 0 AND b.valid_from <= $4 AND "
    "b.valid_to >= $4 THEN 1 ELSE 0 END) = CAST($3 AS INTEGER)) AND b.id > $5 ORDER BY b.id "
    "LIMIT $6";
static const char SQL_BAR_IN_FORCE[] =
    "SELECT " BAR_COLS BAR_FROM
    "WHERE b.provider_id = $1 AND b.lifted_at = 0 AND b.valid_from <= $3 AND b.valid_to >= $3 "
    "AND b.management_id IN (SELECT ancestor_id FROM institution_tree WHERE descendant_id = $2) "
    "ORDER BY b.valid_to DESC, b.id LIMIT 1";

/* Awarded value per region (of the project), category and provider in the period; cancelled
 * projects do not count. */
static const char SQL_MARKET[] =
    "SELECT p.region, l.category, l.awarded_provider_id, i.name, SUM(l.award_fen), COUNT(*) FROM "
    "procurement_lots l JOIN procurement_projects p ON p.id = l.project_id JOIN institutions i ON "
    "i.id = l.awarded_provider_id WHERE l.awarded_provider_id IS NOT NULL AND l.awarded_on >= $1 "
    "AND l.awarded_on <= $2 AND ($3 = '' OR p.region = $3) AND ($4 = '' OR l.category = $4) AND "
    "p.state <> 'cancelled' AND (CAST($5 AS BIGINT) = 0 OR " SQL_UNDER(
        "p.management_id",
        "$5") ") GROUP BY p.region, l.category, "
              "l.awarded_provider_id, i.name ORDER BY p.region, l.category, SUM(l.award_fen) DESC, "
              "l.awarded_provider_id";

static void read_project(struct ctx *ctx, struct db_rows *r, struct project *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->title = S(1);
    o->description = S(2);
    o->subject = S(3);
    o->declared_by = db_int(r, 4);
    o->declared_by_person = db_int(r, 5);
    o->management_id = db_int(r, 6);
    o->region = S(7);
    o->state = S(8);
    o->requested_fen = db_int(r, 9);
    o->fiscal_year = (int)db_int(r, 10);
    o->budget_fen = db_int(r, 11);
    o->budget_line = S(12);
    o->supervisor_id = db_int(r, 13);
    o->score = (int)db_int(r, 14);
    o->findings = S(15);
    o->evaluated_by = db_int(r, 16);
    o->evaluated_at = db_int(r, 17);
    o->cancel_reason = S(18);
    o->created_at = db_int(r, 19);
    o->updated_at = db_int(r, 20);
    o->version = (int)db_int(r, 21);
    o->declared_by_name = S(22);
    o->management_name = S(23);
    o->supervisor_name = S(24);
}

int proc_store_visible(struct ctx *ctx, const struct proc_scope *s, int64_t id)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c ||
        db_query_int(c, SQL_VISIBLE,
                     DB_ARGS(DB_INT(s->root), DB_INT(s->depth), DB_INT(s->is_provider), DB_INT(id)),
                     &n, &ctx->err) < 0)
        return -1;
    return n > 0;
}

int proc_store_get(struct ctx *ctx, int64_t id, struct project *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_INT(id)), read_project, out);
}

int proc_store_list(struct ctx *ctx, const struct proc_scope *s, const struct project_filter *f,
                    const struct page_req *p, struct project **items, int *n)
{
    LIST_ALL(SQL_LIST,
             DB_ARGS(DB_INT(s->root), DB_INT(s->depth), DB_INT(s->is_provider),
                     DB_TEXT(OR_EMPTY(f->state)), DB_TEXT(OR_EMPTY(f->region)), DB_INT(p->after_id),
                     DB_INT(page_fetch_limit(p))),
             struct project, read_project, items, n);
}

int proc_store_insert(struct ctx *ctx, const struct project *p)
{
    return db_exec(ctx_db(ctx), SQL_INSERT,
                   DB_ARGS(DB_INT(p->id), DB_TEXT(p->title), DB_TEXT(OR_EMPTY(p->description)),
                           DB_TEXT(p->subject), DB_INT(p->declared_by), OPT(p->declared_by_person),
                           DB_INT(p->management_id), DB_TEXT(p->region), DB_TEXT(p->state),
                           DB_INT(p->requested_fen), DB_INT(p->created_at)),
                   NULL, &ctx->err);
}

int proc_store_update(struct ctx *ctx, const struct project *p, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_UPDATE,
                DB_ARGS(DB_INT(p->id), DB_TEXT(p->state), DB_INT(p->fiscal_year),
                        DB_INT(p->budget_fen), DB_TEXT(OR_EMPTY(p->budget_line)),
                        OPT(p->supervisor_id), DB_INT(p->score), DB_TEXT(OR_EMPTY(p->findings)),
                        OPT(p->evaluated_by), DB_INT(p->evaluated_at),
                        DB_TEXT(OR_EMPTY(p->cancel_reason)), DB_INT(p->updated_at),
                        DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int proc_store_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                          const char *reason)
{
    return db_exec(ctx_db(ctx), SQL_TRANSITION,
                   DB_ARGS(DB_INT(id_new()), DB_INT(id), DB_TEXT(from), DB_TEXT(to),
                           DB_TEXT(OR_EMPTY(reason)), DB_INT(time_now_ms()),
                           OPT(ctx->caller.person_id), OPT(ctx->caller.institution_id)),
                   NULL, &ctx->err);
}

static void read_transition(struct ctx *ctx, struct db_rows *r, struct project_transition *o)
{
    o->id = db_int(r, 0);
    o->project_id = db_int(r, 1);
    o->from_state = S(2);
    o->to_state = S(3);
    o->reason = S(4);
    o->at = db_int(r, 5);
    o->by_person = db_int(r, 6);
    o->by_institution = db_int(r, 7);
}

int proc_store_history(struct ctx *ctx, int64_t id, struct project_transition **items, int *n)
{
    LIST_ALL(SQL_HISTORY, DB_ARGS(DB_INT(id)), struct project_transition, read_transition, items,
             n);
}

static void read_lot(struct ctx *ctx, struct db_rows *r, struct lot *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->project_id = db_int(r, 1);
    o->category = S(2);
    o->title = S(3);
    o->budget_fen = db_int(r, 4);
    o->awarded_bid_id = db_int(r, 5);
    o->awarded_provider_id = db_int(r, 6);
    o->award_fen = db_int(r, 7);
    o->awarded_on = S(8);
    o->awarded_at = db_int(r, 9);
    o->created_at = db_int(r, 10);
    o->awarded_provider_name = S(11);
    o->n_bids = (int)db_int(r, 12);
}

int proc_store_lots(struct ctx *ctx, int64_t project_id, struct lot **items, int *n)
{
    LIST_ALL(SQL_LOTS, DB_ARGS(DB_INT(project_id)), struct lot, read_lot, items, n);
}

int proc_store_lot_insert(struct ctx *ctx, const struct lot *l)
{
    return db_exec(ctx_db(ctx), SQL_LOT_INSERT,
                   DB_ARGS(DB_INT(l->id), DB_INT(l->project_id), DB_TEXT(l->category),
                           DB_TEXT(l->title), DB_INT(l->budget_fen), DB_INT(l->created_at)),
                   NULL, &ctx->err);
}

int proc_store_lot_award(struct ctx *ctx, const struct lot *l)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_LOT_AWARD,
                DB_ARGS(DB_INT(l->id), DB_INT(l->awarded_bid_id), DB_INT(l->awarded_provider_id),
                        DB_INT(l->award_fen), DB_TEXT(l->awarded_on), DB_INT(l->awarded_at)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

static void read_bid(struct ctx *ctx, struct db_rows *r, struct bid *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->project_id = db_int(r, 1);
    o->lot_id = db_int(r, 2);
    o->provider_id = db_int(r, 3);
    o->amount_fen = db_int(r, 4);
    o->note = S(5);
    o->status = S(6);
    o->submitted_by = db_int(r, 7);
    o->created_at = db_int(r, 8);
    o->updated_at = db_int(r, 9);
    o->version = (int)db_int(r, 10);
    o->provider_name = S(11);
    o->lot_title = S(12);
}

int proc_store_bid_get(struct ctx *ctx, int64_t id, struct bid *out)
{
    GET_ONE(SQL_BID_GET, DB_ARGS(DB_INT(id)), read_bid, out);
}

int proc_store_bid_find(struct ctx *ctx, int64_t lot_id, int64_t provider_id, struct bid *out)
{
    GET_ONE(SQL_BID_FIND, DB_ARGS(DB_INT(lot_id), DB_INT(provider_id)), read_bid, out);
}

int proc_store_bid_insert(struct ctx *ctx, const struct bid *b)
{
    return db_exec(ctx_db(ctx), SQL_BID_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->project_id), DB_INT(b->lot_id),
                           DB_INT(b->provider_id), DB_INT(b->amount_fen),
                           DB_TEXT(OR_EMPTY(b->note)), OPT(b->submitted_by), DB_INT(b->created_at)),
                   NULL, &ctx->err);
}

int proc_store_bid_revise(struct ctx *ctx, const struct bid *b, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_BID_REVISE,
                DB_ARGS(DB_INT(b->id), DB_INT(b->amount_fen), DB_TEXT(OR_EMPTY(b->note)),
                        OPT(b->submitted_by), DB_INT(b->updated_at), DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int proc_store_bids(struct ctx *ctx, int64_t project_id, int64_t provider_id, struct bid **items,
                    int *n)
{
    LIST_ALL(SQL_BIDS, DB_ARGS(DB_INT(project_id), DB_INT(provider_id)), struct bid, read_bid,
             items, n);
}

int proc_store_bids_settle(struct ctx *ctx, int64_t lot_id, int64_t winner_id)
{
    return db_exec(ctx_db(ctx), SQL_BIDS_SETTLE,
                   DB_ARGS(DB_INT(lot_id), DB_INT(winner_id), DB_INT(time_now_ms())), NULL,
                   &ctx->err);
}

static void read_milestone(struct ctx *ctx, struct db_rows *r, struct milestone *o)
{
    o->id = db_int(r, 0);
    o->project_id = db_int(r, 1);
    o->title = S(2);
    o->due_on = S(3);
    o->done_on = S(4);
    o->created_at = db_int(r, 5);
    o->updated_at = db_int(r, 6);
    o->version = (int)db_int(r, 7);
}

int proc_store_milestone_get(struct ctx *ctx, int64_t id, struct milestone *out)
{
    GET_ONE(SQL_MS_GET, DB_ARGS(DB_INT(id)), read_milestone, out);
}

int proc_store_milestone_insert(struct ctx *ctx, const struct milestone *m)
{
    return db_exec(ctx_db(ctx), SQL_MS_INSERT,
                   DB_ARGS(DB_INT(m->id), DB_INT(m->project_id), DB_TEXT(m->title),
                           DB_TEXT(m->due_on), DB_TEXT(OR_EMPTY(m->done_on)),
                           DB_INT(m->created_at)),
                   NULL, &ctx->err);
}

int proc_store_milestone_update(struct ctx *ctx, const struct milestone *m, int expected_version)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_MS_UPDATE,
                DB_ARGS(DB_INT(m->id), DB_TEXT(m->title), DB_TEXT(m->due_on),
                        DB_TEXT(OR_EMPTY(m->done_on)), DB_INT(m->updated_at),
                        DB_INT(expected_version)),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int proc_store_milestones(struct ctx *ctx, int64_t project_id, struct milestone **items, int *n)
{
    LIST_ALL(SQL_MS_LIST, DB_ARGS(DB_INT(project_id)), struct milestone, read_milestone, items, n);
}

int proc_store_record_insert(struct ctx *ctx, const struct supervision_record *r)
{
    return db_exec(ctx_db(ctx), SQL_REC_INSERT,
                   DB_ARGS(DB_INT(r->id), DB_INT(r->project_id), OPT(r->milestone_id),
                           DB_INT(r->evaluator_id), DB_TEXT(r->observation), DB_TEXT(r->conclusion),
                           OPT(r->recorded_by), DB_TEXT(r->recorded_on), DB_INT(r->created_at)),
                   NULL, &ctx->err);
}

static void read_record(struct ctx *ctx, struct db_rows *r, struct supervision_record *o)
{
    o->id = db_int(r, 0);
    o->project_id = db_int(r, 1);
    o->milestone_id = db_int(r, 2);
    o->evaluator_id = db_int(r, 3);
    o->recorded_by = db_int(r, 4);
    o->created_at = db_int(r, 5);
    o->evaluator_name = S(6);
    o->observation = S(7);
    o->conclusion = S(8);
    o->recorded_on = S(9);
}

int proc_store_records(struct ctx *ctx, int64_t project_id, struct supervision_record **items,
                       int *n)
{
    LIST_ALL(SQL_RECS, DB_ARGS(DB_INT(project_id)), struct supervision_record, read_record, items,
             n);
}

static void read_bar(struct ctx *ctx, struct db_rows *r, struct provider_bar *o)
{
    memset(o, 0, sizeof(*o));
    o->id = db_int(r, 0);
    o->provider_id = db_int(r, 1);
    o->management_id = db_int(r, 2);
    o->created_by = db_int(r, 3);
    o->created_at = db_int(r, 4);
    o->lifted_at = db_int(r, 5);
    o->lifted_by = db_int(r, 6);
    o->provider_name = S(7);
    o->management_name = S(8);
    o->reason = S(9);
    o->valid_from = S(10);
    o->valid_to = S(11);
    o->lift_reason = S(12);
}

int proc_store_bar_insert(struct ctx *ctx, const struct provider_bar *b)
{
    return db_exec(ctx_db(ctx), SQL_BAR_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->provider_id), DB_INT(b->management_id),
                           DB_TEXT(b->reason), DB_TEXT(b->valid_from), DB_TEXT(b->valid_to),
                           OPT(b->created_by), DB_INT(b->created_at)),
                   NULL, &ctx->err);
}

int proc_store_bar_get(struct ctx *ctx, int64_t id, struct provider_bar *out)
{
    GET_ONE(SQL_BAR_GET, DB_ARGS(DB_INT(id)), read_bar, out);
}

int proc_store_bar_lift(struct ctx *ctx, const struct provider_bar *b)
{
    int64_t changed = 0;
    if (db_exec(ctx_db(ctx), SQL_BAR_LIFT,
                DB_ARGS(DB_INT(b->id), DB_INT(b->lifted_at), OPT(b->lifted_by),
                        DB_TEXT(OR_EMPTY(b->lift_reason))),
                &changed, &ctx->err) < 0)
        return -1;
    return changed > 0;
}

int proc_store_bars(struct ctx *ctx, int64_t root, const struct bar_filter *f, const char *today,
                    const struct page_req *p, struct provider_bar **items, int *n)
{
    LIST_ALL(SQL_BARS,
             DB_ARGS(DB_INT(root), DB_INT(f->provider_id), DB_INT(f->in_force), DB_TEXT(today),
                     DB_INT(p->after_id), DB_INT(page_fetch_limit(p))),
             struct provider_bar, read_bar, items, n);
}

int proc_store_bar_in_force(struct ctx *ctx, int64_t provider_id, int64_t management_id,
                            const char *date, struct provider_bar *out)
{
    GET_ONE(SQL_BAR_IN_FORCE, DB_ARGS(DB_INT(provider_id), DB_INT(management_id), DB_TEXT(date)),
            read_bar, out);
}

static void read_market(struct ctx *ctx, struct db_rows *r, struct market_row *o)
{
    o->region = S(0);
    o->category = S(1);
    o->provider_id = db_int(r, 2);
    o->provider_name = S(3);
    o->awarded_fen = db_int(r, 4);
    o->n_awards = (int)db_int(r, 5);
}

int proc_store_market(struct ctx *ctx, int64_t root, const struct market_query *q,
                      struct market_row **items, int *n)
{
    LIST_ALL(SQL_MARKET,
             DB_ARGS(DB_TEXT(q->from), DB_TEXT(q->to), DB_TEXT(OR_EMPTY(q->region)),
                     DB_TEXT(OR_EMPTY(q->category)), DB_INT(root)),
             struct market_row, read_market, items, n);
}
