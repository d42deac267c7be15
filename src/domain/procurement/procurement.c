/*
 * procurement.c - the rules of procurement projects (T5-6.2a, T5-7.2c, T5-8.2b, T5-8.2c,
 * T5-8.2f, T5-12.2c): who declares, the order of the stages and what each needs, budgets that
 * bound lots and bids, sealed bids, awards under the separation, independence and bar rules,
 * supervision and evaluation by the assigned evaluator. Bars and the market view are in
 * bar.c and market.c. No SQL here.
 */
#include <stdio.h>
#include <string.h>

#include "procurement.h"
#include "procurement_internal.h"
#include "procurement_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "domain/product/product.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/validate.h"
#include "core/banned.h"

const char *const project_states[] = {"declared",   "budgeted", "procuring", "supervising",
                                      "evaluating", "closed",   "cancelled", NULL};
const char *const project_subjects[] = {"resource", "product", NULL};
const char *const supervision_conclusions[] = {"conforming", "rectification_required", NULL};
/* The targets of POST …/transitions (declared and budgeted have routes of their own). */
const char *const project_targets[] = {"procuring", "supervising", "evaluating",
                                       "closed",    "cancelled",   NULL};

int proc_fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

static void scope_of(const struct ctx *ctx, struct proc_scope *s)
{
    org_scope(ctx, &s->root, &s->depth);
    s->own = ctx->caller.institution_id;
    s->is_provider = ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "provider");
}

int project_access(struct ctx *ctx, int64_t id)
{
    struct proc_scope s;
    scope_of(ctx, &s);
    int rc = proc_store_visible(ctx, &s, id);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "procurement project not found");
}

int project_get(struct ctx *ctx, int64_t id, struct project *out)
{
    if (project_access(ctx, id) < 0)
        return -1;
    int rc = proc_store_get(ctx, id, out);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_NOT_FOUND, "procurement project not found");
    return proc_store_lots(ctx, id, &out->lots, &out->n_lots);
}

int project_list(struct ctx *ctx, const struct project_filter *f, const struct page_req *p,
                 struct project **items, int *n, struct page_info *info)
{
    struct proc_scope s;
    if (f->state && *f->state && check_enum(ctx, "state", f->state, project_states) < 0)
        return -1;
    if (f->region && *f->region && check_region(ctx, "region", f->region) < 0)
        return -1;
    scope_of(ctx, &s);
    if (proc_store_list(ctx, &s, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

static int stale(struct ctx *ctx)
{
    return err_set(&ctx->err, ERR_PRECONDITION,
                   "the project was changed by someone else meanwhile; reload it and try again");
}

/* Writes v over cur (guarded by cur's version): also what serialises concurrent awards. */
int proc_save(struct ctx *ctx, const struct project *cur, struct project *v)
{
    v->updated_at = time_now_ms();
    int rc = proc_store_update(ctx, v, cur->version);
    if (rc <= 0)
        return rc < 0 ? -1 : stale(ctx);
    v->version = cur->version + 1;
    return 0;
}

extern const struct lifecycle project_lifecycle;

/* Records a stage change of v that a service function applies itself (the first budget). */
static int move(struct ctx *ctx, struct project *v, const char *to, const char *reason)
{
    const char *from = v->state;
    v->state = to;
    return lifecycle_record(ctx, &project_lifecycle, v, from, "procurement.transition", reason,
                            NULL);
}

static bool in_state(const struct project *p, const char *a, const char *b, const char *c)
{
    return !strcmp(p->state, a) || (b && !strcmp(p->state, b)) || (c && !strcmp(p->state, c));
}

/* Opens the transaction and reads the project the caller may see, with its lots. */
int proc_begin(struct ctx *ctx, int64_t id, struct project *cur)
{
    if (ctx_tx_begin(ctx) < 0 || project_get(ctx, id, cur) < 0)
        return proc_fail(ctx);
    return 0;
}

static int finish(struct ctx *ctx, struct project *v, struct project *out)
{
    if (ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = *v;
    return 0;
}

/* T5-6.2a: the management institution of a user agency is its nearest management ancestor. */
static int managing_institution(struct ctx *ctx, const struct institution *declarant,
                                struct institution *m)
{
    *m = *declarant;
    for (int hops = 0; strcmp(m->kind, "management") != 0; hops++) {
        if (!m->parent_id || hops > 16)
            return err_rule(&ctx->err, ERR_CONFLICT, "no_management",
                            "%s has no management institution above it to declare to",
                            declarant->name);
        if (institution_lookup(ctx, m->parent_id, m) < 0)
            return -1;
    }
    return 0;
}

int project_declare(struct ctx *ctx, const struct project *in, struct project *out)
{
    struct project v = *in;
    struct institution declarant, m;
    check_text(ctx, "title", v.title, 2, 200);
    check_opt_text(ctx, "description", v.description, 5000);
    check_enum(ctx, "subject", v.subject, project_subjects);
    if (v.requested_fen < 0 || v.requested_fen > PROC_MAX_FEN)
        err_field(&ctx->err, "requested_fen", "range",
                  "requested_fen is the estimated amount in fen, 0 to %lld", PROC_MAX_FEN);
    if (v.region && *v.region)
        check_region(ctx, "region", v.region);
    if (ctx->err.kind)
        return -1;
    if (!ctx->caller.institution_id)
        return err_rule(&ctx->err, ERR_FORBIDDEN, "declarant",
                        "a project is declared by an institution");
    if (ctx_tx_begin(ctx) < 0 ||
        institution_lookup(ctx, ctx->caller.institution_id, &declarant) < 0)
        return proc_fail(ctx);
    /* T5-6.2a: resources are declared by the agencies that use them, or planned by M itself. */
    if (strcmp(declarant.kind, "user") != 0 && strcmp(declarant.kind, "management") != 0) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "declarant",
                 "only a user agency or a management institution declares a project");
        return proc_fail(ctx);
    }
    if (managing_institution(ctx, &declarant, &m) < 0)
        return proc_fail(ctx);
    memset(&v, 0, sizeof(v));
    v.id = id_new();
    v.title = in->title;
    v.description = in->description ? in->description : "";
    v.subject = in->subject;
    v.requested_fen = in->requested_fen;
    v.region = in->region && *in->region ? in->region : declarant.region;
    v.declared_by = declarant.id;
    v.declared_by_name = declarant.name;
    v.declared_by_person = ctx->caller.person_id;
    v.management_id = m.id;
    v.management_name = m.name;
    v.state = "declared";
    v.score = -1;
    v.budget_line = v.findings = v.cancel_reason = v.supervisor_name = "";
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "title", v.title);
    audit_note(ch, "subject", v.subject);
    audit_change_int(ch, "requested_fen", 0, v.requested_fen, false);
    if (proc_store_insert(ctx, &v) < 0 ||
        proc_store_transition(ctx, v.id, "", "declared", "") < 0 ||
        audit_append(ctx, "procurement.declare", "procurement_project", v.id, v.management_id, ch) <
            0)
        return proc_fail(ctx);
    return finish(ctx, &v, out);
}

static int64_t lots_total(const struct project *p)
{
    int64_t sum = 0;
    for (int i = 0; i < p->n_lots; i++)
        sum += p->lots[i].budget_fen;
    return sum;
}

int project_budget(struct ctx *ctx, int64_t id, int fiscal_year, int64_t amount_fen,
                   const char *budget_line, struct project *out)
{
    struct project cur, v;
    if (fiscal_year < 2000 || fiscal_year > 2100)
        err_field(&ctx->err, "fiscal_year", "range", "fiscal_year is a year from 2000 to 2100");
    if (amount_fen <= 0 || amount_fen > PROC_MAX_FEN)
        err_field(&ctx->err, "amount_fen", "range", "amount_fen is the budget in fen, 1 to %lld",
                  PROC_MAX_FEN);
    check_text(ctx, "budget_line", budget_line, 2, 64);
    if (ctx->err.kind || proc_begin(ctx, id, &cur) < 0)
        return -1;
    /* T5-8.2c: the budget is fixed before anything is bought against it (the table's row
     * "budget"). */
    if (lifecycle_check(ctx, &project_lifecycle, &cur, "budget") < 0)
        return proc_fail(ctx);
    if (lots_total(&cur) > amount_fen) {
        err_rule(&ctx->err, ERR_CONFLICT, "lots_exceed_budget",
                 "the lots already need %lld fen, more than a budget of %lld fen (T5-8.2c)",
                 (long long)lots_total(&cur), (long long)amount_fen);
        err_param_int(&ctx->err, "lots_fen", (long long)lots_total(&cur));
        err_param_int(&ctx->err, "budget_fen", (long long)amount_fen);
        return proc_fail(ctx);
    }
    v = cur;
    v.fiscal_year = fiscal_year;
    v.budget_fen = amount_fen;
    v.budget_line = budget_line;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "fiscal_year", cur.fiscal_year, v.fiscal_year, true);
    audit_change_int(ch, "budget_fen", cur.budget_fen, v.budget_fen, true);
    audit_change_str(ch, "budget_line", cur.budget_line, v.budget_line);
    if (audit_append(ctx, "procurement.budget", "procurement_project", id, cur.management_id, ch) <
            0 ||
        (!strcmp(cur.state, "declared") && move(ctx, &v, "budgeted", "") < 0) ||
        proc_save(ctx, &cur, &v) < 0)
        return proc_fail(ctx);
    return finish(ctx, &v, out);
}

/* ---------- the lifecycle as data (T5-6.2a) ---------- */

static int lc_load(struct ctx *ctx, int64_t id, void *obj)
{
    return project_get(ctx, id, obj);
}

static const char *lc_state(const void *obj)
{
    return ((const struct project *)obj)->state;
}

static void lc_set_state(void *obj, const char *to)
{
    ((struct project *)obj)->state = to;
}

/* Management sees only the projects it or its subtree manages (project_access). */
static unsigned lc_parties(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    unsigned r = 0;
    if (ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "management"))
        r |= LC_MANAGEMENT;
    if (p->supervisor_id && p->supervisor_id == ctx->caller.institution_id)
        r |= LC_EVALUATOR;
    return r;
}

static int lc_refuse_party(struct ctx *ctx, const void *obj, unsigned wanted)
{
    (void)obj;
    (void)wanted;
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_project_management",
                    "only the management institution of the project moves it on");
}

static int lc_save(struct ctx *ctx, void *obj, const void *cur)
{
    return proc_save(ctx, cur, obj);
}

static int lc_record(struct ctx *ctx, const void *obj, const char *from, const char *to,
                     const char *reason)
{
    return proc_store_transition(ctx, ((const struct project *)obj)->id, from, to, reason);
}

static int64_t lc_id(const void *obj)
{
    return ((const struct project *)obj)->id;
}

static const char *lc_name(const void *obj)
{
    return ((const struct project *)obj)->title;
}

static int64_t lc_scope(const void *obj)
{
    return ((const struct project *)obj)->management_id;
}

static int guard_has_lots(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    if (p->n_lots > 0)
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, "no_lots",
                    "procurement opens once the budget is split into at least one lot");
}

static int guard_every_lot_awarded(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    for (int i = 0; i < p->n_lots; i++)
        if (!p->lots[i].awarded_bid_id) {
            err_rule(&ctx->err, ERR_CONFLICT, "lot_unawarded",
                     "supervision starts when every lot is awarded; lot «%s» (lot %lld) is not",
                     p->lots[i].title, (long long)p->lots[i].id);
            err_param_int(&ctx->err, "lot_id", (long long)p->lots[i].id);
            return err_param_str(&ctx->err, "lot", p->lots[i].title);
        }
    return 0;
}

static int guard_supervisor_assigned(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    if (p->supervisor_id)
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, "no_supervisor",
                    "supervision starts when an independent supervisor is assigned (T5-8.2f)");
}

/* T5-8.2f once more at the start: a relation declared after the assignment counts. */
static int guard_supervisor_independent(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    for (int i = 0; i < p->n_lots; i++) {
        struct institution ev;
        if (p->lots[i].awarded_provider_id &&
            org_check_independent_evaluator(ctx, p->lots[i].awarded_provider_id, p->supervisor_id,
                                            "work in this procurement project", &ev) < 0)
            return -1;
    }
    return 0;
}

static int guard_milestones_done(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    struct milestone *ms;
    int n_ms;
    if (proc_store_milestones(ctx, p->id, &ms, &n_ms) < 0)
        return -1;
    for (int i = 0; i < n_ms; i++)
        if (!*ms[i].done_on) {
            err_rule(&ctx->err, ERR_CONFLICT, "milestone_open",
                     "performance evaluation starts when every milestone is done; «%s» (due %s) "
                     "is not",
                     ms[i].title, ms[i].due_on);
            err_param_str(&ctx->err, "milestone", ms[i].title);
            return err_param_str(&ctx->err, "due_on", ms[i].due_on);
        }
    return 0;
}

static int guard_supervised(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    struct supervision_record *recs;
    int n_recs;
    if (proc_store_records(ctx, p->id, &recs, &n_recs) < 0)
        return -1;
    if (n_recs > 0)
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, "not_supervised",
                    "performance evaluation starts after the supervisor has recorded its "
                    "supervision");
}

static int guard_evaluated(struct ctx *ctx, const void *obj)
{
    const struct project *p = obj;
    if (p->score >= 0)
        return 0;
    return err_rule(&ctx->err, ERR_CONFLICT, "not_evaluated",
                    "a project is closed once its performance is evaluated");
}

static int apply_cancel(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                        struct audit_changes *ch)
{
    (void)ctx;
    (void)cur;
    (void)ch;
    ((struct project *)obj)->cancel_reason = in->reason;
    return 0;
}

static const char *const from_declared_budgeted[] = {"declared", "budgeted", NULL};
static const char *const from_budgeted[] = {"budgeted", NULL};
static const char *const from_procuring[] = {"procuring", NULL};
static const char *const from_supervising[] = {"supervising", NULL};
static const char *const from_evaluating[] = {"evaluating", NULL};
static const char *const from_cancellable[] = {"declared", "budgeted", "procuring", NULL};

/* The actions are named by the state they move to, as POST …/transitions takes it ("budget"
 * has a route of its own and is applied by project_budget). */
static const struct lc_transition project_transitions[] = {
    {.action = "budget",
     .from = from_declared_budgeted,
     .to = "budgeted",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "budget_frozen",
     .refusal = "the budget is compiled while a project is declared or budgeted (this one is %s)",
     .audit_action = "procurement.budget",
     .manual = 1},
    {.action = "procuring",
     .from = from_budgeted,
     .to = "procuring",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "illegal_transition",
     .refusal = "a %s project cannot move to procuring: only a budgeted project can",
     .audit_action = "procurement.transition",
     .guards = {guard_has_lots}},
    {.action = "supervising",
     .from = from_procuring,
     .to = "supervising",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "illegal_transition",
     .refusal = "a %s project cannot move to supervising: only a procuring project can",
     .audit_action = "procurement.transition",
     .guards = {guard_every_lot_awarded, guard_supervisor_assigned, guard_supervisor_independent}},
    {.action = "evaluating",
     .from = from_supervising,
     .to = "evaluating",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "illegal_transition",
     .refusal = "a %s project cannot move to evaluating: only a supervising project can",
     .audit_action = "procurement.transition",
     .guards = {guard_milestones_done, guard_supervised}},
    {.action = "closed",
     .from = from_evaluating,
     .to = "closed",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "illegal_transition",
     .refusal = "a %s project cannot move to closed: only an evaluating project can",
     .audit_action = "procurement.transition",
     .guards = {guard_evaluated}},
    {.action = "cancelled",
     .from = from_cancellable,
     .to = "cancelled",
     .parties = LC_MANAGEMENT,
     .permission = "procurement.manage",
     .rule = "not_cancellable",
     .refusal = "a project is cancelled only before supervision starts (this one is %s)",
     .audit_action = "procurement.transition",
     .apply = apply_cancel},
};

const struct lifecycle project_lifecycle = {
    .entity = "procurement project",
    .audit_type = "procurement_project",
    .transitions = project_transitions,
    .n_transitions = (int)(sizeof(project_transitions) / sizeof(project_transitions[0])),
    .size = sizeof(struct project),
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

int project_transition(struct ctx *ctx, int64_t id, const char *to, const char *reason,
                       struct project *out)
{
    struct lc_input in = {reason ? reason : "", NULL};
    check_enum(ctx, "to", to, project_targets);
    check_opt_text(ctx, "reason", reason, 2000);
    if (!ctx->err.kind && !strcmp(to, "cancelled") && text_length(reason) < 2)
        err_field(&ctx->err, "reason", "required", "a cancellation needs a reason");
    if (ctx->err.kind)
        return -1;
    return lifecycle_act(ctx, &project_lifecycle, id, to, &in, out);
}

int project_actions(struct ctx *ctx, const struct project *p, const char ***actions, int *n)
{
    return lifecycle_actions(ctx, &project_lifecycle, p, actions, n, NULL, NULL);
}

int project_history(struct ctx *ctx, int64_t id, struct project_transition **items, int *n)
{
    if (project_access(ctx, id) < 0)
        return -1;
    return proc_store_history(ctx, id, items, n);
}

/* T5-8.2f in both directions: when the supervisor is assigned it is checked against every
 * provider awarded so far; when a lot is awarded the provider is checked against the assigned
 * supervisor (award_make). */
int project_assign_supervisor(struct ctx *ctx, int64_t id, int64_t evaluator_id,
                              struct project *out)
{
    struct project cur, v;
    struct institution ev;
    if (!evaluator_id)
        return err_field(&ctx->err, "evaluator_id", "required", "evaluator_id is required");
    if (proc_begin(ctx, id, &cur) < 0)
        return -1;
    if (!in_state(&cur, "budgeted", "procuring", "supervising")) {
        err_rule(&ctx->err, ERR_CONFLICT, "supervisor_frozen",
                 "the supervisor is assigned while a project is budgeted, procuring or "
                 "supervising (this one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    if (institution_lookup(ctx, evaluator_id, &ev) < 0 || strcmp(ev.kind, "evaluator") != 0 ||
        strcmp(ev.status, "active") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return proc_fail(ctx);
        err_clear(&ctx->err);
        err_field(&ctx->err, "evaluator_id", "evaluator",
                  "projects are supervised by an active evaluation agency (服务评测机构)");
        return proc_fail(ctx);
    }
    for (int i = 0; i < cur.n_lots; i++) {
        const struct lot *l = &cur.lots[i];
        if (l->awarded_provider_id &&
            org_check_independent_evaluator(ctx, l->awarded_provider_id, evaluator_id,
                                            "work in this procurement project", &ev) < 0)
            return proc_fail(ctx);
    }
    v = cur;
    v.supervisor_id = ev.id;
    v.supervisor_name = ev.name;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "supervisor_id", cur.supervisor_id, v.supervisor_id, cur.supervisor_id);
    if (audit_append(ctx, "procurement.supervisor", "procurement_project", id, cur.management_id,
                     ch) < 0 ||
        proc_save(ctx, &cur, &v) < 0)
        return proc_fail(ctx);
    return finish(ctx, &v, out);
}

int lot_add(struct ctx *ctx, int64_t project_id, const struct lot *in, struct lot *out)
{
    struct project cur, v;
    struct lot l = *in;
    check_enum(ctx, "category", l.category, product_categories);
    check_text(ctx, "title", l.title, 2, 200);
    if (l.budget_fen <= 0 || l.budget_fen > PROC_MAX_FEN)
        err_field(&ctx->err, "budget_fen", "range", "budget_fen is in fen, 1 to %lld",
                  PROC_MAX_FEN);
    if (ctx->err.kind || proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    if (!in_state(&cur, "budgeted", "procuring", NULL)) {
        err_rule(&ctx->err, ERR_CONFLICT, "lots_frozen",
                 "lots are added while a project is budgeted or procuring (this one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    for (int i = 0; i < cur.n_lots; i++)
        if (!strcmp(cur.lots[i].title, l.title)) {
            err_field_as(&ctx->err, ERR_CONFLICT, "title", "lot_title_taken",
                         "the project already has a lot named %s", l.title);
            return proc_fail(ctx);
        }
    /* T5-8.2c: what is bought is a budget item; the lots never exceed the budget. */
    int64_t need = lots_total(&cur) + l.budget_fen;
    if (need > cur.budget_fen) {
        err_rule(&ctx->err, ERR_CONFLICT, "lots_exceed_budget",
                 "the lots would need %lld fen, more than the project's budget of %lld fen "
                 "(T5-8.2c)",
                 (long long)need, (long long)cur.budget_fen);
        return proc_fail(ctx);
    }
    memset(&l, 0, sizeof(l));
    l.id = id_new();
    l.project_id = project_id;
    l.category = in->category;
    l.title = in->title;
    l.budget_fen = in->budget_fen;
    l.awarded_on = l.awarded_provider_name = "";
    l.created_at = time_now_ms();
    v = cur;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "title", l.title);
    audit_note(ch, "category", l.category);
    audit_change_int(ch, "budget_fen", 0, l.budget_fen, false);
    if (proc_save(ctx, &cur, &v) < 0 || proc_store_lot_insert(ctx, &l) < 0 ||
        audit_append(ctx, "procurement.lot", "procurement_lot", l.id, cur.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = l;
    return 0;
}

static const struct lot *find_lot(const struct project *p, int64_t lot_id)
{
    for (int i = 0; i < p->n_lots; i++)
        if (p->lots[i].id == lot_id)
            return &p->lots[i];
    return NULL;
}

int bid_submit(struct ctx *ctx, int64_t project_id, const struct bid *in, struct bid *out,
               bool *created)
{
    struct project cur;
    struct bid v = *in, old;
    const struct lot *l;
    if (!v.lot_id)
        err_field(&ctx->err, "lot_id", "required", "lot_id is required");
    if (v.amount_fen <= 0 || v.amount_fen > PROC_MAX_FEN)
        err_field(&ctx->err, "amount_fen", "range", "amount_fen is the bid in fen, 1 to %lld",
                  PROC_MAX_FEN);
    check_opt_text(ctx, "note", v.note, 2000);
    if (ctx->err.kind)
        return -1;
    if (!ctx->caller.inst_kind || strcmp(ctx->caller.inst_kind, "provider") != 0)
        return err_rule(&ctx->err, ERR_FORBIDDEN, "not_a_provider", "only a provider bids");
    if (proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    if (strcmp(cur.state, "procuring") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_procuring",
                 "bids are taken while a project is procuring (this one is %s)", cur.state);
        return proc_fail(ctx);
    }
    if (!(l = find_lot(&cur, v.lot_id))) {
        err_field(&ctx->err, "lot_id", "lot", "lot %lld is not a lot of this project",
                  (long long)v.lot_id);
        return proc_fail(ctx);
    }
    if (l->awarded_bid_id) {
        err_rule(&ctx->err, ERR_CONFLICT, "lot_awarded", "lot «%s» is awarded already", l->title);
        return proc_fail(ctx);
    }
    /* T5-8.2c: a bid stays within the budget item it is paid from. */
    if (v.amount_fen > l->budget_fen) {
        err_field(&ctx->err, "amount_fen", "over_lot_budget",
                  "the bid of %lld fen is over the lot's budget of %lld fen (T5-8.2c)",
                  (long long)v.amount_fen, (long long)l->budget_fen);
        return proc_fail(ctx);
    }
    if (proc_check_bar(ctx, ctx->caller.institution_id, cur.management_id, "bid") < 0)
        return proc_fail(ctx);
    int found = proc_store_bid_find(ctx, l->id, ctx->caller.institution_id, &old);
    if (found < 0)
        return proc_fail(ctx);
    v.project_id = project_id;
    v.provider_id = ctx->caller.institution_id;
    v.submitted_by = ctx->caller.person_id;
    v.note = v.note ? v.note : "";
    v.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "lot", l->title);
    audit_change_int(ch, "amount_fen", found ? old.amount_fen : 0, v.amount_fen, found);
    if (found) {
        v.id = old.id;
        v.created_at = old.created_at;
        int rc = proc_store_bid_revise(ctx, &v, old.version);
        if (rc <= 0) {
            if (rc == 0)
                stale(ctx);
            return proc_fail(ctx);
        }
        v.version = old.version + 1;
    } else {
        v.id = id_new();
        v.created_at = v.updated_at;
        v.version = 1;
        if (proc_store_bid_insert(ctx, &v) < 0)
            return proc_fail(ctx);
    }
    v.status = "submitted";
    v.lot_title = l->title;
    if (audit_append(ctx, found ? "procurement.bid_revise" : "procurement.bid", "procurement_bid",
                     v.id, cur.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    if (proc_store_bid_get(ctx, v.id, &old) == 1)
        v.provider_name = old.provider_name;
    *created = !found;
    *out = v;
    return 0;
}

int bid_list(struct ctx *ctx, int64_t project_id, struct bid **items, int *n)
{
    if (project_access(ctx, project_id) < 0)
        return -1;
    /* Bids are sealed between providers: each sees its own. */
    bool provider = ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "provider");
    return proc_store_bids(ctx, project_id, provider ? ctx->caller.institution_id : 0, items, n);
}

static bool is_planning(const char *category)
{
    return !strcmp(category, "planning_consulting");
}

static bool is_building(const char *category)
{
    return !strcmp(category, "service_design") || !strcmp(category, "integration_implementation");
}

/*
 * T5-8.2b, the one place the separation rule is decided: within one procurement the provider
 * that plans and consults may not also design or integrate, and the reverse. -1 with rule
 * separation_of_duties naming the conflicting lot.
 */
int proc_check_separation(struct ctx *ctx, const struct project *p, const struct lot *target,
                          int64_t provider_id, const char *provider_name)
{
    for (int i = 0; i < p->n_lots; i++) {
        const struct lot *l = &p->lots[i];
        if (l->id == target->id || l->awarded_provider_id != provider_id)
            continue;
        if ((is_planning(target->category) && is_building(l->category)) ||
            (is_building(target->category) && is_planning(l->category)))
            return err_rule(&ctx->err, ERR_CONFLICT, "separation_of_duties",
                            "T5-8.2b separation of duties: %s won the %s lot «%s» (lot %lld) "
                            "and cannot also win this %s lot",
                            provider_name, l->category, l->title, (long long)l->id,
                            target->category);
    }
    return 0;
}

int award_make(struct ctx *ctx, int64_t project_id, int64_t bid_id, struct lot *out)
{
    struct project cur, v;
    struct bid b;
    const struct lot *found;
    struct lot l;
    if (!bid_id)
        return err_field(&ctx->err, "bid_id", "required", "bid_id is required");
    if (proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    if (strcmp(cur.state, "procuring") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_procuring",
                 "lots are awarded while a project is procuring (this one is %s)", cur.state);
        return proc_fail(ctx);
    }
    int rc = proc_store_bid_get(ctx, bid_id, &b);
    if (rc < 0)
        return proc_fail(ctx);
    if (!rc || b.project_id != project_id || !(found = find_lot(&cur, b.lot_id))) {
        err_field(&ctx->err, "bid_id", "bid", "bid %lld is not a bid in this project",
                  (long long)bid_id);
        return proc_fail(ctx);
    }
    if (found->awarded_bid_id) {
        err_rule(&ctx->err, ERR_CONFLICT, "lot_awarded", "lot «%s» is awarded already",
                 found->title);
        return proc_fail(ctx);
    }
    if (proc_check_bar(ctx, b.provider_id, cur.management_id, "be awarded") < 0 ||
        proc_check_separation(ctx, &cur, found, b.provider_id, b.provider_name) < 0)
        return proc_fail(ctx);
    if (cur.supervisor_id) {
        bool related;
        const char *kind = NULL;
        if (org_has_interest_relation(ctx, b.provider_id, cur.supervisor_id, &related, &kind) < 0)
            return proc_fail(ctx);
        if (related) {
            err_rule(&ctx->err, ERR_CONFLICT, "interest_relation",
                     "T5-8.2f independence: %s has a declared %s interest relation with the "
                     "project's supervisor %s and cannot be awarded in this project",
                     b.provider_name, kind ? kind : "", cur.supervisor_name);
            return proc_fail(ctx);
        }
    }
    l = *found;
    l.awarded_bid_id = b.id;
    l.awarded_provider_id = b.provider_id;
    l.awarded_provider_name = b.provider_name;
    l.award_fen = b.amount_fen;
    l.awarded_on = today(ctx);
    l.awarded_at = time_now_ms();
    v = cur;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "lot", l.title);
    audit_change_int(ch, "provider_id", 0, l.awarded_provider_id, false);
    audit_change_int(ch, "award_fen", 0, l.award_fen, false);
    /* Saving the project first serialises awards, so two lots cannot be awarded against the
     * separation rule at the same time. */
    if (proc_save(ctx, &cur, &v) < 0)
        return proc_fail(ctx);
    rc = proc_store_lot_award(ctx, &l);
    if (rc <= 0) {
        if (rc == 0)
            err_rule(&ctx->err, ERR_CONFLICT, "lot_awarded", "lot «%s» is awarded already",
                     l.title);
        return proc_fail(ctx);
    }
    if (proc_store_bids_settle(ctx, l.id, b.id) < 0 ||
        audit_append(ctx, "procurement.award", "procurement_lot", l.id, cur.management_id, ch) <
            0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = l;
    return 0;
}

static bool milestones_open(const struct project *p)
{
    return in_state(p, "budgeted", "procuring", "supervising");
}

int milestone_add(struct ctx *ctx, int64_t project_id, const struct milestone *in,
                  struct milestone *out)
{
    struct project cur;
    struct milestone m = *in;
    check_text(ctx, "title", m.title, 2, 200);
    check_date(ctx, "due_on", m.due_on);
    if (ctx->err.kind || proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    if (!milestones_open(&cur)) {
        err_rule(&ctx->err, ERR_CONFLICT, "milestones_frozen",
                 "milestones change while a project is budgeted, procuring or supervising (this "
                 "one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    m.id = id_new();
    m.project_id = project_id;
    m.done_on = "";
    m.created_at = m.updated_at = time_now_ms();
    m.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "title", m.title);
    audit_note(ch, "due_on", m.due_on);
    if (proc_store_milestone_insert(ctx, &m) < 0 ||
        audit_append(ctx, "procurement.milestone", "procurement_milestone", m.id, cur.management_id,
                     ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = m;
    return 0;
}

int milestone_update(struct ctx *ctx, int64_t project_id, int64_t id, int if_match, unsigned has,
                     const struct milestone *in, struct milestone *out)
{
    struct project cur;
    struct milestone old, m;
    if (has & MS_F_TITLE)
        check_text(ctx, "title", in->title, 2, 200);
    if (has & MS_F_DUE_ON)
        check_date(ctx, "due_on", in->due_on);
    if ((has & MS_F_DONE_ON) && in->done_on && *in->done_on &&
        check_date(ctx, "done_on", in->done_on) == 0 && strcmp(in->done_on, today(ctx)) > 0)
        err_field(&ctx->err, "done_on", "not_future", "done_on cannot be in the future");
    if (ctx->err.kind || proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    int rc = proc_store_milestone_get(ctx, id, &old);
    if (rc <= 0 || old.project_id != project_id) {
        if (rc >= 0)
            err_set(&ctx->err, ERR_NOT_FOUND, "milestone not found");
        return proc_fail(ctx);
    }
    if (if_match >= 0 && if_match != old.version) {
        stale(ctx);
        return proc_fail(ctx);
    }
    if (!milestones_open(&cur)) {
        err_rule(&ctx->err, ERR_CONFLICT, "milestones_frozen",
                 "milestones change while a project is budgeted, procuring or supervising (this "
                 "one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    m = old;
    if (has & MS_F_TITLE)
        m.title = in->title;
    if (has & MS_F_DUE_ON)
        m.due_on = in->due_on;
    if (has & MS_F_DONE_ON)
        m.done_on = in->done_on ? in->done_on : "";
    m.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "title", old.title, m.title);
    audit_change_str(ch, "due_on", old.due_on, m.due_on);
    audit_change_str(ch, "done_on", old.done_on, m.done_on);
    rc = proc_store_milestone_update(ctx, &m, old.version);
    if (rc <= 0) {
        if (rc == 0)
            stale(ctx);
        return proc_fail(ctx);
    }
    if (audit_append(ctx, "procurement.milestone_update", "procurement_milestone", id,
                     cur.management_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    m.version = old.version + 1;
    *out = m;
    return 0;
}

int milestone_list(struct ctx *ctx, int64_t project_id, struct milestone **items, int *n)
{
    if (project_access(ctx, project_id) < 0)
        return -1;
    return proc_store_milestones(ctx, project_id, items, n);
}

/* Supervision and evaluation belong to the assigned supervisor alone. */
static int check_supervisor(struct ctx *ctx, const struct project *p)
{
    if (ctx->caller.is_system ||
        (p->supervisor_id && p->supervisor_id == ctx->caller.institution_id))
        return 0;
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_supervisor",
                    "only the project's assigned supervisor records supervision and evaluation");
}

int supervision_record_add(struct ctx *ctx, int64_t project_id, const struct supervision_record *in,
                           struct supervision_record *out)
{
    struct project cur;
    struct supervision_record r = *in;
    struct milestone m;
    check_text(ctx, "observation", r.observation, 2, 5000);
    check_enum(ctx, "conclusion", r.conclusion, supervision_conclusions);
    if (r.recorded_on && *r.recorded_on && check_date(ctx, "recorded_on", r.recorded_on) == 0 &&
        strcmp(r.recorded_on, today(ctx)) > 0)
        err_field(&ctx->err, "recorded_on", "not_future", "recorded_on cannot be in the future");
    if (ctx->err.kind || proc_begin(ctx, project_id, &cur) < 0)
        return -1;
    if (check_supervisor(ctx, &cur) < 0)
        return proc_fail(ctx);
    if (strcmp(cur.state, "supervising") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_supervising",
                 "supervision is recorded while a project is supervising (this one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    if (r.milestone_id) {
        int rc = proc_store_milestone_get(ctx, r.milestone_id, &m);
        if (rc < 0)
            return proc_fail(ctx);
        if (!rc || m.project_id != project_id) {
            err_field(&ctx->err, "milestone_id", "milestone",
                      "milestone %lld is not a milestone of this project",
                      (long long)r.milestone_id);
            return proc_fail(ctx);
        }
    }
    r.id = id_new();
    r.project_id = project_id;
    r.evaluator_id = cur.supervisor_id;
    r.evaluator_name = cur.supervisor_name;
    r.recorded_by = ctx->caller.person_id;
    r.recorded_on = r.recorded_on && *r.recorded_on ? r.recorded_on : today(ctx);
    r.created_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "conclusion", r.conclusion);
    audit_note(ch, "observation", r.observation);
    if (proc_store_record_insert(ctx, &r) < 0 ||
        audit_append(ctx, "procurement.supervision", "supervision_record", r.id, cur.management_id,
                     ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return proc_fail(ctx);
    *out = r;
    return 0;
}

int supervision_record_list(struct ctx *ctx, int64_t project_id, struct supervision_record **items,
                            int *n)
{
    if (project_access(ctx, project_id) < 0)
        return -1;
    return proc_store_records(ctx, project_id, items, n);
}

int project_evaluate(struct ctx *ctx, int64_t id, int score, const char *findings,
                     struct project *out)
{
    struct project cur, v;
    if (score < 0 || score > 100)
        err_field(&ctx->err, "score", "range", "score is from 0 to 100");
    check_text(ctx, "findings", findings, 2, 5000);
    if (ctx->err.kind || proc_begin(ctx, id, &cur) < 0)
        return -1;
    if (check_supervisor(ctx, &cur) < 0)
        return proc_fail(ctx);
    if (strcmp(cur.state, "evaluating") != 0) {
        err_rule(&ctx->err, ERR_CONFLICT, "not_evaluating",
                 "performance is evaluated while a project is evaluating (this one is %s)",
                 cur.state);
        return proc_fail(ctx);
    }
    v = cur;
    v.score = score;
    v.findings = findings;
    v.evaluated_by = ctx->caller.person_id;
    v.evaluated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "score", cur.score, v.score, cur.score >= 0);
    audit_change_str(ch, "findings", cur.findings, v.findings);
    if (audit_append(ctx, "procurement.evaluate", "procurement_project", id, cur.management_id,
                     ch) < 0 ||
        proc_save(ctx, &cur, &v) < 0)
        return proc_fail(ctx);
    return finish(ctx, &v, out);
}
