/*
 * keys_http.h - the public list of signing keys.
 */
#ifndef EGOV_KEYS_HTTP_H
#define EGOV_KEYS_HTTP_H

#include "http/http.h"

int keys_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
