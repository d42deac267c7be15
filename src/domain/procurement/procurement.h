/*
 * procurement.h - procurement projects (T5-6.2a, T5-7.2c): a user agency (or the management
 * institution itself) declares a project 申报; the management institution compiles its budget
 * 预算编报 (T5-8.2c), splits it into lots by product category and runs the procurement 组织采购
 * (providers bid, management awards); an assigned evaluator supervises 项目监管 and evaluates its
 * performance 绩效评价; management closes it. Every state change is recorded.
 *
 * The rules of fairness live here: separation of planning from design and integration within
 * one project (T5-8.2b), independence of the supervisor from every awarded provider (T5-8.2f),
 * bars that keep a provider from bidding and being awarded (T5-12.2c), and the concentration
 * of awarded value per region and category (T5-8.2b anti-monopoly view).
 *
 * Every function reads the caller from ctx, runs writes in one transaction with their audit
 * record, and on failure returns -1 with ctx->err filled (refusals carry a stable rule code).
 * Returned strings and arrays are arena-owned.
 */
#ifndef EGOV_PROCUREMENT_H
#define EGOV_PROCUREMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

extern const char *const project_states[];   /* declared … closed, cancelled */
extern const char *const project_subjects[]; /* resource product */
extern const char *const supervision_conclusions[];
extern const char *const project_targets[]; /* the states POST …/transitions moves to */

/* The jurisdiction rule of routes whose path names a procurement project: 0, or 404 if the caller
 * may not see it (management: projects it or its subtree manages; user agency: projects it
 * declared; provider: projects open for bids or that it bid on; evaluator: projects it
 * supervises). */
int project_access(struct ctx *ctx, int64_t id);

struct lot {
    int64_t id, project_id, budget_fen;
    const char *category, *title;
    int64_t awarded_bid_id, awarded_provider_id, award_fen, awarded_at;
    const char *awarded_provider_name, *awarded_on;
    int n_bids;
    int64_t created_at;
};

struct project {
    int64_t id, declared_by, declared_by_person, management_id, supervisor_id;
    const char *title, *description, *subject, *region, *state;
    const char *declared_by_name, *management_name, *supervisor_name;
    int64_t requested_fen, budget_fen;
    int fiscal_year;
    const char *budget_line;
    int score; /* -1 until evaluated */
    const char *findings, *cancel_reason;
    int64_t evaluated_by, evaluated_at;
    int64_t created_at, updated_at;
    int version;
    struct lot *lots; /* filled by project_get */
    int n_lots;
};

struct project_filter {
    const char *state;
    const char *region;
};

int project_list(struct ctx *ctx, const struct project_filter *f, const struct page_req *p,
                 struct project **items, int *n, struct page_info *info);
/* With its lots. */
int project_get(struct ctx *ctx, int64_t id, struct project *out);
/* 申报 by a user agency (managed by its nearest management ancestor) or a management institution
 * (managed by itself). in: title, description, subject, requested_fen, region (optional). */
int project_declare(struct ctx *ctx, const struct project *in, struct project *out);
/* 预算编报 (T5-8.2c): declared → budgeted, or a revision while budgeted. */
int project_budget(struct ctx *ctx, int64_t id, int fiscal_year, int64_t amount_fen,
                   const char *budget_line, struct project *out);
/* Stage changes that have no route of their own: procuring, supervising, evaluating, closed,
 * cancelled (reason required). Each refusal names the rule that is not met. */
int project_transition(struct ctx *ctx, int64_t id, const char *to, const char *reason,
                       struct project *out);
/* The lifecycle actions the caller may take on p now ("budget" and the states of POST
 * …/transitions it may move to), from the table in procurement.c; arena-owned names. */
int project_actions(struct ctx *ctx, const struct project *p, const char ***actions, int *n);
struct lifecycle;
extern const struct lifecycle project_lifecycle;
/* T5-8.2f: assign the evaluation agency that supervises and evaluates the project. */
int project_assign_supervisor(struct ctx *ctx, int64_t id, int64_t evaluator_id,
                              struct project *out);

struct project_transition {
    int64_t id, project_id, by_person, by_institution, at;
    const char *from_state, *to_state, *reason;
};
int project_history(struct ctx *ctx, int64_t id, struct project_transition **items, int *n);

int lot_add(struct ctx *ctx, int64_t project_id, const struct lot *in, struct lot *out);

struct bid {
    int64_t id, project_id, lot_id, provider_id, amount_fen, submitted_by;
    const char *provider_name, *lot_title, *note, *status;
    int64_t created_at, updated_at;
    int version;
};
/* The caller's provider bids on a lot, or revises its bid (*created false). */
int bid_submit(struct ctx *ctx, int64_t project_id, const struct bid *in, struct bid *out,
               bool *created);
/* Management and the supervisor see every bid; a provider its own only (bids are sealed). */
int bid_list(struct ctx *ctx, int64_t project_id, struct bid **items, int *n);
/* Awards the bid's lot to its provider at the bid's amount. */
int award_make(struct ctx *ctx, int64_t project_id, int64_t bid_id, struct lot *out);

struct milestone {
    int64_t id, project_id;
    const char *title, *due_on, *done_on;
    int64_t created_at, updated_at;
    int version;
};
enum milestone_field { MS_F_TITLE = 1u << 0, MS_F_DUE_ON = 1u << 1, MS_F_DONE_ON = 1u << 2 };
int milestone_add(struct ctx *ctx, int64_t project_id, const struct milestone *in,
                  struct milestone *out);
/* if_match < 0: no precondition. */
int milestone_update(struct ctx *ctx, int64_t project_id, int64_t id, int if_match, unsigned has,
                     const struct milestone *in, struct milestone *out);
int milestone_list(struct ctx *ctx, int64_t project_id, struct milestone **items, int *n);

struct supervision_record {
    int64_t id, project_id, milestone_id, evaluator_id, recorded_by, created_at;
    const char *evaluator_name, *observation, *conclusion, *recorded_on;
};
int supervision_record_add(struct ctx *ctx, int64_t project_id, const struct supervision_record *in,
                           struct supervision_record *out);
int supervision_record_list(struct ctx *ctx, int64_t project_id, struct supervision_record **items,
                            int *n);

/* 绩效评价: the assigned supervisor scores the project (0..100) with findings. */
int project_evaluate(struct ctx *ctx, int64_t id, int score, const char *findings,
                     struct project *out);

/* ---------- bars (T5-12.2c) ---------- */
struct provider_bar {
    int64_t id, provider_id, management_id, created_by, created_at, lifted_at, lifted_by;
    const char *provider_name, *management_name, *reason, *valid_from, *valid_to, *lift_reason;
    bool in_force; /* filled on read: not lifted and today within the period */
};
struct bar_filter {
    int64_t provider_id;
    int in_force; /* -1 any, 0, 1 */
};
int bar_create(struct ctx *ctx, const struct provider_bar *in, struct provider_bar *out);
int bar_lift(struct ctx *ctx, int64_t id, const char *reason, struct provider_bar *out);
int bar_list(struct ctx *ctx, const struct bar_filter *f, const struct page_req *p,
             struct provider_bar **items, int *n, struct page_info *info);

/* ---------- market concentration (T5-8.2b) ---------- */
struct market_share {
    int64_t provider_id, awarded_fen, share_bp;
    const char *provider_name;
    int n_awards;
};
struct market_group {
    const char *region, *category;
    int64_t total_fen;
    int64_t hhi; /* Σ (percentage share)², 0..10000 */
    bool warning;
    struct market_share *shares;
    int n_shares;
};
struct market_query {
    const char *from, *to; /* award dates, inclusive; default: 1 January of this year .. today */
    const char *region, *category;
};
/* Groups of the caller's jurisdiction; q->from/to are filled with the period used. */
int market_concentration(struct ctx *ctx, struct market_query *q, struct market_group **groups,
                         int *n, int64_t *threshold);

#endif
