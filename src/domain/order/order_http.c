/*
 * order_http.c - handlers of budget lines, orders, their changes and the feedback thread:
 * decode, call the service, encode. No rules here.
 */
#include <stddef.h>
#include <string.h>

#include "order.h"
#include "order_http.h"
#include "app.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

#define BL(f) offsetof(struct budget_line, f)
const struct field_spec budget_line_spec[] = {
    {"user_id", JV_ID, JV_REQUIRED, BL(user_id), 0, 1, 0, NULL, "the user agency"},
    {"fiscal_year", JV_INT, JV_REQUIRED, BL(fiscal_year), 0, 2, 0, NULL, "e.g. 2026"},
    {"code", JV_STRING, JV_REQUIRED, BL(code), 0, 4, 40, NULL,
     "budget item code, unique per agency and year"},
    {"name", JV_STRING, JV_REQUIRED, BL(name), 0, 8, 100, NULL, NULL},
    {"amount_fen", JV_INT, JV_REQUIRED, BL(amount_fen), 0, 16, 0, NULL, "amount in fen"},
    JV_END,
};
#undef BL

#define OI(f) offsetof(struct order_input, f)
const struct field_spec order_apply_spec[] = {
    {"application", JV_STRING, JV_REQUIRED, OI(application), 0, 1, 100, NULL,
     "the application system the order serves"},
    {"justification", JV_STRING, JV_REQUIRED, OI(justification), 0, 2, 2000, NULL,
     "the business need (T5-5.3c)"},
    {"budget_line_id", JV_ID, JV_REQUIRED, OI(budget_line_id), 0, 4, 0, NULL,
     "the agency's budget line that pays (T5-8.2c)"},
    {"estimated_fen", JV_INT, JV_REQUIRED, OI(estimated_fen), 0, 8, 0, NULL,
     "estimated cost in fen, checked against the budget line at approval"},
    {"product_ids", JV_ID_ARRAY, 0, OI(product_ids), OI(n_products), 16, 50, NULL,
     "online products ordered"},
    {"pool_ids", JV_ID_ARRAY, 0, OI(pool_ids), OI(n_pools), 32, 50, NULL,
     "resource pools whose capacity is ordered"},
    {"quantities", JV_POS_ARRAY, 0, OI(quantities), OI(n_quantities), 64, 50, NULL,
     "quantity of each of pool_ids, in the same order"},
    {"service_levels", JV_STR_LIST, 0, OI(service_levels), 0, 128, 50, NULL,
     "service level (basic, standard, premium) of each of pool_ids, in the same order; standard "
     "when absent (GB/T 34077.2 grades prices by it)"},
    JV_END,
};
#undef OI

#define D(f) offsetof(struct order_decision, f)
enum { D_TRIAL = 1, D_RATING = 2 };
const struct field_spec order_approve_spec[] = {
    {"trial_months", JV_INT, 0, D(trial_months), 0, D_TRIAL, 0, NULL,
     "trial period in months from delivery; 6 when absent (T5-7.2d)"},
    {"trial_justification", JV_STRING, 0, D(trial_justification), 0, 4, 2000, NULL,
     "required for a trial shorter than 6 months"},
    {"note", JV_STRING, 0, D(note), 0, 8, 1000, NULL, NULL},
    JV_END,
};
const struct field_spec order_reason_spec[] = {
    {"reason", JV_STRING, 0, D(reason), 0, 1, 1000, NULL,
     "required to refuse or reject; optional to release"},
    JV_END,
};
const struct field_spec order_note_spec[] = {
    {"note", JV_STRING, 0, D(note), 0, 1, 1000, NULL, NULL},
    JV_END,
};
const struct field_spec order_accept_spec[] = {
    {"rating", JV_INT, 0, D(rating), 0, D_RATING, 0, NULL,
     "optional satisfaction rating 1..5: becomes the first feedback"},
    {"comment", JV_STRING, 0, D(comment), 0, 4, 2000, NULL, NULL},
    JV_END,
};
#undef D

static const char *const change_ops[] = {"adjust", "expand", NULL};
#define C(f) offsetof(struct order_change, f)
const struct field_spec order_change_spec[] = {
    {"item_id", JV_ID, JV_REQUIRED, C(item_id), 0, 1, 0, NULL, "a resource-pool item of the order"},
    {"op", JV_STRING, JV_REQUIRED, C(op), 0, 2, 10, change_ops,
     "adjust sets the quantity, expand adds to it"},
    {"quantity", JV_INT, JV_REQUIRED, C(quantity), 0, 4, 0, NULL, NULL},
    {"reason", JV_STRING, JV_REQUIRED, C(reason), 0, 8, 500, NULL, NULL},
    JV_END,
};
#undef C

#define F(f) offsetof(struct feedback, f)
const struct field_spec feedback_spec[] = {
    {"rating", JV_INT, JV_REQUIRED, F(rating), 0, 1, 0, NULL, "satisfaction 1..5"},
    {"comment", JV_STRING, 0, F(comment), 0, 2, 2000, NULL, NULL},
    JV_END,
};
#undef F

const struct field_spec feedback_answer_spec[] = {
    {"text", JV_STRING, JV_REQUIRED, offsetof(struct feedback_answer, text), 0, 1, 2000, NULL,
     "the provider's answer"},
    JV_END,
};

static json_t *budget_to_json(const struct budget_line *b)
{
    json_t *j =
        json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:I,s:o,s:o}", "id", (json_int_t)b->id,
                  "user_id", (json_int_t)b->user_id, "user_name", b->user_name, "fiscal_year",
                  (json_int_t)b->fiscal_year, "code", b->code, "name", b->name, "amount_fen",
                  (json_int_t)b->amount_fen, "used_fen", (json_int_t)b->committed_fen,
                  "remaining_fen", (json_int_t)(b->amount_fen - b->committed_fen), "created_by",
                  j_id(b->created_by), "created_at", j_time(b->created_at));
    json_object_set_new(j, "billed_fen", json_integer(b->billed_fen));
    /* whole per cent, rounded down: 79.99 % is not yet 80 % */
    json_object_set_new(j, "billed_pct",
                        json_integer(b->amount_fen > 0 ? b->billed_fen * 100 / b->amount_fen : 0));
    return j;
}

static json_t *item_to_json(const struct order_item *it)
{
    return json_pack(
        "{s:I,s:o,s:o,s:s,s:s,s:I,s:s,s:o,s:s}", "id", (json_int_t)it->id, "product_id",
        j_id(it->product_id), "pool_id", j_id(it->pool_id), "name", it->name ? it->name : "",
        "unit", it->unit ? it->unit : "", "quantity", (json_int_t)it->quantity, "service_level",
        it->service_level ? it->service_level : "standard", "allocation_id",
        j_id(it->allocation_id), "allocation_status", it->alloc_state ? it->alloc_state : "");
}

static json_t *order_to_json(const struct order *o)
{
    json_t *items = json_array();
    for (int i = 0; i < o->n_items; i++)
        json_array_append_new(items, item_to_json(&o->items[i]));
    json_t *j =
        json_pack("{s:I,s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:s}", "id",
                  (json_int_t)o->id, "user_id", (json_int_t)o->user_id, "user_name",
                  o->user_name ? o->user_name : "", "provider_id", (json_int_t)o->provider_id,
                  "provider_name", o->provider_name ? o->provider_name : "", "budget_line_id",
                  (json_int_t)o->budget_line_id, "budget_code",
                  o->budget_code ? o->budget_code : "", "application", o->application,
                  "justification", o->justification, "estimated_fen", (json_int_t)o->estimated_fen,
                  "state", o->state, "trial_months", (json_int_t)o->trial_months,
                  "trial_justification", o->trial_justification ? o->trial_justification : "",
                  "delivered_on", o->delivered_on ? o->delivered_on : "", "trial_ends_on",
                  o->trial_ends_on ? o->trial_ends_on : "", "accepted_on",
                  o->accepted_on ? o->accepted_on : "");
    json_object_set_new(j, "items", items);
    json_object_set_new(j, "applied_by", j_id(o->applied_by));
    json_object_set_new(j, "created_at", j_time(o->created_at));
    json_object_set_new(j, "updated_at", j_time(o->updated_at));
    json_object_set_new(j, "version", json_integer(o->version));
    return j;
}

static int answer(struct ctx *ctx, struct resp *rs, int status, const struct order *o)
{
    json_t *j = order_to_json(o);
    if (j_actions(ctx, j, &order_lifecycle, o) < 0)
        return -1;
    resp_etag(ctx, rs, o->id, o->version);
    return resp_json(ctx, rs, status, j);
}

int budget_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "user_id", "fiscal_year", NULL};
    struct budget_filter f;
    struct page_req p;
    struct page_info info;
    struct budget_line *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "user_id", &f.user_id) < 0 ||
        q_id(ctx, rq, "fiscal_year", &f.fiscal_year) < 0 ||
        budget_line_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, budget_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int budget_http_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct budget_line in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, budget_line_spec, &in, &has) < 0 ||
        budget_line_create(ctx, &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, budget_to_json(&out));
}

int order_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit",   "cursor",      "state",
                                          "user_id", "provider_id", NULL};
    struct order_filter f;
    struct page_req p;
    struct page_info info;
    struct order *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "user_id", &f.user_id) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_enum(ctx, rq, "state", order_states, &f.state) < 0 ||
        order_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, order_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int order_http_apply(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order_input in;
    struct order out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, order_apply_spec, &in, &has) < 0 || order_apply(ctx, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 201, &out);
}

int order_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order o;
    if (order_get(ctx, rq->params[0], &o) < 0)
        return -1;
    return answer(ctx, rs, 200, &o);
}

typedef int (*decide_fn)(struct ctx *, int64_t, const struct order_decision *, struct order *);

static int decide(struct ctx *ctx, struct req *rq, struct resp *rs, const struct field_spec *spec,
                  decide_fn fn)
{
    struct order_decision d;
    struct order out;
    unsigned has = 0;
    memset(&d, 0, sizeof(d));
    if (body_decode(ctx, rq, spec, &d, &has) < 0)
        return -1;
    d.has_trial_months = (has & D_TRIAL) != 0;
    d.has_rating = (has & D_RATING) != 0;
    if (fn(ctx, rq->params[0], &d, &out) < 0)
        return -1;
    return answer(ctx, rs, 200, &out);
}

int order_http_approve(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_approve_spec, order_approve);
}

int order_http_refuse(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_reason_spec, order_refuse);
}

int order_http_deliver(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_note_spec, order_deliver);
}

int order_http_accept(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_accept_spec, order_accept);
}

int order_http_reject(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_reason_spec, order_reject);
}

int order_http_release(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return decide(ctx, rq, rs, order_reason_spec, order_release);
}

int order_http_transitions(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order_transition *items;
    int n;
    if (order_transitions(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const struct order_transition *t = &items[i];
        json_array_append_new(
            arr, json_pack("{s:I,s:s,s:s,s:s,s:o,s:o,s:s,s:o}", "id", (json_int_t)t->id,
                           "from_state", t->from_state, "to_state", t->to_state, "reason",
                           t->reason, "by_person", j_id(t->by_person), "by_institution",
                           j_id(t->by_institution), "by_name", t->by_name, "at", j_time(t->at)));
    }
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

static json_t *change_to_json(const struct order_change *c)
{
    return json_pack("{s:I,s:I,s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:o,s:o,s:o,s:o}", "id",
                     (json_int_t)c->id, "order_id", (json_int_t)c->order_id, "item_id",
                     (json_int_t)c->item_id, "op", c->op, "quantity", (json_int_t)c->quantity,
                     "reason", c->reason, "status", c->status, "quantity_before",
                     (json_int_t)c->quantity_before, "quantity_after",
                     (json_int_t)c->quantity_after, "requested_by", j_id(c->requested_by),
                     "requested_at", j_time(c->requested_at), "applied_by", j_id(c->applied_by),
                     "applied_at", j_time(c->applied_at));
}

int order_http_changes(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order_change *items;
    int n;
    if (order_changes(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, change_to_json(&items[i]));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int order_http_change_request(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order_change in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, order_change_spec, &in, &has) < 0 ||
        order_change_request(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, change_to_json(&out));
}

int order_http_change_apply(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct order_change out;
    if (order_change_apply(ctx, rq->params[0], rq->params[1], &out) < 0)
        return -1;
    return resp_json(ctx, rs, 200, change_to_json(&out));
}

static json_t *answer_to_json(const struct feedback_answer *a)
{
    return json_pack("{s:I,s:I,s:s,s:o,s:o,s:s,s:o}", "id", (json_int_t)a->id, "feedback_id",
                     (json_int_t)a->feedback_id, "text", a->text, "by_person", j_id(a->by_person),
                     "by_institution", j_id(a->by_institution), "by_name",
                     a->by_name ? a->by_name : "", "created_at", j_time(a->created_at));
}

static json_t *feedback_to_json(const struct feedback *f)
{
    json_t *answers = json_array();
    for (int i = 0; i < f->n_answers; i++)
        json_array_append_new(answers, answer_to_json(&f->answers[i]));
    return json_pack("{s:I,s:I,s:I,s:s,s:o,s:o,s:s,s:o,s:o}", "id", (json_int_t)f->id, "order_id",
                     (json_int_t)f->order_id, "rating", (json_int_t)f->rating, "comment",
                     f->comment ? f->comment : "", "by_person", j_id(f->by_person),
                     "by_institution", j_id(f->by_institution), "by_name",
                     f->by_name ? f->by_name : "", "created_at", j_time(f->created_at), "answers",
                     answers);
}

int order_http_feedback(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct feedback *items;
    int n;
    if (feedback_thread(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, feedback_to_json(&items[i]));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int order_http_feedback_post(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct feedback in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, feedback_spec, &in, &has) < 0 ||
        feedback_post(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, feedback_to_json(&out));
}

int order_http_feedback_answer(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct feedback_answer in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, feedback_answer_spec, &in, &has) < 0 ||
        feedback_answer(ctx, rq->params[0], rq->params[1], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, answer_to_json(&out));
}
