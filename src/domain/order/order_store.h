/*
 * order_store.h - the order module's store functions (only order.c calls them).
 */
#ifndef EGOV_ORDER_STORE_H
#define EGOV_ORDER_STORE_H

#include "order.h"

/* root 0 = all; else the user agencies of root's subtree to depth, plus the orders own
 * delivers (a provider). */
int order_store_visible(struct ctx *ctx, int64_t root, int depth, int64_t own, int64_t id);
int order_store_get(struct ctx *ctx, int64_t id, struct order *out);
int order_store_items(struct ctx *ctx, struct order *o);
int order_store_list(struct ctx *ctx, int64_t root, int depth, int64_t own,
                     const struct order_filter *f, const struct page_req *p, struct order **items,
                     int *n);
int order_store_insert(struct ctx *ctx, const struct order *o);
/* 1 updated, 0 when the version moved on. */
int order_store_update(struct ctx *ctx, const struct order *o, int expected_version);
int order_store_item_allocation(struct ctx *ctx, int64_t item_id, int64_t allocation_id);
int order_store_item_quantity(struct ctx *ctx, int64_t item_id, int64_t quantity);
int order_store_transition(struct ctx *ctx, const struct order_transition *t);
int order_store_transitions(struct ctx *ctx, int64_t id, struct order_transition **items, int *n);

int budget_store_insert(struct ctx *ctx, const struct budget_line *b);
int budget_store_get(struct ctx *ctx, int64_t id, struct budget_line *out);
int budget_store_list(struct ctx *ctx, int64_t root, int depth, const struct budget_filter *f,
                      const struct page_req *p, struct budget_line **items, int *n);
/* Adds delta to committed_fen unless it would pass amount_fen or go below 0: 1 done, 0 refused.
 * One statement, so concurrent approvals cannot both take the last fen. */
int budget_store_commit(struct ctx *ctx, int64_t id, int64_t delta);

int order_store_change_insert(struct ctx *ctx, const struct order_change *c);
int order_store_change_get(struct ctx *ctx, int64_t id, struct order_change *out);
/* 1 updated, 0 when it was not requested any more. */
int order_store_change_applied(struct ctx *ctx, const struct order_change *c);
int order_store_changes_cancel(struct ctx *ctx, int64_t order_id);
int order_store_changes(struct ctx *ctx, int64_t order_id, struct order_change **items, int *n);

int order_store_feedback_insert(struct ctx *ctx, const struct feedback *f);
int order_store_feedback_get(struct ctx *ctx, int64_t id, struct feedback *out);
int order_store_answer_insert(struct ctx *ctx, const struct feedback_answer *a);
int order_store_feedback(struct ctx *ctx, int64_t order_id, struct feedback **items, int *n);
int order_store_answers(struct ctx *ctx, int64_t order_id, struct feedback_answer **items, int *n);

#endif
