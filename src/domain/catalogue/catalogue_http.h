/*
 * catalogue_http.h - public catalogue handlers.
 */
#ifndef EGOV_CATALOGUE_HTTP_H
#define EGOV_CATALOGUE_HTTP_H

#include "http/http.h"

int catalogue_http_editions(struct ctx *ctx, struct req *rq, struct resp *rs);
int catalogue_http_edition(struct ctx *ctx, struct req *rq, struct resp *rs);
int catalogue_http_signature(struct ctx *ctx, struct req *rq, struct resp *rs);
int catalogue_http_public_key(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
