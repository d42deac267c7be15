/*
 * product_store.h - the product module's store functions (only product.c calls them).
 */
#ifndef EGOV_PRODUCT_STORE_H
#define EGOV_PRODUCT_STORE_H

#include "product.h"

int product_store_visible(struct ctx *ctx, int64_t root, int depth, int64_t id);
int product_store_get(struct ctx *ctx, int64_t id, struct product *out);
int product_store_list(struct ctx *ctx, int64_t root, int depth, const struct product_filter *f,
                       const struct page_req *p, struct product **items, int *n);
int product_store_count(struct ctx *ctx, int64_t root, int depth, const struct product_filter *f,
                        int64_t *total);
int product_store_insert(struct ctx *ctx, const struct product *p);
/* 1 updated, 0 when the version moved on. */
int product_store_update(struct ctx *ctx, const struct product *p, int expected_version);
int product_store_pools(struct ctx *ctx, int64_t id, int64_t **ids, int *n);
int product_store_set_pools(struct ctx *ctx, int64_t id, const int64_t *ids, int n);
int product_store_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                             const char *reason);
int product_store_history(struct ctx *ctx, int64_t id, struct product_transition **items, int *n);

int product_store_metric_insert(struct ctx *ctx, const struct metric *m);
int product_store_metrics(struct ctx *ctx, int64_t product_id, struct metric **items, int *n);

int product_store_test_insert(struct ctx *ctx, const struct product_test *t);
int product_store_test_get(struct ctx *ctx, int64_t id, struct product_test *out);
/* The newest test of a product: 1 and *out, 0 when it has none, -1. */
int product_store_test_latest(struct ctx *ctx, int64_t product_id, struct product_test *out);
int product_store_test_update(struct ctx *ctx, const struct product_test *t);
/* The tests of a product still waiting for their result, oldest first (arena-owned). */
int product_store_test_open(struct ctx *ctx, int64_t product_id, struct product_test **items,
                            int *n);
/* 1 when the evaluator has a recorded test of the product. */
int product_store_tested_by(struct ctx *ctx, int64_t product_id, int64_t evaluator_id);
int product_store_tests(struct ctx *ctx, int64_t root, int depth, int64_t product_id,
                        const char *status, const struct page_req *p, struct product_test **items,
                        int *n);

int product_store_price_overlaps(struct ctx *ctx, int64_t metric_id, const char *from,
                                 const char *to);
int product_store_price_insert(struct ctx *ctx, const struct price_basis *b);
int product_store_backdating_insert(struct ctx *ctx, const struct price_backdating *b);
/* The oldest unused record allowing a basis of metric_id from valid_from: 1 and *out, 0, -1. */
int product_store_backdating_find(struct ctx *ctx, int64_t metric_id, const char *valid_from,
                                  struct price_backdating *out);
/* Marks the record used by basis_id: 1, 0 when used already (a concurrent publish), -1. */
int product_store_backdating_use(struct ctx *ctx, int64_t id, int64_t basis_id);
int product_store_rate_insert(struct ctx *ctx, int64_t basis_id, const struct price_rate *r);
int product_store_prices(struct ctx *ctx, int64_t product_id, const char *date,
                         struct price_basis **items, int *n);

int product_store_document_insert(struct ctx *ctx, const struct product_document *d);
int product_store_documents(struct ctx *ctx, int64_t product_id, struct product_document **items,
                            int *n);

int product_store_candidates(struct ctx *ctx, int64_t root, int depth, int64_t online_before,
                             struct product **items, int *n);
/* Online products of the subtree of root, for the catalogue. */
int product_store_online(struct ctx *ctx, int64_t root, struct product **items, int *n);

#endif
