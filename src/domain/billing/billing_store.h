/*
 * billing_store.h - the billing module's store functions (only the billing module calls them).
 */
#ifndef EGOV_BILLING_STORE_H
#define EGOV_BILLING_STORE_H

#include "billing.h"

/* What rating needs of an allocation, a metric and a price basis. */
struct ref_alloc {
    int64_t id, user_id, budget_line_id;
    const char *application, *level;
};
struct ref_metric {
    int64_t id, product_id, provider_id, list_price_fen;
};
struct ref_basis {
    int64_t id, metric_id, price_fen;
    const char *valid_from, *valid_to;
};
struct ref_rate {
    int64_t basis_id, tier_from, unit_price;
    const char *level;
};

/* Allocations of user agencies in the subtree (root 0: all) or of one agency. */
int billing_store_allocs(struct ctx *ctx, int64_t root, int depth, int64_t user_id,
                         struct ref_alloc **items, int *n);
int billing_store_metrics(struct ctx *ctx, struct ref_metric **items, int *n);
/* Price bases in force on some day of [from, to] (dates), and their rates. */
int billing_store_bases(struct ctx *ctx, const char *from, const char *to, struct ref_basis **items,
                        int *n);
int billing_store_rates(struct ctx *ctx, const char *from, const char *to, struct ref_rate **items,
                        int *n);

/* Usage per series and day of [d0, d1): from usage_daily, or summed from usage_records. fn is
 * called per row; a non-zero answer stops the walk and is returned. */
typedef int (*usage_day_fn)(void *arg, int64_t allocation_id, int64_t metric_id, int64_t day,
                            int64_t quantity, int64_t records);
int billing_store_usage(struct ctx *ctx, int64_t d0, int64_t d1, bool from_records, usage_day_fn fn,
                        void *arg);

/* ---- bills ---- */
struct bill_versions {
    int64_t draft_id, draft_version, max_version, issued_id;
};
int billing_store_bill_versions(struct ctx *ctx, int64_t user_id, const char *period,
                                struct bill_versions *out);
int billing_store_bill_insert(struct ctx *ctx, const struct bill *b);
int billing_store_bill_delete_draft(struct ctx *ctx, int64_t id);
/* Ids of the draft bills of a month in the subtree (or of one agency). */
int billing_store_drafts(struct ctx *ctx, const char *period, int64_t root, int depth,
                         int64_t user_id, int64_t **ids, int *n);
int billing_store_bill_get(struct ctx *ctx, int64_t id, struct bill *out);
int billing_store_bill_lines(struct ctx *ctx, int64_t bill_id, struct bill_line **items, int *n);
int billing_store_bill_list(struct ctx *ctx, int64_t root, int depth, const struct bill_filter *f,
                            const struct page_req *p, struct bill **items, int *n);
int billing_store_bill_issue(struct ctx *ctx, int64_t id, int64_t by, int64_t at);
int billing_store_bill_supersede(struct ctx *ctx, int64_t id, int64_t by_id);

/* ---- budgets ---- */
/* The billed amount of a budget line: current issued bills of its fiscal year. */
int billing_store_budget_billed(struct ctx *ctx, int64_t budget_line_id, int64_t *billed,
                                int64_t *amount, int64_t *user_id, int64_t *fiscal_year);
/* 1 inserted, 0 the line has that alert already. */
int billing_store_alert_insert(struct ctx *ctx, const struct budget_alert *a);
int billing_store_alert_list(struct ctx *ctx, int64_t root, int depth, const struct alert_filter *f,
                             const struct page_req *p, struct budget_alert **items, int *n);
int billing_store_alert_get(struct ctx *ctx, int64_t id, struct budget_alert *out);
int billing_store_alert_ack(struct ctx *ctx, int64_t id, int64_t by, int64_t at);

/* ---- settlements ---- */
struct settle_row {
    int64_t provider_id, user_id, bill_id, product_id, line_count, amount_fen;
};
/* Issued bill lines of a month in the subtree, summed per provider, agency, bill and product,
 * ordered by provider. */
int billing_store_settle_rows(struct ctx *ctx, const char *period, int64_t root, int depth,
                              int64_t provider_id, struct settle_row **items, int *n);
int billing_store_settlement_versions(struct ctx *ctx, int64_t provider_id, const char *period,
                                      struct bill_versions *out);
int billing_store_settlement_insert(struct ctx *ctx, const struct settlement *s);
int billing_store_settlement_delete_draft(struct ctx *ctx, int64_t id);
int billing_store_settlement_get(struct ctx *ctx, int64_t id, struct settlement *out);
int billing_store_settlement_lines(struct ctx *ctx, int64_t id, struct settlement_line **items,
                                   int *n);
int billing_store_settlement_list(struct ctx *ctx, int64_t root, int depth,
                                  const struct settlement_filter *f, const struct page_req *p,
                                  struct settlement **items, int *n);
int billing_store_settlement_issue(struct ctx *ctx, int64_t id, int64_t by, int64_t at);
int billing_store_settlement_supersede(struct ctx *ctx, int64_t id, int64_t by_id);

/* ---- quality coefficients ---- */
/* The coefficient of a provider for a month; 1 found, 0 none. */
int billing_store_qc_get(struct ctx *ctx, int64_t provider_id, const char *period,
                         struct quality_coefficient *out);
int billing_store_qc_put(struct ctx *ctx, const struct quality_coefficient *q);
int billing_store_qc_list(struct ctx *ctx, int64_t root, int depth, const struct qc_filter *f,
                          struct quality_coefficient **items, int *n);

/* ---- spend ---- */
int billing_store_spend(struct ctx *ctx, int64_t root, int depth, const struct spend_filter *f,
                        int by, struct spend_item **items,
                        int *n); /* by: 0 month, 1 prov, 2 prod */

#endif
