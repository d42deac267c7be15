/*
 * bar.c - bars on providers (T5-12.2c: restrictions in bidding): a management institution bars
 * a provider, with a reason and a period, from bidding and being awarded in the projects of its
 * jurisdiction; the bar can be lifted early. Until the credit module derives restrictions from
 * credit grades, this flag is the hook that bid_submit and award_make consult.
 */
#include <string.h>

#include "procurement.h"
#include "procurement_internal.h"
#include "procurement_store.h"
#include "app.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "domain/validate.h"
#include "core/banned.h"

static bool bar_in_force(const struct provider_bar *b, const char *date)
{
    return !b->lifted_at && strcmp(b->valid_from, date) <= 0 && strcmp(b->valid_to, date) >= 0;
}

int proc_check_bar(struct ctx *ctx, int64_t provider_id, int64_t management_id, const char *what)
{
    struct provider_bar b;
    int rc = proc_store_bar_in_force(ctx, provider_id, management_id, today(ctx), &b);
    if (rc <= 0)
        return rc;
    return err_rule(&ctx->err, ERR_CONFLICT, "provider_barred",
                    "T5-12.2c: %s is barred from %s to %s and cannot %s: %s", b.provider_name,
                    b.valid_from, b.valid_to, what, utf8_cut(ctx->arena, b.reason, 90));
}

int bar_create(struct ctx *ctx, const struct provider_bar *in, struct provider_bar *out)
{
    struct provider_bar v = *in;
    struct institution provider, m;
    if (!v.provider_id)
        err_field(&ctx->err, "provider_id", "required", "provider_id is required");
    check_text(ctx, "reason", v.reason, 2, 500);
    bool dates_ok = check_date(ctx, "valid_from", v.valid_from) == 0;
    dates_ok = check_date(ctx, "valid_to", v.valid_to) == 0 && dates_ok;
    if (dates_ok && strcmp(v.valid_from, v.valid_to) > 0)
        err_field(&ctx->err, "valid_to", "after_from", "valid_to comes on or after valid_from");
    else if (dates_ok && strcmp(v.valid_to, today(ctx)) < 0)
        err_field(&ctx->err, "valid_to", "past", "a bar that ended before today bars nothing");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || institution_lookup(ctx, ctx->caller.institution_id, &m) < 0)
        return proc_fail(ctx);
    if (strcmp(m.kind, "management") != 0) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "not_management",
                 "only a management institution bars providers");
        return proc_fail(ctx);
    }
    /* Providers bid across the province: any provider may be barred from the projects of the
     * caller's jurisdiction. */
    if (institution_lookup(ctx, v.provider_id, &provider) < 0 ||
        strcmp(provider.kind, "provider") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return proc_fail(ctx);
        err_clear(&ctx->err);
        err_field(&ctx->err, "provider_id", "provider", "provider_id names no provider");
        return proc_fail(ctx);
    }
    v.id = id_new();
    v.management_id = m.id;
    v.management_name = m.name;
    v.provider_name = provider.name;
    v.created_by = ctx->caller.person_id;
    v.created_at = time_now_ms();
    v.lifted_at = v.lifted_by = 0;
    v.lift_reason = "";
    v.in_force = bar_in_force(&v, today(ctx));
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "provider_id", 0, v.provider_id, false);
    audit_note(ch, "reason", v.reason);
    audit_note(ch, "valid_from", v.valid_from);
    audit_note(ch, "valid_to", v.valid_to);
    if (proc_store_bar_insert(ctx, &v) < 0 ||
        audit_append(ctx, "provider.bar", "provider_bar", v.id, m.id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = v;
    return 0;
}

int bar_lift(struct ctx *ctx, int64_t id, const char *reason, struct provider_bar *out)
{
    struct provider_bar b;
    if (check_text(ctx, "reason", reason, 2, 500) < 0 || ctx_tx_begin(ctx) < 0)
        return -1;
    int rc = proc_store_bar_get(ctx, id, &b);
    if (rc < 0)
        return proc_fail(ctx);
    /* A bar is lifted within the jurisdiction that made it. */
    if (!rc || org_access_institution(ctx, b.management_id, ORG_MANAGE) < 0) {
        err_clear(&ctx->err);
        err_set(&ctx->err, ERR_NOT_FOUND, "bar not found");
        return proc_fail(ctx);
    }
    if (b.lifted_at) {
        err_rule(&ctx->err, ERR_CONFLICT, "already_lifted", "the bar was lifted already");
        return proc_fail(ctx);
    }
    b.lifted_at = time_now_ms();
    b.lifted_by = ctx->caller.person_id;
    b.lift_reason = reason;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "lift_reason", reason);
    rc = proc_store_bar_lift(ctx, &b);
    if (rc <= 0) {
        if (rc == 0)
            err_rule(&ctx->err, ERR_CONFLICT, "already_lifted", "the bar was lifted already");
        return proc_fail(ctx);
    }
    if (audit_append(ctx, "provider.bar_lift", "provider_bar", id, b.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    b.in_force = false;
    *out = b;
    return 0;
}

int bar_list(struct ctx *ctx, const struct bar_filter *f, const struct page_req *p,
             struct provider_bar **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    const char *date = today(ctx);
    org_scope(ctx, &root, &depth);
    if (proc_store_bars(ctx, root, f, date, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    for (int i = 0; i < *n; i++)
        (*items)[i].in_force = bar_in_force(&(*items)[i], date);
    return 0;
}
