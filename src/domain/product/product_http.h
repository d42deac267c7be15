/*
 * product_http.h - the product module's handlers and body specs.
 */
#ifndef EGOV_PRODUCT_HTTP_H
#define EGOV_PRODUCT_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec product_create_spec[], product_patch_spec[], metric_spec[],
    reason_spec[], recommend_spec[], product_test_assign_spec[], product_test_record_spec[],
    price_basis_spec[], price_backdating_spec[], document_spec[];

int product_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_act(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_recommend(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_history(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_metrics(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_metric_add(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_test_assign(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_test_record(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_tests(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_price_publish(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_price_backdate(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_prices(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_documents(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_document_add(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_candidates(struct ctx *ctx, struct req *rq, struct resp *rs);
int product_http_publish(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
