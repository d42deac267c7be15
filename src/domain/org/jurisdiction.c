/*
 * jurisdiction.c - who may do what, and over which institutions. This is the one written-down
 * policy of egov (docs/permissions.md is its prose): every route names one permission, and the
 * dispatcher's guard (http/access.c) asks org_may and org_access_institution, nothing else.
 *
 * Default deny: a permission missing from the table is allowed to nobody.
 */
#include <string.h>

#include "org.h"
#include "org_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/entity.h"
#include "core/banned.h"

enum kind_bit { K_M = 1, K_P = 2, K_E = 4, K_U = 8, K_ALL = 15 };
enum who { ANY_MEMBER, ADMIN_OR_POST };

static const struct policy {
    const char *perm;
    unsigned kinds;
    enum who who;
} policies[] = {
    {"institution.read", K_ALL, ANY_MEMBER},
    {"institution.write", K_M, ADMIN_OR_POST},
    {"qualification.write", K_M, ADMIN_OR_POST},
    {"relation.write", K_ALL, ADMIN_OR_POST},
    {"post.write", K_ALL, ADMIN_OR_POST},
    {"person.read", K_ALL, ANY_MEMBER},
    {"person.write", K_ALL, ADMIN_OR_POST},
    {"certificate.write", K_ALL, ADMIN_OR_POST},
    {"audit.read", K_M, ADMIN_OR_POST},
    {"audit.verify", K_M, ADMIN_OR_POST},
    {"resource.read", K_ALL, ANY_MEMBER},
    {"pool.write", K_P, ADMIN_OR_POST},
    {"allocation.write", K_P, ADMIN_OR_POST},
    {"test.assign", K_M, ADMIN_OR_POST},
    {"test.record", K_E, ADMIN_OR_POST},
    {"catalogue.publish", K_M, ADMIN_OR_POST},
    {"product.read", K_ALL, ANY_MEMBER},
    {"product.write", K_P, ADMIN_OR_POST},
    {"product.govern", K_M, ADMIN_OR_POST},
    {"price.publish", K_E, ADMIN_OR_POST},
    {"agreement.read", K_M | K_P, ANY_MEMBER},
    {"agreement.write", K_M, ADMIN_OR_POST},
    {"agreement.sign", K_M | K_P, ADMIN_OR_POST},
    /* procurement projects (T5-6.2a, T5-7.2c, T5-8.2b, T5-8.2f, T5-12.2c) */
    {"procurement.read", K_ALL, ANY_MEMBER},
    {"procurement.declare", K_M | K_U, ADMIN_OR_POST},
    {"procurement.manage", K_M, ADMIN_OR_POST},
    {"provider.bar", K_M, ADMIN_OR_POST},
    {"bid.write", K_P, ADMIN_OR_POST},
    {"project.supervise", K_E, ADMIN_OR_POST},
    {"market.read", K_M, ANY_MEMBER},
    /* orders, budgets and feedback (T5-5.3c, T5-7.2d, T5-8.2e, T5-10.2e) */
    {"order.read", K_M | K_P | K_U, ANY_MEMBER},
    {"order.apply", K_U, ADMIN_OR_POST},
    {"order.approve", K_M, ADMIN_OR_POST},
    {"order.deliver", K_P, ADMIN_OR_POST},
    {"budget.write", K_M, ADMIN_OR_POST},
    {"feedback.write", K_U | K_P, ANY_MEMBER},
    /* metering (T5-7.1) */
    {"usage.write", K_P, ADMIN_OR_POST},
    {"usage.read", K_M | K_P, ANY_MEMBER},
    /* rating, bills, settlement and budget alerts (T5-7.2e, T5-8.2c) */
    {"billing.read", K_M | K_P | K_U, ANY_MEMBER},
    {"billing.manage", K_M, ADMIN_OR_POST},
};

/* Permissions a post may carry: exactly those a non-admin can be given. */
const char *const org_grantable[] = {
    "institution.write",   "qualification.write", "relation.write",
    "post.write",          "person.write",        "certificate.write",
    "audit.read",          "audit.verify",        "pool.write",
    "allocation.write",    "test.assign",         "test.record",
    "catalogue.publish",   "product.write",       "product.govern",
    "price.publish",       "agreement.write",     "agreement.sign",
    "procurement.declare", "procurement.manage",  "provider.bar",
    "bid.write",           "project.supervise",   "order.apply",
    "order.approve",       "order.deliver",       "budget.write",
    "usage.write",         "billing.manage",      NULL,
};

const char *org_permission(int i)
{
    return i >= 0 && i < (int)(sizeof(policies) / sizeof(policies[0])) ? policies[i].perm : NULL;
}

static unsigned kind_bit(const char *kind)
{
    if (!kind)
        return 0;
    if (!strcmp(kind, "management"))
        return K_M;
    if (!strcmp(kind, "provider"))
        return K_P;
    if (!strcmp(kind, "evaluator"))
        return K_E;
    if (!strcmp(kind, "user"))
        return K_U;
    return 0;
}

bool org_caller_granted(const struct ctx *ctx, const char *perm)
{
    const char *g = ctx->caller.grants;
    size_t n = strlen(perm);
    while (g && *g) {
        const char *end = strchr(g, ',');
        size_t len = end ? (size_t)(end - g) : strlen(g);
        if (len == n && !strncmp(g, perm, n))
            return true;
        g = end ? end + 1 : NULL;
    }
    return false;
}

bool org_may(const struct ctx *ctx, const char *perm)
{
    if (ctx->caller.is_system)
        return true;
    if (!ctx->caller.person_id)
        return false;
    for (size_t i = 0; i < sizeof(policies) / sizeof(policies[0]); i++) {
        const struct policy *p = &policies[i];
        if (strcmp(p->perm, perm) != 0)
            continue;
        if (!(p->kinds & kind_bit(ctx->caller.inst_kind)))
            return false;
        return p->who == ANY_MEMBER || ctx->caller.is_admin || org_caller_granted(ctx, perm);
    }
    return false;
}

void org_scope(const struct ctx *ctx, int64_t *root, int *max_depth)
{
    if (ctx->caller.is_system) {
        *root = 0;
        *max_depth = 0;
        return;
    }
    *root = ctx->caller.institution_id;
    /* A management institution's jurisdiction is its whole subtree (T4-4.1 tiered
     * implementation); every other institution sees itself only. */
    *max_depth = kind_bit(ctx->caller.inst_kind) == K_M ? 1000 : 0;
}

int org_access_institution(struct ctx *ctx, int64_t inst_id, enum org_access mode)
{
    int64_t root;
    int depth;
    (void)mode;
    if (inst_id <= 0)
        return err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
    /* The guard of this request found it within the jurisdiction, and no transaction has
     * begun since (ctx_tx_begin forgets the guard's answer): no need to ask the store again. */
    if (ctx->scoped.kind && ctx->scoped.inst_id == inst_id)
        return 0;
    org_scope(ctx, &root, &depth);
    if (root == 0) {
        struct institution tmp;
        int rc = org_store_inst_get(ctx, inst_id, &tmp);
        if (rc < 0)
            return -1;
        return rc ? 0 : err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
    }
    int rc = org_store_in_subtree(ctx, root, inst_id, depth);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
    return 0;
}

int org_guard_institution(struct ctx *ctx, int64_t id)
{
    int64_t root;
    int depth;
    struct institution *row = arena_alloc(ctx->arena, sizeof(*row));
    org_scope(ctx, &root, &depth);
    int rc = org_store_inst_get_scoped(ctx, id, root, depth, row);
    if (rc < 0)
        return -1;
    if (!rc)
        return err_set(&ctx->err, ERR_NOT_FOUND, "institution not found");
    ctx->scoped.kind = &institution_entity;
    ctx->scoped.id = id;
    ctx->scoped.inst_id = id;
    ctx->scoped.row = row;
    return 0;
}

int org_guard_person(struct ctx *ctx, int64_t id, int64_t *inst_id)
{
    int64_t root;
    int depth;
    struct person *row = arena_alloc(ctx->arena, sizeof(*row));
    org_scope(ctx, &root, &depth);
    int rc = org_store_person_get_scoped(ctx, id, root, depth, row);
    if (rc < 0)
        return -1;
    if (!rc)
        return err_set(&ctx->err, ERR_NOT_FOUND, "person not found");
    ctx->scoped.kind = &person_entity;
    ctx->scoped.id = id;
    ctx->scoped.inst_id = row->institution_id;
    ctx->scoped.row = row;
    *inst_id = row->institution_id;
    return 0;
}

bool org_guarded(const struct ctx *ctx, const void *kind, int64_t id, size_t size, void *out)
{
    if (ctx->scoped.kind != kind || ctx->scoped.id != id)
        return false;
    memcpy(out, ctx->scoped.row, size);
    return true;
}

int org_check_independent_evaluator(struct ctx *ctx, int64_t provider_id, int64_t evaluator_id,
                                    const char *what, struct institution *ev)
{
    struct institution provider;
    bool related;
    const char *kind = NULL;
    if (!evaluator_id)
        return err_field(&ctx->err, "evaluator_id", "required", "evaluator_id is required");
    if (institution_lookup(ctx, evaluator_id, ev) < 0 || strcmp(ev->kind, "evaluator") != 0 ||
        strcmp(ev->status, "active") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_field(&ctx->err, "evaluator_id", "evaluator",
                         "tests are assigned to an active evaluation agency (服务评测机构)");
    }
    if (institution_lookup(ctx, provider_id, &provider) < 0 ||
        org_has_interest_relation(ctx, provider_id, evaluator_id, &related, &kind) < 0)
        return -1;
    if (related)
        return err_field_as(&ctx->err, ERR_CONFLICT, "evaluator_id", "interest_relation",
                            "%s has a declared %s interest relation with the provider %s and "
                            "cannot test its %s (T5-8.2f)",
                            ev->name, kind, provider.name, what);
    return 0;
}

int org_has_interest_relation(struct ctx *ctx, int64_t a, int64_t b, bool *related,
                              const char **kind)
{
    int rc = org_store_rel_between(ctx, a, b, kind);
    if (rc < 0)
        return -1;
    *related = rc == 1;
    return 0;
}
