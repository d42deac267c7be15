/*
 * procurement_store.h - the procurement module's store functions (only procurement.c and
 * market.c call them). Reads return 1 found / 0 none / -1 error; updates guarded by a version
 * return 1 updated / 0 when the row moved on.
 */
#ifndef EGOV_PROCUREMENT_STORE_H
#define EGOV_PROCUREMENT_STORE_H

#include "procurement.h"

/* Visibility: root/depth from org_scope, own institution, is_provider. */
struct proc_scope {
    int64_t root, own;
    int depth;
    int is_provider;
};

int proc_store_visible(struct ctx *ctx, const struct proc_scope *s, int64_t id);
int proc_store_get(struct ctx *ctx, int64_t id, struct project *out);
int proc_store_list(struct ctx *ctx, const struct proc_scope *s, const struct project_filter *f,
                    const struct page_req *p, struct project **items, int *n);
int proc_store_insert(struct ctx *ctx, const struct project *p);
int proc_store_update(struct ctx *ctx, const struct project *p, int expected_version);
int proc_store_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                          const char *reason);
int proc_store_history(struct ctx *ctx, int64_t id, struct project_transition **items, int *n);

int proc_store_lots(struct ctx *ctx, int64_t project_id, struct lot **items, int *n);
int proc_store_lot_insert(struct ctx *ctx, const struct lot *l);
/* Marks the lot awarded unless it was awarded meanwhile (0). */
int proc_store_lot_award(struct ctx *ctx, const struct lot *l);

int proc_store_bid_get(struct ctx *ctx, int64_t id, struct bid *out);
int proc_store_bid_find(struct ctx *ctx, int64_t lot_id, int64_t provider_id, struct bid *out);
int proc_store_bid_insert(struct ctx *ctx, const struct bid *b);
int proc_store_bid_revise(struct ctx *ctx, const struct bid *b, int expected_version);
/* provider_id 0: every bid of the project. */
int proc_store_bids(struct ctx *ctx, int64_t project_id, int64_t provider_id, struct bid **items,
                    int *n);
/* The winning bid becomes awarded, the others of its lot not_awarded. */
int proc_store_bids_settle(struct ctx *ctx, int64_t lot_id, int64_t winner_id);

int proc_store_milestone_get(struct ctx *ctx, int64_t id, struct milestone *out);
int proc_store_milestone_insert(struct ctx *ctx, const struct milestone *m);
int proc_store_milestone_update(struct ctx *ctx, const struct milestone *m, int expected_version);
int proc_store_milestones(struct ctx *ctx, int64_t project_id, struct milestone **items, int *n);

int proc_store_record_insert(struct ctx *ctx, const struct supervision_record *r);
int proc_store_records(struct ctx *ctx, int64_t project_id, struct supervision_record **items,
                       int *n);

int proc_store_bar_insert(struct ctx *ctx, const struct provider_bar *b);
int proc_store_bar_get(struct ctx *ctx, int64_t id, struct provider_bar *out);
int proc_store_bar_lift(struct ctx *ctx, const struct provider_bar *b);
/* Bars made in the caller's subtree or by one of its ancestors (root 0: all). */
int proc_store_bars(struct ctx *ctx, int64_t root, const struct bar_filter *f, const char *today,
                    const struct page_req *p, struct provider_bar **items, int *n);
/* A bar of provider_id in force on date that covers projects managed by management_id (made by
 * it or one of its ancestors). */
int proc_store_bar_in_force(struct ctx *ctx, int64_t provider_id, int64_t management_id,
                            const char *date, struct provider_bar *out);

struct market_row {
    const char *region, *category, *provider_name;
    int64_t provider_id, awarded_fen;
    int n_awards;
};
int proc_store_market(struct ctx *ctx, int64_t root, const struct market_query *q,
                      struct market_row **items, int *n);

#endif
