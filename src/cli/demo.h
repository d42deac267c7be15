/*
 * demo.h - the part of `egov demo` that lives in its own file: the service chain of the demo
 * province (`egov demo --supply`, demo_supply.c).
 */
#ifndef EGOV_DEMO_H
#define EGOV_DEMO_H

struct ctx;

/*
 * Builds on the demo province in the store (demo.c must have created it): resource pools and
 * their conformity tests, products of 黔云 taken online with a price basis by 黔安, budget lines,
 * orders approved and delivered, three whole months (CST) of usage before the current one, bills
 * (the two oldest issued, the newest a draft), settlements with a quality coefficient, and at
 * least one budget alert. Everything goes through the services, acting as the institution whose
 * act it is, so each step is validated and audited. Prints a summary.
 *
 * Returns 0 when done, 1 when the chain is in the store already (nothing is written), -1 with
 * ctx->err set otherwise (the steps done so far stay: the services commit one by one).
 */
int demo_supply(struct ctx *ctx);

#endif
