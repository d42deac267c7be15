/*
 * keys_store.h - the keys module's store functions (only keys.c calls them).
 */
#ifndef EGOV_KEYS_STORE_H
#define EGOV_KEYS_STORE_H

#include "keys.h"

/* 1 and the key with that public key, 0 none, -1 error. */
int keys_store_by_public_key(struct ctx *ctx, const char *public_key, struct signing_key *out);
int keys_store_get(struct ctx *ctx, const char *id, struct signing_key *out);
/* Inserts unless a key with that id or public key exists (two nodes may race). */
int keys_store_insert(struct ctx *ctx, const struct signing_key *k);
int keys_store_list(struct ctx *ctx, struct signing_key **items, int *n);
/* Retires every key but keep_id that is not yet retired; *n_retired receives the count. */
int keys_store_retire_others(struct ctx *ctx, const char *keep_id, int64_t now, int64_t *n_retired);
/* Retires id unless it is retired already; *n_retired is 0 or 1. */
int keys_store_retire(struct ctx *ctx, const char *id, int64_t now, int64_t *n_retired);
/* Schema before 0015 only: 1 and the newest key's id and base64 libsodium secret key. */
int keys_store_legacy_secret(struct ctx *ctx, const char **id, const char **secret);

#endif
