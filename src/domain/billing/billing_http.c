/*
 * billing_http.c - handlers of billing runs, bills, settlement statements, quality
 * coefficients, spend and budget alerts: decode, call the service, encode. No rules here.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "billing_http.h"
#include "app.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/decimal.h"
#include "core/strbuf.h"
#include "core/banned.h"

static const char *const bill_states[] = {"draft", "issued", "superseded", NULL};

#define R(f) offsetof(struct billing_run, f)
const struct field_spec billing_run_spec[] = {
    {"period", JV_STRING, JV_REQUIRED, R(period), 0, 1, 7, NULL, "the month, YYYY-MM (CST)"},
    {"user_id", JV_ID, 0, R(user_id), 0, 2, 0, NULL,
     "one user agency; every agency of your jurisdiction when absent"},
    {"reason", JV_STRING, 0, R(reason), 0, 4, 1000, NULL,
     "required when the month has an issued bill: the run is then a correction"},
    JV_END,
};
#undef R

#define SR(f) offsetof(struct settlement_run, f)
const struct field_spec settlement_run_spec[] = {
    {"period", JV_STRING, JV_REQUIRED, SR(period), 0, 1, 7, NULL, "the month, YYYY-MM"},
    {"provider_id", JV_ID, 0, SR(provider_id), 0, 2, 0, NULL,
     "one provider; every provider of your jurisdiction when absent"},
    {"reason", JV_STRING, 0, SR(reason), 0, 4, 1000, NULL,
     "required when the month has an issued statement: the run is then a correction"},
    JV_END,
};
#undef SR

#define Q(f) offsetof(struct quality_coefficient, f)
const struct field_spec quality_coefficient_spec[] = {
    {"provider_id", JV_ID, JV_REQUIRED, Q(provider_id), 0, 1, 0, NULL, "the provider"},
    {"period", JV_STRING, JV_REQUIRED, Q(period), 0, 2, 7, NULL, "the month, YYYY-MM"},
    {"coefficient", JV_STRING, JV_REQUIRED, Q(coefficient_text), 0, 4, 12, NULL,
     "decimal string 0..2 with at most 4 places, e.g. \"0.9500\""},
    {"note", JV_STRING, 0, Q(note), 0, 8, 1000, NULL, "how it was assessed"},
    JV_END,
};
#undef Q

static json_t *decimal(int64_t v, int scale)
{
    char buf[48];
    decimal_format(v, scale, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *coefficient_json(int64_t c)
{
    char buf[24];
    billing_coefficient_text(c, buf, sizeof(buf));
    return json_string(buf);
}

static json_t *line_to_json(const struct bill_line *l)
{
    json_t *j = json_pack(
        "{s:I,s:I,s:s,s:I,s:s,s:I,s:s,s:s,s:s,s:s,s:o,s:s,s:o,s:s,s:o,s:I,s:I}", "line_no",
        (json_int_t)l->line_no, "provider_id", (json_int_t)l->provider_id, "provider_name",
        l->provider_name ? l->provider_name : "", "product_id", (json_int_t)l->product_id,
        "product_name", l->product_name ? l->product_name : "", "metric_id",
        (json_int_t)l->metric_id, "metric_name", l->metric_name ? l->metric_name : "", "unit",
        l->unit ? l->unit : "", "application", l->application, "service_level", l->service_level,
        "basis_id", j_id(l->basis_id), "price_source", l->basis_id ? "basis" : "list",
        "budget_line_id", j_id(l->budget_line_id), "budget_code",
        l->budget_code ? l->budget_code : "", "quantity", decimal(l->quantity, 6), "records",
        (json_int_t)l->records, "amount_fen", (json_int_t)l->amount_fen);
    return j;
}

static json_t *bill_to_json(const struct bill *b, bool lines)
{
    json_t *j =
        json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:I,s:I,s:I,s:s}", "id", (json_int_t)b->id, "user_id",
                  (json_int_t)b->user_id, "user_name", b->user_name, "period", b->period, "version",
                  (json_int_t)b->version, "state", b->state, "total_fen", (json_int_t)b->total_fen,
                  "line_count", (json_int_t)b->line_count, "records", (json_int_t)b->records,
                  "reason", b->reason ? b->reason : "");
    json_object_set_new(j, "rated_at", j_time(b->rated_at));
    json_object_set_new(j, "rated_by", j_id(b->rated_by));
    json_object_set_new(j, "issued_at", b->issued_at ? j_time(b->issued_at) : json_null());
    json_object_set_new(j, "issued_by", j_id(b->issued_by));
    json_object_set_new(j, "superseded_by", j_id(b->superseded_by));
    if (lines) {
        json_t *arr = json_array();
        for (int i = 0; i < b->n_lines; i++)
            json_array_append_new(arr, line_to_json(&b->lines[i]));
        json_object_set_new(j, "lines", arr);
    }
    return j;
}

static json_t *settlement_to_json(const struct settlement *s, bool lines)
{
    json_t *j = json_pack("{s:I,s:I,s:s,s:s,s:I,s:s,s:I,s:o,s:I,s:s}", "id", (json_int_t)s->id,
                          "provider_id", (json_int_t)s->provider_id, "provider_name",
                          s->provider_name, "period", s->period, "version", (json_int_t)s->version,
                          "state", s->state, "gross_fen", (json_int_t)s->gross_fen, "coefficient",
                          coefficient_json(s->coefficient), "net_fen", (json_int_t)s->net_fen,
                          "reason", s->reason ? s->reason : "");
    json_object_set_new(j, "rated_at", j_time(s->rated_at));
    json_object_set_new(j, "issued_at", s->issued_at ? j_time(s->issued_at) : json_null());
    json_object_set_new(j, "issued_by", j_id(s->issued_by));
    json_object_set_new(j, "superseded_by", j_id(s->superseded_by));
    if (lines) {
        json_t *arr = json_array();
        for (int i = 0; i < s->n_lines; i++) {
            const struct settlement_line *l = &s->lines[i];
            json_array_append_new(
                arr,
                json_pack("{s:I,s:I,s:s,s:I,s:I,s:s,s:I,s:I}", "line_no", (json_int_t)l->line_no,
                          "user_id", (json_int_t)l->user_id, "user_name", l->user_name, "bill_id",
                          (json_int_t)l->bill_id, "product_id", (json_int_t)l->product_id,
                          "product_name", l->product_name, "line_count", (json_int_t)l->line_count,
                          "amount_fen", (json_int_t)l->amount_fen));
        }
        json_object_set_new(j, "lines", arr);
    }
    return j;
}

static json_t *qc_to_json(const struct quality_coefficient *q)
{
    json_t *j =
        json_pack("{s:I,s:s,s:s,s:o,s:s}", "provider_id", (json_int_t)q->provider_id,
                  "provider_name", q->provider_name ? q->provider_name : "", "period", q->period,
                  "coefficient", coefficient_json(q->coefficient), "note", q->note ? q->note : "");
    json_object_set_new(j, "set_by", j_id(q->set_by));
    json_object_set_new(j, "set_at", j_time(q->set_at));
    return j;
}

static json_t *alert_to_json(const struct budget_alert *a)
{
    json_t *j =
        json_pack("{s:I,s:I,s:s,s:s,s:I,s:I,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)a->id,
                  "budget_line_id", (json_int_t)a->budget_line_id, "budget_code", a->budget_code,
                  "budget_name", a->budget_name, "fiscal_year", (json_int_t)a->fiscal_year,
                  "user_id", (json_int_t)a->user_id, "user_name", a->user_name, "threshold_pct",
                  (json_int_t)a->threshold_pct, "billed_fen", (json_int_t)a->billed_fen,
                  "amount_fen", (json_int_t)a->amount_fen, "bill_id", (json_int_t)a->bill_id);
    json_object_set_new(j, "fired_at", j_time(a->fired_at));
    json_object_set_new(j, "acknowledged_by", j_id(a->acknowledged_by));
    json_object_set_new(j, "acknowledged_at",
                        a->acknowledged_at ? j_time(a->acknowledged_at) : json_null());
    return j;
}

/* ---------- runs ---------- */

int billing_http_run(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct billing_run run;
    unsigned has;
    memset(&run, 0, sizeof(run));
    if (body_decode(ctx, rq, billing_run_spec, &run, &has) < 0 || billing_run(ctx, &run) < 0)
        return -1;
    return resp_json(ctx, rs, 200,
                     json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:I,s:I}", "period", run.period, "bills",
                               (json_int_t)run.bills, "lines", (json_int_t)run.lines, "records",
                               (json_int_t)run.records, "total_fen", (json_int_t)run.total_fen,
                               "corrections", (json_int_t)run.corrections, "unchanged",
                               (json_int_t)run.unchanged, "elapsed_ms",
                               (json_int_t)run.elapsed_ms));
}

int settlement_http_run(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct settlement_run run;
    unsigned has;
    memset(&run, 0, sizeof(run));
    if (body_decode(ctx, rq, settlement_run_spec, &run, &has) < 0 || settlement_run(ctx, &run) < 0)
        return -1;
    return resp_json(
        ctx, rs, 200,
        json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "period", run.period, "statements",
                  (json_int_t)run.statements, "total_gross_fen", (json_int_t)run.total_gross_fen,
                  "total_net_fen", (json_int_t)run.total_net_fen, "corrections",
                  (json_int_t)run.corrections, "unchanged", (json_int_t)run.unchanged));
}

/* ---------- bills ---------- */

int bill_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "period", "user_id", "state", NULL};
    struct bill_filter f;
    struct page_req p;
    struct page_info info;
    struct bill *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "user_id", &f.user_id) < 0 || q_period(ctx, rq, "period", &f.period) < 0 ||
        q_enum(ctx, rq, "state", bill_states, &f.state) < 0)
        return -1;
    if (bill_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, bill_to_json(&items[i], false));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int bill_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct bill b;
    if (bill_get(ctx, rq->params[0], &b) < 0)
        return -1;
    return resp_json(ctx, rs, 200, bill_to_json(&b, true));
}

int bill_http_issue(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct bill b;
    if (bill_issue(ctx, rq->params[0], &b) < 0)
        return -1;
    return resp_json(ctx, rs, 200, bill_to_json(&b, true));
}

/* ---------- settlements ---------- */

int settlement_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit",       "cursor", "period",
                                          "provider_id", "state",  NULL};
    struct settlement_filter f;
    struct page_req p;
    struct page_info info;
    struct settlement *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_period(ctx, rq, "period", &f.period) < 0 ||
        q_enum(ctx, rq, "state", bill_states, &f.state) < 0 ||
        settlement_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, settlement_to_json(&items[i], false));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int settlement_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct settlement s;
    if (settlement_get(ctx, rq->params[0], &s) < 0)
        return -1;
    return resp_json(ctx, rs, 200, settlement_to_json(&s, true));
}

int settlement_http_issue(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct settlement s;
    if (settlement_issue(ctx, rq->params[0], &s) < 0)
        return -1;
    return resp_json(ctx, rs, 200, settlement_to_json(&s, true));
}

/* ---------- quality coefficients ---------- */

int quality_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"period", "provider_id", NULL};
    struct qc_filter f;
    struct quality_coefficient *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_id(ctx, rq, "provider_id", &f.provider_id) < 0 ||
        q_period(ctx, rq, "period", &f.period) < 0 ||
        quality_coefficient_list(ctx, &f, &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, qc_to_json(&items[i]));
    struct page_info info = {0, -1};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int quality_http_set(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct quality_coefficient in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, quality_coefficient_spec, &in, &has) < 0 ||
        quality_coefficient_set(ctx, &in, &out) < 0)
        return -1;
    return resp_json(ctx, rs, 200, qc_to_json(&out));
}

/* ---------- spend ---------- */

static json_t *spend_items(const struct spend_item *it, int n, bool named)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr,
                              named ? json_pack("{s:I,s:s,s:I}", "id", (json_int_t)it[i].id, "name",
                                                it[i].key, "total_fen", (json_int_t)it[i].total_fen)
                                    : json_pack("{s:s,s:I}", "period", it[i].key, "total_fen",
                                                (json_int_t)it[i].total_fen));
    return arr;
}

int billing_http_spend(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"from", "to", "user_id", "provider_id", NULL};
    struct spend_filter f;
    struct spend s;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_period(ctx, rq, "from", &f.from) < 0 ||
        q_period(ctx, rq, "to", &f.to) < 0 || q_id(ctx, rq, "user_id", &f.user_id) < 0 ||
        q_id(ctx, rq, "provider_id", &f.provider_id) < 0 || billing_spend(ctx, &f, &s) < 0)
        return -1;
    return resp_json(ctx, rs, 200,
                     json_pack("{s:s,s:s,s:o,s:o,s:o}", "from", f.from, "to", f.to, "months",
                               spend_items(s.months, s.n_months, false), "by_provider",
                               spend_items(s.providers, s.n_providers, true), "by_product",
                               spend_items(s.products, s.n_products, true)));
}

/* ---------- budget alerts ---------- */

int alert_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "user_id", "open", NULL};
    struct alert_filter f;
    struct page_req p;
    struct page_info info;
    struct budget_alert *items;
    int n, open = 0;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "user_id", &f.user_id) < 0 || q_bool(ctx, rq, "open", &open) < 0)
        return -1;
    f.open_only = open == 1;
    if (budget_alert_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, alert_to_json(&items[i]));
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int alert_http_acknowledge(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct budget_alert a;
    if (budget_alert_acknowledge(ctx, rq->params[0], &a) < 0)
        return -1;
    return resp_json(ctx, rs, 200, alert_to_json(&a));
}

/* ---------- exports ---------- */

static int export_format(struct ctx *ctx, struct req *rq, const char **format)
{
    static const char *const allowed[] = {"format", NULL};
    static const char *const formats[] = {"csv", "xlsx", NULL};
    if (q_only(ctx, rq, allowed) < 0 || q_enum(ctx, rq, "format", formats, format) < 0)
        return -1;
    if (!*format)
        *format = "csv";
    return 0;
}

static int send(struct ctx *ctx, struct resp *rs, const char *format, struct strbuf *sb,
                const char *filename)
{
    int rc = resp_file(ctx, rs, 200, !strcmp(format, "xlsx") ? RESP_XLSX : RESP_CSV, filename,
                       sb->buf, sb->len);
    sb_release(sb);
    return rc;
}

int bill_http_export(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    const char *format, *filename;
    struct bill b;
    struct strbuf sb;
    if (export_format(ctx, rq, &format) < 0 || bill_get(ctx, rq->params[0], &b) < 0 ||
        billing_export_bill(ctx, &b, format, &sb, &filename) < 0)
        return -1;
    return send(ctx, rs, format, &sb, filename);
}

int settlement_http_export(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    const char *format, *filename;
    struct settlement s;
    struct strbuf sb;
    if (export_format(ctx, rq, &format) < 0 || settlement_get(ctx, rq->params[0], &s) < 0 ||
        billing_export_settlement(ctx, &s, format, &sb, &filename) < 0)
        return -1;
    return send(ctx, rs, format, &sb, filename);
}
