/*
 * billing_export.c - a bill or a settlement statement as a table (core/tabular), written as
 * CSV or XLSX: for the download routes and `egov billing export`.
 */
#include <stdio.h>
#include <string.h>

#include "billing.h"
#include "app.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/tabular.h"
#include "core/timeutil.h"
#include "core/banned.h"

#define EXPORT_MAX (256u << 20) /* a bill of millions of lines is not a download */

static const struct tabular_col BILL_COLS[] = {
    {"序号 No.", TABULAR_INT, 6},
    {"服务商 Provider", TABULAR_TEXT, 0},
    {"产品 Product", TABULAR_TEXT, 0},
    {"计量项 Metric", TABULAR_TEXT, 0},
    {"单位 Unit", TABULAR_TEXT, 8},
    {"应用系统 Application", TABULAR_TEXT, 0},
    {"服务等级 Service level", TABULAR_TEXT, 10},
    {"价格来源 Price source", TABULAR_TEXT, 10},
    {"预算科目 Budget line", TABULAR_TEXT, 0},
    {"用量 Quantity", TABULAR_QUANTITY, 0},
    {"记录数 Records", TABULAR_INT, 0},
    {"金额(元) Amount (yuan)", TABULAR_MONEY, 0},
};
enum { BILL_NCOLS = sizeof(BILL_COLS) / sizeof(BILL_COLS[0]) };

static const struct tabular_col SETTLE_COLS[] = {
    {"序号 No.", TABULAR_INT, 6},
    {"用户单位 User agency", TABULAR_TEXT, 0},
    {"账单 Bill", TABULAR_TEXT, 0},
    {"产品 Product", TABULAR_TEXT, 0},
    {"账单行数 Bill lines", TABULAR_INT, 0},
    {"金额(元) Amount (yuan)", TABULAR_MONEY, 0},
};
enum { SETTLE_NCOLS = sizeof(SETTLE_COLS) / sizeof(SETTLE_COLS[0]) };

static const char *money(struct arena *a, int64_t fen)
{
    char buf[TABULAR_TEXT_MAX];
    tabular_money_text(fen, buf);
    return arena_strdup(a, buf);
}

static const char *when(struct arena *a, int64_t ms)
{
    char buf[TABULAR_TEXT_MAX];
    if (!ms)
        return "";
    tabular_time_text(ms, buf);
    return arena_strdup(a, buf);
}

static int write_as(struct ctx *ctx, const struct tabular *t, const char *format,
                    struct strbuf *out)
{
    sb_init(out, EXPORT_MAX);
    int rc = !strcmp(format, "xlsx") ? tabular_xlsx(t, out) : tabular_csv(t, out);
    if (rc < 0) {
        sb_release(out);
        return err_rule(&ctx->err, ERR_TOO_LARGE, "too_large",
                        "the document is too large to export; export it in parts");
    }
    return 0;
}

int billing_export_bill(struct ctx *ctx, const struct bill *b, const char *format,
                        struct strbuf *out, const char **filename)
{
    struct arena *a = ctx->arena;
    struct tabular t;
    tabular_init(&t, a, "账单 Bill", BILL_COLS, BILL_NCOLS);
    tabular_meta_add(&t, "账单 Bill", arena_printf(a, "%lld", (long long)b->id));
    tabular_meta_add(&t, "用户单位 User agency", b->user_name);
    tabular_meta_add(&t, "账期 Period", b->period);
    tabular_meta_add(&t, "版本 Version", arena_printf(a, "%lld", (long long)b->version));
    tabular_meta_add(&t, "状态 State", b->state);
    if (b->reason && *b->reason)
        tabular_meta_add(&t, "更正原因 Reason", b->reason);
    tabular_meta_add(&t, "计费时间 Rated at", when(a, b->rated_at));
    tabular_meta_add(&t, "出账时间 Issued at", when(a, b->issued_at));
    tabular_meta_add(&t, "合计(元) Total (yuan)", money(a, b->total_fen));
    tabular_meta_add(&t, "舍入 Rounding", "每行一次四舍五入到分 half up to the fen once per line");
    for (int i = 0; i < b->n_lines; i++) {
        const struct bill_line *l = &b->lines[i];
        struct tabular_cell *row = tabular_row_add(&t);
        row[0].value = l->line_no;
        row[1].text = l->provider_name;
        row[2].text = l->product_name;
        row[3].text = l->metric_name;
        row[4].text = l->unit;
        row[5].text = l->application;
        row[6].text = l->service_level;
        row[7].text = l->basis_id ? "basis" : "list";
        row[8].text = l->budget_code;
        row[9].value = l->quantity;
        row[10].value = l->records;
        row[11].value = l->amount_fen;
    }
    struct tabular_cell *tot = tabular_totals(&t);
    tot[1].text = "合计 Total";
    tot[0].is_empty = tot[9].is_empty = true;
    tot[10].value = b->records;
    tot[11].value = b->total_fen;
    *filename = arena_printf(a, "bill-%s-%s-v%lld.%s", b->period, b->user_name,
                             (long long)b->version, format);
    return write_as(ctx, &t, format, out);
}

int billing_export_settlement(struct ctx *ctx, const struct settlement *s, const char *format,
                              struct strbuf *out, const char **filename)
{
    struct arena *a = ctx->arena;
    struct tabular t;
    tabular_init(&t, a, "结算单 Settlement", SETTLE_COLS, SETTLE_NCOLS);
    tabular_meta_add(&t, "结算单 Statement", arena_printf(a, "%lld", (long long)s->id));
    tabular_meta_add(&t, "服务商 Provider", s->provider_name);
    tabular_meta_add(&t, "账期 Period", s->period);
    tabular_meta_add(&t, "版本 Version", arena_printf(a, "%lld", (long long)s->version));
    tabular_meta_add(&t, "状态 State", s->state);
    if (s->reason && *s->reason)
        tabular_meta_add(&t, "更正原因 Reason", s->reason);
    tabular_meta_add(&t, "应结(元) Gross (yuan)", money(a, s->gross_fen));
    char coefficient[24];
    billing_coefficient_text(s->coefficient, coefficient, sizeof(coefficient));
    tabular_meta_add(&t, "质量系数 Quality coefficient", arena_strdup(a, coefficient));
    tabular_meta_add(&t, "实结(元) Net (yuan)", money(a, s->net_fen));
    tabular_meta_add(&t, "出账时间 Issued at", when(a, s->issued_at));
    for (int i = 0; i < s->n_lines; i++) {
        const struct settlement_line *l = &s->lines[i];
        struct tabular_cell *row = tabular_row_add(&t);
        row[0].value = l->line_no;
        row[1].text = l->user_name;
        row[2].text = arena_printf(a, "%lld", (long long)l->bill_id);
        row[3].text = l->product_name;
        row[4].value = l->line_count;
        row[5].value = l->amount_fen;
    }
    struct tabular_cell *tot = tabular_totals(&t);
    tot[1].text = "合计 Gross";
    tot[0].is_empty = tot[4].is_empty = true;
    tot[5].value = s->gross_fen;
    *filename = arena_printf(a, "settlement-%s-%s-v%lld.%s", s->period, s->provider_name,
                             (long long)s->version, format);
    return write_as(ctx, &t, format, out);
}
