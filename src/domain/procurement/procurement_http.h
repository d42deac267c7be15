/*
 * procurement_http.h - the procurement module's handlers and body specs.
 */
#ifndef EGOV_PROCUREMENT_HTTP_H
#define EGOV_PROCUREMENT_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec project_declare_spec[], project_budget_spec[],
    project_transition_spec[], lot_spec[], bid_spec[], award_spec[], supervisor_spec[],
    milestone_spec[], milestone_patch_spec[], supervision_record_spec[], evaluation_spec[],
    bar_spec[], bar_lift_spec[];

int proc_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_declare(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_budget(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_transition(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_history(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_lot_add(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_bids(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_bid(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_award(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_supervisor(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_milestones(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_milestone_add(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_milestone_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_records(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_record_add(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_evaluate(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_bars(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_bar(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_bar_lift(struct ctx *ctx, struct req *rq, struct resp *rs);
int proc_http_market(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
