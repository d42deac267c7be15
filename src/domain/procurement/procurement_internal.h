/*
 * procurement_internal.h - what procurement.c, bar.c and market.c share; not for other modules.
 */
#ifndef EGOV_PROCUREMENT_INTERNAL_H
#define EGOV_PROCUREMENT_INTERNAL_H

#include <stdint.h>

#include "procurement.h"

#define PROC_MAX_FEN 100000000000000LL /* a trillion yuan: beyond any real project */

/* Rolls back and returns -1. */
int proc_fail(struct ctx *ctx);
/* Opens the transaction and reads the project the caller may see, with its lots. */
int proc_begin(struct ctx *ctx, int64_t id, struct project *cur);
/* Writes v over cur, guarded by cur's version (412 when it moved on); v->version follows. */
int proc_save(struct ctx *ctx, const struct project *cur, struct project *v);
/* T5-12.2c: -1 (rule provider_barred, with the reason and period) when a bar in force covers the
 * projects of management_id; what completes "cannot …". */
int proc_check_bar(struct ctx *ctx, int64_t provider_id, int64_t management_id, const char *what);
/* T5-8.2b: -1 (rule separation_of_duties, naming the conflicting lot) when awarding target to
 * provider_id would let one provider both plan and design or integrate within project p. */
int proc_check_separation(struct ctx *ctx, const struct project *p, const struct lot *target,
                          int64_t provider_id, const char *provider_name);

#endif
