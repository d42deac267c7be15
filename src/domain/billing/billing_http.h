/*
 * billing_http.h - the billing module's handlers and request specs.
 */
#ifndef EGOV_BILLING_HTTP_H
#define EGOV_BILLING_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec billing_run_spec[];
extern const struct field_spec settlement_run_spec[];
extern const struct field_spec quality_coefficient_spec[];

int billing_http_run(struct ctx *ctx, struct req *rq, struct resp *rs);
int billing_http_spend(struct ctx *ctx, struct req *rq, struct resp *rs);
int bill_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int bill_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int bill_http_issue(struct ctx *ctx, struct req *rq, struct resp *rs);
int bill_http_export(struct ctx *ctx, struct req *rq, struct resp *rs);
int settlement_http_run(struct ctx *ctx, struct req *rq, struct resp *rs);
int settlement_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int settlement_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int settlement_http_issue(struct ctx *ctx, struct req *rq, struct resp *rs);
int settlement_http_export(struct ctx *ctx, struct req *rq, struct resp *rs);
int quality_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int quality_http_set(struct ctx *ctx, struct req *rq, struct resp *rs);
int alert_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int alert_http_acknowledge(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
