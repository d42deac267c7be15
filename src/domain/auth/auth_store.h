/*
 * auth_store.h - session storage (only auth.c calls it).
 */
#ifndef EGOV_AUTH_STORE_H
#define EGOV_AUTH_STORE_H

#include <stdint.h>

struct ctx;
struct caller;

int auth_store_insert(struct ctx *ctx, const char *hash, int64_t person_id, int64_t now,
                      int64_t expires);
/* 1 and *out filled when the session is in force, 0 when not. */
int auth_store_resolve(struct ctx *ctx, const char *hash, int64_t now, struct caller *out);
int auth_store_revoke(struct ctx *ctx, const char *hash);
/* Removes the person's expired and revoked sessions. */
int auth_store_purge(struct ctx *ctx, int64_t person_id, int64_t before);

#endif
