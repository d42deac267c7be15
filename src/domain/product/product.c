/*
 * product.c - the rules of service products: validation, the lifecycle and who may move it,
 * tests by independent evaluators, the price basis, recommendation and elimination, and the
 * catalogue of qualified products.
 *
 * T5-7.2e: a product goes online only when its newest recorded test by an independent
 * evaluator passed; every other way online is refused with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "product.h"
#include "product_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/decimal.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/catalogue/catalogue.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/org/org.h"
#include "domain/resource/resource.h"
#include "domain/validate.h"
#include "core/banned.h"

const char *const product_categories[] = {
    "planning_consulting",        /* 规划咨询 */
    "service_design",             /* 服务设计 */
    "integration_implementation", /* 集成实施 */
    "operation_maintenance",      /* 运行维护 */
    "training_promotion",         /* 培训推广 */
    NULL,
};
const char *const product_states[] = {"draft",  "submitted", "testing",    "passed", "failed",
                                      "online", "offline",   "eliminated", NULL};

#define MAX_PRICE_FEN 100000000000000LL /* a trillion yuan: beyond any real price */
/* A tier starts at most at a trillion units (in millionths): beyond any month's use. */
#define MAX_TIER_FROM 1000000000000000000LL

const char *product_lifecycle_stage(const char *state)
{
    if (!strcmp(state, "draft"))
        return "creation";
    if (!strcmp(state, "online"))
        return "release_operation";
    if (!strcmp(state, "offline") || !strcmp(state, "eliminated"))
        return "offline";
    return "planning_design";
}

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

int product_access(struct ctx *ctx, int64_t id)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    int rc = product_store_visible(ctx, root, depth, id);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "product not found");
}

int product_get(struct ctx *ctx, int64_t id, struct product *out)
{
    if (product_access(ctx, id) < 0)
        return -1;
    int rc = product_store_get(ctx, id, out);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_NOT_FOUND, "product not found");
    return product_store_pools(ctx, id, &out->pool_ids, &out->n_pools);
}

/* Management acts on the products of providers in its jurisdiction only; that a product is
 * online (visible to all) gives no other management institution a say over it. */
static int governed_product(struct ctx *ctx, int64_t id, struct product *out)
{
    if (product_get(ctx, id, out) < 0)
        return -1;
    if (org_access_institution(ctx, out->provider_id, ORG_MANAGE) < 0) {
        err_clear(&ctx->err);
        err_rule(&ctx->err, ERR_FORBIDDEN, "outside_jurisdiction",
                 "the provider of %s is outside your jurisdiction", out->name);
        return err_param_str(&ctx->err, "name", out->name);
    }
    return 0;
}

static int own_product(struct ctx *ctx, int64_t id, struct product *out)
{
    if (product_get(ctx, id, out) < 0)
        return -1;
    if (!ctx->caller.is_system && out->provider_id != ctx->caller.institution_id) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                 "only the provider of %s may change it", out->name);
        return err_param_str(&ctx->err, "name", out->name);
    }
    return 0;
}

int product_list(struct ctx *ctx, const struct product_filter *f, const struct page_req *p,
                 struct product **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (product_store_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total && product_store_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

/* A product is made of the provider's own pools. */
static int check_pools(struct ctx *ctx, int64_t provider, const int64_t *ids, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t owner = 0;
        if (pool_provider_of(ctx, ids[i], &owner) < 0)
            return -1;
        if (owner != provider)
            return err_field(&ctx->err, "pool_ids", "own_pool",
                             "pool %lld is not a resource pool of this provider",
                             (long long)ids[i]);
        for (int j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return err_field(&ctx->err, "pool_ids", "unique", "pool %lld is listed twice",
                                 (long long)ids[i]);
    }
    return 0;
}

static void validate_product(struct ctx *ctx, const struct product *v)
{
    check_text(ctx, "name", v->name, 2, 100);
    check_enum(ctx, "category", v->category, product_categories);
    check_text(ctx, "description", v->description, 2, 5000);
    check_region(ctx, "region", v->region);
}

static int record(struct ctx *ctx, const struct product *p, const char *from, const char *to,
                  const char *reason, const char *action)
{
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "state", from, to);
    if (reason && *reason)
        audit_note(ch, "reason", reason);
    if (from && to && strcmp(from, to) != 0 &&
        product_store_transition(ctx, p->id, from, to, reason) < 0)
        return -1;
    return audit_append(ctx, action, "product", p->id, p->provider_id, ch);
}

int product_create(struct ctx *ctx, const struct product_input *in, struct product *out)
{
    struct product v = in->v;
    validate_product(ctx, &v);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    v.provider_id = ctx->caller.institution_id;
    if (check_pools(ctx, v.provider_id, v.pool_ids, v.n_pools) < 0)
        return fail(ctx);
    v.id = id_new();
    v.state = "draft";
    v.recommended = false;
    v.recommend_note = v.eliminate_note = v.latest_test = "";
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    if (product_store_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field_as(&ctx->err, ERR_CONFLICT, "name", "unique",
                         "the provider already has a product named %s", v.name);
        }
        return fail(ctx);
    }
    if (product_store_set_pools(ctx, v.id, v.pool_ids, v.n_pools) < 0 ||
        record(ctx, &v, "", "draft", NULL, "product.create") < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int product_update(struct ctx *ctx, int64_t id, int if_match, const struct product_input *in,
                   struct product *out)
{
    struct product cur, v;
    if (ctx_tx_begin(ctx) < 0 || own_product(ctx, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        err_set(&ctx->err, ERR_PRECONDITION,
                "the product was changed by someone else (now at version %d); reload it",
                cur.version);
        return fail(ctx);
    }
    v = cur;
    if (in->has & PRODUCT_F_NAME)
        v.name = in->v.name;
    if (in->has & PRODUCT_F_CATEGORY)
        v.category = in->v.category;
    if (in->has & PRODUCT_F_DESCRIPTION)
        v.description = in->v.description;
    if (in->has & PRODUCT_F_REGION)
        v.region = in->v.region;
    /* What was tested is what goes online: only a draft changes its substance. */
    if ((in->has & (PRODUCT_F_NAME | PRODUCT_F_CATEGORY | PRODUCT_F_POOLS)) &&
        strcmp(cur.state, "draft") != 0)
        err_field_as(&ctx->err, ERR_CONFLICT, "state", "not_draft",
                     "name, category and resources change only in draft (now %s); "
                     "withdraw and revise first",
                     cur.state);
    if (!strcmp(cur.state, "eliminated"))
        err_set(&ctx->err, ERR_CONFLICT, "an eliminated product cannot change");
    validate_product(ctx, &v);
    if (ctx->err.kind)
        return fail(ctx);
    if ((in->has & PRODUCT_F_POOLS) &&
        (check_pools(ctx, cur.provider_id, in->v.pool_ids, in->v.n_pools) < 0 ||
         product_store_set_pools(ctx, id, in->v.pool_ids, in->v.n_pools) < 0))
        return fail(ctx);
    v.updated_at = time_now_ms();
    int rc = product_store_update(ctx, &v, cur.version);
    if (rc <= 0) {
        if (rc == 0)
            err_set(&ctx->err, ERR_PRECONDITION, "the product was changed by someone else");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "name", cur.name, v.name);
    audit_change_str(ch, "category", cur.category, v.category);
    audit_change_str(ch, "description", cur.description, v.description);
    audit_change_str(ch, "region", cur.region, v.region);
    if (audit_append(ctx, "product.update", "product", id, cur.provider_id, ch) < 0 ||
        product_store_pools(ctx, id, &v.pool_ids, &v.n_pools) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

static int save_state(struct ctx *ctx, struct product *cur, const char *to, const char *reason,
                      const char *action)
{
    struct product v = *cur;
    v.state = to;
    v.updated_at = time_now_ms();
    int rc = product_store_update(ctx, &v, cur->version);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(&ctx->err, ERR_PRECONDITION,
                                "the product was changed by someone else; reload it");
    if (record(ctx, cur, cur->state, to, reason, action) < 0)
        return -1;
    v.version = cur->version + 1;
    *cur = v;
    return 0;
}

static bool in(const char *s, const char *const *set)
{
    return org_enum_index(set, s) >= 0;
}

/* The evaluator of the newest test must still be independent of the provider (T5-8.2f): the
 * relation may have been declared after the assignment (issue 12). One check, the same as at
 * assignment (org_check_independent_evaluator): 409 with rule interest_relation. */
static int still_independent(struct ctx *ctx, const struct product *p)
{
    struct product_test t;
    struct institution ev;
    int rc = product_store_test_latest(ctx, p->id, &t);
    if (rc <= 0)
        return rc;
    return org_check_independent_evaluator(ctx, p->provider_id, t.evaluator_id, "products", &ev);
}

/* ---------- the lifecycle as data (T5-7.2b, T5-3.4) ---------- */

static int lc_load(struct ctx *ctx, int64_t id, void *obj)
{
    return product_get(ctx, id, obj);
}

static const char *lc_state(const void *obj)
{
    return ((const struct product *)obj)->state;
}

static void lc_set_state(void *obj, const char *to)
{
    ((struct product *)obj)->state = to;
}

static unsigned lc_parties(struct ctx *ctx, const void *obj)
{
    const struct product *p = obj;
    unsigned r = 0;
    if (p->provider_id == ctx->caller.institution_id)
        r |= LC_PROVIDER;
    /* Management acts on the products of providers in its jurisdiction only; that a product is
     * online (visible to all) gives no other management institution a say over it. */
    if (ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "management")) {
        if (org_access_institution(ctx, p->provider_id, ORG_MANAGE) == 0)
            r |= LC_MANAGEMENT;
        err_clear(&ctx->err);
    }
    return r;
}

static int lc_refuse_party(struct ctx *ctx, const void *obj, unsigned wanted)
{
    const struct product *p = obj;
    if (wanted & LC_MANAGEMENT)
        return err_rule(&ctx->err, ERR_FORBIDDEN, "outside_jurisdiction",
                        "the provider of %s is outside your jurisdiction", p->name);
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                    "only the provider of %s may change it", p->name);
}

static int lc_save(struct ctx *ctx, void *obj, const void *cur_)
{
    struct product *v = obj;
    const struct product *cur = cur_;
    v->updated_at = time_now_ms();
    int rc = product_store_update(ctx, v, cur->version);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(&ctx->err, ERR_PRECONDITION,
                                "the product was changed by someone else; reload it");
    v->version = cur->version + 1;
    return 0;
}

static int lc_record(struct ctx *ctx, const void *obj, const char *from, const char *to,
                     const char *reason)
{
    return product_store_transition(ctx, ((const struct product *)obj)->id, from, to, reason);
}

static int64_t lc_id(const void *obj)
{
    return ((const struct product *)obj)->id;
}

static const char *lc_name(const void *obj)
{
    return ((const struct product *)obj)->name;
}

static int64_t lc_scope(const void *obj)
{
    return ((const struct product *)obj)->provider_id;
}

/* T5-7.1: quantifiable, measurable, priceable before anyone tests it. */
static int guard_has_priced_metric(struct ctx *ctx, const void *obj)
{
    const struct product *p = obj;
    struct metric *m;
    int n;
    if (product_store_metrics(ctx, p->id, &m, &n) < 0)
        return -1;
    if (n > 0)
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, "metric_required",
                    "a product needs at least one priced metric before it is tested (T5-7.1)");
}

/* T5-7.2e: online only when the newest recorded test by an independent evaluator passed. */
static int guard_newest_test_passed(struct ctx *ctx, const void *obj)
{
    const struct product *p = obj;
    const char *test = p->latest_test ? p->latest_test : "";
    if (!strcmp(test, "passed"))
        return 0;
    err_rule(&ctx->err, ERR_CONFLICT, "not_passed",
             "%s cannot go online: only a product whose newest test by an independent evaluator "
             "passed may be launched (T5-7.2e); its state is %s and its newest test %s",
             p->name, p->state, test[0] ? test : "does not exist");
    err_param_str(&ctx->err, "state", p->state);
    err_param_str(&ctx->err, "name", p->name);
    return err_param_str(&ctx->err, "latest_test", test);
}

/* T5-8.2f at launch too: a relation declared after the test was assigned voids it (issue 12);
 * 409 with rule interest_relation, as at assignment. */
static int guard_evaluator_still_independent(struct ctx *ctx, const void *obj)
{
    return still_independent(ctx, obj) < 0 ? -1 : 0;
}

/* T5-7.2a: elimination is recorded with management's reason and ends any recommendation. */
static int apply_eliminate(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                           struct audit_changes *ch)
{
    struct product *p = obj;
    (void)ctx;
    (void)cur;
    (void)ch;
    p->eliminate_note = in->reason;
    p->recommended = false;
    return 0;
}

static const char *const from_draft[] = {"draft", NULL};
static const char *const from_launchable[] = {"passed", "offline", NULL};
static const char *const from_online[] = {"online", NULL};
static const char *const from_revisable[] = {"failed", "offline", NULL};
static const char *const from_not_eliminated[] = {"draft",  "submitted", "testing", "passed",
                                                  "failed", "online",    "offline", NULL};

static const struct lc_transition product_transitions[] = {
    {.action = "submit",
     .from = from_draft,
     .to = "submitted",
     .parties = LC_PROVIDER,
     .permission = "product.write",
     .rule = "not_draft",
     .refusal = "only a draft is submitted for test (now %s)",
     .audit_action = "product.submit",
     .guards = {guard_has_priced_metric}},
    {.action = "launch",
     .from = from_launchable,
     .to = "online",
     .parties = LC_PROVIDER,
     .permission = "product.write",
     .rule = "not_passed",
     .refusal = "the product cannot go online: only a product whose newest test by an "
                "independent evaluator passed may be launched (T5-7.2e); its state is %s",
     .audit_action = "product.launch",
     .guards = {guard_newest_test_passed, guard_evaluator_still_independent}},
    {.action = "withdraw",
     .from = from_online,
     .to = "offline",
     .parties = LC_PROVIDER,
     .permission = "product.write",
     .rule = "not_online",
     .refusal = "only an online product is taken offline (now %s)",
     .audit_action = "product.withdraw"},
    {.action = "revise",
     .from = from_revisable,
     .to = "draft",
     .parties = LC_PROVIDER,
     .permission = "product.write",
     .rule = "not_revisable",
     .refusal = "only a failed or offline product goes back to draft (now %s)",
     .audit_action = "product.revise"},
    {.action = "eliminate",
     .from = from_not_eliminated,
     .to = "eliminated",
     .parties = LC_MANAGEMENT,
     .permission = "product.govern",
     .rule = "eliminated",
     .refusal = "the product is %s already",
     .audit_action = "product.eliminate",
     .apply = apply_eliminate},
};

const struct lifecycle product_lifecycle = {
    .entity = "product",
    .audit_type = "product",
    .transitions = product_transitions,
    .n_transitions = (int)(sizeof(product_transitions) / sizeof(product_transitions[0])),
    .size = sizeof(struct product),
    .load = lc_load,
    .state = lc_state,
    .set_state = lc_set_state,
    .parties = lc_parties,
    .refuse_party = lc_refuse_party,
    .save = lc_save,
    .record = lc_record,
    .id_of = lc_id,
    .audit_scope = lc_scope,
    .name_of = lc_name,
};

int product_act(struct ctx *ctx, int64_t id, const char *action, const char *reason,
                struct product *out)
{
    struct lc_input in = {reason ? reason : "", NULL};
    if (check_opt_text(ctx, "reason", reason, 1000) < 0)
        return -1;
    if (!strcmp(action, "eliminate") && text_length(reason) < 4)
        return err_field(&ctx->err, "reason", "required",
                         "elimination (淘汰) needs a reason of at least 4 characters");
    return lifecycle_act(ctx, &product_lifecycle, id, action, &in, out);
}

int product_actions(struct ctx *ctx, const struct product *p, const char ***actions, int *n)
{
    return lifecycle_actions(ctx, &product_lifecycle, p, actions, n, NULL, NULL);
}

int product_recommend(struct ctx *ctx, int64_t id, bool recommended, const char *note,
                      struct product *out)
{
    struct product cur, v;
    if (check_opt_text(ctx, "note", note, 500) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || governed_product(ctx, id, &cur) < 0)
        return fail(ctx);
    if (recommended && strcmp(cur.state, "online") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_online",
                 "only an online product is recommended (now %s)", cur.state);
        err_param_str(&ctx->err, "state", cur.state);
        err_param_str(&ctx->err, "action", "recommend");
        return fail(ctx);
    }
    v = cur;
    v.recommended = recommended;
    v.recommend_note = note ? note : "";
    v.updated_at = time_now_ms();
    int rc = product_store_update(ctx, &v, cur.version);
    if (rc <= 0) {
        if (rc == 0)
            err_set(&ctx->err, ERR_PRECONDITION, "the product was changed by someone else");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "recommended", cur.recommended, recommended, true);
    audit_note(ch, "note", v.recommend_note);
    if (audit_append(ctx, recommended ? "product.recommend" : "product.unrecommend", "product", id,
                     cur.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int product_history(struct ctx *ctx, int64_t id, struct product_transition **items, int *n)
{
    if (product_access(ctx, id) < 0)
        return -1;
    return product_store_history(ctx, id, items, n);
}

/* ---------- metrics ---------- */

int metric_add(struct ctx *ctx, int64_t product_id, const struct metric *in, struct metric *out)
{
    struct metric v = *in;
    struct product p;
    check_text(ctx, "name", v.name, 1, 50);
    check_text(ctx, "unit", v.unit, 1, 30);
    check_text(ctx, "method", v.method, 2, 1000);
    if (v.list_price_fen < 0 || v.list_price_fen > MAX_PRICE_FEN)
        err_field(&ctx->err, "list_price_fen", "range",
                  "list_price_fen is a non-negative whole number of fen");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_product(ctx, product_id, &p) < 0)
        return fail(ctx);
    if (strcmp(p.state, "draft") != 0) {
        err_set(&ctx->err, ERR_CONFLICT, "metrics are added in draft (now %s)", p.state);
        return fail(ctx);
    }
    v.id = id_new();
    v.product_id = product_id;
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "name", v.name);
    audit_note(ch, "unit", v.unit);
    audit_change_int(ch, "list_price_fen", 0, v.list_price_fen, false);
    if (product_store_metric_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field_as(&ctx->err, ERR_CONFLICT, "name", "unique",
                         "the product already has a metric named %s", v.name);
        }
        return fail(ctx);
    }
    if (audit_append(ctx, "product.metric", "product_metric", v.id, p.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int metric_list(struct ctx *ctx, int64_t product_id, struct metric **items, int *n)
{
    if (product_access(ctx, product_id) < 0)
        return -1;
    return product_store_metrics(ctx, product_id, items, n);
}

/* ---------- tests ---------- */

/* 1 when a test of p is under way, 0 when none, -1. A test whose evaluator has become related
 * to the provider since its assignment can never be recorded (T5-8.2f), so it no longer blocks
 * management from assigning an independent evaluator (issue 12). */
static int test_under_way(struct ctx *ctx, const struct product *p)
{
    struct product_test *open;
    int n;
    if (product_store_test_open(ctx, p->id, &open, &n) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        bool related;
        const char *kind = NULL;
        if (org_has_interest_relation(ctx, p->provider_id, open[i].evaluator_id, &related, &kind) <
            0)
            return -1;
        if (!related)
            return 1;
    }
    return 0;
}

int product_test_assign(struct ctx *ctx, int64_t product_id, int64_t evaluator_id,
                        struct product_test *out)
{
    /* testing and passed: only when the test under way or passed was voided by a relation
     * declared after its assignment (T5-8.2f), see test_under_way and still_independent. */
    static const char *const testable[] = {"submitted", "testing", "passed",
                                           "online",    "offline", NULL};
    struct product p;
    struct institution ev;
    if (!evaluator_id)
        return err_field(&ctx->err, "evaluator_id", "required", "evaluator_id is required");
    if (ctx_tx_begin(ctx) < 0 || governed_product(ctx, product_id, &p) < 0)
        return fail(ctx);
    int voided = 0;
    if (!strcmp(p.state, "passed")) {
        /* A passed product is retested only when its test was voided (still_independent). */
        voided = still_independent(ctx, &p) < 0;
        if (voided && ctx->err.kind != ERR_CONFLICT && ctx->err.kind != ERR_INVALID)
            return fail(ctx);
        err_clear(&ctx->err);
    }
    if (!in(p.state, testable) || (!strcmp(p.state, "passed") && !voided)) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_testable",
                 "a product is tested when submitted, or retested when online or offline, or "
                 "when its test was voided by an interest relation (now %s)",
                 p.state);
        return fail(ctx);
    }
    if (org_check_independent_evaluator(ctx, p.provider_id, evaluator_id, "products", &ev) < 0)
        return fail(ctx);
    int open = test_under_way(ctx, &p);
    if (open != 0) {
        if (open > 0)
            err_set(&ctx->err, ERR_CONFLICT, "a test of %s is already under way", p.name);
        return fail(ctx);
    }
    struct product_test t;
    memset(&t, 0, sizeof(t));
    t.id = id_new();
    t.product_id = product_id;
    t.product_name = p.name;
    t.provider_id = p.provider_id;
    t.evaluator_id = evaluator_id;
    t.evaluator_name = ev.name;
    t.assigned_by = ctx->caller.person_id;
    t.status = "assigned";
    t.findings = t.report_ref = t.tested_on = "";
    t.created_at = t.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "evaluator_id", 0, evaluator_id, false);
    if (product_store_test_insert(ctx, &t) < 0 ||
        audit_append(ctx, "product.test.assign", "product_test", t.id, p.provider_id, ch) < 0 ||
        ((!strcmp(p.state, "submitted") || !strcmp(p.state, "passed")) &&
         save_state(ctx, &p, "testing", NULL, "product.testing") < 0) ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = t;
    return 0;
}

int product_test_record(struct ctx *ctx, int64_t id, const struct product_test *in_,
                        struct product_test *out)
{
    static const char *const results[] = {"passed", "failed", NULL};
    struct product_test cur, v;
    struct product p;
    check_enum(ctx, "result", in_->status, results);
    check_text(ctx, "report_ref", in_->report_ref, 1, 100);
    if (check_date(ctx, "tested_on", in_->tested_on) == 0 && strcmp(in_->tested_on, today(ctx)) > 0)
        err_field(&ctx->err, "tested_on", "not_future", "tested_on cannot be in the future");
    check_opt_text(ctx, "findings", in_->findings, 5000);
    if (in_->status && !strcmp(in_->status, "failed") && text_is_blank(in_->findings))
        err_field(&ctx->err, "findings", "required", "a failed test names its findings");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    int rc = product_store_test_get(ctx, id, &cur);
    if (rc <= 0 || (!ctx->caller.is_system && cur.evaluator_id != ctx->caller.institution_id)) {
        if (rc >= 0) {
            err_clear(&ctx->err);
            err_set(&ctx->err, ERR_NOT_FOUND, "product test not found");
        }
        return fail(ctx);
    }
    /* T5-8.2f when the result is recorded: an evaluator related to the provider since the
     * assignment records nothing; management assigns an independent one. */
    struct institution ev;
    if (!strcmp(cur.status, "assigned") &&
        org_check_independent_evaluator(ctx, cur.provider_id, cur.evaluator_id, "products", &ev) <
            0)
        return fail(ctx);
    v = cur;
    v.status = in_->status;
    v.findings = in_->findings ? in_->findings : "";
    v.report_ref = in_->report_ref;
    v.tested_on = in_->tested_on;
    v.updated_at = time_now_ms();
    rc = product_store_test_update(ctx, &v);
    if (rc <= 0) {
        if (rc == 0)
            err_set(&ctx->err, ERR_CONFLICT, "the result of this test is recorded already (%s)",
                    cur.status);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "status", cur.status, v.status);
    audit_note(ch, "report_ref", v.report_ref);
    if (audit_append(ctx, "product.test.record", "product_test", id, cur.provider_id, ch) < 0 ||
        product_store_get(ctx, cur.product_id, &p) <= 0)
        return fail(ctx);
    /* The first test decides passed or failed; a retest of a product in use changes its state
     * only through management's elimination (it becomes a candidate when it fails). */
    if (!strcmp(p.state, "testing") && save_state(ctx, &p, v.status, NULL, "product.tested") < 0)
        return fail(ctx);
    if (ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int product_test_list(struct ctx *ctx, int64_t product_id, const char *status,
                      const struct page_req *p, struct product_test **items, int *n,
                      struct page_info *info)
{
    int64_t root;
    int depth;
    if (product_id && product_access(ctx, product_id) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (product_store_tests(ctx, root, depth, product_id, status, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

/* ---------- price basis ---------- */

static int level_rank(const char *level)
{
    for (int i = 0; service_levels[i]; i++)
        if (!strcmp(service_levels[i], level))
            return i;
    return -1;
}

static int rate_cmp(const void *a_, const void *b_)
{
    const struct price_rate *a = a_, *b = b_;
    int la = level_rank(a->service_level), lb = level_rank(b->service_level);
    if (la != lb)
        return la < lb ? -1 : 1;
    return a->tier_from < b->tier_from ? -1 : a->tier_from > b->tier_from;
}

/* T5-7.2e graded prices: parses the decimal texts of the rates and checks their rules; every
 * error names rates[i].field. On success the rates are sorted as the API answers them. */
static void check_rates(struct ctx *ctx, struct price_rate *r, int n)
{
    bool has_level[3] = {false, false, false}, has_zero[3] = {false, false, false};
    bool parsed = true;
    const char *rule;
    if (n > MAX_PRICE_RATES) {
        err_field(&ctx->err, "rates", "max_items", "a price basis has at most %d rates",
                  MAX_PRICE_RATES);
        return;
    }
    for (int i = 0; i < n; i++) {
        const char *f_level = arena_printf(ctx->arena, "rates[%d].service_level", i);
        const char *f_tier = arena_printf(ctx->arena, "rates[%d].tier_from", i);
        const char *f_price = arena_printf(ctx->arena, "rates[%d].unit_price_fen", i);
        int lv = -1;
        if (!r[i].service_level)
            err_field(&ctx->err, f_level, "required", "%s is required", f_level);
        else if (check_enum(ctx, f_level, r[i].service_level, service_levels) == 0)
            lv = level_rank(r[i].service_level);
        if (!r[i].tier_from_text) {
            err_field(&ctx->err, f_tier, "required", "%s is required", f_tier);
            parsed = false;
        } else if (decimal_parse(r[i].tier_from_text, strlen(r[i].tier_from_text), PRICE_TIER_SCALE,
                                 MAX_TIER_FROM, &r[i].tier_from, &rule) < 0) {
            err_field(&ctx->err, f_tier, rule,
                      "%s is a quantity of at least 0 written as an exact decimal with at most "
                      "%d places, such as \"1000\" or \"0.5\" (rule %s)",
                      f_tier, PRICE_TIER_SCALE, rule);
            parsed = false;
        }
        if (!r[i].unit_price_text)
            err_field(&ctx->err, f_price, "required", "%s is required", f_price);
        else if (decimal_parse(r[i].unit_price_text, strlen(r[i].unit_price_text), PRICE_UNIT_SCALE,
                               MAX_PRICE_FEN * 10000, &r[i].unit_price, &rule) < 0)
            err_field(&ctx->err, f_price, rule,
                      "%s is a price in fen of at least 0 written as an exact decimal with at "
                      "most %d places, such as \"12.5\" (rule %s)",
                      f_price, PRICE_UNIT_SCALE, rule);
        if (lv < 0 || !r[i].tier_from_text || !parsed)
            continue;
        has_level[lv] = true;
        if (r[i].tier_from == 0)
            has_zero[lv] = true;
        for (int k = 0; k < i; k++)
            if (r[k].service_level && !strcmp(r[k].service_level, r[i].service_level) &&
                r[k].tier_from == r[i].tier_from) {
                err_field(&ctx->err, f_tier, "distinct",
                          "%s repeats a tier of %s (rates[%d]); the tiers of a level are "
                          "distinct",
                          f_tier, r[i].service_level, k);
                break;
            }
    }
    if (ctx->err.kind)
        return;
    if (n && !has_level[1])
        err_field(&ctx->err, "rates", "standard_required",
                  "rates must price the standard level: a level not given is charged at "
                  "standard's rates");
    for (int lv = 0; lv < 3; lv++)
        if (has_level[lv] && !has_zero[lv])
            err_field(&ctx->err, "rates", "tier_zero",
                      "the tiers of %s must start at tier_from \"0\"", service_levels[lv]);
    if (!ctx->err.kind)
        qsort(r, (size_t)n, sizeof(*r), rate_cmp);
}

static void rate_texts(struct ctx *ctx, struct price_rate *r, int n)
{
    char buf[32];
    for (int i = 0; i < n; i++) {
        decimal_format(r[i].tier_from, PRICE_TIER_SCALE, buf, sizeof(buf));
        r[i].tier_from_text = arena_strdup(ctx->arena, buf);
        decimal_format(r[i].unit_price, PRICE_UNIT_SCALE, buf, sizeof(buf));
        r[i].unit_price_text = arena_strdup(ctx->arena, buf);
    }
}

const char *price_month_start(struct ctx *ctx)
{
    return arena_printf(ctx->arena, "%.7s-01", today(ctx));
}

static int find_metric(struct ctx *ctx, int64_t product_id, int64_t metric_id, struct metric *out)
{
    struct metric *m;
    int n;
    if (product_store_metrics(ctx, product_id, &m, &n) < 0)
        return -1;
    for (int i = 0; i < n; i++)
        if (m[i].id == metric_id) {
            *out = m[i];
            return 0;
        }
    return err_set(&ctx->err, ERR_NOT_FOUND, "metric not found");
}

int price_backdating_grant(struct ctx *ctx, int64_t product_id, int64_t metric_id,
                           const struct price_backdating *in, struct price_backdating *out)
{
    struct price_backdating v = *in;
    struct product p;
    struct metric m;
    const char *month = price_month_start(ctx);
    if (check_date(ctx, "valid_from", v.valid_from) == 0 && strcmp(v.valid_from, month) >= 0)
        err_field(&ctx->err, "valid_from", "not_backdated",
                  "valid_from %s is not before the current month (%s): such a price basis needs "
                  "no reason",
                  v.valid_from, month);
    check_text(ctx, "reason", v.reason, 4, 1000);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || governed_product(ctx, product_id, &p) < 0 ||
        find_metric(ctx, product_id, metric_id, &m) < 0)
        return fail(ctx);
    v.id = id_new();
    v.metric_id = metric_id;
    v.management_id = ctx->caller.institution_id;
    v.granted_by = ctx->caller.person_id;
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "metric_id", 0, metric_id, false);
    audit_note(ch, "valid_from", v.valid_from);
    audit_note(ch, "reason", v.reason);
    if (product_store_backdating_insert(ctx, &v) < 0 ||
        audit_append(ctx, "price_basis.backdating", "price_backdating", v.id, p.provider_id, ch) <
            0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int price_basis_publish(struct ctx *ctx, int64_t product_id, int64_t metric_id,
                        const struct price_basis *in_, struct price_basis *out)
{
    struct price_basis v = *in_;
    struct metric *m;
    int n, found = -1;
    if (v.price_fen < 0 || v.price_fen > MAX_PRICE_FEN)
        err_field(&ctx->err, "price_fen", "range", "price_fen is a non-negative whole number");
    check_text(ctx, "measurement", v.measurement, 2, 2000);
    if (check_date(ctx, "valid_from", v.valid_from) == 0 &&
        check_date(ctx, "valid_to", v.valid_to) == 0 && strcmp(v.valid_from, v.valid_to) > 0)
        err_field(&ctx->err, "valid_to", "after_valid_from", "valid_to is before valid_from");
    if (v.n_rates) {
        /* The caller's array stays untouched: parse and sort a copy. */
        struct price_rate *r = arena_alloc(ctx->arena, sizeof(*r) * (size_t)v.n_rates);
        memcpy(r, v.rates, sizeof(*r) * (size_t)v.n_rates);
        v.rates = r;
        check_rates(ctx, v.rates, v.n_rates);
    }
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || product_access(ctx, product_id) < 0 ||
        product_store_metrics(ctx, product_id, &m, &n) < 0)
        return fail(ctx);
    for (int i = 0; i < n; i++)
        if (m[i].id == metric_id)
            found = i;
    if (found < 0) {
        err_set(&ctx->err, ERR_NOT_FOUND, "metric not found");
        return fail(ctx);
    }
    /* T5-7.2e: the price basis comes from the evaluator that measured the product. */
    int tested = ctx->caller.is_system
                     ? 1
                     : product_store_tested_by(ctx, product_id, ctx->caller.institution_id);
    if (tested <= 0) {
        if (tested == 0)
            err_set(&ctx->err, ERR_FORBIDDEN,
                    "only an evaluator that tested this product publishes its price basis");
        return fail(ctx);
    }
    int overlap = product_store_price_overlaps(ctx, metric_id, v.valid_from, v.valid_to);
    if (overlap != 0) {
        if (overlap > 0)
            err_field_as(&ctx->err, ERR_CONFLICT, "valid_from", "overlap",
                         "a price basis of %s is already in force within %s..%s; periods of one "
                         "metric never overlap, so the price on any date is unambiguous",
                         m[found].name, v.valid_from, v.valid_to);
        return fail(ctx);
    }
    v.id = id_new();
    /* Issue 12: a basis from before this month re-prices past months; only with management's
     * recorded reason (price_backdating_grant), which this basis then uses up. */
    struct price_backdating grant;
    const char *month = price_month_start(ctx);
    memset(&grant, 0, sizeof(grant));
    if (strcmp(v.valid_from, month) < 0) {
        int rc = product_store_backdating_find(ctx, metric_id, v.valid_from, &grant);
        if (rc == 0) {
            err_field_as(&ctx->err, ERR_CONFLICT, "valid_from", "price_backdated",
                         "valid_from %s is before the current month (%s): a back-dated price "
                         "basis would re-price months already billed, and is published only "
                         "after management has recorded why (price-backdating)",
                         v.valid_from, month);
        }
        if (rc <= 0)
            return fail(ctx);
    }
    v.metric_id = metric_id;
    v.metric_name = m[found].name;
    v.unit = m[found].unit;
    v.evaluator_id = ctx->caller.institution_id;
    v.evaluator_name = "";
    v.published_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "price_fen", 0, v.price_fen, false);
    audit_note(ch, "valid_from", v.valid_from);
    audit_note(ch, "valid_to", v.valid_to);
    rate_texts(ctx, v.rates, v.n_rates);
    if (v.n_rates) {
        /* The audit record lists the rates: "standard 0: 12.5; standard 1000: 10; ...". */
        const char *list = "";
        for (int i = 0; i < v.n_rates; i++)
            list = arena_printf(ctx->arena, "%s%s%s %s: %s", list, i ? "; " : "",
                                v.rates[i].service_level, v.rates[i].tier_from_text,
                                v.rates[i].unit_price_text);
        audit_note(ch, "rates", list);
    }
    if (grant.id)
        audit_note(ch, "backdating_reason", grant.reason);
    if (product_store_price_insert(ctx, &v) < 0)
        return fail(ctx);
    if (grant.id) {
        int used = product_store_backdating_use(ctx, grant.id, v.id);
        if (used <= 0) {
            if (used == 0)
                err_rule(&ctx->err, ERR_CONFLICT, "price_backdated",
                         "the recorded reason for back-dating was used by another price basis");
            return fail(ctx);
        }
    }
    for (int i = 0; i < v.n_rates; i++)
        if (product_store_rate_insert(ctx, v.id, &v.rates[i]) < 0)
            return fail(ctx);
    if (audit_append(ctx, "price_basis.publish", "price_basis", v.id, v.evaluator_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int price_in_force(struct ctx *ctx, int64_t product_id, const char *date,
                   struct price_basis **items, int *n)
{
    if (date && *date && check_date(ctx, "on", date) < 0)
        return -1;
    if (product_access(ctx, product_id) < 0)
        return -1;
    return product_store_prices(ctx, product_id, date, items, n);
}

/* ---------- documents (T5-8.2d) ---------- */

int document_add(struct ctx *ctx, int64_t product_id, const struct product_document *in_,
                 struct product_document *out)
{
    static const char *const kinds[] = {"manual", "training", NULL};
    struct product_document v = *in_;
    struct product p;
    check_enum(ctx, "kind", v.kind, kinds);
    check_text(ctx, "title", v.title, 2, 200);
    check_text(ctx, "content", v.content, 2, 100000);
    if (v.session_date && *v.session_date)
        check_date(ctx, "session_date", v.session_date);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_product(ctx, product_id, &p) < 0)
        return fail(ctx);
    v.id = id_new();
    v.product_id = product_id;
    v.session_date = v.session_date ? v.session_date : "";
    v.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "kind", v.kind);
    audit_note(ch, "title", v.title);
    if (product_store_document_insert(ctx, &v) < 0 ||
        audit_append(ctx, "product.document", "product_document", v.id, p.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int document_list(struct ctx *ctx, int64_t product_id, struct product_document **items, int *n)
{
    if (product_access(ctx, product_id) < 0)
        return -1;
    return product_store_documents(ctx, product_id, items, n);
}

int product_elimination_candidates(struct ctx *ctx, struct product **items, int *n)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    int months = ctx->app ? ctx->app->cfg.elimination_idle_months : 6;
    int64_t before = time_now_ms() - (int64_t)months * 30 * 86400000LL;
    return product_store_candidates(ctx, root, depth, before, items, n);
}

/* ---------- the catalogue of qualified products (T5-7.2c) ---------- */

static void decref(void *p)
{
    json_decref(p);
}

int product_catalogue_publish(struct ctx *ctx, int64_t *edition_number, int *n_items)
{
    struct product *items;
    struct institution me;
    struct edition ed;
    char when[40];
    int n, number;
    const char *day = today(ctx);
    if (ctx_tx_begin(ctx) < 0 || institution_get(ctx, ctx->caller.institution_id, &me) < 0 ||
        product_store_online(ctx, ctx->caller.institution_id, &items, &n) < 0 ||
        catalogue_next_number(ctx, "products", &number) < 0)
        return fail(ctx);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        struct metric *m;
        struct price_basis *pb;
        int nm, np;
        if (product_store_metrics(ctx, items[i].id, &m, &nm) < 0 ||
            product_store_prices(ctx, items[i].id, day, &pb, &np) < 0) {
            json_decref(arr);
            return fail(ctx);
        }
        json_t *metrics = json_array();
        for (int k = 0; k < nm; k++) {
            json_t *basis = json_null();
            for (int j = 0; j < np; j++)
                if (pb[j].metric_id == m[k].id) {
                    json_t *rates = json_array();
                    for (int q = 0; q < pb[j].n_rates; q++)
                        json_array_append_new(
                            rates, json_pack("{s:s,s:s,s:s}", "service_level",
                                             pb[j].rates[q].service_level, "tier_from",
                                             pb[j].rates[q].tier_from_text, "unit_price_fen",
                                             pb[j].rates[q].unit_price_text));
                    basis =
                        json_pack("{s:I,s:s,s:s,s:s,s:o}", "price_fen", (json_int_t)pb[j].price_fen,
                                  "valid_from", pb[j].valid_from, "valid_to", pb[j].valid_to,
                                  "evaluator", pb[j].evaluator_name, "rates", rates);
                }
            json_array_append_new(metrics,
                                  json_pack("{s:I,s:s,s:s,s:s,s:I,s:o}", "id", (json_int_t)m[k].id,
                                            "name", m[k].name, "unit", m[k].unit, "method",
                                            m[k].method, "list_price_fen",
                                            (json_int_t)m[k].list_price_fen, "price_basis", basis));
        }
        json_array_append_new(arr,
                              json_pack("{s:I,s:s,s:s,s:s,s:{s:I,s:s},s:b,s:s,s:o}", "product_id",
                                        (json_int_t)items[i].id, "name", items[i].name, "category",
                                        items[i].category, "description", items[i].description,
                                        "provider", "id", (json_int_t)items[i].provider_id, "name",
                                        items[i].provider_name, "recommended", items[i].recommended,
                                        "region", items[i].region, "metrics", metrics));
    }
    time_format(time_now_ms(), when, sizeof(when));
    json_t *body =
        json_pack("{s:s,s:i,s:s,s:s,s:{s:I,s:s,s:s},s:o}", "catalogue", "products", "edition",
                  number, "published_at", when, "prices_on", day, "publisher", "id",
                  (json_int_t)me.id, "name", me.name, "uscc", me.uscc, "items", arr);
    arena_defer(ctx->arena, decref, body);
    char *txt = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    const char *signed_text = arena_strdup(ctx->arena, txt);
    free(txt);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "edition", arena_printf(ctx->arena, "%d", number));
    audit_note(ch, "items", arena_printf(ctx->arena, "%d", n));
    struct audit_checkpoint cp;
    if (catalogue_store_edition(ctx, "products", signed_text, n, &ed) < 0 ||
        audit_append(ctx, "catalogue.publish", "catalogue_edition", ed.id, me.id, ch) < 0 ||
        audit_checkpoint_publish(ctx, "catalogue:products", &cp) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    /* The edition is out; a checkpoint file that cannot be written is logged and catches up
     * at the next export. */
    if (audit_checkpoint_export(ctx) < 0)
        err_clear(&ctx->err);
    *edition_number = ed.number;
    *n_items = n;
    return 0;
}
