/*
 * catalogue_store.h - the catalogue module's store functions (only catalogue.c calls them).
 */
#ifndef EGOV_CATALOGUE_STORE_H
#define EGOV_CATALOGUE_STORE_H

#include "catalogue.h"

int catalogue_store_next(struct ctx *ctx, const char *catalogue, int64_t publisher, int *number);
int catalogue_store_insert(struct ctx *ctx, const struct edition *e);
int catalogue_store_list(struct ctx *ctx, const char *catalogue, struct edition **items, int *n);
int catalogue_store_get(struct ctx *ctx, const char *catalogue, int64_t publisher, int number,
                        struct edition *out);

#endif
