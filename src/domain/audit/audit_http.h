/*
 * audit_http.h - audit handlers.
 */
#ifndef EGOV_AUDIT_HTTP_H
#define EGOV_AUDIT_HTTP_H

#include "http/http.h"

int audit_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int audit_http_verify(struct ctx *ctx, struct req *rq, struct resp *rs);
int audit_http_checkpoints(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
