/*
 * resource_http.c - handlers of resource kinds, pools, allocations, conformity tests and the
 * resource catalogue (including its public, signed editions).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "resource.h"
#include "resource_http.h"
#include "app.h"
#include "core/arena.h"
#include "domain/catalogue/catalogue.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

static const char *const allocation_statuses[] = {"active", "released", NULL};
static const char *const test_statuses[] = {"assigned", "passed", "failed", NULL};

#define PI(f) offsetof(struct pool_input, v.f)
const struct field_spec pool_create_spec[] = {
    {"provider_id", JV_ID, 0, PI(provider_id), 0, POOL_F_PROVIDER, 0, NULL,
     "defaults to the caller's own provider institution"},
    {"name", JV_STRING, JV_REQUIRED, PI(name), 0, POOL_F_NAME, 100, NULL, NULL},
    {"kind", JV_STRING, JV_REQUIRED, PI(kind), 0, POOL_F_KIND, 30, resource_kinds, "T5-6.1"},
    {"unit", JV_STRING, JV_REQUIRED, PI(unit), 0, POOL_F_UNIT, 30, NULL,
     "a unit of the kind: GET /api/v1/resource-kinds"},
    {"specification", JV_STRING, JV_REQUIRED, PI(specification), 0, POOL_F_SPEC, 2000, NULL, NULL},
    {"capacity", JV_INT, JV_REQUIRED, PI(capacity), 0, POOL_F_CAPACITY, 0, NULL,
     "total quantity in the unit"},
    {"region", JV_STRING, JV_REQUIRED, PI(region), 0, POOL_F_REGION, 6, NULL, "GB/T 2260 code"},
    {"security_level", JV_INT, JV_REQUIRED, PI(security_level), 0, POOL_F_LEVEL, 0, NULL,
     "classified-protection level 1-4 the pool is approved for"},
    {"status", JV_STRING, 0, PI(status), 0, POOL_F_STATUS, 20, pool_statuses, NULL},
    JV_END,
};
const struct field_spec pool_patch_spec[] = {
    {"name", JV_STRING, 0, PI(name), 0, POOL_F_NAME, 100, NULL, NULL},
    {"specification", JV_STRING, 0, PI(specification), 0, POOL_F_SPEC, 2000, NULL, NULL},
    {"capacity", JV_INT, 0, PI(capacity), 0, POOL_F_CAPACITY, 0, NULL,
     "cannot go below what is allocated"},
    {"region", JV_STRING, 0, PI(region), 0, POOL_F_REGION, 6, NULL, NULL},
    {"security_level", JV_INT, 0, PI(security_level), 0, POOL_F_LEVEL, 0, NULL, NULL},
    {"status", JV_STRING, 0, PI(status), 0, POOL_F_STATUS, 20, pool_statuses, NULL},
    JV_END,
};
#undef PI

#define A(f) offsetof(struct allocation, f)
const struct field_spec allocation_spec[] = {
    {"user_id", JV_ID, 0, A(user_id), 0, 1, 0, NULL, "the user agency"},
    {"user_uscc", JV_STRING, 0, A(user_uscc), 0, 16, 18, NULL,
     "the user agency's credit code, instead of user_id"},
    {"application", JV_STRING, JV_REQUIRED, A(application), 0, 2, 100, NULL,
     "the application system the resources serve"},
    {"quantity", JV_INT, JV_REQUIRED, A(quantity), 0, 4, 0, NULL, NULL},
    {"use_by", JV_STRING, 0, A(use_by), 0, 8, 10, NULL,
     "agreed date of first use; unused after it, the allocation is flagged for reclamation"},
    {"service_level", JV_STRING, 0, A(service_level), 0, 32, 10, service_levels,
     "GB/T 34077.2 service level the resources are delivered at (prices are graded by it); "
     "standard when absent"},
    JV_END,
};
#undef A

struct change_body {
    const char *op;
    int64_t quantity;
    const char *reason;
};
static const char *const ops[] = {"adjust", "expand", "release", NULL};
const struct field_spec allocation_change_spec[] = {
    {"op", JV_STRING, JV_REQUIRED, offsetof(struct change_body, op), 0, 1, 10, ops,
     "adjust sets the quantity, expand adds to it, release frees it"},
    {"quantity", JV_INT, 0, offsetof(struct change_body, quantity), 0, 2, 0, NULL, NULL},
    {"reason", JV_STRING, 0, offsetof(struct change_body, reason), 0, 4, 500, NULL, NULL},
    JV_END,
};

struct use_body {
    const char *first_used_on;
};
const struct field_spec allocation_use_spec[] = {
    {"first_used_on", JV_STRING, 0, offsetof(struct use_body, first_used_on), 0, 1, 10, NULL,
     "YYYY-MM-DD, default today"},
    JV_END,
};

struct service_start_body {
    const char *service_start, *service_start_reason;
};
const struct field_spec allocation_service_start_spec[] = {
    {"service_start", JV_STRING, JV_REQUIRED, offsetof(struct service_start_body, service_start), 0,
     1, 40, NULL,
     "RFC 3339; before the allocation's creation: usage is accepted from this time on"},
    {"service_start_reason", JV_STRING, JV_REQUIRED,
     offsetof(struct service_start_body, service_start_reason), 0, 2, 500, NULL,
     "why the service started before the allocation (e.g. migrated onto the platform)"},
    JV_END,
};

struct assign_body {
    int64_t evaluator_id;
};
const struct field_spec conformity_assign_spec[] = {
    {"evaluator_id", JV_ID, JV_REQUIRED, offsetof(struct assign_body, evaluator_id), 0, 1, 0, NULL,
     "an evaluator without interest relation to the provider (T5-8.2f)"},
    JV_END,
};

static const char *const results[] = {"passed", "failed", NULL};
#define T(f) offsetof(struct conformity_test, f)
const struct field_spec conformity_record_spec[] = {
    {"result", JV_STRING, JV_REQUIRED, T(status), 0, 1, 10, results, NULL},
    {"findings", JV_STRING, 0, T(findings), 0, 2, 5000, NULL, "required when failed"},
    {"report_ref", JV_STRING, JV_REQUIRED, T(report_ref), 0, 4, 100, NULL, NULL},
    {"tested_on", JV_STRING, JV_REQUIRED, T(tested_on), 0, 8, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
#undef T

int resource_http_kinds(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    (void)rq;
    json_t *kinds = json_array();
    for (int k = 0; resource_kinds[k]; k++) {
        json_t *units = json_array();
        for (int u = 0; u < n_resource_units; u++)
            if (!strcmp(resource_units[u].kind, resource_kinds[k]))
                json_array_append_new(units,
                                      json_pack("{s:s,s:s,s:s}", "code", resource_units[u].code,
                                                "name_zh", resource_units[u].name_zh, "name_en",
                                                resource_units[u].name_en));
        json_array_append_new(kinds,
                              json_pack("{s:s,s:o}", "kind", resource_kinds[k], "units", units));
    }
    struct page_info info = {0, json_array_size(kinds)};
    return resp_json(ctx, rs, 200, j_page(kinds, &info));
}

/* The pool as answered: free is derived from the figures it was read or changed with; one pool
 * carries the lifecycle actions the caller may take on it now. */
static int answer_pool(struct ctx *ctx, struct resp *rs, int status, struct pool *p)
{
    p->n_free = p->capacity - p->allocated;
    resp_etag(ctx, rs, p->id, p->version);
    return resp_entity_actions(ctx, rs, status, &pool_entity, p, &pool_lifecycle);
}

int resource_http_pools(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "total",  "provider_id",
                                          "kind",  "region", "status", NULL};
    struct pool_filter f;
    struct page_req p;
    struct page_info info;
    struct pool *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_enum(ctx, rq, "kind", resource_kinds, &f.kind) < 0 ||
        q_region(ctx, rq, "region", false, &f.region) < 0 ||
        q_enum(ctx, rq, "status", pool_statuses, &f.status) < 0 ||
        pool_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        items[i].n_free = items[i].capacity - items[i].allocated;
    return resp_page(ctx, rs, &pool_entity, items, n, &info);
}

int resource_http_pool(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct pool p;
    if (pool_get(ctx, rq->params[0], &p) < 0)
        return -1;
    return answer_pool(ctx, rs, 200, &p);
}

struct pool_reason_body {
    const char *reason;
};
const struct field_spec pool_reason_spec[] = {
    {"reason", JV_STRING, 0, offsetof(struct pool_reason_body, reason), 0, 1, 1000, NULL, NULL},
    JV_END,
};

int resource_http_pool_act(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct pool_reason_body b;
    struct pool out;
    unsigned has;
    const char *action = strrchr(rq->path, '/') + 1;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, pool_reason_spec, &b, &has) < 0 ||
        pool_act(ctx, rq->params[0], action, b.reason, &out) < 0)
        return -1;
    return answer_pool(ctx, rs, 200, &out);
}

int resource_http_pool_history(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct pool_transition *items;
    int n;
    if (pool_history(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)items[i].id,
                      "from_state", items[i].from_state, "to_state", items[i].to_state,
                      "lifecycle_stage", pool_lifecycle_stage(items[i].to_state), "reason",
                      items[i].reason, "at", j_time(items[i].at), "by_person",
                      j_id(items[i].by_person), "by_institution", j_id(items[i].by_institution)));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int resource_http_pool_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct pool_input in;
    struct pool out;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, pool_create_spec, &in, &in.has) < 0 || pool_create(ctx, &in, &out) < 0)
        return -1;
    return answer_pool(ctx, rs, 201, &out);
}

int resource_http_pool_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct pool_input in;
    struct pool out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, pool_patch_spec, &in, &in.has) < 0 ||
        pool_update(ctx, rq->params[0], if_match, &in, &out) < 0)
        return -1;
    return answer_pool(ctx, rs, 200, &out);
}

static int list_allocations(struct ctx *ctx, struct req *rq, struct resp *rs, int64_t pool)
{
    static const char *const allowed[] = {"limit",  "cursor",      "pool_id", "user_id",
                                          "status", "reclaimable", NULL};
    struct allocation_filter f;
    struct page_req p;
    struct page_info info;
    struct allocation *items;
    int n, reclaimable;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "pool_id", &f.pool_id) < 0 || q_id(ctx, rq, "user_id", &f.user_id) < 0 ||
        q_enum(ctx, rq, "status", allocation_statuses, &f.status) < 0 ||
        q_bool(ctx, rq, "reclaimable", &reclaimable) < 0)
        return -1;
    f.reclaimable_only = reclaimable == 1;
    if (pool)
        f.pool_id = pool;
    if (allocation_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    return resp_page(ctx, rs, &allocation_entity, items, n, &info);
}

int resource_http_pool_allocations(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_allocations(ctx, rq, rs, rq->params[0]);
}

int resource_http_allocations(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_allocations(ctx, rq, rs, 0);
}

int resource_http_configure(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct allocation in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, allocation_spec, &in, &has) < 0 ||
        allocation_configure(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 201, &allocation_entity, &out);
}

int resource_http_change(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct change_body b;
    struct allocation out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, allocation_change_spec, &b, &has) < 0 ||
        allocation_change(ctx, rq->params[0], rq->params[1], b.op, b.quantity, b.reason, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 200, &allocation_entity, &out);
}

int resource_http_first_use(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct use_body b;
    struct allocation out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, allocation_use_spec, &b, &has) < 0 ||
        allocation_mark_used(ctx, rq->params[0], rq->params[1], b.first_used_on, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 200, &allocation_entity, &out);
}

int resource_http_service_start(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct service_start_body b;
    struct allocation out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, allocation_service_start_spec, &b, &has) < 0 ||
        allocation_set_service_start(ctx, rq->params[0], rq->params[1], b.service_start,
                                     b.service_start_reason, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 200, &allocation_entity, &out);
}

int resource_http_assign(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct assign_body b;
    struct conformity_test out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, conformity_assign_spec, &b, &has) < 0 ||
        conformity_assign(ctx, rq->params[0], b.evaluator_id, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 201, &conformity_test_entity, &out);
}

int resource_http_tests(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "pool_id", "status", NULL};
    struct page_req p;
    struct page_info info;
    struct conformity_test *items;
    const char *status;
    int64_t pool;
    int n;
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "pool_id", &pool) < 0 ||
        q_enum(ctx, rq, "status", test_statuses, &status) < 0 ||
        conformity_list(ctx, pool, status, &p, &items, &n, &info) < 0)
        return -1;
    return resp_page(ctx, rs, &conformity_test_entity, items, n, &info);
}

int resource_http_record(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct conformity_test in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, conformity_record_spec, &in, &has) < 0 ||
        conformity_record(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 200, &conformity_test_entity, &out);
}

int resource_http_publish(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    int64_t number;
    int n;
    (void)rq;
    if (resource_catalogue_publish(ctx, &number, &n) < 0)
        return -1;
    resp_header(
        ctx, rs, "Location",
        arena_printf(ctx->arena, "/api/v1/catalogues/resources/editions/%lld", (long long)number));
    return resp_json(ctx, rs, 201,
                     json_pack("{s:I,s:i}", "edition", (json_int_t)number, "items", n));
}
