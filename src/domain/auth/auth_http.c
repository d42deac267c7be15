/*
 * auth_http.c - POST/GET/DELETE /api/v1/session. The token goes to API clients in the body and
 * to the console as an HttpOnly, SameSite=Strict cookie; the console echoes csrf_token in
 * X-CSRF-Token on writes.
 */
#include <stddef.h>
#include <string.h>

#include "auth.h"
#include "auth_http.h"
#include "app.h"
#include "core/arena.h"
#include "core/entity.h"
#include "core/jw.h"
#include "domain/org/org_http.h"
#include "http/handler_util.h"
#include "core/banned.h"

struct login_body {
    const char *login;
    const char *password;
};

const struct field_spec login_spec[] = {
    {"login", JV_STRING, JV_REQUIRED, offsetof(struct login_body, login), 0, 1, 64, NULL, NULL},
    {"password", JV_STRING, JV_REQUIRED | JV_SECRET, offsetof(struct login_body, password), 0, 2,
     1024, NULL, NULL},
    JV_END,
};

int auth_http_login(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct login_body b;
    struct session_grant g;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, login_spec, &b, &has) < 0 ||
        auth_login(ctx, b.login, b.password, req_cookie(ctx, rq, "egov_device"), &g) < 0)
        return -1;
    struct jw *w = resp_writer(ctx);
    jw_obj(w);
    jw_key(w, "token");
    jw_str(w, g.token);
    jw_key(w, "csrf_token");
    jw_str(w, g.csrf_token);
    jw_key(w, "expires_at");
    jw_time(w, g.expires_at);
    jw_key(w, "person");
    person_write(w, &g.person);
    jw_obj_end(w);
    jw_key(w, "institution");
    entity_write(w, &institution_brief_entity, &g.institution);
    jw_obj_end(w);
    resp_header(ctx, rs, "Set-Cookie",
                arena_printf(ctx->arena,
                             "egov_session=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s",
                             g.token, ctx->app->cfg.session_ttl_min * 60,
                             ctx->app->cfg.cookie_secure ? "; Secure" : ""));
    /* The device cookie is read only by this route: it lets its browser past a lock-out that
     * someone else caused (docs/security.md, "Login and lock-out"). */
    if (g.device_token)
        resp_header(ctx, rs, "Set-Cookie",
                    arena_printf(ctx->arena,
                                 "egov_device=%s; Path=/api/v1/session; HttpOnly; "
                                 "SameSite=Strict; Max-Age=7776000%s",
                                 g.device_token, ctx->app->cfg.cookie_secure ? "; Secure" : ""));
    resp_header(ctx, rs, "Cache-Control", "no-store");
    return resp_jw(ctx, rs, 201, w);
}

int auth_http_whoami(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct person p;
    struct institution i;
    (void)rq;
    if (person_get(ctx, ctx->caller.person_id, &p) < 0 ||
        institution_get(ctx, ctx->caller.institution_id, &i) < 0)
        return -1;
    struct jw *w = resp_writer(ctx);
    const char *perm;
    jw_obj(w);
    jw_key(w, "person");
    person_write(w, &p);
    jw_obj_end(w);
    jw_key(w, "institution");
    entity_write(w, &institution_brief_entity, &i);
    jw_key(w, "permissions");
    jw_arr(w);
    for (int k = 0; (perm = org_permission(k)) != NULL; k++)
        if (org_may(ctx, perm))
            jw_str(w, perm);
    jw_arr_end(w);
    jw_key(w, "expires_at");
    jw_time(w, ctx->caller.session_expires_at);
    jw_key(w, "csrf_token");
    jw_str(w, ctx->caller.csrf_token ? ctx->caller.csrf_token : "");
    jw_obj_end(w);
    return resp_jw(ctx, rs, 200, w);
}

int auth_http_logout(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    (void)rq;
    if (auth_logout(ctx) < 0)
        return -1;
    resp_header(ctx, rs, "Set-Cookie",
                ctx->app->cfg.cookie_secure
                    ? "egov_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure"
                    : "egov_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
    rs->status = 204;
    return 0;
}
