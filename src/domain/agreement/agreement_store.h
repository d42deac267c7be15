/*
 * agreement_store.h - the agreement module's store functions (only agreement.c calls them).
 */
#ifndef EGOV_AGREEMENT_STORE_H
#define EGOV_AGREEMENT_STORE_H

#include "agreement.h"

int agreement_store_get(struct ctx *ctx, int64_t id, struct agreement *out);
/* The same, only when visible to (root, depth, own): one statement. */
int agreement_store_get_scoped(struct ctx *ctx, int64_t root, int depth, int64_t own, int64_t id,
                               struct agreement *out);
int agreement_store_list(struct ctx *ctx, int64_t root, int depth, int64_t own,
                         const struct agreement_filter *f, const struct page_req *p,
                         struct agreement **items, int *n);
/* Every agreement the list's filter matches, ignoring the cursor (?total=true). */
int agreement_store_count(struct ctx *ctx, int64_t root, int depth, int64_t own,
                          const struct agreement_filter *f, int64_t *total);
int agreement_store_insert(struct ctx *ctx, const struct agreement *a);
/* 1 updated, 0 when the version moved on. */
int agreement_store_update(struct ctx *ctx, const struct agreement *a, int expected_version);
int agreement_store_details(struct ctx *ctx, struct agreement *a);
int agreement_store_set_details(struct ctx *ctx, const struct agreement *a);
/* Agreements in force whose period ended before `day`: ids and management institutions. */
int agreement_store_due(struct ctx *ctx, const char *day, int64_t **ids, int64_t **managers,
                        int *n);
/* 1 when the agreement was in force and is now expired, 0 when something else changed it. */
int agreement_store_expire(struct ctx *ctx, int64_t id, int64_t at);
int agreement_store_breach_insert(struct ctx *ctx, const struct breach *b);
int agreement_store_breaches(struct ctx *ctx, int64_t id, struct breach **items, int *n);

#endif
