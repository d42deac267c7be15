/*
 * audit_store.h - the audit module's private store functions (only audit.c calls them).
 */
#ifndef EGOV_AUDIT_STORE_H
#define EGOV_AUDIT_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"

struct ctx;

struct audit_row {
    int64_t seq, at, actor_id, actor_institution_id, scope_institution_id, object_id;
    const char *actor_login, *action, *object_type, *changes, *client_ip, *request_id;
    const char *prev_hash, *hash;
    const char *hash_alg; /* "blake2b" or "sm3": the hash this record was chained with */
};

int audit_store_lock_head(struct ctx *ctx, int64_t *seq, char *hash, size_t cap);
int audit_store_append(struct ctx *ctx, const struct audit_row *a);
/* Calls fn for each record in seq order; stops when fn returns non-zero (returned). */
int audit_store_each(struct ctx *ctx, int (*fn)(void *arg, const struct audit_row *a), void *arg);
int audit_store_head(struct ctx *ctx, int64_t *seq, const char **hash);
int audit_store_count(struct ctx *ctx, int64_t root, const struct audit_filter *f, int64_t *total);
int audit_store_list(struct ctx *ctx, int64_t root, const struct audit_filter *f,
                     struct audit_row **items, int *n);
/* audit.c's chain walk holding the chain against checkpoints sorted by seq (for
 * audit_checkpoint.c; not a store function, but private to the module like them). */
int audit_verify_against(struct ctx *ctx, struct audit_verdict *v,
                         const struct audit_checkpoint *cps, int n_cps,
                         struct audit_checkpoint_verdict *cv);
/* The hash algorithm of record seq. */
int audit_store_alg_at(struct ctx *ctx, int64_t seq, const char **alg);
int audit_store_checkpoint_insert(struct ctx *ctx, const struct audit_checkpoint *cp);
/* The checkpoint of the highest seq: 1 found, 0 none, -1 error. */
int audit_store_checkpoint_last(struct ctx *ctx, struct audit_checkpoint *cp);
/* Up to limit checkpoints: oldest first after seq, or newest first before seq (0 = newest). */
int audit_store_checkpoints(struct ctx *ctx, bool oldest_first, int64_t seq, int limit,
                            struct audit_checkpoint **items, int *n);

#endif
