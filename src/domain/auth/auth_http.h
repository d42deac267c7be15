/*
 * auth_http.h - session handlers.
 */
#ifndef EGOV_AUTH_HTTP_H
#define EGOV_AUTH_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec login_spec[];

int auth_http_login(struct ctx *ctx, struct req *rq, struct resp *rs);
int auth_http_whoami(struct ctx *ctx, struct req *rq, struct resp *rs);
int auth_http_logout(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
