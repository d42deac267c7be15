/*
 * system.h - operational handlers and the OpenAPI generator.
 */
#ifndef EGOV_SYSTEM_H
#define EGOV_SYSTEM_H

#include "http.h"

int system_healthz(struct ctx *ctx, struct req *rq, struct resp *rs);
int system_readyz(struct ctx *ctx, struct req *rq, struct resp *rs);
int system_metrics(struct ctx *ctx, struct req *rq, struct resp *rs);
int system_openapi(struct ctx *ctx, struct req *rq, struct resp *rs);
/* The OpenAPI 3.1 document generated from the route table (new reference). */
json_t *openapi_document(void);

#endif
