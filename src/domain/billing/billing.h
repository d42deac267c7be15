/*
 * billing.h - rating of metered usage against the price basis (T5-7.2e) into monthly bills per
 * user agency, settlement statements per provider with the quality coefficient, budget use and
 * budget alerts (T5-8.2c). See docs/billing.md.
 *
 * Money is integer fen, quantities integer millionths of a unit, unit prices integer
 * ten-thousandths of a fen. A bill line's exact amount is held in 128 bits (10^-10 fen) and
 * rounded half up to the fen once; a statement's net is rounded once. Issued bills and
 * statements never change: a correction is a new version.
 */
#ifndef EGOV_BILLING_H
#define EGOV_BILLING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

#define BILLING_PRICE_SCALE 10000 /* unit prices: ten-thousandths of a fen */
#define BILLING_COEF_ONE    10000 /* quality coefficient 1.0000 */
#define BILLING_MAX_TIERS   30

/* ---------- the rating arithmetic (pure, unit-tested) ---------- */

struct billing_tier {
    int64_t from;       /* quantity in millionths at which the tier starts */
    int64_t unit_price; /* ten-thousandths of a fen per unit */
};
/* The exact amount of quantity (millionths) over graduated tiers (sorted by from, the first at
 * 0), in 10^-10 fen. */
__int128 billing_exact(int64_t quantity, const struct billing_tier *tiers, int n);
/* Rounds an exact amount (10^-10 fen, >= 0) half up to the fen; -1 beyond int64. */
int64_t billing_round_fen(__int128 exact);
/* gross * coefficient / 10000, rounded half up; -1 beyond int64. */
int64_t billing_apply_coefficient(int64_t gross_fen, int64_t coefficient);
/* A quality coefficient as text with its four places, "0.9500" (cap >= 24). */
void billing_coefficient_text(int64_t coefficient, char *buf, size_t cap);
/* "YYYY-MM" into the CST day numbers [first, next) of that month; -1 when malformed. */
int billing_period_days(const char *period, int64_t *first, int64_t *next);

/* ---------- bills ---------- */

struct bill_line {
    int64_t line_no, provider_id, product_id, metric_id, basis_id, budget_line_id;
    int64_t quantity, records, amount_fen;
    const char *application, *service_level;
    /* filled on read */
    const char *provider_name, *product_name, *metric_name, *unit, *budget_code;
};

struct bill {
    int64_t id, user_id, version, total_fen, line_count, records;
    int64_t rated_at, rated_by, issued_at, issued_by, superseded_by;
    const char *user_name, *period, *state, *reason;
    struct bill_line *lines;
    int n_lines;
};

struct bill_filter {
    const char *period, *state;
    int64_t user_id;
};

struct billing_run {
    const char *period;
    int64_t user_id;    /* 0: every agency of the jurisdiction */
    const char *reason; /* required when a bill of the month is issued already */
    bool from_records;  /* rate from usage_records instead of usage_daily */
    /* the answer */
    int64_t bills, lines, records, total_fen, corrections, unchanged, elapsed_ms;
};

/* Rates a month into draft bills (management; its jurisdiction). */
int billing_run(struct ctx *ctx, struct billing_run *run);
int bill_list(struct ctx *ctx, const struct bill_filter *f, const struct page_req *p,
              struct bill **items, int *n, struct page_info *info);
/* A bill with its lines (the caller's own agency, or its jurisdiction). */
int bill_get(struct ctx *ctx, int64_t id, struct bill *out);
/* Draft -> issued: immutable from now; supersedes the version it corrects; budget alerts. */
int bill_issue(struct ctx *ctx, int64_t id, struct bill *out);
/* Issues every draft bill of a month in the jurisdiction; *n the number issued. */
int bill_issue_period(struct ctx *ctx, const char *period, int64_t *n);

/* SQL: what the current issued bills of its fiscal year charged to the budget line aliased
 * `line` (fen). The rule lives here; the order module's budget list and the alerts both use it. */
#define BILLING_BUDGET_BILLED_SQL(line)                                                            \
    "(SELECT COALESCE(SUM(bl_l.amount_fen), 0) FROM bill_lines bl_l JOIN bills bl_b ON bl_b.id = " \
    "bl_l.bill_id WHERE bl_l.budget_line_id = " line ".id AND bl_b.state = 'issued' AND "          \
    "bl_b.period >= CAST(" line ".fiscal_year AS TEXT) AND bl_b.period < CAST(" line               \
    ".fiscal_year + 1 AS TEXT))"

/* ---------- settlements ---------- */

struct settlement_line {
    int64_t line_no, user_id, bill_id, product_id, line_count, amount_fen;
    const char *user_name, *product_name;
};

struct settlement {
    int64_t id, provider_id, version, gross_fen, coefficient, net_fen;
    int64_t rated_at, rated_by, issued_at, issued_by, superseded_by;
    const char *provider_name, *period, *state, *reason;
    struct settlement_line *lines;
    int n_lines;
};

struct settlement_filter {
    const char *period, *state;
    int64_t provider_id;
};

struct settlement_run {
    const char *period;
    int64_t provider_id;
    const char *reason;
    int64_t statements, total_gross_fen, total_net_fen, corrections, unchanged;
};

int settlement_run(struct ctx *ctx, struct settlement_run *run);
int settlement_list(struct ctx *ctx, const struct settlement_filter *f, const struct page_req *p,
                    struct settlement **items, int *n, struct page_info *info);
int settlement_get(struct ctx *ctx, int64_t id, struct settlement *out);
int settlement_issue(struct ctx *ctx, int64_t id, struct settlement *out);

/* ---------- quality coefficients ---------- */

struct quality_coefficient {
    int64_t provider_id, coefficient, set_by, set_at;
    const char *provider_name, *period, *note;
    const char *coefficient_text; /* input: decimal string, 4 places at most */
};
struct qc_filter {
    const char *period;
    int64_t provider_id;
};
int quality_coefficient_set(struct ctx *ctx, const struct quality_coefficient *in,
                            struct quality_coefficient *out);
int quality_coefficient_list(struct ctx *ctx, const struct qc_filter *f,
                             struct quality_coefficient **items, int *n);

/* ---------- spend and budget alerts ---------- */

struct spend_item {
    const char *key; /* period, or the name */
    int64_t id, total_fen;
};
struct spend {
    struct spend_item *months, *providers, *products;
    int n_months, n_providers, n_products;
};
struct spend_filter {
    const char *from, *to; /* periods, inclusive */
    int64_t user_id, provider_id;
};
int billing_spend(struct ctx *ctx, const struct spend_filter *f, struct spend *out);

struct budget_alert {
    int64_t id, budget_line_id, user_id, threshold_pct, billed_fen, amount_fen, bill_id;
    int64_t fired_at, acknowledged_by, acknowledged_at, fiscal_year;
    const char *budget_code, *budget_name, *user_name;
};
struct alert_filter {
    int64_t user_id;
    bool open_only;
};
int budget_alert_list(struct ctx *ctx, const struct alert_filter *f, const struct page_req *p,
                      struct budget_alert **items, int *n, struct page_info *info);
int budget_alert_acknowledge(struct ctx *ctx, int64_t id, struct budget_alert *out);

/* ---------- exports (billing_export.c) ---------- */

struct strbuf;
/* The bill (with its lines) or statement as "csv" or "xlsx" into out (initialised here; the
 * caller releases it) and a file name (arena-owned). */
int billing_export_bill(struct ctx *ctx, const struct bill *b, const char *format,
                        struct strbuf *out, const char **filename);
int billing_export_settlement(struct ctx *ctx, const struct settlement *s, const char *format,
                              struct strbuf *out, const char **filename);

/* ---------- verification ---------- */

struct billing_verify {
    int64_t series_days, differences, records;
};
/* Recomputes a month's usage per series and day from usage_records and compares it with
 * usage_daily. */
int billing_verify(struct ctx *ctx, const char *period, struct billing_verify *out);

#endif
