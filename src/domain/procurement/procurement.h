/*
 * procurement.h - procurement projects: declaration, budget, lots, bids, awards, supervision,
 * evaluation.
 */
#ifndef EGOV_PROCUREMENT_H
#define EGOV_PROCUREMENT_H

#include <stdint.h>

struct ctx;

/* The jurisdiction rule of routes whose path names a procurement project: 0, or 404 if the caller
 * may not see it. */
int project_access(struct ctx *ctx, int64_t id);

#endif
