/*
 * resource_store.h - the resource module's store functions (only resource.c calls them).
 */
#ifndef EGOV_RESOURCE_STORE_H
#define EGOV_RESOURCE_STORE_H

#include "resource.h"

struct catalogue_row {
    struct pool pool;
    const char *provider_uscc;
    int64_t test_id, evaluator_id;
    const char *evaluator_name, *tested_on, *report_ref;
};

/* Visibility: root 0 = all; else the subtree of root to max_depth, plus pools root evaluates
 * (conformity tests) or uses (allocations). */
int resource_store_pool_visible(struct ctx *ctx, int64_t root, int depth, int64_t id);
int resource_store_pool_get(struct ctx *ctx, int64_t id, struct pool *out);
/* The same, only when the caller (root, depth of org_scope) may see it: one statement. */
int resource_store_pool_get_scoped(struct ctx *ctx, int64_t root, int depth, int64_t id,
                                   struct pool *out);
int resource_store_pool_list(struct ctx *ctx, int64_t root, int depth, const struct pool_filter *f,
                             const struct page_req *p, struct pool **items, int *n);
int resource_store_pool_count(struct ctx *ctx, int64_t root, int depth, const struct pool_filter *f,
                              int64_t *total);
int resource_store_pool_insert(struct ctx *ctx, const struct pool *p);
int resource_store_pool_update(struct ctx *ctx, const struct pool *p, int expected_version);
/* Appends a row to pool_transitions (who and when from ctx). */
int resource_store_pool_transition(struct ctx *ctx, int64_t id, const char *from, const char *to,
                                   const char *reason);
int resource_store_pool_history(struct ctx *ctx, int64_t id, struct pool_transition **items,
                                int *n);
/* Adds delta to the pool's allocated units unless that would pass capacity or the pool is not
 * active: 1 done, 0 refused. One statement, so concurrent requests cannot both win. */
int resource_store_pool_take(struct ctx *ctx, int64_t pool_id, int64_t delta);

int resource_store_alloc_get(struct ctx *ctx, int64_t id, const char *today,
                             struct allocation *out);
int resource_store_alloc_list(struct ctx *ctx, int64_t root, int depth, const char *today,
                              const struct allocation_filter *f, const struct page_req *p,
                              struct allocation **items, int *n);
int resource_store_alloc_insert(struct ctx *ctx, const struct allocation *a);
/* Sets service_start and its reason (and updated_at, version + 1). */
int resource_store_alloc_service_start(struct ctx *ctx, const struct allocation *a);
int resource_store_alloc_update(struct ctx *ctx, const struct allocation *a);
int resource_store_alloc_event(struct ctx *ctx, int64_t alloc_id, const char *op, int64_t before,
                               int64_t after, const char *reason);

int resource_store_test_get(struct ctx *ctx, int64_t id, struct conformity_test *out);
/* The tests of a pool still waiting for their result, oldest first (arena-owned). */
int resource_store_test_open(struct ctx *ctx, int64_t pool_id, struct conformity_test **items,
                             int *n);
int resource_store_test_list(struct ctx *ctx, int64_t root, int depth, int64_t pool_id,
                             const char *status, const struct page_req *p,
                             struct conformity_test **items, int *n);
int resource_store_test_insert(struct ctx *ctx, const struct conformity_test *t);
int resource_store_test_update(struct ctx *ctx, const struct conformity_test *t);

int resource_store_catalogue(struct ctx *ctx, int64_t root, struct catalogue_row **items, int *n);

#endif
