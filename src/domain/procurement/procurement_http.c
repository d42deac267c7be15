/*
 * procurement_http.c - handlers of procurement projects, lots, bids, awards, supervision,
 * evaluation, provider bars and the market-concentration view: decode, call the service,
 * encode. No rule and no SQL here.
 */
#include <stddef.h>
#include <string.h>

#include "procurement.h"
#include "procurement_http.h"
#include "app.h"
#include "domain/product/product.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

struct budget_body {
    int64_t fiscal_year, amount_fen;
    const char *budget_line;
};
struct transition_body {
    const char *to, *reason;
};
struct id_body {
    int64_t id;
};
struct evaluation_body {
    int64_t score;
    const char *findings;
};
struct reason_body {
    const char *reason;
};

#define PJ(f) offsetof(struct project, f)
const struct field_spec project_declare_spec[] = {
    {"title", JV_STRING, JV_REQUIRED, PJ(title), 0, 1, 200, NULL, "what is to be procured"},
    {"description", JV_STRING, 0, PJ(description), 0, 2, 5000, NULL,
     "need, scope and expected outcome"},
    {"subject", JV_STRING, JV_REQUIRED, PJ(subject), 0, 4, 20, project_subjects,
     "resources (T5-6.2a) or products (T5-7.2c)"},
    {"requested_fen", JV_INT, 0, PJ(requested_fen), 0, 8, 0, NULL,
     "the declarant's estimate in fen"},
    {"region", JV_STRING, 0, PJ(region), 0, 16, 6, NULL,
     "GB/T 2260 code of the region served (default: the declarant's)"},
    JV_END,
};
#undef PJ

#define BB(f) offsetof(struct budget_body, f)
const struct field_spec project_budget_spec[] = {
    {"fiscal_year", JV_INT, JV_REQUIRED, BB(fiscal_year), 0, 1, 0, NULL, "预算年度"},
    {"amount_fen", JV_INT, JV_REQUIRED, BB(amount_fen), 0, 2, 0, NULL, "budget in fen"},
    {"budget_line", JV_STRING, JV_REQUIRED, BB(budget_line), 0, 4, 64, NULL,
     "code of the budget line (预算科目) it is paid from"},
    JV_END,
};
#undef BB

const struct field_spec project_transition_spec[] = {
    {"to", JV_STRING, JV_REQUIRED, offsetof(struct transition_body, to), 0, 1, 20, project_targets,
     "the next stage, or cancelled"},
    {"reason", JV_STRING, 0, offsetof(struct transition_body, reason), 0, 2, 2000, NULL,
     "required to cancel"},
    JV_END,
};

#define LT(f) offsetof(struct lot, f)
const struct field_spec lot_spec[] = {
    {"category", JV_STRING, JV_REQUIRED, LT(category), 0, 1, 40, product_categories,
     "product category of the lot (T5-7.2d)"},
    {"title", JV_STRING, JV_REQUIRED, LT(title), 0, 2, 200, NULL, NULL},
    {"budget_fen", JV_INT, JV_REQUIRED, LT(budget_fen), 0, 4, 0, NULL,
     "part of the project budget, in fen"},
    JV_END,
};
#undef LT

#define BD(f) offsetof(struct bid, f)
const struct field_spec bid_spec[] = {
    {"lot_id", JV_ID, JV_REQUIRED, BD(lot_id), 0, 1, 0, NULL, NULL},
    {"amount_fen", JV_INT, JV_REQUIRED, BD(amount_fen), 0, 2, 0, NULL,
     "at most the lot's budget, in fen"},
    {"note", JV_STRING, 0, BD(note), 0, 4, 2000, NULL, NULL},
    JV_END,
};
#undef BD

const struct field_spec award_spec[] = {
    {"bid_id", JV_ID, JV_REQUIRED, offsetof(struct id_body, id), 0, 1, 0, NULL,
     "the winning bid; the award amount is its amount"},
    JV_END,
};
const struct field_spec supervisor_spec[] = {
    {"evaluator_id", JV_ID, JV_REQUIRED, offsetof(struct id_body, id), 0, 1, 0, NULL,
     "an evaluation agency with no interest relation with any awarded provider (T5-8.2f)"},
    JV_END,
};

#define MS(f) offsetof(struct milestone, f)
const struct field_spec milestone_spec[] = {
    {"title", JV_STRING, JV_REQUIRED, MS(title), 0, MS_F_TITLE, 200, NULL, NULL},
    {"due_on", JV_STRING, JV_REQUIRED, MS(due_on), 0, MS_F_DUE_ON, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
const struct field_spec milestone_patch_spec[] = {
    {"title", JV_STRING, 0, MS(title), 0, MS_F_TITLE, 200, NULL, NULL},
    {"due_on", JV_STRING, 0, MS(due_on), 0, MS_F_DUE_ON, 10, NULL, "YYYY-MM-DD"},
    {"done_on", JV_STRING, JV_NULLABLE, MS(done_on), 0, MS_F_DONE_ON, 10, NULL,
     "YYYY-MM-DD when it was reached; null reopens it"},
    JV_END,
};
#undef MS

#define SR(f) offsetof(struct supervision_record, f)
const struct field_spec supervision_record_spec[] = {
    {"milestone_id", JV_ID, 0, SR(milestone_id), 0, 1, 0, NULL, "the milestone it concerns"},
    {"observation", JV_STRING, JV_REQUIRED, SR(observation), 0, 2, 5000, NULL, "监理意见"},
    {"conclusion", JV_STRING, JV_REQUIRED, SR(conclusion), 0, 4, 30, supervision_conclusions, NULL},
    {"recorded_on", JV_STRING, 0, SR(recorded_on), 0, 8, 10, NULL, "YYYY-MM-DD (default today)"},
    JV_END,
};
#undef SR

const struct field_spec evaluation_spec[] = {
    {"score", JV_INT, JV_REQUIRED, offsetof(struct evaluation_body, score), 0, 1, 0, NULL,
     "performance score, 0 to 100"},
    {"findings", JV_STRING, JV_REQUIRED, offsetof(struct evaluation_body, findings), 0, 2, 5000,
     NULL, "绩效评价结论"},
    JV_END,
};

#define BR(f) offsetof(struct provider_bar, f)
const struct field_spec bar_spec[] = {
    {"provider_id", JV_ID, JV_REQUIRED, BR(provider_id), 0, 1, 0, NULL, NULL},
    {"reason", JV_STRING, JV_REQUIRED, BR(reason), 0, 2, 500, NULL, NULL},
    {"valid_from", JV_STRING, JV_REQUIRED, BR(valid_from), 0, 4, 10, NULL, "YYYY-MM-DD"},
    {"valid_to", JV_STRING, JV_REQUIRED, BR(valid_to), 0, 8, 10, NULL,
     "YYYY-MM-DD, last day of the bar"},
    JV_END,
};
#undef BR
const struct field_spec bar_lift_spec[] = {
    {"reason", JV_STRING, JV_REQUIRED, offsetof(struct reason_body, reason), 0, 1, 500, NULL, NULL},
    JV_END,
};

static const char *nz(const char *s)
{
    return s ? s : "";
}

static json_t *lot_to_json(const struct lot *l)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:I,s:o,s:o,s:s,s:I,s:s,s:o,s:i,s:o}", "id",
                     (json_int_t)l->id, "project_id", (json_int_t)l->project_id, "category",
                     nz(l->category), "title", nz(l->title), "budget_fen",
                     (json_int_t)l->budget_fen, "awarded_bid_id", j_id(l->awarded_bid_id),
                     "awarded_provider_id", j_id(l->awarded_provider_id), "awarded_provider_name",
                     nz(l->awarded_provider_name), "award_fen", (json_int_t)l->award_fen,
                     "awarded_on", nz(l->awarded_on), "awarded_at", j_time(l->awarded_at), "bids",
                     l->n_bids, "created_at", j_time(l->created_at));
}

static json_t *project_to_json(const struct project *p, bool with_lots)
{
    json_t *o = json_pack(
        "{s:I,s:s,s:s,s:s,s:s,s:s,s:I,s:s,s:o,s:I,s:s,s:I,s:i,s:I,s:s,s:o,s:s,s:o,s:s,s:o,s:o,"
        "s:s,s:o,s:o,s:i}",
        "id", (json_int_t)p->id, "title", nz(p->title), "description", nz(p->description),
        "subject", nz(p->subject), "state", nz(p->state), "region", nz(p->region), "declared_by",
        (json_int_t)p->declared_by, "declared_by_name", nz(p->declared_by_name),
        "declared_by_person", j_id(p->declared_by_person), "management_id",
        (json_int_t)p->management_id, "management_name", nz(p->management_name), "requested_fen",
        (json_int_t)p->requested_fen, "fiscal_year", p->fiscal_year, "budget_fen",
        (json_int_t)p->budget_fen, "budget_line", nz(p->budget_line), "supervisor_id",
        j_id(p->supervisor_id), "supervisor_name", nz(p->supervisor_name), "score",
        p->score >= 0 ? json_integer(p->score) : json_null(), "findings", nz(p->findings),
        "evaluated_by", j_id(p->evaluated_by), "evaluated_at", j_time(p->evaluated_at),
        "cancel_reason", nz(p->cancel_reason), "created_at", j_time(p->created_at), "updated_at",
        j_time(p->updated_at), "version", p->version);
    if (with_lots) {
        json_t *lots = json_array();
        for (int i = 0; i < p->n_lots; i++)
            json_array_append_new(lots, lot_to_json(&p->lots[i]));
        json_object_set_new(o, "lots", lots);
    }
    return o;
}

static int answer(struct ctx *ctx, struct resp *rs, int status, const struct project *p)
{
    json_t *o = project_to_json(p, true);
    if (j_actions(ctx, o, &project_lifecycle, p) < 0)
        return -1;
    resp_etag(ctx, rs, p->id, p->version);
    return resp_json(ctx, rs, status, o);
}

/* The answer of a write that changed the project: re-read with its lots. */
static int answer_fresh(struct ctx *ctx, struct resp *rs, int64_t id)
{
    struct project p;
    if (project_get(ctx, id, &p) < 0)
        return -1;
    return answer(ctx, rs, 200, &p);
}

static json_t *items_page(json_t *arr)
{
    struct page_info info = {0, (int64_t)json_array_size(arr)};
    return j_page(arr, &info);
}

int proc_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "state", "region", NULL};
    struct project_filter f;
    struct page_req p;
    struct page_info info;
    struct project *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_enum(ctx, rq, "state", project_states, &f.state) < 0 ||
        q_region(ctx, rq, "region", false, &f.region) < 0 ||
        project_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, project_to_json(&items[i], false));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int proc_http_declare(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct project in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, project_declare_spec, &in, &has) < 0 ||
        project_declare(ctx, &in, &out) < 0)
        return -1;
    return answer(ctx, rs, 201, &out);
}

int proc_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return answer_fresh(ctx, rs, rq->params[0]);
}

int proc_http_budget(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct budget_body b;
    struct project out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, project_budget_spec, &b, &has) < 0)
        return -1;
    if (b.fiscal_year < 0 || b.fiscal_year > 9999)
        return err_field(&ctx->err, "fiscal_year", "range", "fiscal_year is a year");
    if (project_budget(ctx, rq->params[0], (int)b.fiscal_year, b.amount_fen, b.budget_line, &out) <
        0)
        return -1;
    return answer_fresh(ctx, rs, out.id);
}

int proc_http_transition(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct transition_body b;
    struct project out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, project_transition_spec, &b, &has) < 0 ||
        project_transition(ctx, rq->params[0], b.to, b.reason, &out) < 0)
        return -1;
    return answer_fresh(ctx, rs, out.id);
}

int proc_http_history(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct project_transition *items;
    int n;
    if (project_history(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I,s:I,s:s,s:s,s:s,s:o,s:o,s:o}", "id",
                                             (json_int_t)items[i].id, "project_id",
                                             (json_int_t)items[i].project_id, "from_state",
                                             items[i].from_state, "to_state", items[i].to_state,
                                             "reason", items[i].reason, "at", j_time(items[i].at),
                                             "by_person", j_id(items[i].by_person),
                                             "by_institution", j_id(items[i].by_institution)));
    return resp_json(ctx, rs, 200, items_page(arr));
}

int proc_http_lot_add(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct lot in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, lot_spec, &in, &has) < 0 || lot_add(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, lot_to_json(&out));
}

static json_t *bid_to_json(const struct bid *b)
{
    return json_pack(
        "{s:I,s:I,s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:o,s:o,s:o,s:i}", "id", (json_int_t)b->id,
        "project_id", (json_int_t)b->project_id, "lot_id", (json_int_t)b->lot_id, "lot_title",
        nz(b->lot_title), "provider_id", (json_int_t)b->provider_id, "provider_name",
        nz(b->provider_name), "amount_fen", (json_int_t)b->amount_fen, "note", nz(b->note),
        "status", nz(b->status), "submitted_by", j_id(b->submitted_by), "created_at",
        j_time(b->created_at), "updated_at", j_time(b->updated_at), "version", b->version);
}

int proc_http_bids(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct bid *items;
    int n;
    if (bid_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, bid_to_json(&items[i]));
    return resp_json(ctx, rs, 200, items_page(arr));
}

int proc_http_bid(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct bid in, out;
    unsigned has;
    bool created = false;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, bid_spec, &in, &has) < 0 ||
        bid_submit(ctx, rq->params[0], &in, &out, &created) < 0)
        return -1;
    (void)created; /* a first bid and a revision answer alike: the lot has one bid of yours */
    return resp_json(ctx, rs, 200, bid_to_json(&out));
}

int proc_http_award(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct id_body b;
    struct lot out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, award_spec, &b, &has) < 0 ||
        award_make(ctx, rq->params[0], b.id, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, lot_to_json(&out));
}

int proc_http_supervisor(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct id_body b;
    struct project out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, supervisor_spec, &b, &has) < 0 ||
        project_assign_supervisor(ctx, rq->params[0], b.id, &out) < 0)
        return -1;
    return answer_fresh(ctx, rs, out.id);
}

static json_t *milestone_to_json(const struct milestone *m)
{
    return json_pack("{s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:i}", "id", (json_int_t)m->id, "project_id",
                     (json_int_t)m->project_id, "title", nz(m->title), "due_on", nz(m->due_on),
                     "done_on", m->done_on && *m->done_on ? json_string(m->done_on) : json_null(),
                     "created_at", j_time(m->created_at), "updated_at", j_time(m->updated_at),
                     "version", m->version);
}

int proc_http_milestones(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct milestone *items;
    int n;
    if (milestone_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, milestone_to_json(&items[i]));
    return resp_json(ctx, rs, 200, items_page(arr));
}

int proc_http_milestone_add(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct milestone in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, milestone_spec, &in, &has) < 0 ||
        milestone_add(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    resp_etag(ctx, rs, out.id, out.version);
    return resp_json(ctx, rs, 201, milestone_to_json(&out));
}

int proc_http_milestone_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct milestone in, out;
    unsigned has;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, milestone_patch_spec, &in, &has) < 0 ||
        milestone_update(ctx, rq->params[0], rq->params[1], if_match, has, &in, &out) < 0)
        return -1;
    resp_etag(ctx, rs, out.id, out.version);
    return resp_json(ctx, rs, 200, milestone_to_json(&out));
}

static json_t *record_to_json(const struct supervision_record *r)
{
    return json_pack("{s:I,s:I,s:o,s:I,s:s,s:s,s:s,s:s,s:o,s:o}", "id", (json_int_t)r->id,
                     "project_id", (json_int_t)r->project_id, "milestone_id", j_id(r->milestone_id),
                     "evaluator_id", (json_int_t)r->evaluator_id, "evaluator_name",
                     nz(r->evaluator_name), "observation", nz(r->observation), "conclusion",
                     nz(r->conclusion), "recorded_on", nz(r->recorded_on), "recorded_by",
                     j_id(r->recorded_by), "created_at", j_time(r->created_at));
}

int proc_http_records(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct supervision_record *items;
    int n;
    if (supervision_record_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, record_to_json(&items[i]));
    return resp_json(ctx, rs, 200, items_page(arr));
}

int proc_http_record_add(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct supervision_record in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, supervision_record_spec, &in, &has) < 0 ||
        supervision_record_add(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, record_to_json(&out));
}

int proc_http_evaluate(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct evaluation_body b;
    struct project out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, evaluation_spec, &b, &has) < 0)
        return -1;
    if (b.score < 0 || b.score > 100)
        return err_field(&ctx->err, "score", "range", "score is from 0 to 100");
    if (project_evaluate(ctx, rq->params[0], (int)b.score, b.findings, &out) < 0)
        return -1;
    return answer_fresh(ctx, rs, out.id);
}

static json_t *bar_to_json(const struct provider_bar *b)
{
    return json_pack("{s:I,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:s}", "id",
                     (json_int_t)b->id, "provider_id", (json_int_t)b->provider_id, "provider_name",
                     nz(b->provider_name), "management_id", (json_int_t)b->management_id,
                     "management_name", nz(b->management_name), "reason", nz(b->reason),
                     "valid_from", nz(b->valid_from), "valid_to", nz(b->valid_to), "in_force",
                     b->in_force, "created_by", j_id(b->created_by), "created_at",
                     j_time(b->created_at), "lifted_at", j_time(b->lifted_at), "lifted_by",
                     j_id(b->lifted_by), "lift_reason", nz(b->lift_reason));
}

int proc_http_bars(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "provider_id", "in_force", NULL};
    struct bar_filter f;
    struct page_req p;
    struct page_info info;
    struct provider_bar *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_bool(ctx, rq, "in_force", &f.in_force) < 0 ||
        bar_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, bar_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int proc_http_bar(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct provider_bar in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, bar_spec, &in, &has) < 0 || bar_create(ctx, &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 201, bar_to_json(&out));
}

int proc_http_bar_lift(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct reason_body b;
    struct provider_bar out;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, bar_lift_spec, &b, &has) < 0 ||
        bar_lift(ctx, rq->params[0], b.reason, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 200, bar_to_json(&out));
}

int proc_http_market(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"from", "to", "region", "category", NULL};
    struct market_query q;
    struct market_group *groups;
    int n;
    int64_t threshold;
    memset(&q, 0, sizeof(q));
    /* The category is checked by the service together with the order of from and to, so that
     * both are named at once. */
    if (q_only(ctx, rq, allowed) < 0 || q_date(ctx, rq, "from", &q.from) < 0 ||
        q_date(ctx, rq, "to", &q.to) < 0 || q_region(ctx, rq, "region", false, &q.region) < 0 ||
        q_text(ctx, rq, "category", 40, &q.category) < 0 ||
        market_concentration(ctx, &q, &groups, &n, &threshold) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const struct market_group *g = &groups[i];
        json_t *shares = json_array();
        for (int k = 0; k < g->n_shares; k++)
            json_array_append_new(shares,
                                  json_pack("{s:I,s:s,s:I,s:I,s:i}", "provider_id",
                                            (json_int_t)g->shares[k].provider_id, "provider_name",
                                            nz(g->shares[k].provider_name), "awarded_fen",
                                            (json_int_t)g->shares[k].awarded_fen, "share_bp",
                                            (json_int_t)g->shares[k].share_bp, "awards",
                                            g->shares[k].n_awards));
        json_array_append_new(arr, json_pack("{s:s,s:s,s:I,s:I,s:b,s:o}", "region", g->region,
                                             "category", g->category, "total_fen",
                                             (json_int_t)g->total_fen, "hhi", (json_int_t)g->hhi,
                                             "warning", g->warning, "providers", shares));
    }
    return resp_json(ctx, rs, 200,
                     json_pack("{s:s,s:s,s:o,s:o,s:I,s:o}", "from", q.from, "to", q.to, "region",
                               j_str(q.region), "category", j_str(q.category), "hhi_warning",
                               (json_int_t)threshold, "groups", arr));
}
