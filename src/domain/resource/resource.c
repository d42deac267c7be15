/*
 * resource.c - the rules of resource pools, allocations, conformity tests and the catalogue of
 * conformant resources.
 *
 * Capacity (T5-6.2b): a pool's `allocated` is changed only by one conditional UPDATE that
 * refuses to pass capacity, so two requests racing for the last units cannot both win on either
 * store. Independence (T5-8.2f): an evaluator with a declared interest relation with the pool's
 * provider is never assigned to test it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "resource.h"
#include "resource_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/lifecycle/lifecycle.h"
#include "domain/catalogue/catalogue.h"
#include "domain/org/org.h"
#include "domain/validate.h"
#include "core/banned.h"

const char *const resource_kinds[] = {
    "compute", "storage", "network", "information", "application_support", "consulting", NULL};
const char *const pool_statuses[] = {"active", "suspended", "retired", NULL};
const char *const service_levels[] = {"basic", "standard", "premium", NULL};

/* T5-6.1: the kinds and the units they are measured in. */
const struct resource_unit resource_units[] = {
    {"vcpu", "compute", "虚拟CPU核", "vCPU"},
    {"memory_gib", "compute", "内存(GiB)", "memory GiB"},
    {"gpu", "compute", "GPU卡", "GPU"},
    {"block_gib_ssd", "storage", "高性能块存储(GiB)", "block storage GiB, SSD"},
    {"block_gib_hdd", "storage", "普通块存储(GiB)", "block storage GiB, HDD"},
    {"object_gib", "storage", "对象存储(GiB)", "object storage GiB"},
    {"file_gib", "storage", "文件存储(GiB)", "file storage GiB"},
    {"backup_gib", "storage", "备份存储(GiB)", "backup storage GiB"},
    {"bandwidth_mbps", "network", "带宽(Mbps)", "bandwidth Mbps"},
    {"public_ip", "network", "公网IP", "public IP"},
    {"load_balancer", "network", "负载均衡实例", "load balancer"},
    {"dataset", "information", "数据集", "dataset"},
    {"api_call_10k", "information", "接口调用(万次)", "API calls, 10k"},
    {"db_instance", "application_support", "数据库实例", "database instance"},
    {"middleware_instance", "application_support", "中间件实例", "middleware instance"},
    {"container_vcpu", "application_support", "容器vCPU", "container vCPU"},
    {"person_day", "consulting", "人天", "person-day"},
};
const int n_resource_units = (int)(sizeof(resource_units) / sizeof(resource_units[0]));

#define MAX_QUANTITY 1000000000000000LL

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

static bool unit_of_kind(const char *unit, const char *kind)
{
    for (int i = 0; unit && kind && i < n_resource_units; i++)
        if (!strcmp(resource_units[i].code, unit))
            return !strcmp(resource_units[i].kind, kind);
    return false;
}

/* Pools of the caller's jurisdiction, plus those it tests or uses; 404 otherwise. */
static int pool_visible(struct ctx *ctx, int64_t id)
{
    int64_t root;
    int depth;
    if (ctx->scoped.kind == &pool_entity && ctx->scoped.id == id)
        return 0; /* the guard of this request loaded it within the caller's view */
    org_scope(ctx, &root, &depth);
    int rc = resource_store_pool_visible(ctx, root, depth, id);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "resource pool not found");
}

int pool_access(struct ctx *ctx, int64_t id)
{
    struct pool *row = arena_alloc(ctx->arena, sizeof(*row));
    if (pool_get(ctx, id, row) < 0)
        return -1;
    ctx->scoped.kind = &pool_entity;
    ctx->scoped.id = id;
    ctx->scoped.inst_id = 0; /* visible as a pool, which vouches for no institution */
    ctx->scoped.row = row;
    return 0;
}

int pool_provider_of(struct ctx *ctx, int64_t pool_id, int64_t *provider_id)
{
    struct pool p;
    int rc = resource_store_pool_get(ctx, pool_id, &p);
    if (rc < 0)
        return -1;
    *provider_id = rc ? p.provider_id : 0;
    return 0;
}

int pool_get(struct ctx *ctx, int64_t id, struct pool *out)
{
    int64_t root;
    int depth;
    if (org_guarded(ctx, &pool_entity, id, sizeof(*out), out))
        return 0;
    org_scope(ctx, &root, &depth);
    int rc = resource_store_pool_get_scoped(ctx, root, depth, id, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "resource pool not found");
}

/* Writes to a pool belong to its provider alone. */
static int own_pool(struct ctx *ctx, int64_t id, struct pool *out)
{
    if (pool_get(ctx, id, out) < 0)
        return -1;
    if (!ctx->caller.is_system && out->provider_id != ctx->caller.institution_id) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                 "only the provider of %s may change it", out->name);
        return err_param_str(&ctx->err, "name", out->name);
    }
    return 0;
}

int pool_list(struct ctx *ctx, const struct pool_filter *f, const struct page_req *p,
              struct pool **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (resource_store_pool_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    if (p->want_total && resource_store_pool_count(ctx, root, depth, f, &info->total) < 0)
        return -1;
    return 0;
}

/* ---------- the pool's lifecycle as data (T5-3.4) ---------- */

const char *pool_lifecycle_stage(const char *status)
{
    return !strcmp(status, "retired") ? "offline" : "release_operation";
}

static int lc_load(struct ctx *ctx, int64_t id, void *obj)
{
    return pool_get(ctx, id, obj);
}

static const char *lc_state(const void *obj)
{
    return ((const struct pool *)obj)->status;
}

static void lc_set_state(void *obj, const char *to)
{
    ((struct pool *)obj)->status = to;
}

static unsigned lc_parties(struct ctx *ctx, const void *obj)
{
    return ((const struct pool *)obj)->provider_id == ctx->caller.institution_id ? LC_PROVIDER : 0;
}

static int lc_refuse_party(struct ctx *ctx, const void *obj, unsigned wanted)
{
    (void)wanted;
    return err_rule(&ctx->err, ERR_FORBIDDEN, "not_the_provider",
                    "only the provider of %s may change it", ((const struct pool *)obj)->name);
}

static int lc_save(struct ctx *ctx, void *obj, const void *cur_)
{
    struct pool *v = obj;
    const struct pool *cur = cur_;
    v->updated_at = time_now_ms();
    int rc = resource_store_pool_update(ctx, v, cur->version);
    if (rc <= 0)
        return rc < 0 ? -1
                      : err_set(&ctx->err, ERR_CONFLICT,
                                "the pool changed meanwhile (new allocations?); reload and try "
                                "again");
    v->version = cur->version + 1;
    return 0;
}

static int lc_record(struct ctx *ctx, const void *obj, const char *from, const char *to,
                     const char *reason)
{
    return resource_store_pool_transition(ctx, ((const struct pool *)obj)->id, from, to, reason);
}

static int64_t lc_id(const void *obj)
{
    return ((const struct pool *)obj)->id;
}

static const char *lc_name(const void *obj)
{
    return ((const struct pool *)obj)->name;
}

static int64_t lc_scope(const void *obj)
{
    return ((const struct pool *)obj)->provider_id;
}

/* T5-6.2b: capacity in use is released through the allocations first; a retired pool holds
 * nothing that a user agency still relies on. */
static int guard_no_allocations(struct ctx *ctx, const void *obj)
{
    const struct pool *p = obj;
    if (p->allocated == 0)
        return 0;
    err_rule(&ctx->err, ERR_CONFLICT, "pool_in_use",
             "%lld %s of %s are allocated; release the allocations before the pool is retired",
             (long long)p->allocated, p->unit, p->name);
    err_param_int(&ctx->err, "allocated", (long long)p->allocated);
    return err_param_str(&ctx->err, "unit", p->unit);
}

static const char *const from_active[] = {"active", NULL};
static const char *const from_suspended[] = {"suspended", NULL};
static const char *const from_live[] = {"active", "suspended", NULL};

static const struct lc_transition pool_transitions[] = {
    {.action = "suspend",
     .from = from_active,
     .to = "suspended",
     .parties = LC_PROVIDER,
     .permission = "pool.write",
     .rule = "not_active",
     .refusal = "only an active pool is suspended (now %s)",
     .audit_action = "pool.suspend"},
    {.action = "resume",
     .from = from_suspended,
     .to = "active",
     .parties = LC_PROVIDER,
     .permission = "pool.write",
     .rule = "not_suspended",
     .refusal = "only a suspended pool is resumed (now %s)",
     .audit_action = "pool.resume"},
    {.action = "retire",
     .from = from_live,
     .to = "retired",
     .parties = LC_PROVIDER,
     .permission = "pool.write",
     .rule = "retired",
     .refusal = "the pool is %s already: retirement is final",
     .audit_action = "pool.retire",
     .guards = {guard_no_allocations}},
};

const struct lifecycle pool_lifecycle = {
    .entity = "resource pool",
    .audit_type = "resource_pool",
    .transitions = pool_transitions,
    .n_transitions = (int)(sizeof(pool_transitions) / sizeof(pool_transitions[0])),
    .size = sizeof(struct pool),
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

/* The action of the table that moves cur to status (a PATCH of status), or a refusal. */
static int pool_transition_to(struct ctx *ctx, const struct pool *cur, const char *status,
                              const char **action)
{
    for (int i = 0; i < pool_lifecycle.n_transitions; i++) {
        const struct lc_transition *t = &pool_transitions[i];
        if (strcmp(t->to, status) != 0)
            continue;
        *action = t->action;
        for (int k = 0; t->from[k]; k++)
            if (!strcmp(t->from[k], cur->status))
                return 0;
    }
    if (*action)
        return 0; /* the table's own refusal names the state that allows it */
    err_rule(&ctx->err, ERR_CONFLICT, "illegal_transition", "a %s pool cannot become %s",
             cur->status, status);
    err_param_str(&ctx->err, "state", cur->status);
    return err_param_str(&ctx->err, "to", status);
}

int pool_act(struct ctx *ctx, int64_t id, const char *action, const char *reason, struct pool *out)
{
    struct lc_input in = {reason ? reason : "", NULL};
    if (check_opt_text(ctx, "reason", reason, 1000) < 0)
        return -1;
    return lifecycle_act(ctx, &pool_lifecycle, id, action, &in, out);
}

int pool_actions(struct ctx *ctx, const struct pool *p, const char ***actions, int *n)
{
    return lifecycle_actions(ctx, &pool_lifecycle, p, actions, n, NULL, NULL);
}

int pool_history(struct ctx *ctx, int64_t id, struct pool_transition **items, int *n)
{
    if (pool_visible(ctx, id) < 0)
        return -1;
    return resource_store_pool_history(ctx, id, items, n);
}

static void validate_pool(struct ctx *ctx, const struct pool *v)
{
    check_text(ctx, "name", v->name, 2, 100);
    if (check_enum(ctx, "kind", v->kind, resource_kinds) == 0 && !unit_of_kind(v->unit, v->kind))
        err_field(&ctx->err, "unit", "unit_of_kind",
                  "%s is not a unit of %s resources (see GET /api/v1/resource-kinds)",
                  v->unit ? v->unit : "(none)", v->kind);
    check_text(ctx, "specification", v->specification, 1, 2000);
    if (v->capacity <= 0 || v->capacity > MAX_QUANTITY)
        err_field(&ctx->err, "capacity", "range", "capacity must be a positive whole quantity");
    check_region(ctx, "region", v->region);
    if (v->security_level < 1 || v->security_level > 4)
        err_field(&ctx->err, "security_level", "range",
                  "security_level is the classified-protection level 1 to 4 the pool is "
                  "approved for");
    check_enum(ctx, "status", v->status, pool_statuses);
}

static void diff_pool(struct audit_changes *c, const struct pool *a, const struct pool *b)
{
    audit_change_str(c, "name", a ? a->name : NULL, b->name);
    audit_change_str(c, "kind", a ? a->kind : NULL, b->kind);
    audit_change_str(c, "unit", a ? a->unit : NULL, b->unit);
    audit_change_str(c, "specification", a ? a->specification : NULL, b->specification);
    audit_change_int(c, "capacity", a ? a->capacity : 0, b->capacity, a != NULL);
    audit_change_str(c, "region", a ? a->region : NULL, b->region);
    audit_change_int(c, "security_level", a ? a->security_level : 0, b->security_level, a != NULL);
    audit_change_str(c, "status", a ? a->status : NULL, b->status);
}

int pool_create(struct ctx *ctx, const struct pool_input *in, struct pool *out)
{
    struct pool v = in->v;
    struct institution provider;
    if (!(in->has & POOL_F_PROVIDER) || !v.provider_id)
        v.provider_id = ctx->caller.institution_id;
    if (!v.status)
        v.status = "active";
    validate_pool(ctx, &v);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (institution_get(ctx, v.provider_id, &provider) < 0 ||
        strcmp(provider.kind, "provider") != 0 ||
        (!ctx->caller.is_system && v.provider_id != ctx->caller.institution_id)) {
        err_clear(&ctx->err);
        err_field(&ctx->err, "provider_id", "own_provider",
                  "a pool belongs to the provider that creates it");
        return fail(ctx);
    }
    v.id = id_new();
    v.allocated = 0;
    v.provider_name = provider.name;
    v.latest_test = "";
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_pool(ch, NULL, &v);
    if (resource_store_pool_insert(ctx, &v) < 0) {
        if (ctx->err.kind == ERR_CONFLICT) {
            err_clear(&ctx->err);
            err_field_as(&ctx->err, ERR_CONFLICT, "name", "unique",
                         "the provider already has a pool named %s", v.name);
        }
        return fail(ctx);
    }
    if (audit_append(ctx, "pool.create", "resource_pool", v.id, v.provider_id, ch) < 0 ||
        resource_store_pool_transition(ctx, v.id, "", v.status, NULL) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = v;
    return 0;
}

int pool_update(struct ctx *ctx, int64_t id, int if_match, const struct pool_input *in,
                struct pool *out)
{
    struct pool cur, v;
    if (ctx_tx_begin(ctx) < 0 || own_pool(ctx, id, &cur) < 0)
        return fail(ctx);
    if (if_match >= 0 && if_match != cur.version) {
        err_set(&ctx->err, ERR_PRECONDITION,
                "the pool was changed by someone else (now at "
                "version %d); reload it",
                cur.version);
        return fail(ctx);
    }
    v = cur;
    if (in->has & POOL_F_NAME)
        v.name = in->v.name;
    if (in->has & POOL_F_SPEC)
        v.specification = in->v.specification;
    if (in->has & POOL_F_CAPACITY)
        v.capacity = in->v.capacity;
    if (in->has & POOL_F_REGION)
        v.region = in->v.region;
    if (in->has & POOL_F_LEVEL)
        v.security_level = in->v.security_level;
    if (in->has & POOL_F_STATUS)
        v.status = in->v.status;
    /* kind, unit and provider are not in the PATCH body: they never change. */
    validate_pool(ctx, &v);
    /* A change of status is a transition of the pool's lifecycle: the same table decides. */
    const char *action = NULL;
    if (!ctx->err.kind && strcmp(cur.status, v.status) != 0 &&
        (pool_transition_to(ctx, &cur, v.status, &action) < 0 ||
         lifecycle_check(ctx, &pool_lifecycle, &cur, action) < 0))
        return fail(ctx);
    if (!ctx->err.kind && v.capacity < cur.allocated)
        err_field_as(&ctx->err, ERR_CONFLICT, "capacity", "below_allocated",
                     "%lld units are allocated; capacity cannot go below that",
                     (long long)cur.allocated);
    if (ctx->err.kind)
        return fail(ctx);
    v.updated_at = time_now_ms();
    int rc = resource_store_pool_update(ctx, &v, cur.version);
    if (rc <= 0) {
        if (rc == 0)
            err_set(&ctx->err, ERR_CONFLICT,
                    "the pool changed meanwhile (new allocations?); reload and try again");
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    diff_pool(ch, &cur, &v);
    if (audit_append(ctx, "pool.update", "resource_pool", id, v.provider_id, ch) < 0 ||
        (action && resource_store_pool_transition(ctx, id, cur.status, v.status, NULL) < 0) ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

/* ---------- allocations ---------- */

static int take(struct ctx *ctx, const struct pool *p, int64_t delta)
{
    int rc = resource_store_pool_take(ctx, p->id, delta);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        struct pool now;
        if (resource_store_pool_get(ctx, p->id, &now) <= 0)
            return ctx->err.kind ? -1 : err_set(&ctx->err, ERR_NOT_FOUND, "pool gone");
        if (strcmp(now.status, "active") != 0)
            return err_set(&ctx->err, ERR_CONFLICT, "the pool %s is %s: nothing can be allocated",
                           now.name, now.status);
        return err_field_as(&ctx->err, ERR_CONFLICT, "quantity", "capacity",
                            "only %lld of %lld %s are free in %s; %lld asked",
                            (long long)(now.capacity - now.allocated), (long long)now.capacity,
                            now.unit, now.name, (long long)delta);
    }
    return 0;
}

static void validate_allocation(struct ctx *ctx, const struct allocation *v)
{
    check_text(ctx, "application", v->application, 2, 100);
    if (v->quantity <= 0 || v->quantity > MAX_QUANTITY)
        err_field(&ctx->err, "quantity", "range", "quantity must be a positive whole number");
    if (v->use_by && *v->use_by)
        check_date(ctx, "use_by", v->use_by);
    if (v->service_level)
        check_enum(ctx, "service_level", v->service_level, service_levels);
    if (!v->user_id && !(v->user_uscc && *v->user_uscc))
        err_field(&ctx->err, "user_id", "required",
                  "name the user agency by user_id or user_uscc (its credit code)");
}

/* The writes of configure, inside an open transaction; who may act was decided by the caller. */
static int configure_locked(struct ctx *ctx, const struct pool *p, const struct allocation *in,
                            struct allocation *out)
{
    struct allocation v = *in;
    struct institution user;
    /* The user agency lies outside the provider's own visibility: the provider names it by
     * id or by its public credit code. */
    if ((v.user_id ? institution_lookup(ctx, v.user_id, &user)
                   : institution_lookup_uscc(ctx, v.user_uscc, &user)) < 0 ||
        strcmp(user.kind, "user") != 0 || strcmp(user.status, "active") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_field(&ctx->err, "user_id", "user_agency",
                         "allocations go to an active user agency (服务使用机构)");
    }
    if (take(ctx, p, v.quantity) < 0)
        return -1;
    v.id = id_new();
    v.pool_id = p->id;
    v.user_id = user.id;
    v.user_name = user.name;
    v.status = "active";
    v.use_by = v.use_by ? v.use_by : "";
    v.service_level = v.service_level ? v.service_level : "standard";
    v.first_used_on = "";
    v.created_at = v.updated_at = time_now_ms();
    v.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "user_id", 0, v.user_id, false);
    audit_change_int(ch, "quantity", 0, v.quantity, false);
    audit_note(ch, "application", v.application);
    audit_note(ch, "service_level", v.service_level);
    if (resource_store_alloc_insert(ctx, &v) < 0 ||
        resource_store_alloc_event(ctx, v.id, "configure", 0, v.quantity, NULL) < 0 ||
        audit_append(ctx, "allocation.configure", "allocation", v.id, p->provider_id, ch) < 0)
        return -1;
    *out = v;
    return 0;
}

int allocation_configure(struct ctx *ctx, int64_t pool_id, const struct allocation *in,
                         struct allocation *out)
{
    struct pool p;
    validate_allocation(ctx, in);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_pool(ctx, pool_id, &p) < 0 ||
        configure_locked(ctx, &p, in, out) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

/* Reads a pool for a caller that acts inside its own transaction (no visibility rule). */
static int pool_read(struct ctx *ctx, int64_t id, struct pool *out)
{
    int rc = resource_store_pool_get(ctx, id, out);
    if (rc < 0)
        return -1;
    return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "resource pool not found");
}

int pool_lookup(struct ctx *ctx, int64_t id, struct pool *out)
{
    return pool_read(ctx, id, out);
}

int allocation_configure_in_tx(struct ctx *ctx, int64_t pool_id, const struct allocation *in,
                               struct allocation *out)
{
    struct pool p;
    validate_allocation(ctx, in);
    if (ctx->err.kind || pool_read(ctx, pool_id, &p) < 0)
        return -1;
    return configure_locked(ctx, &p, in, out);
}

static int load_allocation(struct ctx *ctx, int64_t pool_id, int64_t id, struct allocation *out)
{
    int rc = resource_store_alloc_get(ctx, id, today(ctx), out);
    if (rc < 0)
        return -1;
    if (!rc || out->pool_id != pool_id)
        return err_set(&ctx->err, ERR_NOT_FOUND, "allocation not found");
    return 0;
}

static int validate_change(struct ctx *ctx, const char *op, int64_t quantity, const char *reason)
{
    static const char *const ops[] = {"adjust", "expand", "release", NULL};
    if (check_enum(ctx, "op", op, ops) < 0)
        return -1;
    if (strcmp(op, "release") != 0 && (quantity <= 0 || quantity > MAX_QUANTITY))
        return err_field(&ctx->err, "quantity", "range",
                         "quantity must be positive (use op=release to free everything)");
    check_opt_text(ctx, "reason", reason, 500);
    return ctx->err.kind ? -1 : 0;
}

/* The writes of a change, inside an open transaction; who may act was decided by the caller. */
static int change_locked(struct ctx *ctx, const struct pool *p, int64_t id, const char *op,
                         int64_t quantity, const char *reason, struct allocation *out)
{
    struct allocation cur, v;
    if (load_allocation(ctx, p->id, id, &cur) < 0)
        return -1;
    if (strcmp(cur.status, "active") != 0)
        return err_rule(&ctx->err, ERR_CONFLICT, "released", "the allocation was released already");
    v = cur;
    if (!strcmp(op, "adjust"))
        v.quantity = quantity;
    else if (!strcmp(op, "expand"))
        v.quantity = cur.quantity + quantity;
    else {
        v.quantity = 0;
        v.status = "released";
    }
    if (v.quantity != cur.quantity && take(ctx, p, v.quantity - cur.quantity) < 0)
        return -1;
    v.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "quantity", cur.quantity, v.quantity, true);
    audit_change_str(ch, "status", cur.status, v.status);
    if (reason && *reason)
        audit_note(ch, "reason", reason);
    if (resource_store_alloc_update(ctx, &v) < 0 ||
        resource_store_alloc_event(ctx, id, op, cur.quantity, v.quantity, reason) < 0 ||
        audit_append(ctx, arena_printf(ctx->arena, "allocation.%s", op), "allocation", id,
                     p->provider_id, ch) < 0)
        return -1;
    v.version = cur.version + 1;
    v.reclaimable = false;
    *out = v;
    return 0;
}

int allocation_change(struct ctx *ctx, int64_t pool_id, int64_t id, const char *op,
                      int64_t quantity, const char *reason, struct allocation *out)
{
    struct pool p;
    if (validate_change(ctx, op, quantity, reason) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_pool(ctx, pool_id, &p) < 0 ||
        change_locked(ctx, &p, id, op, quantity, reason, out) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    return 0;
}

int allocation_change_in_tx(struct ctx *ctx, int64_t pool_id, int64_t id, const char *op,
                            int64_t quantity, const char *reason, struct allocation *out)
{
    struct pool p;
    if (validate_change(ctx, op, quantity, reason) < 0 || pool_read(ctx, pool_id, &p) < 0)
        return -1;
    return change_locked(ctx, &p, id, op, quantity, reason, out);
}

int allocation_mark_used(struct ctx *ctx, int64_t pool_id, int64_t id, const char *date,
                         struct allocation *out)
{
    struct allocation cur, v;
    struct pool p;
    if (!date || !*date)
        date = today(ctx);
    if (check_date(ctx, "first_used_on", date) < 0)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_pool(ctx, pool_id, &p) < 0 ||
        load_allocation(ctx, pool_id, id, &cur) < 0)
        return fail(ctx);
    v = cur;
    v.first_used_on = date;
    v.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "first_used_on", cur.first_used_on, date);
    if (resource_store_alloc_update(ctx, &v) < 0 ||
        audit_append(ctx, "allocation.used", "allocation", id, p.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    v.reclaimable = false;
    *out = v;
    return 0;
}

int allocation_set_service_start(struct ctx *ctx, int64_t pool_id, int64_t id, const char *start,
                                 const char *reason, struct allocation *out)
{
    struct allocation cur, v;
    struct pool p;
    int64_t at = 0;
    if (!start || !*start)
        err_field(&ctx->err, "service_start", "required", "service_start is required (RFC 3339)");
    else if (time_parse(start, &at) < 0 || at <= 0)
        err_field(&ctx->err, "service_start", "format", "service_start is not an RFC 3339 time");
    check_text(ctx, "service_start_reason", reason, 1, 500);
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || own_pool(ctx, pool_id, &p) < 0 ||
        load_allocation(ctx, pool_id, id, &cur) < 0)
        return fail(ctx);
    /* Issue 12: usage before an allocation existed is refused; only a service that ran before
     * (migrated onto the platform) may start earlier, and never later than the creation. */
    if (at >= cur.created_at) {
        err_field(&ctx->err, "service_start", "before_creation",
                  "service_start must lie before the allocation was created");
        return fail(ctx);
    }
    v = cur;
    v.service_start = at;
    v.service_start_at = at;
    v.service_start_reason = reason;
    v.updated_at = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "service_start", cur.service_start, at, cur.service_start != 0);
    audit_change_str(ch, "service_start_reason", cur.service_start_reason, reason);
    if (resource_store_alloc_service_start(ctx, &v) < 0 ||
        audit_append(ctx, "allocation.service_start", "allocation", id, p.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int allocation_list(struct ctx *ctx, const struct allocation_filter *f, const struct page_req *p,
                    struct allocation **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    if (f->pool_id && pool_visible(ctx, f->pool_id) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (resource_store_alloc_list(ctx, root, depth, today(ctx), f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

/* ---------- conformity tests ---------- */

/* 1 when a conformity test of p is under way, 0 when none, -1. A test whose evaluator has
 * become related to the provider since its assignment can never be recorded (T5-8.2f), so it no
 * longer blocks the assignment of an independent evaluator (issue 12). */
static int test_under_way(struct ctx *ctx, const struct pool *p)
{
    struct conformity_test *open;
    int n;
    if (resource_store_test_open(ctx, p->id, &open, &n) < 0)
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

int conformity_assign(struct ctx *ctx, int64_t pool_id, int64_t evaluator_id,
                      struct conformity_test *out)
{
    struct pool p;
    struct institution ev;
    if (!evaluator_id)
        return err_field(&ctx->err, "evaluator_id", "required", "evaluator_id is required");
    if (ctx_tx_begin(ctx) < 0 || pool_get(ctx, pool_id, &p) < 0)
        return fail(ctx);
    if (org_check_independent_evaluator(ctx, p.provider_id, evaluator_id, "resources", &ev) < 0)
        return fail(ctx);
    int open = test_under_way(ctx, &p);
    if (open != 0) {
        if (open > 0)
            err_set(&ctx->err, ERR_CONFLICT,
                    "a conformity test of %s is already under way; record it first", p.name);
        return fail(ctx);
    }
    struct conformity_test t;
    memset(&t, 0, sizeof(t));
    t.id = id_new();
    t.pool_id = pool_id;
    t.pool_name = p.name;
    t.provider_id = p.provider_id;
    t.evaluator_id = evaluator_id;
    t.evaluator_name = ev.name;
    t.assigned_by = ctx->caller.person_id;
    t.status = "assigned";
    t.findings = t.report_ref = t.tested_on = "";
    t.created_at = t.updated_at = time_now_ms();
    t.version = 1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "pool_id", 0, pool_id, false);
    audit_change_int(ch, "evaluator_id", 0, evaluator_id, false);
    if (resource_store_test_insert(ctx, &t) < 0 ||
        audit_append(ctx, "conformity.assign", "conformity_test", t.id, p.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    *out = t;
    return 0;
}

int conformity_get(struct ctx *ctx, int64_t id, struct conformity_test *out)
{
    int rc = resource_store_test_get(ctx, id, out);
    if (rc < 0)
        return -1;
    /* Visible to the assigned evaluator and to whoever sees the pool. */
    if (rc && (ctx->caller.is_system || out->evaluator_id == ctx->caller.institution_id ||
               pool_visible(ctx, out->pool_id) == 0))
        return 0;
    err_clear(&ctx->err);
    return err_set(&ctx->err, ERR_NOT_FOUND, "conformity test not found");
}

int conformity_record(struct ctx *ctx, int64_t id, const struct conformity_test *in,
                      struct conformity_test *out)
{
    static const char *const results[] = {"passed", "failed", NULL};
    struct conformity_test cur, v;
    check_enum(ctx, "result", in->status, results);
    check_text(ctx, "report_ref", in->report_ref, 1, 100);
    if (check_date(ctx, "tested_on", in->tested_on) == 0 && strcmp(in->tested_on, today(ctx)) > 0)
        err_field(&ctx->err, "tested_on", "not_future", "tested_on cannot be in the future");
    check_opt_text(ctx, "findings", in->findings, 5000);
    if (in->status && !strcmp(in->status, "failed") && text_is_blank(in->findings))
        err_field(&ctx->err, "findings", "required", "a failed test names its findings");
    if (ctx->err.kind)
        return -1;
    if (ctx_tx_begin(ctx) < 0 || conformity_get(ctx, id, &cur) < 0)
        return fail(ctx);
    if (!ctx->caller.is_system && cur.evaluator_id != ctx->caller.institution_id) {
        err_set(&ctx->err, ERR_FORBIDDEN, "only the assigned evaluator %s records this test",
                cur.evaluator_name);
        return fail(ctx);
    }
    /* T5-8.2f when the result is recorded: a relation declared after the assignment counts
     * (issue 12); the same check as at assignment. */
    struct institution ev;
    if (!strcmp(cur.status, "assigned") &&
        org_check_independent_evaluator(ctx, cur.provider_id, cur.evaluator_id, "resources", &ev) <
            0)
        return fail(ctx);
    v = cur;
    v.status = in->status;
    v.findings = in->findings ? in->findings : "";
    v.report_ref = in->report_ref;
    v.tested_on = in->tested_on;
    v.updated_at = time_now_ms();
    int rc = resource_store_test_update(ctx, &v);
    if (rc <= 0) {
        if (rc == 0)
            err_set(&ctx->err, ERR_CONFLICT,
                    "the result of this test is recorded already (%s); "
                    "a new test must be assigned",
                    cur.status);
        return fail(ctx);
    }
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "status", cur.status, v.status);
    audit_note(ch, "report_ref", v.report_ref);
    audit_note(ch, "tested_on", v.tested_on);
    if (audit_append(ctx, "conformity.record", "conformity_test", id, cur.provider_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    v.version = cur.version + 1;
    *out = v;
    return 0;
}

int conformity_list(struct ctx *ctx, int64_t pool_id, const char *status, const struct page_req *p,
                    struct conformity_test **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    if (pool_id && pool_visible(ctx, pool_id) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (resource_store_test_list(ctx, root, depth, pool_id, status, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

/* ---------- the catalogue of conformant resources ---------- */

static void decref(void *p)
{
    json_decref(p);
}

int resource_catalogue_publish(struct ctx *ctx, int64_t *edition_number, int *n_items)
{
    struct catalogue_row *rows;
    struct institution me;
    struct edition ed;
    char when[40];
    int n, number;
    if (ctx_tx_begin(ctx) < 0 || institution_get(ctx, ctx->caller.institution_id, &me) < 0 ||
        resource_store_catalogue(ctx, ctx->caller.institution_id, &rows, &n) < 0 ||
        catalogue_next_number(ctx, "resources", &number) < 0)
        return fail(ctx);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        const struct catalogue_row *r = &rows[i];
        json_array_append_new(
            items,
            json_pack("{s:I,s:{s:I,s:s,s:s},s:s,s:s,s:s,s:s,s:I,s:s,s:i,s:{s:I,s:I,s:s,s:s,s:s}}",
                      "pool_id", (json_int_t)r->pool.id, "provider", "id",
                      (json_int_t)r->pool.provider_id, "name", r->pool.provider_name, "uscc",
                      r->provider_uscc, "name", r->pool.name, "kind", r->pool.kind, "unit",
                      r->pool.unit, "specification", r->pool.specification, "capacity",
                      (json_int_t)r->pool.capacity, "region", r->pool.region, "security_level",
                      (int)r->pool.security_level, "conformity_test", "id", (json_int_t)r->test_id,
                      "evaluator_id", (json_int_t)r->evaluator_id, "evaluator", r->evaluator_name,
                      "tested_on", r->tested_on, "report_ref", r->report_ref));
    }
    time_format(time_now_ms(), when, sizeof(when));
    json_t *body = json_pack("{s:s,s:i,s:s,s:{s:I,s:s,s:s},s:o}", "catalogue", "resources",
                             "edition", number, "published_at", when, "publisher", "id",
                             (json_int_t)me.id, "name", me.name, "uscc", me.uscc, "items", items);
    arena_defer(ctx->arena, decref, body);
    char *txt = json_dumps(body, JSON_COMPACT | JSON_SORT_KEYS);
    const char *signed_text = arena_strdup(ctx->arena, txt);
    free(txt);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "edition", arena_printf(ctx->arena, "%d", number));
    audit_note(ch, "items", arena_printf(ctx->arena, "%d", n));
    struct audit_checkpoint cp;
    if (catalogue_store_edition(ctx, "resources", signed_text, n, &ed) < 0 ||
        audit_append(ctx, "catalogue.publish", "catalogue_edition", ed.id, me.id, ch) < 0 ||
        audit_checkpoint_publish(ctx, "catalogue:resources", &cp) < 0 || ctx_tx_commit(ctx) < 0)
        return fail(ctx);
    /* The edition is out; a checkpoint file that cannot be written is logged and catches up
     * at the next export. */
    if (audit_checkpoint_export(ctx) < 0)
        err_clear(&ctx->err);
    *edition_number = ed.number;
    *n_items = n;
    return 0;
}
