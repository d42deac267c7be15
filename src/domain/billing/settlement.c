/*
 * settlement.c - monthly settlement statements per provider drawn from the issued bills, the
 * quality coefficient entered by the management institution, and spend over time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "billing_internal.h"
#include "billing_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/decimal.h"
#include "core/timeutil.h"
#include "domain/validate.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "core/banned.h"

static bool same_lines(const struct settlement_line *a, int na, const struct settlement_line *b,
                       int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; i++)
        if (a[i].user_id != b[i].user_id || a[i].bill_id != b[i].bill_id ||
            a[i].product_id != b[i].product_id || a[i].line_count != b[i].line_count ||
            a[i].amount_fen != b[i].amount_fen)
            return false;
    return true;
}

static int write_statement(struct ctx *ctx, struct settlement_run *run, int64_t provider_id,
                           struct settlement_line *lines, int n)
{
    struct bill_versions v;
    struct quality_coefficient qc;
    struct settlement s;
    memset(&s, 0, sizeof(s));
    int found = billing_store_qc_get(ctx, provider_id, run->period, &qc);
    if (found < 0 || billing_store_settlement_versions(ctx, provider_id, run->period, &v) < 0)
        return -1;
    s.coefficient = found ? qc.coefficient : BILLING_COEF_ONE;
    for (int i = 0; i < n; i++)
        s.gross_fen += lines[i].amount_fen;
    s.net_fen = billing_apply_coefficient(s.gross_fen, s.coefficient);
    if (s.net_fen < 0)
        return err_field(&ctx->err, "period", "range", "the statement's amount is out of range");
    if (v.issued_id) {
        struct settlement old;
        struct settlement_line *ol;
        int on;
        if (billing_store_settlement_get(ctx, v.issued_id, &old) < 0 ||
            billing_store_settlement_lines(ctx, v.issued_id, &ol, &on) < 0)
            return -1;
        if (old.coefficient == s.coefficient && same_lines(lines, n, ol, on)) {
            if (v.draft_id && billing_store_settlement_delete_draft(ctx, v.draft_id) < 0)
                return -1;
            run->unchanged++;
            return 0;
        }
        if (text_is_blank(run->reason))
            return err_field_as(&ctx->err, ERR_CONFLICT, "reason", "required",
                                "the statement of %s for provider %lld is issued already; a "
                                "correction (a new version) needs a reason",
                                run->period, (long long)provider_id);
        run->corrections++;
    }
    if (v.draft_id && billing_store_settlement_delete_draft(ctx, v.draft_id) < 0)
        return -1;
    s.id = id_new();
    s.provider_id = provider_id;
    s.period = run->period;
    s.version = v.draft_id ? v.draft_version : v.max_version + 1;
    s.reason = v.issued_id ? run->reason : "";
    s.rated_at = time_now_ms();
    s.rated_by = ctx->caller.person_id;
    s.lines = lines;
    s.n_lines = n;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "period", run->period);
    audit_change_int(ch, "version", 0, s.version, false);
    audit_change_int(ch, "gross_fen", 0, s.gross_fen, false);
    audit_change_int(ch, "coefficient", 0, s.coefficient, false);
    audit_change_int(ch, "net_fen", 0, s.net_fen, false);
    if (billing_store_settlement_insert(ctx, &s) < 0 ||
        audit_append(ctx, "settlement.rate", "settlement", s.id, provider_id, ch) < 0)
        return -1;
    run->statements++;
    run->total_gross_fen += s.gross_fen;
    run->total_net_fen += s.net_fen;
    return 0;
}

static int check_provider(struct ctx *ctx, int64_t provider_id)
{
    struct institution u;
    if (institution_get(ctx, provider_id, &u) < 0 || strcmp(u.kind, "provider") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_field(&ctx->err, "provider_id", "provider",
                         "provider_id names a service provider in your jurisdiction");
    }
    return 0;
}

int settlement_run(struct ctx *ctx, struct settlement_run *run)
{
    int64_t d0 = 0, d1 = 0, root = 0;
    int depth, n;
    struct settle_row *rows;
    run->statements = run->total_gross_fen = run->total_net_fen = 0;
    run->corrections = run->unchanged = 0;
    if (billing_check_period(ctx, run->period, &d0, &d1) < 0)
        return -1;
    if (run->reason && strlen(run->reason) > 1000)
        return err_field(&ctx->err, "reason", "max_length", "reason is at most 1000 characters");
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (run->provider_id && check_provider(ctx, run->provider_id) < 0)
        return billing_fail(ctx);
    org_scope(ctx, &root, &depth);
    if (billing_store_settle_rows(ctx, run->period, root, depth, run->provider_id, &rows, &n) < 0)
        return billing_fail(ctx);
    struct settlement_line *lines = arena_alloc(ctx->arena, sizeof(*lines) * (size_t)(n + 1));
    for (int i = 0; i < n;) {
        int j = i, nl = 0;
        for (; j < n && rows[j].provider_id == rows[i].provider_id; j++, nl++) {
            memset(&lines[nl], 0, sizeof(lines[nl]));
            lines[nl].line_no = nl + 1;
            lines[nl].user_id = rows[j].user_id;
            lines[nl].bill_id = rows[j].bill_id;
            lines[nl].product_id = rows[j].product_id;
            lines[nl].line_count = rows[j].line_count;
            lines[nl].amount_fen = rows[j].amount_fen;
        }
        if (write_statement(ctx, run, rows[i].provider_id, lines, nl) < 0)
            return billing_fail(ctx);
        i = j;
    }
    if (ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

int settlement_list(struct ctx *ctx, const struct settlement_filter *f, const struct page_req *p,
                    struct settlement **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (billing_store_settlement_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

static int visible(struct ctx *ctx, int64_t id, struct settlement *out)
{
    int rc = billing_store_settlement_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0 || org_access_institution(ctx, out->provider_id, ORG_SEE) < 0) {
        err_clear(&ctx->err);
        return err_set(&ctx->err, ERR_NOT_FOUND, "no settlement statement %lld", (long long)id);
    }
    return 0;
}

int settlement_get(struct ctx *ctx, int64_t id, struct settlement *out)
{
    if (visible(ctx, id, out) < 0)
        return -1;
    return billing_store_settlement_lines(ctx, id, &out->lines, &out->n_lines);
}

int settlement_issue(struct ctx *ctx, int64_t id, struct settlement *out)
{
    struct bill_versions v;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (visible(ctx, id, out) < 0)
        return billing_fail(ctx);
    if (strcmp(out->state, "draft") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "closed",
                 "statement %lld is %s: an issued statement never changes; run settlement again "
                 "with a reason to correct it",
                 (long long)id, out->state);
        return billing_fail(ctx);
    }
    int64_t now = time_now_ms();
    if (billing_store_settlement_versions(ctx, out->provider_id, out->period, &v) < 0 ||
        billing_store_settlement_issue(ctx, id, ctx->caller.person_id, now) < 0 ||
        (v.issued_id && billing_store_settlement_supersede(ctx, v.issued_id, id) < 0))
        return billing_fail(ctx);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "state", "draft", "issued");
    audit_change_int(ch, "net_fen", 0, out->net_fen, false);
    if (v.issued_id)
        audit_change_int(ch, "supersedes", 0, v.issued_id, false);
    if (audit_append(ctx, "settlement.issue", "settlement", id, out->provider_id, ch) < 0 ||
        settlement_get(ctx, id, out) < 0 || ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

/* ---------- quality coefficients ---------- */

int quality_coefficient_set(struct ctx *ctx, const struct quality_coefficient *in,
                            struct quality_coefficient *out)
{
    struct quality_coefficient q = *in, old;
    int64_t d0 = 0, d1 = 0;
    const char *rule;
    if (!q.provider_id)
        err_field(&ctx->err, "provider_id", "required", "provider_id names the provider");
    if (!q.period || !*q.period)
        err_field(&ctx->err, "period", "required", "period is a month, YYYY-MM");
    else if (billing_period_days(q.period, &d0, &d1) < 0)
        err_field(&ctx->err, "period", "format", "period is a month, YYYY-MM (2000-2999)");
    if (!q.coefficient_text)
        err_field(&ctx->err, "coefficient", "required",
                  "coefficient is a decimal string such as \"0.9500\"");
    else if (decimal_parse(q.coefficient_text, strlen(q.coefficient_text), 4, 2 * BILLING_COEF_ONE,
                           &q.coefficient, &rule) < 0)
        err_field(&ctx->err, "coefficient", rule,
                  "coefficient is a decimal from 0 to 2 with at most 4 places, as a string");
    if (q.note && strlen(q.note) > 1000)
        err_field(&ctx->err, "note", "max_length", "note is at most 1000 characters");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (check_provider(ctx, q.provider_id) < 0)
        return billing_fail(ctx);
    int had = billing_store_qc_get(ctx, q.provider_id, q.period, &old);
    if (had < 0)
        return billing_fail(ctx);
    q.set_by = ctx->caller.person_id;
    q.set_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "period", q.period);
    audit_change_int(ch, "coefficient", had ? old.coefficient : 0, q.coefficient, false);
    if (billing_store_qc_put(ctx, &q) < 0 ||
        audit_append(ctx, "quality.coefficient", "institution", q.provider_id, q.provider_id, ch) <
            0 ||
        billing_store_qc_get(ctx, q.provider_id, q.period, out) < 0 || ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

int quality_coefficient_list(struct ctx *ctx, const struct qc_filter *f,
                             struct quality_coefficient **items, int *n)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    return billing_store_qc_list(ctx, root, depth, f, items, n);
}

/* ---------- spend ---------- */

int billing_spend(struct ctx *ctx, const struct spend_filter *in, struct spend *out)
{
    struct spend_filter f = *in;
    int64_t root, d0, d1;
    int depth;
    memset(out, 0, sizeof(*out));
    if (!f.from || !*f.from || billing_period_days(f.from, &d0, &d1) < 0)
        err_field(&ctx->err, "from", "format", "from is a month, YYYY-MM");
    if (!f.to || !*f.to || billing_period_days(f.to, &d0, &d1) < 0)
        err_field(&ctx->err, "to", "format", "to is a month, YYYY-MM");
    if (ctx->err.kind)
        return -1;
    org_scope(ctx, &root, &depth);
    /* a provider sees what it is paid for, across agencies */
    if (ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "provider"))
        f.provider_id = ctx->caller.institution_id;
    if (billing_store_spend(ctx, root, depth, &f, 0, &out->months, &out->n_months) < 0 ||
        billing_store_spend(ctx, root, depth, &f, 1, &out->providers, &out->n_providers) < 0 ||
        billing_store_spend(ctx, root, depth, &f, 2, &out->products, &out->n_products) < 0)
        return -1;
    return 0;
}
