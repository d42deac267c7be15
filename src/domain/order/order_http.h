/*
 * order_http.h - the order module's handlers and body specs: budget lines, orders and their
 * transitions, changes and the feedback thread.
 */
#ifndef EGOV_ORDER_HTTP_H
#define EGOV_ORDER_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec budget_line_spec[], order_apply_spec[], order_approve_spec[],
    order_reason_spec[], order_note_spec[], order_accept_spec[], order_change_spec[],
    feedback_spec[], feedback_answer_spec[];

int budget_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int budget_http_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_apply(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_approve(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_refuse(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_deliver(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_accept(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_reject(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_release(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_transitions(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_changes(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_change_request(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_change_apply(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_feedback(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_feedback_post(struct ctx *ctx, struct req *rq, struct resp *rs);
int order_http_feedback_answer(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
