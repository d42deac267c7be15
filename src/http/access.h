/*
 * access.h - the dispatcher's guards: who is calling (auth) and whether they may (access).
 * Handlers never check permissions themselves.
 */
#ifndef EGOV_ACCESS_H
#define EGOV_ACCESS_H

struct ctx;
struct req;
struct route;

/* Resolves the session (Bearer header or console cookie); 0 anonymous or known, -1 on a bad
 * token for a route that needs one, or a cookie write without its CSRF header. */
int access_authenticate(struct ctx *ctx, const struct route *r, struct req *rq);
/* Jurisdiction (404) then permission (403, audited). */
int access_authorize(struct ctx *ctx, const struct route *r, struct req *rq);

#endif
