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

/* The ladder of a key ('n:' + hash of an unknown login, 'a:' + address): 0 with the state
 * (zeros when the key has none), -1 on a store failure. */
int auth_store_throttle_get(struct ctx *ctx, const char *key, int *failures, int64_t *locked_until);
/* One more failure in one statement; a count untouched since idle_before whose lock has ended
 * restarts at 1 (as a person's does). *failures is the new count. */
int auth_store_throttle_fail(struct ctx *ctx, const char *key, int64_t now, int64_t idle_before,
                             int *failures);
/* Extends the key's lock to until (never shortens it). */
int auth_store_throttle_lock(struct ctx *ctx, const char *key, int64_t until);
/* Forgets ladders idle since idle_before and no longer locked at now, and refusal windows
 * opened before idle_before. */
int auth_store_prune(struct ctx *ctx, int64_t idle_before, int64_t now);
/* Devices (kind "device", value the token's hash) and addresses (kind "address") a person
 * logged in from; entries unused since forget_before are dropped. */
int auth_store_known_add(struct ctx *ctx, int64_t person_id, const char *kind, const char *value,
                         int64_t now, int64_t forget_before);
/* 1 when known and used since since, 0 when not, -1 on a store failure. */
int auth_store_known_has(struct ctx *ctx, int64_t person_id, const char *kind, const char *value,
                         int64_t since);
int auth_store_known_drop(struct ctx *ctx, int64_t person_id, const char *kind, const char *value);
/* Counts one refused attempt in key's window of window_ms: *refused is the count in the
 * current window (1 = this refusal opened it), *prev_refused that of the window before. */
int auth_store_refusal(struct ctx *ctx, const char *key, int64_t now, int64_t window_ms,
                       int *refused, int *prev_refused);

#endif
