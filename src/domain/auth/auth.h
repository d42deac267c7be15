/*
 * auth.h - logging in and out, and turning a session token into a caller.
 *
 * Tokens are 32 random bytes (libsodium) shown once to the client and stored only as their
 * BLAKE2b-256 hash. A session ends at its expiry, at logout, when its person is disabled or
 * changes password, or when its institution is suspended. Repeated failed logins first slow
 * down (each further attempt must wait 2^(n-k) seconds) and then lock the account for a while;
 * both thresholds are configuration (login_slow_after, login_lock_after, login_lock_min). The
 * same ladder applies to unknown login names and, with its own thresholds, to client addresses.
 */
#ifndef EGOV_AUTH_H
#define EGOV_AUTH_H

#include <stdint.h>

#include "domain/org/org.h"

struct ctx;

struct session_grant {
    const char *token;        /* shown once; arena-owned */
    const char *csrf_token;   /* what the console sends in X-CSRF-Token with its cookie */
    const char *device_token; /* a new device cookie for this browser, or NULL; arena-owned */
    int64_t expires_at;
    struct person person;
    struct institution institution;
};

/* ERR_UNAUTHORIZED for a wrong login or password, ERR_RATE_LIMITED (retry_after set) while
 * the account, the login name or the client address is slowed down or locked. device is the
 * egov_device cookie sent (or NULL): a device this person logged in from before passes the
 * locks (docs/security.md, "Login and lock-out"). Every failure is audited; refusals while
 * locked are counted, one audit record per account and minute. */
int auth_login(struct ctx *ctx, const char *login, const char *password, const char *device,
               struct session_grant *out);
/* Fills ctx->caller from a token; ERR_UNAUTHORIZED when unknown, expired or revoked. */
int auth_resolve(struct ctx *ctx, const char *token);
/* Ends the caller's session. */
int auth_logout(struct ctx *ctx);
/* The CSRF token that belongs to a session token (hex, arena-owned). */
const char *auth_csrf_of(struct ctx *ctx, const char *token);
/* Opens a session without a password: for `egov` tests and tools acting as a person. */
int auth_session_open(struct ctx *ctx, int64_t person_id, struct session_grant *out);

#endif
