/*
 * agreement_http.c - handlers of service agreements and their breaches.
 */
#include <stddef.h>
#include <string.h>

#include "agreement.h"
#include "agreement_http.h"
#include "app.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

#define AI(f) offsetof(struct agreement_input, v.f)
/* Clause names are spelt out here: designated initialisers need constants. */
#define CLAUSE_FIELD(name, i, desc)                                                                \
    {                                                                                              \
        name, JV_STRING, 0, AI(clause[i]), 0, AGR_F_CLAUSE0 << (i), 20000, NULL, desc              \
    }
#define COMMON_FIELDS                                                                              \
    {"title", JV_STRING, 0, AI(title), 0, AGR_F_TITLE, 200, NULL, NULL},                           \
        {"valid_from",                                                                             \
         JV_STRING,                                                                                \
         0,                                                                                        \
         AI(valid_from),                                                                           \
         0,                                                                                        \
         AGR_F_VALID_FROM,                                                                         \
         10,                                                                                       \
         NULL,                                                                                     \
         "effective period, YYYY-MM-DD"},                                                          \
        {"valid_to", JV_STRING, 0, AI(valid_to), 0, AGR_F_VALID_TO, 10, NULL, NULL},               \
        CLAUSE_FIELD("responsibilities", 0, "双方责任: responsibilities of both parties"),         \
        CLAUSE_FIELD("service_content", 1,                                                         \
                     "服务内容: what is provided (items in product_ids, "                      \
                     "pool_ids)"),                                                                 \
        CLAUSE_FIELD("quality_standards", 2,                                                       \
                     "质量考核标准 (targets in availability_bp, *_minutes)"),                      \
        CLAUSE_FIELD("security", 3, "安全保密要求: security and confidentiality"),                 \
        CLAUSE_FIELD("breach_liability", 4, "违约责任: liability for breach"),                     \
        CLAUSE_FIELD("dispute_handling", 5, "处理机制: handling of disputes"),                     \
        CLAUSE_FIELD("ip_ownership", 6, "知识产权归属: intellectual-property ownership"),          \
        CLAUSE_FIELD("performance", 7, "绩效考核要求: performance assessment"),                    \
        CLAUSE_FIELD("fee_payment", 8, "费用支付: fee payment terms"),                             \
        {"availability_bp",                                                                        \
         JV_INT,                                                                                   \
         0,                                                                                        \
         AI(availability_bp),                                                                      \
         0,                                                                                        \
         AGR_F_AVAILABILITY,                                                                       \
         0,                                                                                        \
         NULL,                                                                                     \
         "monthly availability target in basis points (9995 = 99.95 %)"},                          \
        {"response_minutes",                                                                       \
         JV_POS_ARRAY,                                                                             \
         0,                                                                                        \
         AI(response_minutes),                                                                     \
         AI(n_response),                                                                           \
         AGR_F_RESPONSE,                                                                           \
         4,                                                                                        \
         NULL,                                                                                     \
         "response minutes for severities 1..4"},                                                  \
        {"resolution_minutes",                                                                     \
         JV_POS_ARRAY,                                                                             \
         0,                                                                                        \
         AI(resolution_minutes),                                                                   \
         AI(n_resolution),                                                                         \
         AGR_F_RESOLUTION,                                                                         \
         4,                                                                                        \
         NULL,                                                                                     \
         "resolution minutes for severities 1..4"},                                                \
        {"product_ids",  JV_ID_ARRAY, 0,    AI(product_ids),   AI(n_products),                     \
         AGR_F_PRODUCTS, 200,         NULL, "products covered"},                                   \
    {                                                                                              \
        "pool_ids", JV_ID_ARRAY, 0, AI(pool_ids), AI(n_pools), AGR_F_POOLS, 200, NULL,             \
            "resource pools covered"                                                               \
    }

const struct field_spec agreement_create_spec[] = {
    {"provider_id", JV_ID, JV_REQUIRED, AI(provider_id), 0, AGR_F_PROVIDER, 0, NULL, NULL},
    COMMON_FIELDS,
    JV_END,
};
const struct field_spec agreement_patch_spec[] = {
    COMMON_FIELDS,
    JV_END,
};
#undef AI

#define B(f) offsetof(struct breach, f)
const struct field_spec breach_spec[] = {
    {"clause", JV_STRING, JV_REQUIRED, B(clause), 0, 1, 30, agreement_clause_names,
     "the clause that was breached"},
    {"facts", JV_STRING, JV_REQUIRED, B(facts), 0, 2, 5000, NULL, NULL},
    {"evidence", JV_STRING, JV_REQUIRED, B(evidence), 0, 4, 5000, NULL, NULL},
    {"liability", JV_STRING, JV_REQUIRED, B(liability), 0, 8, 2000, NULL,
     "the liability applied under the breach clause"},
    {"occurred_on", JV_STRING, JV_REQUIRED, B(occurred_on), 0, 16, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
#undef B

static json_t *ids(const int64_t *v, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_integer(v[i]));
    return a;
}

static json_t *agreement_to_json(const struct agreement *a)
{
    json_t *clauses = json_object();
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        json_object_set_new(clauses, agreement_clause_names[i],
                            json_string(a->clause[i] ? a->clause[i] : ""));
    json_t *o = json_pack(
        "{s:I,s:I,s:s,s:I,s:s,s:o,s:s,s:i,s:s,s:s,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,"
        "s:o,s:i}",
        "id", (json_int_t)a->id, "management_id", (json_int_t)a->management_id, "management_name",
        a->management_name ? a->management_name : "", "provider_id", (json_int_t)a->provider_id,
        "provider_name", a->provider_name ? a->provider_name : "", "previous_id",
        j_id(a->previous_id), "title", a->title ? a->title : "", "number", a->number, "state",
        a->state, "valid_from", a->valid_from ? a->valid_from : "", "valid_to",
        a->valid_to ? a->valid_to : "", "clauses", clauses, "availability_bp",
        (json_int_t)a->availability_bp, "response_minutes", ids(a->response_minutes, a->n_response),
        "resolution_minutes", ids(a->resolution_minutes, a->n_resolution), "product_ids",
        ids(a->product_ids, a->n_products), "pool_ids", ids(a->pool_ids, a->n_pools),
        "management_signer", j_id(a->management_signer), "management_signed_at",
        j_time(a->management_signed_at), "provider_signer", j_id(a->provider_signer),
        "provider_signed_at", j_time(a->provider_signed_at), "created_at", j_time(a->created_at),
        "updated_at", j_time(a->updated_at), "version", a->version);
    return o;
}

static int answer(struct ctx *ctx, struct resp *rs, int status, const struct agreement *a)
{
    resp_etag(ctx, rs, a->id, a->version);
    return resp_json(ctx, rs, status, agreement_to_json(a));
}

int agreement_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor",          "total", "provider_id",
                                          "state", "expiring_before", NULL};
    struct agreement_filter f;
    struct page_req p;
    struct page_info info;
    struct agreement *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_enum(ctx, rq, "state", agreement_states, &f.state) < 0 ||
        q_date(ctx, rq, "expiring_before", &f.expiring_before) < 0 ||
        agreement_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, agreement_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int agreement_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct agreement a;
    if (agreement_get(ctx, rq->params[0], &a) < 0)
        return -1;
    return answer(ctx, rs, 200, &a);
}

int agreement_http_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct agreement_input in;
    struct agreement out;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, agreement_create_spec, &in, &in.has) < 0 ||
        agreement_create(ctx, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 201, &out);
}

int agreement_http_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct agreement_input in;
    struct agreement out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, agreement_patch_spec, &in, &in.has) < 0 ||
        agreement_update(ctx, rq->params[0], if_match, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

int agreement_http_sign(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct agreement out;
    if (agreement_sign(ctx, rq->params[0], &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

int agreement_http_amend(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct agreement out;
    if (agreement_amend(ctx, rq->params[0], &out) < 0)
        return -1;
    return answer(ctx, rs, 201, &out);
}

int agreement_http_breaches(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct breach *items;
    int n;
    if (breach_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    struct page_info info = {0, n};
    return resp_page(ctx, rs, &breach_entity, items, n, &info);
}

int agreement_http_breach(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct breach in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, breach_spec, &in, &has) < 0 ||
        breach_record(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 201, &breach_entity, &out);
}
