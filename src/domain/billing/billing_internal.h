/*
 * billing_internal.h - what billing.c shares with settlement.c.
 */
#ifndef EGOV_BILLING_INTERNAL_H
#define EGOV_BILLING_INTERNAL_H

#include <stdint.h>

struct ctx;

/* Rolls the transaction back; -1. */
int billing_fail(struct ctx *ctx);
/* Checks a "YYYY-MM" period field and gives its CST days [d0, d1). */
int billing_check_period(struct ctx *ctx, const char *period, int64_t *d0, int64_t *d1);
/* Recomputes a budget line's billed amount and records the alerts of the thresholds it passed. */
int billing_budget_check(struct ctx *ctx, int64_t budget_line_id, int64_t bill_id);

#endif
