/*
 * order.c - the rules of orders (T5-8.2e, T5-5.3c): application with a justification, approval
 * against the catalogue and a budget line (T5-8.2c), delivery through the resource module's
 * allocations (T5-6.2b), the trial period (T5-7.2d), acceptance or rejection, changes, release;
 * budget lines; the feedback thread (T5-8.2e, T5-10.2e).
 *
 * Budget arithmetic: a line's committed_fen is the sum of the estimates of the orders approved
 * on it that were not rejected (a refused order was never committed). Approval adds the estimate
 * through one conditional UPDATE that refuses to pass the line's amount, so two approvals racing
 * for the last fen cannot both win on either store; rejection gives the estimate back; release
 * keeps it (the service was used in that fiscal year).
 *
 * Allocations are made and released only through the resource module, inside the order's
 * transaction, so an order never holds capacity the pool does not have and a refusal leaves
 * nothing half-written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order.h"
#include "order_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/org/org.h"
#include "domain/product/product.h"
#include "domain/resource/resource.h"
#include "domain/validate.h"
#include "core/banned.h"

const char *const order_states[] = {"applied",  "approved",   "refused",  "delivered",
                                    "rejected", "in_service", "released", NULL};

#define MAX_FEN   1000000000000000LL /* 10^13 yuan: more than any budget */
#define MAX_ITEMS 50

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

static bool is(const char *a, const char *b)
{
    return a && b && !strcmp(a, b);
}

/* YYYY-MM-DD plus months, the day clamped to the length of the target month. Arena-owned. */
static const char *add_months(struct ctx *ctx, const char *date, int64_t months)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    long y = strtol(date, NULL, 10), m = strtol(date + 5, NULL, 10), d = strtol(date + 8, NULL, 10);
    long idx = y * 12 + (m - 1) + (long)months;
    y = idx / 12;
    m = idx % 12 + 1;
    int last = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    if (d > last)
        d = last;
    return arena_printf(ctx->arena, "%04ld-%02ld-%02ld", y, m, d);
}

/* ---------- budget lines ---------- */

int budget_line_create(struct ctx *ctx, const struct budget_line *in, struct budget_line *out)
{
    struct budget_line v = *in;
    struct institution user;
    if (!v.user_id)
        err_field(&ctx->err, "user_id", "required", "user_id names the user agency of the line");
    if (v.fiscal_year < 2000 || v.fiscal_year > 2999)
        err_field(&ctx->err, "fiscal_year", "range", "fiscal_year is a year such as 2026");
    check_text(ctx, "code", v.code, 1, 40);
    check_text(ctx, "name", v.name, 2, 100);
    if (v.amount_fen <= 0 || v.amount_fen > MAX_FEN)
        err_field(&ctx->err, "amount_fen", "range", "amount_fen is a positive amount in fen");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    /* T5-8.2c: management budgets for the user agencies of its own jurisdiction. */
    if (institution_get(ctx, v.user_id, &user) < 0 || !is(user.kind, "user")) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return fail(ctx);
        err_clear(&ctx->err);
        err_field(&ctx->err, "user_id", "user_agency",
                  "a budget line belongs to a user agency in your jurisdiction");
        return fail(ctx);
    }
    v.id = id_new();
    v.user_name = user.name;
    v.committed_fen = 0;
    v.created_by = ctx->caller.person_id;
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "user_id", 0, v.user_id, false);
    audit_change_int(ch, "fiscal_year", 0, v.fiscal_year, false);
    audit_note(ch, "code", v.code);
    audit_change_int(ch, "amount_fen", 0, v.amount_fen, false);
    if (budget_store_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field_as(&ctx->err, ERR_CONFLICT, "code", "unique",
                         "%s already has a budget line %s for %lld", user.name, v.code,
                         (long long)v.fiscal_year);
        }
        return fail(ctx);
    }
    if (audit_append(ctx, "budget.create", "budget_line", v.id, v.user_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int budget_line_list(struct ctx *ctx, const struct budget_filter *f, const struct page_req *p,
                     struct budget_line **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (budget_store_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

/* ---------- reading orders ---------- */

int order_access(struct ctx *ctx, int64_t id)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    int rc = order_store_visible(ctx, root, depth, ctx->caller.institution_id, id);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "order not found");
}

int order_get(struct ctx *ctx, int64_t id, struct order *out)
{
    if (order_access(ctx, id) < 0)
        return -1;
    int rc = order_store_get(ctx, id, out);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_NOT_FOUND, "order not found");
    return order_store_items(ctx, out);
}

int order_list(struct ctx *ctx, const struct order_filter *f, const struct page_req *p,
               struct order **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    if (f->state && *f->state && check_enum(ctx, "state", f->state, order_states) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (order_store_list(ctx, root, depth, ctx->caller.institution_id, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

int order_transitions(struct ctx *ctx, int64_t id, struct order_transition **items, int *n)
{
    if (order_access(ctx, id) < 0)
        return -1;
    return order_store_transitions(ctx, id, items, n);
}

/* ---------- the rules shared by the transitions ---------- */

/* T5-7.2b: only a product online in the catalogue is ordered or approved. */
static int check_product(struct ctx *ctx, int64_t id, struct product *p)
{
    if (product_get(ctx, id, p) < 0 || !is(p->state, "online")) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_rule(&ctx->err, ERR_CONFLICT, "catalogue_state",
                        "product %lld is not online in the catalogue: only online products are "
                        "ordered (T5-7.2b)",
                        (long long)id);
    }
    return 0;
}

static int check_pool(struct ctx *ctx, int64_t id, struct pool *p)
{
    if (pool_lookup(ctx, id, p) < 0) {
        if (ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_field(&ctx->err, "pool_ids", "not_found", "resource pool %lld does not exist",
                         (long long)id);
    }
    if (!is(p->status, "active"))
        return err_rule(&ctx->err, ERR_CONFLICT, "pool_state",
                        "the pool %s is %s: its capacity cannot be ordered", p->name, p->status);
    /* T5-6.2c: only a pool whose newest conformity test passed is in the catalogue of
     * conformant resources, so only such a pool is ordered (issue 12). */
    if (!p->latest_test || !is(p->latest_test, "passed"))
        return err_rule(&ctx->err, ERR_CONFLICT, "pool_not_conformant",
                        "the pool %s has no passed conformity test (newest test: %s): only "
                        "conformant resources are ordered (T5-6.2c)",
                        p->name, p->latest_test && *p->latest_test ? p->latest_test : "none");
    return 0;
}

static int check_state(struct ctx *ctx, const struct order *o, const char *want, const char *rule,
                       const char *what)
{
    if (is(o->state, want))
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, rule, "only an order that is %s can be %s (now %s)",
                    want, what, o->state);
}

static int as_agency(struct ctx *ctx, const struct order *o)
{
    if (ctx->caller.is_system || ctx->caller.institution_id == o->user_id)
        return 0;
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_agency",
                    "only the user agency that ordered it (%s) does this", o->user_name);
}

static int as_provider(struct ctx *ctx, const struct order *o)
{
    if (ctx->caller.is_system || ctx->caller.institution_id == o->provider_id)
        return 0;
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                    "only the provider of the order (%s) does this", o->provider_name);
}

static int refuse_budget(struct ctx *ctx, const struct budget_line *line, int64_t needed)
{
    err_rule(&ctx->err, ERR_CONFLICT, "budget_exceeded",
             "budget line %s has %lld fen remaining; the order needs %lld fen", line->code,
             (long long)(line->amount_fen - line->committed_fen), (long long)needed);
    err_param_str(&ctx->err, "budget_line", line->code);
    err_param_int(&ctx->err, "remaining_fen", (long long)(line->amount_fen - line->committed_fen));
    /* needed_fen (the lifecycle's name) and estimated_fen (issue 12's) are the same figure. */
    err_param_int(&ctx->err, "estimated_fen", (long long)needed);
    return err_param_int(&ctx->err, "needed_fen", (long long)needed);
}

/* Loads the order in the open transaction. */
static int load(struct ctx *ctx, int64_t id, struct order *out)
{
    return order_get(ctx, id, out);
}

/* ---------- application (T5-5.3c) ---------- */

static bool has_dup(const int64_t *v, int n)
{
    for (int i = 0; i < n; i++)
        for (int k = i + 1; k < n; k++)
            if (v[i] == v[k])
                return true;
    return false;
}

/* The service level of each of pool_ids (GB/T 34077.2), from the comma-joined list; NULL when
 * none was given (every item is standard). Field errors name service_levels[i]. */
static const char **split_levels(struct ctx *ctx, const struct order_input *in)
{
    if (!in->service_levels)
        return NULL;
    const char **levels = arena_alloc(ctx->arena, sizeof(*levels) * (size_t)(in->n_pools + 1));
    char *list = arena_strdup(ctx->arena, in->service_levels);
    int n = 0;
    for (char *s = list; *s && n <= in->n_pools;) {
        char *comma = strchr(s, ',');
        if (comma)
            *comma = 0;
        if (n < in->n_pools) {
            check_enum(ctx, arena_printf(ctx->arena, "service_levels[%d]", n), s, service_levels);
            levels[n] = s;
        }
        n++;
        s = comma ? comma + 1 : s + strlen(s);
    }
    if (n != in->n_pools)
        err_field(&ctx->err, "service_levels", "per_pool",
                  "service_levels gives one level for each of pool_ids, in the same order");
    return levels;
}

int order_apply(struct ctx *ctx, const struct order_input *in, struct order *out)
{
    struct order v;
    struct budget_line line;
    int64_t provider = 0;
    check_text(ctx, "application", in->application, 2, 100);
    /* T5-5.3c: the agency applies with the business need it has sorted out. */
    check_text(ctx, "justification", in->justification, 4, 2000);
    if (!in->budget_line_id)
        err_field(&ctx->err, "budget_line_id", "required",
                  "an order is paid from a budget line (T5-8.2c)");
    /* Issue 12: an estimate of 0 fen reserved nothing, so an order passed an exhausted budget
     * line. Every order costs something: the estimate is at least 1 fen (docs/orders.md). */
    if (in->estimated_fen < 1 || in->estimated_fen > MAX_FEN)
        err_field(&ctx->err, "estimated_fen", in->estimated_fen < 1 ? "positive" : "range",
                  "estimated_fen is the estimated cost in fen, 1 to %lld", (long long)MAX_FEN);
    if (in->n_products + in->n_pools == 0)
        err_field(&ctx->err, "product_ids", "items_required",
                  "an order names at least one product or resource pool");
    if (in->n_products + in->n_pools > MAX_ITEMS)
        err_field(&ctx->err, "product_ids", "max_items", "an order has at most %d items",
                  MAX_ITEMS);
    if (in->n_quantities != in->n_pools)
        err_field(&ctx->err, "quantities", "per_pool",
                  "quantities gives one quantity for each of pool_ids, in the same order");
    const char **levels = split_levels(ctx, in);
    if (has_dup(in->product_ids, in->n_products))
        err_field(&ctx->err, "product_ids", "duplicate", "a product is named twice");
    if (has_dup(in->pool_ids, in->n_pools))
        err_field(&ctx->err, "pool_ids", "duplicate", "a pool is named twice");
    if (ctx->err.kind)
        return -1;
    if (!ctx->caller.is_system && !is(ctx->caller.inst_kind, "user"))
        return err_rule(&ctx->err, ERR_FORBIDDEN, "not_a_user_agency",
                        "orders are placed by user agencies");
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    int rc = budget_store_get(ctx, in->budget_line_id, &line);
    if (rc < 0)
        return fail(ctx);
    if (!rc || line.user_id != ctx->caller.institution_id) {
        err_field(&ctx->err, "budget_line_id", "own_line",
                  "the budget line is not one of your agency's");
        return fail(ctx);
    }
    memset(&v, 0, sizeof(v));
    v.items = arena_alloc(ctx->arena,
                          sizeof(struct order_item) * (size_t)(in->n_products + in->n_pools + 1));
    for (int i = 0; i < in->n_products; i++) {
        struct product p;
        if (check_product(ctx, in->product_ids[i], &p) < 0)
            return fail(ctx);
        struct order_item *it = &v.items[v.n_items++];
        memset(it, 0, sizeof(*it));
        it->id = id_new();
        it->product_id = p.id;
        it->name = p.name;
        it->unit = "";
        it->alloc_state = "";
        if (provider && provider != p.provider_id) {
            err_rule(&ctx->err, ERR_CONFLICT, "one_provider",
                     "all items of an order come from one provider; %s is from another", p.name);
            return fail(ctx);
        }
        provider = p.provider_id;
    }
    for (int i = 0; i < in->n_pools; i++) {
        struct pool p;
        if (check_pool(ctx, in->pool_ids[i], &p) < 0)
            return fail(ctx);
        struct order_item *it = &v.items[v.n_items++];
        memset(it, 0, sizeof(*it));
        it->id = id_new();
        it->pool_id = p.id;
        it->quantity = in->quantities[i];
        it->service_level = levels ? levels[i] : "standard";
        it->name = p.name;
        it->unit = p.unit;
        it->alloc_state = "";
        if (provider && provider != p.provider_id) {
            err_rule(&ctx->err, ERR_CONFLICT, "one_provider",
                     "all items of an order come from one provider; %s is from another", p.name);
            return fail(ctx);
        }
        provider = p.provider_id;
    }
    v.id = id_new();
    v.user_id = ctx->caller.institution_id;
    v.provider_id = provider;
    v.budget_line_id = line.id;
    v.budget_code = line.code;
    v.user_name = line.user_name;
    v.application = in->application;
    v.justification = in->justification;
    v.estimated_fen = in->estimated_fen;
    v.state = "applied";
    v.trial_months = ORDER_TRIAL_MONTHS;
    v.trial_justification = v.delivered_on = v.trial_ends_on = v.accepted_on = "";
    v.applied_by = ctx->caller.person_id;
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct institution pi;
    if (institution_lookup(ctx, provider, &pi) < 0)
        return fail(ctx);
    v.provider_name = pi.name;
    struct order_transition t;
    memset(&t, 0, sizeof(t));
    t.id = id_new();
    t.order_id = v.id;
    t.from_state = "";
    t.to_state = "applied";
    t.reason = v.justification;
    t.by_person = ctx->caller.person_id;
    t.by_institution = ctx->caller.institution_id;
    t.at = v.created_at;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "application", v.application);
    audit_note(ch, "justification", v.justification);
    audit_change_int(ch, "budget_line_id", 0, v.budget_line_id, false);
    audit_change_int(ch, "estimated_fen", 0, v.estimated_fen, false);
    audit_change_int(ch, "provider_id", 0, v.provider_id, false);
    if (levels) {
        const char *list = "";
        for (int i = 0; i < v.n_items; i++)
            if (v.items[i].pool_id)
                list = arena_printf(ctx->arena, "%s%s%lld: %s", list, *list ? "; " : "",
                                    (long long)v.items[i].pool_id, v.items[i].service_level);
        audit_note(ch, "service_levels", list);
    }
    if (order_store_insert(ctx, &v) < 0 || order_store_transition(ctx, &t) < 0 ||
        audit_append(ctx, "order.apply", "order", v.id, v.user_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

/* ---------- the lifecycle as data (T5-8.2c, T5-7.2d, T5-6.2b) ---------- */

static int check_rating(struct ctx *ctx, int64_t rating, const char *comment)
{
    if (rating < 1 || rating > 5)
        err_field(&ctx->err, "rating", "range", "rating is a satisfaction score of 1 to 5");
    check_opt_text(ctx, "comment", comment, 2000);
    return ctx->err.kind ? -1 : 0;
}

static int insert_feedback(struct ctx *ctx, const struct order *o, int64_t rating,
                           const char *comment, struct feedback *out)
{
    struct feedback f;
    memset(&f, 0, sizeof(f));
    f.id = id_new();
    f.order_id = o->id;
    f.rating = rating;
    f.comment = comment ? comment : "";
    f.by_person = ctx->caller.person_id;
    f.by_institution = ctx->caller.institution_id;
    f.created_at = time_now_ms();
    f.by_name = ctx->caller.name ? ctx->caller.name : "";
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "rating", 0, rating, false);
    if (*f.comment)
        audit_note(ch, "comment", f.comment);
    if (order_store_feedback_insert(ctx, &f) < 0 ||
        audit_append(ctx, "order.feedback", "order_feedback", f.id, o->user_id, ch) < 0)
        return -1;
    if (out)
        *out = f;
    return 0;
}

/* Releases every active allocation of the order through the resource module. */
static int release_all(struct ctx *ctx, struct order *o, const char *reason)
{
    for (int i = 0; i < o->n_items; i++) {
        struct order_item *it = &o->items[i];
        struct allocation a;
        if (!it->allocation_id || !is(it->alloc_state, "active"))
            continue;
        if (allocation_change_in_tx(ctx, it->pool_id, it->allocation_id, "release", 0, reason, &a) <
            0)
            return -1;
        it->alloc_state = "released";
    }
    return 0;
}

static int need_reason(struct ctx *ctx, const char *reason, const char *what)
{
    if (text_length(reason) < 2)
        return err_field(&ctx->err, "reason", "required", "%s needs a reason", what);
    return check_text(ctx, "reason", reason, 2, 1000);
}

static int lc_load(struct ctx *ctx, int64_t id, void *obj)
{
    return order_get(ctx, id, obj);
}

static const char *lc_state(const void *obj)
{
    return ((const struct order *)obj)->state;
}

static void lc_set_state(void *obj, const char *to)
{
    ((struct order *)obj)->state = to;
}

static unsigned lc_parties(struct ctx *ctx, const void *obj)
{
    const struct order *o = obj;
    unsigned r = 0;
    if (ctx->caller.institution_id == o->user_id)
        r |= LC_AGENCY;
    if (ctx->caller.institution_id == o->provider_id)
        r |= LC_PROVIDER;
    /* The order is visible to management only within its jurisdiction (order_access). */
    if (ctx->caller.inst_kind && is(ctx->caller.inst_kind, "management"))
        r |= LC_MANAGEMENT;
    return r;
}

static int lc_refuse_party(struct ctx *ctx, const void *obj, unsigned wanted)
{
    const struct order *o = obj;
    if (wanted & LC_AGENCY)
        return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_agency",
                        "only the user agency that ordered it (%s) does this", o->user_name);
    if (wanted & LC_PROVIDER)
        return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                        "only the provider of the order (%s) does this", o->provider_name);
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_management",
                    "only the management institution of the ordering agency decides an order");
}

static int lc_save(struct ctx *ctx, void *obj, const void *cur_)
{
    struct order *v = obj;
    const struct order *cur = cur_;
    v->updated_at = time_now_ms();
    int rc = order_store_update(ctx, v, cur->version);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(&ctx->err, ERR_PRECONDITION,
                                "the order was changed by someone else meanwhile; reload it");
    v->version = cur->version + 1;
    return 0;
}

static int lc_record(struct ctx *ctx, const void *obj, const char *from, const char *to,
                     const char *reason)
{
    const struct order *o = obj;
    struct order_transition t;
    memset(&t, 0, sizeof(t));
    t.id = id_new();
    t.order_id = o->id;
    t.from_state = from;
    t.to_state = to;
    t.reason = reason;
    t.by_person = ctx->caller.person_id;
    t.by_institution = ctx->caller.institution_id;
    t.at = o->updated_at ? o->updated_at : time_now_ms();
    return order_store_transition(ctx, &t);
}

static int64_t lc_id(const void *obj)
{
    return ((const struct order *)obj)->id;
}

static int64_t lc_scope(const void *obj)
{
    return ((const struct order *)obj)->user_id;
}

/* T5-7.2b: the catalogue may have changed since the application; only what is still online
 * (products) or active (pools) is approved. */
static int guard_items_orderable(struct ctx *ctx, const void *obj)
{
    const struct order *o = obj;
    for (int i = 0; i < o->n_items; i++) {
        struct product p;
        struct pool pl;
        if ((o->items[i].product_id && check_product(ctx, o->items[i].product_id, &p) < 0) ||
            (o->items[i].pool_id && check_pool(ctx, o->items[i].pool_id, &pl) < 0))
            return -1;
    }
    return 0;
}

/* Issue 12: an order applied before estimates had to be positive (or changed by any other path)
 * reserves nothing on its budget line: it is not approved. */
static int guard_estimate_positive(struct ctx *ctx, const void *obj)
{
    const struct order *o = obj;
    if (o->estimated_fen >= 1)
        return 0;
    err_rule(&ctx->err, ERR_CONFLICT, "estimate_not_positive",
             "the order estimates %lld fen; an order is approved only with a positive estimate "
             "that the budget line covers (T5-8.2c)",
             (long long)o->estimated_fen);
    return err_param_int(&ctx->err, "estimated_fen", (long long)o->estimated_fen);
}

/* T5-8.2c: a purchase is an item of this fiscal year's budget of the ordering agency, and the
 * line has what the order needs. Read only; approval commits the amount conditionally. */
static int guard_budget_line(struct ctx *ctx, const void *obj)
{
    const struct order *o = obj;
    struct budget_line line;
    int rc = budget_store_get(ctx, o->budget_line_id, &line);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "the budget line is gone");
    if (line.user_id != o->user_id) {
        err_rule(&ctx->err, ERR_CONFLICT, "budget_line_owner",
                 "budget line %s belongs to %s, not to the ordering agency", line.code,
                 line.user_name);
        return err_param_str(&ctx->err, "budget_line", line.code);
    }
    long year = strtol(today(ctx), NULL, 10);
    if (line.fiscal_year != year) {
        err_rule(&ctx->err, ERR_CONFLICT, "budget_year",
                 "budget line %s is of fiscal year %lld, not of the current year %ld", line.code,
                 (long long)line.fiscal_year, year);
        err_param_str(&ctx->err, "budget_line", line.code);
        err_param_int(&ctx->err, "fiscal_year", (long long)line.fiscal_year);
        return err_param_int(&ctx->err, "current_year", year);
    }
    if (line.amount_fen - line.committed_fen < o->estimated_fen)
        return refuse_budget(ctx, &line, o->estimated_fen);
    return 0;
}

/* T5-7.2d: acceptance comes at the end of the trial period. */
static int guard_trial_over(struct ctx *ctx, const void *obj)
{
    const struct order *o = obj;
    if (strcmp(today(ctx), o->trial_ends_on) >= 0)
        return 0;
    err_rule(&ctx->err, ERR_CONFLICT, "trial_not_over",
             "the trial period runs until %s (T5-7.2d); accept on or after that day",
             o->trial_ends_on);
    return err_param_str(&ctx->err, "trial_ends_on", o->trial_ends_on);
}

static int64_t trial_months_of(const struct order_decision *d)
{
    return d && d->has_trial_months ? d->trial_months : ORDER_TRIAL_MONTHS;
}

static int apply_approve(struct ctx *ctx, void *obj, const void *cur_, const struct lc_input *in,
                         struct audit_changes *ch)
{
    struct order *v = obj;
    const struct order *cur = cur_;
    const struct order_decision *d = in->arg;
    int64_t months = trial_months_of(d);
    const char *why = d && d->trial_justification ? d->trial_justification : "";
    struct budget_line line;
    /* One conditional UPDATE: two approvals racing for the last fen cannot both win. */
    int rc = budget_store_commit(ctx, v->budget_line_id, v->estimated_fen);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        if (budget_store_get(ctx, v->budget_line_id, &line) <= 0)
            return -1;
        return refuse_budget(ctx, &line, v->estimated_fen);
    }
    v->trial_months = months;
    v->trial_justification = months < ORDER_TRIAL_MONTHS ? why : "";
    audit_change_int(ch, "trial_months", cur->trial_months, months, true);
    if (*v->trial_justification)
        audit_note(ch, "trial_justification", v->trial_justification);
    return 0;
}

/* T5-6.2b: the provider configures the capacity; the pool's capacity rule applies. The trial
 * starts today (T5-7.2d). */
static int apply_deliver(struct ctx *ctx, void *obj, const void *cur_, const struct lc_input *in,
                         struct audit_changes *ch)
{
    struct order *v = obj;
    const struct order *cur = cur_;
    (void)in;
    for (int i = 0; i < v->n_items; i++) {
        struct order_item *it = &v->items[i];
        struct allocation req, a;
        if (!it->pool_id)
            continue;
        memset(&req, 0, sizeof(req));
        req.user_id = cur->user_id;
        req.application = cur->application;
        req.quantity = it->quantity;
        req.service_level = it->service_level;
        if (allocation_configure_in_tx(ctx, it->pool_id, &req, &a) < 0 ||
            order_store_item_allocation(ctx, it->id, a.id) < 0)
            return -1;
        it->allocation_id = a.id;
        it->alloc_state = "active";
    }
    v->delivered_on = today(ctx);
    v->trial_ends_on = add_months(ctx, v->delivered_on, v->trial_months);
    audit_note(ch, "delivered_on", v->delivered_on);
    audit_note(ch, "trial_ends_on", v->trial_ends_on);
    return 0;
}

static int apply_accept(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                        struct audit_changes *ch)
{
    struct order *v = obj;
    const struct order_decision *d = in->arg;
    (void)cur;
    v->accepted_on = today(ctx);
    audit_note(ch, "accepted_on", v->accepted_on);
    /* The rating given with acceptance is the first feedback. */
    return d && d->has_rating ? insert_feedback(ctx, v, d->rating, d->comment, NULL) : 0;
}

/* Nothing was accepted: the capacity goes back to the pool, the estimate to the budget. */
static int apply_reject(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                        struct audit_changes *ch)
{
    struct order *v = obj;
    (void)cur;
    (void)ch;
    int rc = release_all(ctx, v, in->reason);
    if (rc == 0)
        rc = budget_store_commit(ctx, v->budget_line_id, -v->estimated_fen) > 0 ? 0 : -1;
    if (rc < 0 && !ctx->err.kind)
        err_set(&ctx->err, ERR_INTERNAL, "the budget line does not hold the estimate");
    return rc;
}

/* Release keeps the estimate committed: the service was used in that fiscal year. */
static int apply_release(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                         struct audit_changes *ch)
{
    struct order *v = obj;
    (void)cur;
    (void)ch;
    if (release_all(ctx, v, in->reason) < 0 || order_store_changes_cancel(ctx, v->id) < 0)
        return -1;
    return 0;
}

static const char *const from_applied[] = {"applied", NULL};
static const char *const from_approved[] = {"approved", NULL};
static const char *const from_delivered[] = {"delivered", NULL};
static const char *const from_in_service[] = {"in_service", NULL};

static const struct lc_transition order_transitions_table[] = {
    {.action = "approve",
     .from = from_applied,
     .to = "approved",
     .parties = LC_MANAGEMENT,
     .permission = "order.approve",
     .rule = "not_applied",
     .refusal = "only an order that is applied can be approved (now %s)",
     .audit_action = "order.approve",
     .guards = {guard_items_orderable, guard_estimate_positive, guard_budget_line},
     .apply = apply_approve},
    {.action = "refuse",
     .from = from_applied,
     .to = "refused",
     .parties = LC_MANAGEMENT,
     .permission = "order.approve",
     .rule = "not_applied",
     .refusal = "only an order that is applied can be refused (now %s)",
     .audit_action = "order.refuse"},
    {.action = "deliver",
     .from = from_approved,
     .to = "delivered",
     .parties = LC_PROVIDER,
     .permission = "order.deliver",
     .rule = "not_approved",
     .refusal = "only an order that is approved can be delivered (now %s)",
     .audit_action = "order.deliver",
     .apply = apply_deliver},
    {.action = "accept",
     .from = from_delivered,
     .to = "in_service",
     .parties = LC_AGENCY,
     .permission = "order.apply",
     .rule = "not_delivered",
     .refusal = "only an order that is delivered can be accepted (now %s)",
     .audit_action = "order.accept",
     .guards = {guard_trial_over},
     .apply = apply_accept},
    {.action = "reject",
     .from = from_delivered,
     .to = "rejected",
     .parties = LC_AGENCY,
     .permission = "order.apply",
     .rule = "not_in_trial",
     .refusal = "only an order that is delivered can be rejected (now %s)",
     .audit_action = "order.reject",
     .apply = apply_reject},
    {.action = "release",
     .from = from_in_service,
     .to = "released",
     .parties = LC_AGENCY,
     .permission = "order.apply",
     .rule = "not_in_service",
     .refusal = "only an order that is in_service can be released (now %s)",
     .audit_action = "order.release",
     .apply = apply_release},
};

const struct lifecycle order_lifecycle = {
    .entity = "order",
    .audit_type = "order",
    .transitions = order_transitions_table,
    .n_transitions = (int)(sizeof(order_transitions_table) / sizeof(order_transitions_table[0])),
    .size = sizeof(struct order),
    .load = lc_load,
    .state = lc_state,
    .set_state = lc_set_state,
    .parties = lc_parties,
    .refuse_party = lc_refuse_party,
    .save = lc_save,
    .record = lc_record,
    .id_of = lc_id,
    .audit_scope = lc_scope,
};

static int act(struct ctx *ctx, int64_t id, const char *action, const char *reason,
               const struct order_decision *d, struct order *out)
{
    struct lc_input in = {reason ? reason : "", d};
    return lifecycle_act(ctx, &order_lifecycle, id, action, &in, out);
}

int order_approve(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    int64_t months = trial_months_of(d);
    const char *why = d->trial_justification ? d->trial_justification : "";
    if (months < 0 || months > ORDER_TRIAL_MAX_MONTHS)
        err_field(&ctx->err, "trial_months", "range", "trial_months is 0 to %d",
                  ORDER_TRIAL_MAX_MONTHS);
    check_opt_text(ctx, "trial_justification", why, 2000);
    check_opt_text(ctx, "note", d->note, 1000);
    if (ctx->err.kind)
        return -1;
    /* T5-7.2d: a trial shorter than six months is the exception, and its reason is recorded. */
    if (months < ORDER_TRIAL_MONTHS && text_length(why) < 4) {
        err_rule(&ctx->err, ERR_CONFLICT, "trial_too_short",
                 "a trial period of %lld months is shorter than the %d months of T5-7.2d; "
                 "give a trial_justification",
                 (long long)months, ORDER_TRIAL_MONTHS);
        err_param_int(&ctx->err, "trial_months", (long long)months);
        return err_param_int(&ctx->err, "minimum_months", ORDER_TRIAL_MONTHS);
    }
    return act(ctx, id, "approve", months < ORDER_TRIAL_MONTHS ? why : d->note, d, out);
}

int order_refuse(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    if (need_reason(ctx, d->reason, "a refusal") < 0)
        return -1;
    return act(ctx, id, "refuse", d->reason, d, out);
}

int order_deliver(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    if (check_opt_text(ctx, "note", d->note, 1000) < 0)
        return -1;
    return act(ctx, id, "deliver", d->note, d, out);
}

int order_accept(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    if (d->has_rating && check_rating(ctx, d->rating, d->comment) < 0)
        return -1;
    if (!d->has_rating && d->comment && *d->comment)
        return err_field(&ctx->err, "rating", "required",
                         "a comment comes with a rating of 1 to 5");
    return act(ctx, id, "accept", d->comment, d, out);
}

int order_reject(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    if (need_reason(ctx, d->reason, "a rejection") < 0)
        return -1;
    return act(ctx, id, "reject", d->reason, d, out);
}

int order_release(struct ctx *ctx, int64_t id, const struct order_decision *d, struct order *out)
{
    if (check_opt_text(ctx, "reason", d->reason, 1000) < 0)
        return -1;
    return act(ctx, id, "release", d->reason, d, out);
}

int order_actions(struct ctx *ctx, const struct order *o, const char ***actions, int *n)
{
    return lifecycle_actions(ctx, &order_lifecycle, o, actions, n, NULL, NULL);
}

/* ---------- changes (T5-6.2b: adjust, expand) ---------- */

int order_change_request(struct ctx *ctx, int64_t id, const struct order_change *in,
                         struct order_change *out)
{
    static const char *const ops[] = {"adjust", "expand", NULL};
    struct order cur;
    struct order_change v = *in;
    const struct order_item *item = NULL;
    if (!v.item_id)
        err_field(&ctx->err, "item_id", "required", "item_id names the pool item to change");
    check_enum(ctx, "op", v.op, ops);
    if (v.quantity <= 0 || v.quantity > MAX_FEN)
        err_field(&ctx->err, "quantity", "range", "quantity is a positive whole number");
    check_text(ctx, "reason", v.reason, 2, 500);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || load(ctx, id, &cur) < 0 || as_agency(ctx, &cur) < 0 ||
        check_state(ctx, &cur, "in_service", "not_in_service", "changed") < 0)
        return fail(ctx);
    for (int i = 0; i < cur.n_items; i++)
        if (cur.items[i].id == v.item_id && cur.items[i].pool_id)
            item = &cur.items[i];
    if (!item || !is(item->alloc_state, "active")) {
        err_field(&ctx->err, "item_id", "pool_item",
                  "only a delivered resource-pool item of this order is adjusted or expanded");
        return fail(ctx);
    }
    v.id = id_new();
    v.order_id = id;
    v.status = "requested";
    v.requested_by = ctx->caller.person_id;
    v.requested_at = time_now_ms();
    v.quantity_before = item->quantity;
    v.quantity_after = 0;
    v.applied_by = v.applied_at = 0;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "op", v.op);
    audit_change_int(ch, "item_id", 0, v.item_id, false);
    audit_change_int(ch, "quantity", 0, v.quantity, false);
    audit_note(ch, "reason", v.reason);
    if (order_store_change_insert(ctx, &v) < 0 ||
        audit_append(ctx, "order.change_request", "order_change", v.id, cur.user_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int order_change_apply(struct ctx *ctx, int64_t id, int64_t change_id, struct order_change *out)
{
    struct order cur;
    struct order_change c;
    struct allocation a;
    const struct order_item *item = NULL;
    if (ctx_tx_begin(ctx) < 0 || load(ctx, id, &cur) < 0 || as_provider(ctx, &cur) < 0)
        return fail(ctx);
    int rc = order_store_change_get(ctx, change_id, &c);
    if (rc <= 0 || c.order_id != id) {
        if (rc >= 0)
            err_set(&ctx->err, ERR_NOT_FOUND, "change not found");
        return fail(ctx);
    }
    if (!is(c.status, "requested")) {
        err_rule(&ctx->err, ERR_CONFLICT, "change_not_requested", "this change is %s already",
                 c.status);
        return fail(ctx);
    }
    if (check_state(ctx, &cur, "in_service", "not_in_service", "changed") < 0)
        return fail(ctx);
    for (int i = 0; i < cur.n_items; i++)
        if (cur.items[i].id == c.item_id)
            item = &cur.items[i];
    if (!item || !item->allocation_id) {
        err_set(&ctx->err, ERR_INTERNAL, "the item of a change has no allocation");
        return fail(ctx);
    }
    /* T5-6.2b: adjust and expand are the resource module's, with its capacity rule. */
    if (allocation_change_in_tx(ctx, item->pool_id, item->allocation_id, c.op, c.quantity, c.reason,
                                &a) < 0 ||
        order_store_item_quantity(ctx, item->id, a.quantity) < 0)
        return fail(ctx);
    c.quantity_before = item->quantity;
    c.quantity_after = a.quantity;
    c.applied_by = ctx->caller.person_id;
    c.applied_at = time_now_ms();
    c.status = "applied";
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "status", "requested", "applied");
    audit_change_int(ch, "quantity", c.quantity_before, c.quantity_after, true);
    rc = order_store_change_applied(ctx, &c);
    if (rc <= 0) {
        if (rc == 0)
            err_rule(&ctx->err, ERR_CONFLICT, "change_not_requested",
                     "this change was handled meanwhile");
        return fail(ctx);
    }
    if (audit_append(ctx, "order.change_apply", "order_change", c.id, cur.user_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = c;
    return 0;
}

int order_changes(struct ctx *ctx, int64_t id, struct order_change **items, int *n)
{
    if (order_access(ctx, id) < 0)
        return -1;
    return order_store_changes(ctx, id, items, n);
}

/* ---------- feedback (T5-8.2e, T5-10.2e) ---------- */

int feedback_post(struct ctx *ctx, int64_t order_id, const struct feedback *in,
                  struct feedback *out)
{
    struct order cur;
    if (check_rating(ctx, in->rating, in->comment) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || load(ctx, order_id, &cur) < 0 || as_agency(ctx, &cur) < 0)
        return fail(ctx);
    if (!*cur.delivered_on) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_delivered",
                 "feedback is given once the order is delivered (now %s)", cur.state);
        return fail(ctx);
    }
    if (insert_feedback(ctx, &cur, in->rating, in->comment, out) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    out->answers = NULL;
    out->n_answers = 0;
    return 0;
}

int feedback_answer(struct ctx *ctx, int64_t order_id, int64_t feedback_id,
                    const struct feedback_answer *in, struct feedback_answer *out)
{
    struct order cur;
    struct feedback f;
    struct feedback_answer v = *in;
    if (check_text(ctx, "text", v.text, 2, 2000) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || load(ctx, order_id, &cur) < 0 || as_provider(ctx, &cur) < 0)
        return fail(ctx);
    int rc = order_store_feedback_get(ctx, feedback_id, &f);
    if (rc <= 0 || f.order_id != order_id) {
        if (rc >= 0)
            err_set(&ctx->err, ERR_NOT_FOUND, "feedback not found");
        return fail(ctx);
    }
    v.id = id_new();
    v.feedback_id = feedback_id;
    v.by_person = ctx->caller.person_id;
    v.by_institution = ctx->caller.institution_id;
    v.by_name = ctx->caller.name ? ctx->caller.name : "";
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "feedback_id", 0, feedback_id, false);
    audit_note(ch, "text", v.text);
    if (order_store_answer_insert(ctx, &v) < 0 ||
        audit_append(ctx, "order.feedback_answer", "order_feedback_answer", v.id, cur.user_id, ch) <
            0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int feedback_thread(struct ctx *ctx, int64_t order_id, struct feedback **items, int *n)
{
    struct feedback_answer *ans;
    int na;
    if (order_access(ctx, order_id) < 0 || order_store_feedback(ctx, order_id, items, n) < 0 ||
        order_store_answers(ctx, order_id, &ans, &na) < 0)
        return -1;
    for (int i = 0; i < *n; i++) {
        struct feedback *f = &(*items)[i];
        f->answers = arena_alloc(ctx->arena, sizeof(*ans) * (size_t)(na + 1));
        f->n_answers = 0;
        for (int k = 0; k < na; k++)
            if (ans[k].feedback_id == f->id)
                f->answers[f->n_answers++] = ans[k];
    }
    return 0;
}
