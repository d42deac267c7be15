/*
 * agreement.c - the rules of service agreements (T5-8.2a): completeness before signing, who
 * signs, immutability once signed, amendments as new versions, breaches.
 */
#include <stdio.h>
#include <string.h>

#include "agreement.h"
#include "agreement_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "domain/validate.h"
#include "core/banned.h"

/* The nine clauses of T5-8.2a, in the standard's order. */
const char *const agreement_clause_names[AGREEMENT_CLAUSES + 1] = {
    "responsibilities",  /* 双方责任 */
    "service_content",   /* 服务内容 */
    "quality_standards", /* 质量考核标准 */
    "security",          /* 安全保密要求 */
    "breach_liability",  /* 违约责任 */
    "dispute_handling",  /* 处理机制 */
    "ip_ownership",      /* 知识产权归属 */
    "performance",       /* 绩效考核要求 */
    "fee_payment",       /* 费用支付 */
    NULL,
};
const char *const agreement_states[] = {"draft",      "signing", "in_force",
                                        "superseded", "expired", NULL};

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

/* Marks an agreement in ctx->scoped (it has no entity descriptor yet). */
static const char scoped_agreement = 'a';

/* The agreement's own row, when the caller may see it: one statement, or none when the guard of
 * this request loaded it already. */
static int load_visible(struct ctx *ctx, int64_t id, struct agreement *out)
{
    int64_t root;
    int depth;
    if (org_guarded(ctx, &scoped_agreement, id, sizeof(*out), out))
        return 0;
    org_scope(ctx, &root, &depth);
    int rc = agreement_store_get_scoped(ctx, root, depth, ctx->caller.institution_id, id, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "agreement not found");
}

int agreement_access(struct ctx *ctx, int64_t id)
{
    struct agreement *row = arena_alloc(ctx->arena, sizeof(*row));
    if (load_visible(ctx, id, row) < 0)
        return -1;
    ctx->scoped.kind = &scoped_agreement;
    ctx->scoped.id = id;
    ctx->scoped.inst_id = 0; /* visible as an agreement, which vouches for no institution */
    ctx->scoped.row = row;
    return 0;
}

int agreement_get(struct ctx *ctx, int64_t id, struct agreement *out)
{
    if (load_visible(ctx, id, out) < 0)
        return -1;
    return agreement_store_details(ctx, out);
}

int agreement_list(struct ctx *ctx, const struct agreement_filter *f, const struct page_req *p,
                   struct agreement **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    if (f->expiring_before && *f->expiring_before &&
        check_date(ctx, "expiring_before", f->expiring_before) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (agreement_store_list(ctx, root, depth, ctx->caller.institution_id, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total &&
        agreement_store_count(ctx, root, depth, ctx->caller.institution_id, f, &info->total) < 0)
        return -1;
    return 0;
}

/* Field rules that hold for drafts too (completeness is checked when signing). */
static void validate_draft(struct ctx *ctx, const struct agreement *v)
{
    check_text(ctx, "title", v->title, 2, 200);
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        check_opt_text(ctx, agreement_clause_names[i], v->clause[i], 20000);
    if (v->valid_from && *v->valid_from)
        check_date(ctx, "valid_from", v->valid_from);
    if (v->valid_to && *v->valid_to)
        check_date(ctx, "valid_to", v->valid_to);
    if (v->availability_bp < 0 || v->availability_bp > 10000)
        err_field(&ctx->err, "availability_bp", "range",
                  "availability_bp is the monthly availability in basis points, 0 to 10000");
    if (v->n_response > 4 || v->n_resolution > 4)
        err_field(&ctx->err, "response_minutes", "severities",
                  "targets are given for the severities 1 to 4");
    for (int i = 0; i < v->n_response && i < v->n_resolution; i++)
        if (v->resolution_minutes[i] < v->response_minutes[i])
            err_field(&ctx->err, "resolution_minutes", "after_response",
                      "for severity %d resolution comes after response", i + 1);
}

/* T5-8.2a: every clause present and valid before anyone signs; each missing one is named. */
static int check_complete(struct ctx *ctx, const struct agreement *a)
{
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        if (text_length(a->clause[i]) < 2) /* white space is not a clause */
            err_field(&ctx->err, agreement_clause_names[i], "required_for_signing",
                      "the %s clause is missing (T5-8.2a)", agreement_clause_names[i]);
    if (a->n_products + a->n_pools == 0)
        err_field(&ctx->err, "service_content", "items_required",
                  "the service content names no product or resource pool");
    if (a->availability_bp <= 0)
        err_field(&ctx->err, "availability_bp", "required_for_signing",
                  "the quality standards set no monthly availability target");
    if (a->n_response != 4 || a->n_resolution != 4)
        err_field(&ctx->err, "response_minutes", "required_for_signing",
                  "the quality standards set response and resolution minutes for all four "
                  "severities");
    if (!date_is_valid(a->valid_from) || !date_is_valid(a->valid_to) ||
        strcmp(a->valid_from, a->valid_to) >= 0)
        err_field(&ctx->err, "valid_to", "required_for_signing",
                  "the agreement needs an effective period (valid_from before valid_to)");
    if (ctx->err.kind) {
        snprintf(ctx->err.message, sizeof(ctx->err.message),
                 "the agreement cannot be signed: %d requirement(s) of T5-8.2a are not met",
                 ctx->err.n_fields);
        ctx->err.kind = ERR_CONFLICT;
        return -1;
    }
    return 0;
}

/* Service content: products and pools of the agreement's provider. */
static int check_items(struct ctx *ctx, const struct agreement *a)
{
    for (int i = 0; i < a->n_pools; i++) {
        int64_t owner = 0;
        if (pool_provider_of(ctx, a->pool_ids[i], &owner) < 0)
            return -1;
        if (owner != a->provider_id)
            return err_field(&ctx->err, "pool_ids", "provider", "pool %lld is not the provider's",
                             (long long)a->pool_ids[i]);
    }
    for (int i = 0; i < a->n_products; i++) {
        struct product p;
        if (product_get(ctx, a->product_ids[i], &p) < 0 || p.provider_id != a->provider_id) {
            err_clear(&ctx->err);
            return err_field(&ctx->err, "product_ids", "provider",
                             "product %lld is not one of the provider's",
                             (long long)a->product_ids[i]);
        }
    }
    return 0;
}

static void take(struct agreement *v, const struct agreement_input *in)
{
    if (in->has & AGR_F_TITLE)
        v->title = in->v.title;
    if (in->has & AGR_F_VALID_FROM)
        v->valid_from = in->v.valid_from;
    if (in->has & AGR_F_VALID_TO)
        v->valid_to = in->v.valid_to;
    if (in->has & AGR_F_AVAILABILITY)
        v->availability_bp = in->v.availability_bp;
    if (in->has & AGR_F_RESPONSE) {
        v->response_minutes = in->v.response_minutes;
        v->n_response = in->v.n_response;
    }
    if (in->has & AGR_F_RESOLUTION) {
        v->resolution_minutes = in->v.resolution_minutes;
        v->n_resolution = in->v.n_resolution;
    }
    if (in->has & AGR_F_PRODUCTS) {
        v->product_ids = in->v.product_ids;
        v->n_products = in->v.n_products;
    }
    if (in->has & AGR_F_POOLS) {
        v->pool_ids = in->v.pool_ids;
        v->n_pools = in->v.n_pools;
    }
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        if (in->has & (AGR_F_CLAUSE0 << i))
            v->clause[i] = in->v.clause[i];
}

int agreement_create(struct ctx *ctx, const struct agreement_input *in, struct agreement *out)
{
    struct agreement v;
    struct institution provider;
    memset(&v, 0, sizeof(v));
    take(&v, in);
    v.provider_id = in->v.provider_id;
    validate_draft(ctx, &v);
    if (!v.provider_id)
        err_field(&ctx->err, "provider_id", "required", "provider_id is required");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    /* The provider must be in the caller's jurisdiction: management signs with its own. */
    if (institution_get(ctx, v.provider_id, &provider) < 0 ||
        strcmp(provider.kind, "provider") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return fail(ctx);
        err_clear(&ctx->err);
        err_field(&ctx->err, "provider_id", "provider",
                  "a service agreement is made with a provider in your jurisdiction");
        return fail(ctx);
    }
    if (check_items(ctx, &v) < 0)
        return fail(ctx);
    /* The answer names both parties, as a read of it does. */
    struct institution management;
    if (institution_get(ctx, ctx->caller.institution_id, &management) < 0)
        return fail(ctx);
    v.id = id_new();
    v.management_id = ctx->caller.institution_id;
    v.management_name = management.name;
    v.provider_name = provider.name;
    v.number = 1;
    v.state = "draft";
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "title", v.title);
    audit_change_int(ch, "provider_id", 0, v.provider_id, false);
    if (agreement_store_insert(ctx, &v) < 0 || agreement_store_set_details(ctx, &v) < 0 ||
        audit_append(ctx, "agreement.create", "agreement", v.id, v.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

static int stale(struct ctx *ctx, int version)
{
    return err_set(&ctx->err, ERR_PRECONDITION,
                   "the agreement was changed by someone else (now at version %d); reload it",
                   version);
}

int agreement_update(struct ctx *ctx, int64_t id, int if_match, const struct agreement_input *in,
                     struct agreement *out)
{
    struct agreement cur, v;
    if (ctx_tx_begin(ctx) < 0 || agreement_get(ctx, id, &cur) < 0)
        return fail(ctx);
    if (cur.management_id != ctx->caller.institution_id && !ctx->caller.is_system) {
        err_set(&ctx->err, ERR_FORBIDDEN,
                "only the management institution that made the "
                "agreement edits its draft");
        return fail(ctx);
    }
    if (if_match >= 0 && if_match != cur.version) {
        stale(ctx, cur.version);
        return fail(ctx);
    }
    if (strcmp(cur.state, "draft") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "immutable",
                 "a %s agreement is immutable; amend it to make a new version", cur.state);
        return fail(ctx);
    }
    v = cur;
    take(&v, in);
    validate_draft(ctx, &v);
    if (ctx->err.kind || check_items(ctx, &v) < 0)
        return fail(ctx);
    v.updated_at = time_now_ms();
    int rc = agreement_store_update(ctx, &v, cur.version);
    if (rc <= 0) {
        if (rc == 0)
            stale(ctx, cur.version + 1);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "title", cur.title, v.title);
    for (int i = 0; i < AGREEMENT_CLAUSES; i++)
        audit_change_str(ch, agreement_clause_names[i], cur.clause[i], v.clause[i]);
    audit_change_str(ch, "valid_from", cur.valid_from, v.valid_from);
    audit_change_str(ch, "valid_to", cur.valid_to, v.valid_to);
    audit_change_int(ch, "availability_bp", cur.availability_bp, v.availability_bp, true);
    if (agreement_store_set_details(ctx, &v) < 0 ||
        audit_append(ctx, "agreement.update", "agreement", id, cur.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int agreement_sign(struct ctx *ctx, int64_t id, struct agreement *out)
{
    struct agreement cur, v;
    bool as_management, as_provider;
    if (ctx_tx_begin(ctx) < 0 || agreement_get(ctx, id, &cur) < 0)
        return fail(ctx);
    as_management = cur.management_id == ctx->caller.institution_id;
    as_provider = cur.provider_id == ctx->caller.institution_id;
    if (!ctx->caller.person_id) {
        err_set(&ctx->err, ERR_FORBIDDEN, "an agreement is signed by a person, not the system");
        return fail(ctx);
    }
    if (!as_management && !as_provider) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "not_a_party", "only the two parties sign an agreement");
        return fail(ctx);
    }
    if (strcmp(cur.state, "draft") != 0 && strcmp(cur.state, "signing") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_signable", "a %s agreement is not open for signing",
                 cur.state);
        return fail(ctx);
    }
    if (check_complete(ctx, &cur) < 0)
        return fail(ctx);
    if ((as_management && cur.management_signer) || (as_provider && cur.provider_signer)) {
        err_rule(&ctx->err, ERR_CONFLICT, "signed_already", "your institution has signed already");
        return fail(ctx);
    }
    v = cur;
    if (as_management) {
        v.management_signer = ctx->caller.person_id;
        v.management_signed_at = time_now_ms();
    } else {
        v.provider_signer = ctx->caller.person_id;
        v.provider_signed_at = time_now_ms();
    }
    v.state = v.management_signer && v.provider_signer ? "in_force" : "signing";
    v.updated_at = time_now_ms();
    int rc = agreement_store_update(ctx, &v, cur.version);
    if (rc <= 0) {
        if (rc == 0)
            stale(ctx, cur.version + 1);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "signed_for", as_management ? "management" : "provider");
    audit_change_str(ch, "state", cur.state, v.state);
    if (audit_append(ctx, "agreement.sign", "agreement", id, cur.management_id, ch) < 0)
        return fail(ctx);
    /* A signed amendment supersedes the version it amends. */
    if (!strcmp(v.state, "in_force") && cur.previous_id) {
        struct agreement prev;
        int got = agreement_store_get(ctx, cur.previous_id, &prev);
        if (got <= 0) {
            if (got == 0)
                err_set(&ctx->err, ERR_INTERNAL, "the amended agreement is gone");
            return fail(ctx);
        }
        int old = prev.version;
        prev.state = "superseded";
        prev.updated_at = time_now_ms();
        got = agreement_store_update(ctx, &prev, old);
        if (got <= 0) {
            if (got == 0)
                stale(ctx, old + 1);
            return fail(ctx);
        }
        struct audit_changes *pc = audit_changes_new(ctx);
        audit_change_str(pc, "state", "in_force", "superseded");
        if (audit_append(ctx, "agreement.superseded", "agreement", prev.id, prev.management_id,
                         pc) < 0)
            return fail(ctx);
    }
    if (ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int agreement_expire_due(struct ctx *ctx, int *n)
{
    int64_t *ids, *managers;
    int due;
    *n = 0;
    if (agreement_store_due(ctx, today(ctx), &ids, &managers, &due) < 0)
        return -1;
    for (int i = 0; i < due; i++) {
        int rc = agreement_store_expire(ctx, ids[i], time_now_ms());
        if (rc < 0)
            return -1;
        if (rc == 0)
            continue; /* signed away or superseded meanwhile */
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_change_str(ch, "state", "in_force", "expired");
        if (audit_append(ctx, "agreement.expire", "agreement", ids[i], managers[i], ch) < 0)
            return -1;
        (*n)++;
    }
    return 0;
}

int agreement_amend(struct ctx *ctx, int64_t id, struct agreement *out)
{
    struct agreement cur, v;
    if (ctx_tx_begin(ctx) < 0 || agreement_get(ctx, id, &cur) < 0)
        return fail(ctx);
    if (cur.management_id != ctx->caller.institution_id && !ctx->caller.is_system) {
        err_set(&ctx->err, ERR_FORBIDDEN, "the management institution that made it amends it");
        return fail(ctx);
    }
    if (strcmp(cur.state, "in_force") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_in_force",
                 "only an agreement in force is amended (this one is %s)", cur.state);
        return fail(ctx);
    }
    v = cur;
    v.id = id_new();
    v.previous_id = cur.id;
    v.number = cur.number + 1;
    v.state = "draft";
    v.management_signer = v.provider_signer = 0;
    v.management_signed_at = v.provider_signed_at = 0;
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "previous_id", 0, cur.id, false);
    audit_change_int(ch, "number", cur.number, v.number, true);
    if (agreement_store_insert(ctx, &v) < 0 || agreement_store_set_details(ctx, &v) < 0 ||
        audit_append(ctx, "agreement.amend", "agreement", v.id, v.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int breach_record(struct ctx *ctx, int64_t agreement_id, const struct breach *in,
                  struct breach *out)
{
    struct breach v = *in;
    struct agreement a;
    check_enum(ctx, "clause", v.clause, agreement_clause_names);
    check_text(ctx, "facts", v.facts, 2, 5000);
    check_text(ctx, "evidence", v.evidence, 2, 5000);
    check_text(ctx, "liability", v.liability, 2, 2000);
    if (check_date(ctx, "occurred_on", v.occurred_on) == 0 && strcmp(v.occurred_on, today(ctx)) > 0)
        err_field(&ctx->err, "occurred_on", "not_future", "occurred_on cannot be in the future");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || agreement_get(ctx, agreement_id, &a) < 0)
        return fail(ctx);
    if (a.management_id != ctx->caller.institution_id && !ctx->caller.is_system) {
        err_set(&ctx->err, ERR_FORBIDDEN, "the management party records breaches");
        return fail(ctx);
    }
    if (!strcmp(a.state, "draft") || !strcmp(a.state, "signing")) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_in_force",
                 "an agreement not yet in force cannot be breached");
        return fail(ctx);
    }
    v.id = id_new();
    v.agreement_id = agreement_id;
    v.recorded_by = ctx->caller.person_id;
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "clause", v.clause);
    audit_note(ch, "liability", v.liability);
    if (agreement_store_breach_insert(ctx, &v) < 0 ||
        audit_append(ctx, "agreement.breach", "agreement_breach", v.id, a.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int breach_list(struct ctx *ctx, int64_t agreement_id, struct breach **items, int *n)
{
    if (agreement_access(ctx, agreement_id) < 0)
        return -1;
    return agreement_store_breaches(ctx, agreement_id, items, n);
}
