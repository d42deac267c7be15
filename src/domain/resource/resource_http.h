/*
 * resource_http.h - the resource module's handlers and body specs.
 */
#ifndef EGOV_RESOURCE_HTTP_H
#define EGOV_RESOURCE_HTTP_H

#include "http/http.h"
#include "http/jv.h"

extern const struct field_spec pool_create_spec[], pool_patch_spec[], allocation_spec[],
    allocation_change_spec[], allocation_use_spec[], allocation_service_start_spec[],
    conformity_assign_spec[], conformity_record_spec[], pool_reason_spec[];

int resource_http_kinds(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pools(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pool(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pool_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pool_update(struct ctx *ctx, struct req *rq, struct resp *rs);
/* POST /api/v1/resource-pools/{id}/<suspend|resume|retire>: the action is the path's last
 * segment. */
int resource_http_pool_act(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pool_history(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_pool_allocations(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_allocations(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_configure(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_change(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_first_use(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_service_start(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_assign(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_tests(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_record(struct ctx *ctx, struct req *rq, struct resp *rs);
int resource_http_publish(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
