/*
 * audit_store.h - the audit module's private store functions (only audit.c calls them).
 */
#ifndef EGOV_AUDIT_STORE_H
#define EGOV_AUDIT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "audit.h"

struct ctx;

struct audit_row {
    int64_t seq, at, actor_id, actor_institution_id, scope_institution_id, object_id;
    const char *actor_login, *action, *object_type, *changes, *client_ip, *request_id;
    const char *prev_hash, *hash;
};

int audit_store_lock_head(struct ctx *ctx, int64_t *seq, char *hash, size_t cap);
int audit_store_append(struct ctx *ctx, const struct audit_row *a);
/* Calls fn for each record in seq order; stops when fn returns non-zero (returned). */
int audit_store_each(struct ctx *ctx, int (*fn)(void *arg, const struct audit_row *a), void *arg);
int audit_store_head(struct ctx *ctx, int64_t *seq, const char **hash);
int audit_store_count(struct ctx *ctx, int64_t root, const struct audit_filter *f, int64_t *total);
int audit_store_list(struct ctx *ctx, int64_t root, const struct audit_filter *f,
                     struct audit_row **items, int *n);

#endif
