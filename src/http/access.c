/*
 * access.c - the one enforcement point of the policy in domain/org/jurisdiction.c. For every
 * route the dispatcher calls, in order: authenticate (401), jurisdiction of the object the path
 * names (404: a caller never learns that something outside it exists), permission (403; the
 * dispatcher audits every 403 as a denial, see router.c). Default deny: a route without a
 * permission is refused unless public.
 */
#include <string.h>

#include "access.h"
#include "http.h"
#include "app.h"
#include "core/arena.h"
#include "domain/agreement/agreement.h"
#include "domain/audit/audit.h"
#include "domain/auth/auth.h"
#include "domain/order/order.h"
#include "domain/org/org.h"
#include "domain/procurement/procurement.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "core/banned.h"

#define COOKIE_NAME "egov_session"

static bool is_safe(const char *method)
{
    return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

int access_authenticate(struct ctx *ctx, const struct route *r, struct req *rq)
{
    const char *h = req_header(rq, "Authorization");
    const char *token = NULL;
    bool cookie = false;
    /* Public routes ignore credentials: logging in again with a stale cookie must work. */
    if (r->flags & RF_PUBLIC)
        return 0;
    if (h && !strncasecmp(h, "Bearer ", 7))
        token = h + 7;
    else if ((token = req_cookie(ctx, rq, COOKIE_NAME)) != NULL)
        cookie = true;
    if (!token)
        return err_set(&ctx->err, ERR_UNAUTHORIZED, "log in first: this needs a session");
    if (auth_resolve(ctx, token) < 0)
        return -1;
    ctx->caller.via_cookie = cookie;
    ctx->caller.csrf_token = auth_csrf_of(ctx, token);
    /* The console's cookie is sent by the browser on its own; a write must also prove it
     * comes from our page, which alone can read the CSRF token. */
    if (cookie && !is_safe(rq->method)) {
        const char *sent = req_header(rq, "X-CSRF-Token");
        if (!sent || strcmp(sent, ctx->caller.csrf_token) != 0)
            return err_rule(&ctx->err, ERR_FORBIDDEN, "csrf",
                            "missing or wrong X-CSRF-Token header for a cookie session");
    }
    return 0;
}

int access_authorize(struct ctx *ctx, const struct route *r, struct req *rq)
{
    int64_t inst = 0;
    if (r->flags & RF_PUBLIC)
        return 0;
    if (!r->perm)
        return err_set(&ctx->err, ERR_FORBIDDEN, "not allowed");
    /* The jurisdiction check loads the object as well (one query); the handler reads it from
     * ctx->scoped. */
    if (r->scope == SCOPE_INST_PATH) {
        inst = rq->params[0];
        if (org_guard_institution(ctx, inst) < 0)
            return -1;
    } else if (r->scope == SCOPE_PERSON_PATH) {
        if (org_guard_person(ctx, rq->params[0], &inst) < 0)
            return -1;
    }
    if (r->scope == SCOPE_POOL_PATH && pool_access(ctx, rq->params[0]) < 0)
        return -1;
    if (r->scope == SCOPE_PRODUCT_PATH && product_access(ctx, rq->params[0]) < 0)
        return -1;
    if (r->scope == SCOPE_AGREEMENT_PATH && agreement_access(ctx, rq->params[0]) < 0)
        return -1;
    if (r->scope == SCOPE_PROJECT_PATH && project_access(ctx, rq->params[0]) < 0)
        return -1;
    if (r->scope == SCOPE_ORDER_PATH && order_access(ctx, rq->params[0]) < 0)
        return -1;
    if (!strcmp(r->perm, "session"))
        return 0; /* any person with a session */
    if (!org_may(ctx, r->perm)) {
        /* Audited with every other 403 by the dispatcher (router.c's conclude). */
        err_rule(&ctx->err, ERR_FORBIDDEN, "permission",
                 "your institution kind or post does not allow %s", r->perm);
        return err_param_str(&ctx->err, "permission", r->perm);
    }
    return 0;
}
