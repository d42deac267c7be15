/*
 * agreement_http.h - the agreement module's handlers and body specs.
 */
#ifndef EGOV_AGREEMENT_HTTP_H
#define EGOV_AGREEMENT_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec agreement_create_spec[], agreement_patch_spec[], breach_spec[];

int agreement_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_sign(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_amend(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_breaches(struct ctx *ctx, struct req *rq, struct resp *rs);
int agreement_http_breach(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
