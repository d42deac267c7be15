/*
 * lifecycle.c - the engine that walks an entity's transition table: one check (relation,
 * permission, state, guards) used both to refuse and to list the caller's actions, and one
 * function that applies a transition in one transaction. It holds no entity rule; see
 * lifecycle.h and docs/architecture.md "Lifecycles".
 */
#include <stdio.h>
#include <string.h>

#include "lifecycle.h"
#include "app.h"
#include "core/arena.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "core/banned.h"

const struct lc_transition *lifecycle_find(const struct lifecycle *lc, const char *action)
{
    for (int i = 0; action && i < lc->n_transitions; i++)
        if (!strcmp(lc->transitions[i].action, action))
            return &lc->transitions[i];
    return NULL;
}

static int state_allows(const struct lc_transition *t, const char *state)
{
    for (int i = 0; t->from[i]; i++)
        if (!strcmp(t->from[i], state))
            return 1;
    return 0;
}

/* The transition's refusal message with the current state in place of the first "%s" (the
 * table's text is data, never a format string). */
static void refuse_state(struct ctx *ctx, const struct lc_transition *t, const char *state)
{
    char msg[256];
    const char *mark = strstr(t->refusal, "%s");
    if (mark)
        snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(mark - t->refusal), t->refusal, state,
                 mark + 2);
    else
        snprintf(msg, sizeof(msg), "%s", t->refusal);
    err_rule(&ctx->err, ERR_CONFLICT, t->rule, "%s", msg);
    err_param_str(&ctx->err, "state", state);
    err_param_str(&ctx->err, "action", t->action);
}

/* Refusals name the object they speak of, for the console's sentence. */
static void name_param(struct ctx *ctx, const struct lifecycle *lc, const void *obj)
{
    if (lc->name_of && lc->name_of(obj))
        err_param_str(&ctx->err, "name", lc->name_of(obj));
}

/* The relation, the permission and the state: 0 when they allow t, -1 with the refusal. */
static int allowed(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                   const struct lc_transition *t)
{
    if (t->parties && !ctx->caller.is_system && !(lc->parties(ctx, obj) & t->parties)) {
        lc->refuse_party(ctx, obj, t->parties);
        name_param(ctx, lc, obj);
        return err_param_str(&ctx->err, "action", t->action);
    }
    if (t->permission && !org_may(ctx, t->permission)) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "permission", "%s of a %s needs the permission %s",
                 t->action, lc->entity, t->permission);
        err_param_str(&ctx->err, "permission", t->permission);
        return err_param_str(&ctx->err, "action", t->action);
    }
    if (!state_allows(t, lc->state(obj))) {
        refuse_state(ctx, t, lc->state(obj));
        name_param(ctx, lc, obj);
        return -1;
    }
    return 0;
}

/* The transition's guards in order: 0, or -1 with the first refusal. */
static int guarded(struct ctx *ctx, const void *obj, const struct lc_transition *t)
{
    for (int i = 0; i < LC_MAX_GUARDS && t->guards[i]; i++)
        if (t->guards[i](ctx, obj) < 0)
            return -1;
    return 0;
}

static int check(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                 const struct lc_transition *t)
{
    return allowed(ctx, lc, obj, t) < 0 ? -1 : guarded(ctx, obj, t);
}

int lifecycle_check(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                    const char *action)
{
    const struct lc_transition *t = lifecycle_find(lc, action);
    if (!t)
        return err_field(&ctx->err, "action", "enum", "unknown action %s of a %s",
                         action ? action : "(none)", lc->entity);
    return check(ctx, lc, obj, t);
}

int lifecycle_record(struct ctx *ctx, const struct lifecycle *lc, const void *obj, const char *from,
                     const char *audit_action, const char *reason, struct audit_changes *ch)
{
    const char *to = lc->state(obj);
    if (!ch)
        ch = audit_changes_new(ctx);
    audit_change_str(ch, "state", from, to);
    if (reason && *reason)
        audit_note(ch, "reason", reason);
    /* T5-3.4: every change of state is kept with who, when and why. */
    if (strcmp(from, to) != 0 && lc->record(ctx, obj, from, to, reason ? reason : "") < 0)
        return -1;
    return audit_append(ctx, audit_action, lc->audit_type, lc->id_of(obj), lc->audit_scope(obj),
                        ch);
}

static int fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

int lifecycle_act(struct ctx *ctx, const struct lifecycle *lc, int64_t id, const char *action,
                  const struct lc_input *in, void *out)
{
    static const struct lc_input none = {"", NULL};
    const struct lc_transition *t = lifecycle_find(lc, action);
    if (!in)
        in = &none;
    if (!t || t->manual)
        return err_field(&ctx->err, "action", "enum", "unknown action %s of a %s",
                         action ? action : "(none)", lc->entity);
    void *cur = arena_alloc(ctx->arena, lc->size);
    if (ctx_tx_begin(ctx) < 0 || lc->load(ctx, id, cur) < 0 || check(ctx, lc, cur, t) < 0)
        return fail(ctx);
    const char *from = lc->state(cur);
    memcpy(out, cur, lc->size);
    lc->set_state(out, t->to);
    struct audit_changes *ch = audit_changes_new(ctx);
    if ((t->apply && t->apply(ctx, out, cur, in, ch) < 0) || lc->save(ctx, out, cur) < 0 ||
        lifecycle_record(ctx, lc, out, from, t->audit_action, in->reason, ch) < 0 ||
        ctx_tx_commit(ctx) < 0) {
        memcpy(out, cur, lc->size);
        return fail(ctx);
    }
    return 0;
}

/* Refusals answer "not now"; anything else (the store failed) is an error of the listing. */
static int is_refusal(enum err_kind kind)
{
    return kind == ERR_FORBIDDEN || kind == ERR_CONFLICT || kind == ERR_INVALID ||
           kind == ERR_NOT_FOUND;
}

int lifecycle_actions(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                      const char ***actions, int *n, struct lc_blocked **blocked, int *n_blocked)
{
    size_t cap = (size_t)lc->n_transitions + 1;
    const char **list = arena_alloc(ctx->arena, sizeof(*list) * cap);
    struct lc_blocked *b = blocked ? arena_alloc(ctx->arena, sizeof(*b) * cap) : NULL;
    *n = 0;
    if (n_blocked)
        *n_blocked = 0;
    for (int i = 0; i < lc->n_transitions; i++) {
        const struct lc_transition *t = &lc->transitions[i];
        int in_reach = allowed(ctx, lc, obj, t) == 0;
        if (in_reach && guarded(ctx, obj, t) == 0) {
            list[(*n)++] = t->action;
            continue;
        }
        if (!is_refusal(ctx->err.kind))
            return -1;
        if (in_reach && b) {
            struct lc_blocked *x = &b[(*n_blocked)++];
            x->action = t->action;
            x->rule = arena_strdup(ctx->arena,
                                   ctx->err.rule[0] ? ctx->err.rule : ctx->err.fields[0].rule);
            x->message = arena_strdup(ctx->arena, ctx->err.message);
            x->n_params = ctx->err.n_params;
            memcpy(x->params, ctx->err.params, sizeof(x->params));
        }
        err_clear(&ctx->err);
    }
    list[*n] = NULL;
    *actions = list;
    if (blocked)
        *blocked = b;
    return 0;
}
