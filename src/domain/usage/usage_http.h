/*
 * usage_http.h - the usage module's handlers: the streamed ingest and its batches.
 */
#ifndef EGOV_USAGE_HTTP_H
#define EGOV_USAGE_HTTP_H

#include "http/http.h"

extern const struct stream_ops usage_stream_ops;
int usage_http_batch(struct ctx *ctx, struct req *rq, struct resp *rs);
int usage_http_outcomes(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
