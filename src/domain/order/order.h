/*
 * order.h - orders with approval, delivery, trial and acceptance; budget lines; feedback.
 */
#ifndef EGOV_ORDER_H
#define EGOV_ORDER_H

#include <stdint.h>

struct ctx;

/* The jurisdiction rule of routes whose path names a order: 0, or 404 if the caller may not
 * see it. */
int order_access(struct ctx *ctx, int64_t id);

#endif
