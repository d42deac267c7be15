/*
 * product_http.c - handlers of products, their metrics, lifecycle actions, tests, price basis,
 * documents, recommendation, elimination and the product catalogue.
 */
#include <stddef.h>
#include <string.h>

#include "product.h"
#include "product_http.h"
#include "app.h"
#include "core/arena.h"
#include "domain/resource/resource.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

#define PI(f) offsetof(struct product_input, v.f)
const struct field_spec product_create_spec[] = {
    {"name", JV_STRING, JV_REQUIRED, PI(name), 0, PRODUCT_F_NAME, 100, NULL, NULL},
    {"category", JV_STRING, JV_REQUIRED, PI(category), 0, PRODUCT_F_CATEGORY, 40,
     product_categories, "T5-7.2d"},
    {"description", JV_STRING, JV_REQUIRED, PI(description), 0, PRODUCT_F_DESCRIPTION, 5000, NULL,
     NULL},
    {"region", JV_STRING, JV_REQUIRED, PI(region), 0, PRODUCT_F_REGION, 6, NULL, "GB/T 2260 code"},
    {"pool_ids", JV_ID_ARRAY, 0, PI(pool_ids), PI(n_pools), PRODUCT_F_POOLS, 50, NULL,
     "resource pools of the provider the product is made of"},
    JV_END,
};
const struct field_spec product_patch_spec[] = {
    {"name", JV_STRING, 0, PI(name), 0, PRODUCT_F_NAME, 100, NULL, "draft only"},
    {"category", JV_STRING, 0, PI(category), 0, PRODUCT_F_CATEGORY, 40, product_categories,
     "draft only"},
    {"description", JV_STRING, 0, PI(description), 0, PRODUCT_F_DESCRIPTION, 5000, NULL, NULL},
    {"region", JV_STRING, 0, PI(region), 0, PRODUCT_F_REGION, 6, NULL, NULL},
    {"pool_ids", JV_ID_ARRAY, 0, PI(pool_ids), PI(n_pools), PRODUCT_F_POOLS, 50, NULL,
     "draft only"},
    JV_END,
};
#undef PI

#define M(f) offsetof(struct metric, f)
const struct field_spec metric_spec[] = {
    {"name", JV_STRING, JV_REQUIRED, M(name), 0, 1, 50, NULL, NULL},
    {"unit", JV_STRING, JV_REQUIRED, M(unit), 0, 2, 30, NULL, NULL},
    {"method", JV_STRING, JV_REQUIRED, M(method), 0, 4, 1000, NULL, "how it is measured"},
    {"list_price_fen", JV_INT, JV_REQUIRED, M(list_price_fen), 0, 8, 0, NULL,
     "list price per unit in fen (1 yuan = 100 fen)"},
    JV_END,
};
#undef M

struct reason_body {
    const char *reason;
};
const struct field_spec reason_spec[] = {
    {"reason", JV_STRING, 0, offsetof(struct reason_body, reason), 0, 1, 1000, NULL, NULL},
    JV_END,
};

struct recommend_body {
    bool recommended;
    const char *note;
};
const struct field_spec recommend_spec[] = {
    {"recommended", JV_BOOL, JV_REQUIRED, offsetof(struct recommend_body, recommended), 0, 1, 0,
     NULL, NULL},
    {"note", JV_STRING, 0, offsetof(struct recommend_body, note), 0, 2, 500, NULL, NULL},
    JV_END,
};

struct assign_body {
    int64_t evaluator_id;
};
const struct field_spec product_test_assign_spec[] = {
    {"evaluator_id", JV_ID, JV_REQUIRED, offsetof(struct assign_body, evaluator_id), 0, 1, 0, NULL,
     "an evaluator without interest relation to the provider (T5-8.2f)"},
    JV_END,
};

static const char *const results[] = {"passed", "failed", NULL};
#define T(f) offsetof(struct product_test, f)
const struct field_spec product_test_record_spec[] = {
    {"result", JV_STRING, JV_REQUIRED, T(status), 0, 1, 10, results, NULL},
    {"findings", JV_STRING, 0, T(findings), 0, 2, 5000, NULL, "required when failed"},
    {"report_ref", JV_STRING, JV_REQUIRED, T(report_ref), 0, 4, 100, NULL, NULL},
    {"tested_on", JV_STRING, JV_REQUIRED, T(tested_on), 0, 8, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
#undef T

#define R(f) offsetof(struct price_rate, f)
static const struct field_spec price_rate_spec[] = {
    {"service_level", JV_STRING, JV_REQUIRED, R(service_level), 0, 1, 10, service_levels,
     "GB/T 34077.2 service level"},
    {"tier_from", JV_DECIMAL, JV_REQUIRED, R(tier_from_text), 0, 2, 0, NULL,
     "start of the tier in units of the metric, exact decimal (at most 6 places); the first "
     "tier of a level starts at \"0\""},
    {"unit_price_fen", JV_DECIMAL, JV_REQUIRED, R(unit_price_text), 0, 4, 0, NULL,
     "price per unit in fen within the tier, exact decimal (at most 4 places)"},
    JV_END,
};
#undef R
static const struct jv_items price_rate_items = {price_rate_spec, sizeof(struct price_rate)};

#define B(f) offsetof(struct price_basis, f)
const struct field_spec price_basis_spec[] = {
    {"price_fen", JV_INT, JV_REQUIRED, B(price_fen), 0, 1, 0, NULL, "price basis per unit, fen"},
    {"measurement", JV_STRING, JV_REQUIRED, B(measurement), 0, 2, 2000, NULL,
     "the measurement result the price rests on"},
    {"valid_from", JV_STRING, JV_REQUIRED, B(valid_from), 0, 4, 10, NULL, "YYYY-MM-DD"},
    {"valid_to", JV_STRING, JV_REQUIRED, B(valid_to), 0, 8, 10, NULL, "YYYY-MM-DD"},
    {"rates", JV_OBJ_ARRAY, 0, B(rates), B(n_rates), 16, MAX_PRICE_RATES, &price_rate_items,
     "graded prices by service level in graduated tiers (T5-7.2e); standard required; without "
     "rates price_fen applies at every level"},
    JV_END,
};
#undef B

#define BD(f) offsetof(struct price_backdating, f)
const struct field_spec price_backdating_spec[] = {
    {"valid_from", JV_STRING, JV_REQUIRED, BD(valid_from), 0, 1, 10, NULL,
     "YYYY-MM-DD before the current month (CST): the earliest valid_from allowed"},
    {"reason", JV_STRING, JV_REQUIRED, BD(reason), 0, 2, 1000, NULL,
     "why a price basis of this metric may start in a past month (audited)"},
    JV_END,
};
#undef BD

static const char *const test_statuses[] = {"assigned", "passed", "failed", NULL};
static const char *const doc_kinds[] = {"manual", "training", NULL};
#define D(f) offsetof(struct product_document, f)
const struct field_spec document_spec[] = {
    {"kind", JV_STRING, JV_REQUIRED, D(kind), 0, 1, 10, doc_kinds, "user manual or training"},
    {"title", JV_STRING, JV_REQUIRED, D(title), 0, 2, 200, NULL, NULL},
    {"content", JV_STRING, JV_REQUIRED, D(content), 0, 4, 100000, NULL, NULL},
    {"session_date", JV_STRING, 0, D(session_date), 0, 8, 10, NULL, "for training: YYYY-MM-DD"},
    JV_END,
};
#undef D

static json_t *product_to_json(const struct product *p)
{
    json_t *pools = json_array();
    for (int i = 0; i < p->n_pools; i++)
        json_array_append_new(pools, json_integer(p->pool_ids[i]));
    return json_pack(
        "{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:o,s:o,s:o,s:i}", "id",
        (json_int_t)p->id, "provider_id", (json_int_t)p->provider_id, "provider_name",
        p->provider_name ? p->provider_name : "", "name", p->name, "category", p->category,
        "description", p->description, "state", p->state, "lifecycle_stage",
        product_lifecycle_stage(p->state), "region", p->region, "recommended", p->recommended,
        "recommend_note", p->recommend_note ? p->recommend_note : "", "eliminate_note",
        p->eliminate_note ? p->eliminate_note : "", "latest_test",
        p->latest_test ? p->latest_test : "", "pool_ids", pools, "created_at",
        j_time(p->created_at), "updated_at", j_time(p->updated_at), "version", p->version);
}

static int answer(struct ctx *ctx, struct resp *rs, int status, const struct product *p)
{
    json_t *o = product_to_json(p);
    if (j_actions(ctx, o, &product_lifecycle, p) < 0)
        return -1;
    resp_etag(ctx, rs, p->id, p->version);
    return resp_json(ctx, rs, status, o);
}

int product_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {
        "limit", "cursor", "total", "provider_id", "category", "state", "q", "recommended", NULL};
    struct product_filter f;
    struct page_req p;
    struct page_info info;
    struct product *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_enum(ctx, rq, "category", product_categories, &f.category) < 0 ||
        q_enum(ctx, rq, "state", product_states, &f.state) < 0 ||
        q_text(ctx, rq, "q", 100, &f.q) < 0 || q_bool(ctx, rq, "recommended", &f.recommended) < 0 ||
        product_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, product_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int product_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product p;
    if (product_get(ctx, rq->params[0], &p) < 0)
        return -1;
    return answer(ctx, rs, 200, &p);
}

int product_http_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_input in;
    struct product out;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, product_create_spec, &in, &in.has) < 0 ||
        product_create(ctx, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 201, &out);
}

int product_http_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_input in;
    struct product out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, product_patch_spec, &in, &in.has) < 0 ||
        product_update(ctx, rq->params[0], if_match, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

/* POST /api/v1/products/{id}/<action>: the action is the last segment of the path. */
int product_http_act(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct reason_body b;
    struct product out;
    unsigned has;
    const char *action = strrchr(rq->path, '/') + 1;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, reason_spec, &b, &has) < 0 ||
        product_act(ctx, rq->params[0], action, b.reason, &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

int product_http_recommend(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct recommend_body b;
    struct product out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, recommend_spec, &b, &has) < 0 ||
        product_recommend(ctx, rq->params[0], b.recommended, b.note, &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

int product_http_history(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_transition *items;
    int n;
    if (product_history(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:I,s:s,s:s,s:s,s:s,s:o,s:o,s:o}", "id", (json_int_t)items[i].id,
                      "from_state", items[i].from_state, "to_state", items[i].to_state,
                      "lifecycle_stage", product_lifecycle_stage(items[i].to_state), "reason",
                      items[i].reason, "at", j_time(items[i].at), "by_person",
                      j_id(items[i].by_person), "by_institution", j_id(items[i].by_institution)));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

static json_t *metric_to_json(const struct metric *m)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)m->id, "product_id",
                     (json_int_t)m->product_id, "name", m->name, "unit", m->unit, "method",
                     m->method, "list_price_fen", (json_int_t)m->list_price_fen, "created_at",
                     j_time(m->created_at));
}

int product_http_metrics(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct metric *items;
    int n;
    if (metric_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, metric_to_json(&items[i]));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int product_http_metric_add(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct metric in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, metric_spec, &in, &has) < 0 ||
        metric_add(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, metric_to_json(&out));
}

static json_t *test_to_json(const struct product_test *t)
{
    return json_pack("{s:I,s:I,s:s,s:I,s:I,s:s,s:o,s:s,s:s,s:s,s:s,s:o,s:o}", "id",
                     (json_int_t)t->id, "product_id", (json_int_t)t->product_id, "product_name",
                     t->product_name ? t->product_name : "", "provider_id",
                     (json_int_t)t->provider_id, "evaluator_id", (json_int_t)t->evaluator_id,
                     "evaluator_name", t->evaluator_name ? t->evaluator_name : "", "assigned_by",
                     j_id(t->assigned_by), "status", t->status, "findings", t->findings,
                     "report_ref", t->report_ref, "tested_on", t->tested_on, "created_at",
                     j_time(t->created_at), "updated_at", j_time(t->updated_at));
}

int product_http_test_assign(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct assign_body b;
    struct product_test out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, product_test_assign_spec, &b, &has) < 0 ||
        product_test_assign(ctx, rq->params[0], b.evaluator_id, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, test_to_json(&out));
}

int product_http_test_record(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_test in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, product_test_record_spec, &in, &has) < 0 ||
        product_test_record(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 200, test_to_json(&out));
}

int product_http_tests(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "product_id", "status", NULL};
    struct page_req p;
    struct page_info info;
    struct product_test *items;
    const char *status;
    int64_t product;
    int n;
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "product_id", &product) < 0 ||
        q_enum(ctx, rq, "status", test_statuses, &status) < 0 ||
        product_test_list(ctx, product, status, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, test_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

static json_t *price_to_json(const struct price_basis *b)
{
    json_t *rates = json_array();
    for (int i = 0; i < b->n_rates; i++)
        json_array_append_new(rates,
                              json_pack("{s:s,s:s,s:s}", "service_level", b->rates[i].service_level,
                                        "tier_from", b->rates[i].tier_from_text, "unit_price_fen",
                                        b->rates[i].unit_price_text));
    return json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:o,s:o}", "id", (json_int_t)b->id,
                     "metric_id", (json_int_t)b->metric_id, "metric", b->metric_name, "unit",
                     b->unit, "price_fen", (json_int_t)b->price_fen, "measurement", b->measurement,
                     "valid_from", b->valid_from, "valid_to", b->valid_to, "evaluator_id",
                     (json_int_t)b->evaluator_id, "evaluator",
                     b->evaluator_name ? b->evaluator_name : "", "published_at",
                     j_time(b->published_at), "rates", rates);
}

int product_http_price_publish(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct price_basis in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, price_basis_spec, &in, &has) < 0 ||
        price_basis_publish(ctx, rq->params[0], rq->params[1], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, price_to_json(&out));
}

int product_http_price_backdate(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct price_backdating in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, price_backdating_spec, &in, &has) < 0 ||
        price_backdating_grant(ctx, rq->params[0], rq->params[1], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201,
                     json_pack("{s:I,s:I,s:s,s:s,s:I,s:o,s:o}", "id", (json_int_t)out.id,
                               "metric_id", (json_int_t)out.metric_id, "valid_from", out.valid_from,
                               "reason", out.reason, "management_id", (json_int_t)out.management_id,
                               "granted_by", j_id(out.granted_by), "created_at",
                               j_time(out.created_at)));
}

int product_http_prices(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"on", NULL};
    struct price_basis *items;
    const char *on;
    int n;
    if (q_only(ctx, rq, allowed) < 0 || q_date(ctx, rq, "on", &on) < 0 ||
        price_in_force(ctx, rq->params[0], on, &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, price_to_json(&items[i]));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

static json_t *doc_to_json(const struct product_document *d)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:o}", "id", (json_int_t)d->id, "product_id",
                     (json_int_t)d->product_id, "kind", d->kind, "title", d->title, "content",
                     d->content, "session_date", d->session_date, "created_at",
                     j_time(d->created_at));
}

int product_http_documents(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_document *items;
    int n;
    if (document_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, doc_to_json(&items[i]));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int product_http_document_add(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product_document in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, document_spec, &in, &has) < 0 ||
        document_add(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, doc_to_json(&out));
}

int product_http_candidates(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct product *items;
    int n;
    (void)rq;
    if (product_elimination_candidates(ctx, &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = product_to_json(&items[i]);
        json_object_set_new(o, "candidate_reason", json_string(items[i].candidate_reason));
        json_array_append_new(arr, o);
    }
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int product_http_publish(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    int64_t number;
    int n;
    (void)rq;
    if (product_catalogue_publish(ctx, &number, &n) < 0)
        return -1;
    resp_header(
        ctx, rs, "Location",
        arena_printf(ctx->arena, "/api/v1/catalogues/products/editions/%lld", (long long)number));
    return resp_json(ctx, rs, 201,
                     json_pack("{s:I,s:i}", "edition", (json_int_t)number, "items", n));
}
