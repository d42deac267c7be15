/*
 * order.h - orders of user agencies for online products and resource capacity (T5-8.2e,
 * T5-5.3c), with management approval against a budget line (T5-8.2c), delivery by the provider
 * through the resource module's allocations (T5-6.2b), a trial period of at least six months
 * unless management records why it is shorter (T5-7.2d), acceptance or rejection, changes and
 * release; and the feedback thread with satisfaction ratings and the provider's answers
 * (T5-8.2e, T5-10.2e).
 *
 * States: applied → approved | refused; approved → delivered (the trial starts);
 * delivered → in_service (accepted after the trial) | rejected; in_service → released.
 * Every transition is recorded (from, to, who, when, why) and audited.
 *
 * Same contract as the other modules: ctx carries the caller; each write runs in one
 * transaction with its audit record; failures return -1 with ctx->err (refusals carry a stable
 * rule code); results are arena-owned.
 */
#ifndef EGOV_ORDER_H
#define EGOV_ORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

extern const char *const order_states[];

#define ORDER_TRIAL_MONTHS     6 /* T5-7.2d: not shorter than six months in principle */
#define ORDER_TRIAL_MAX_MONTHS 36

/* ---------- budget lines (T5-8.2c) ---------- */

struct budget_line {
    int64_t id, user_id, created_by, created_at;
    const char *user_name; /* filled on read */
    int64_t fiscal_year;
    const char *code, *name;
    int64_t amount_fen, committed_fen; /* remaining = amount - committed */
    int64_t billed_fen; /* issued bills of the fiscal year charged to the line (billing) */
};

struct budget_filter {
    int64_t user_id, fiscal_year;
};

/* Management records a line for a user agency of its jurisdiction; (agency, year, code) is
 * unique (409 field code/unique). */
int budget_line_create(struct ctx *ctx, const struct budget_line *in, struct budget_line *out);
/* Lines of agencies in the caller's jurisdiction (M), or its own (U). */
int budget_line_list(struct ctx *ctx, const struct budget_filter *f, const struct page_req *p,
                     struct budget_line **items, int *n, struct page_info *info);

/* ---------- orders ---------- */

struct order_item {
    int64_t id, order_id, product_id, pool_id, quantity, allocation_id;
    const char *service_level; /* the level the allocation is delivered at (GB/T 34077.2) */
    const char *name;          /* product or pool name, filled on read */
    const char *unit;          /* pool unit, "" for products */
    const char *alloc_state;   /* "", active, released */
};

struct order {
    int64_t id, user_id, provider_id, budget_line_id, estimated_fen, applied_by;
    const char *user_name, *provider_name, *budget_code; /* filled on read */
    const char *application, *justification, *state;
    int64_t trial_months;
    const char *trial_justification, *delivered_on, *trial_ends_on, *accepted_on;
    struct order_item *items;
    int n_items;
    int64_t created_at, updated_at;
    int version;
};

/* The body of an application: products and/or pool capacity (quantities[i] for pool_ids[i]);
 * service_levels, when given, the comma-joined level of each of pool_ids (standard when
 * absent). */
struct order_input {
    const char *application, *justification;
    int64_t budget_line_id, estimated_fen;
    int64_t *product_ids, *pool_ids, *quantities;
    int n_products, n_pools, n_quantities;
    const char *service_levels;
};

struct order_filter {
    int64_t user_id, provider_id;
    const char *state;
};

/* The jurisdiction rule of routes whose path names an order: 0, or 404 if the caller may not
 * see it (M: orders of agencies in its subtree; U: its own; P: those it delivers). */
int order_access(struct ctx *ctx, int64_t id);
int order_get(struct ctx *ctx, int64_t id, struct order *out);
int order_list(struct ctx *ctx, const struct order_filter *f, const struct page_req *p,
               struct order **items, int *n, struct page_info *info);

/* A user agency applies (T5-5.3c): justification required, every product online
 * (catalogue_state), pools active, all items of one provider (one_provider), the budget line its
 * own. */
int order_apply(struct ctx *ctx, const struct order_input *in, struct order *out);

struct order_decision {
    bool has_trial_months;
    int64_t trial_months;
    const char *trial_justification, *reason, *note;
    bool has_rating;
    int64_t rating;
    const char *comment;
};

/* Management approves: products still online, the budget line of the agency, of the current
 * fiscal year and with enough remaining (budget_exceeded); a trial shorter than six months
 * needs trial_justification (trial_too_short). */
int order_approve(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);
/* Management refuses with a reason. */
int order_refuse(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);
/* The provider delivers: an allocation per pool item, the trial starts today. */
int order_deliver(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);
/* The user agency accepts after the trial (trial_not_over); an optional rating + comment
 * becomes the first feedback. The order is then in service. */
int order_accept(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);
/* The user agency rejects during the trial, with a reason; allocations are released and the
 * budget line gets the estimate back. */
int order_reject(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);
/* The user agency releases an order in service: every allocation is released. */
int order_release(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out);

/* The lifecycle actions the caller may take on o now (approve, refuse, deliver, accept, reject,
 * release), computed by the table in order.c without writing; arena-owned names. */
int order_actions(struct ctx *ctx, const struct order *o, const char ***actions, int *n);
struct lifecycle;
extern const struct lifecycle order_lifecycle;

struct order_transition {
    int64_t id, order_id, by_person, by_institution, at;
    const char *from_state, *to_state, *reason, *by_name;
};
int order_transitions(struct ctx *ctx, int64_t id, struct order_transition **items, int *n);

/* ---------- changes of pool items in service (T5-6.2b adjust / expand) ---------- */

struct order_change {
    int64_t id, order_id, item_id, quantity, quantity_before, quantity_after;
    const char *op, *reason, *status;
    int64_t requested_by, requested_at, applied_by, applied_at;
};
/* The user agency asks; the order must be in service and the item a pool item. */
int order_change_request(struct ctx *ctx, int64_t id, const struct order_change *in,
                         struct order_change *out);
/* The provider applies a requested change through the resource module (capacity refusal 409). */
int order_change_apply(struct ctx *ctx, int64_t id, int64_t change_id, struct order_change *out);
int order_changes(struct ctx *ctx, int64_t id, struct order_change **items, int *n);

/* ---------- feedback (T5-8.2e, T5-10.2e) ---------- */

struct feedback_answer {
    int64_t id, feedback_id, by_person, by_institution, created_at;
    const char *text, *by_name;
};

struct feedback {
    int64_t id, order_id, rating, by_person, by_institution, created_at;
    const char *comment, *by_name;
    struct feedback_answer *answers;
    int n_answers;
};

/* The ordering agency rates a delivered order (1..5) with an optional comment. */
int feedback_post(struct ctx *ctx, int64_t order_id, const struct feedback *in,
                  struct feedback *out);
/* The order's provider answers one feedback entry. */
int feedback_answer(struct ctx *ctx, int64_t order_id, int64_t feedback_id,
                    const struct feedback_answer *in, struct feedback_answer *out);
/* The thread: feedback oldest first, each with its answers oldest first. */
int feedback_thread(struct ctx *ctx, int64_t order_id, struct feedback **items, int *n);

#endif
