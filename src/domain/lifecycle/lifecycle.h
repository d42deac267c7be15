/*
 * lifecycle.h - lifecycles as data (T5-3.4): an entity describes its transitions in one table
 * (action, from-states, to-state, who may act, permission, guards, refusal rule) and one engine
 * walks it: lifecycle_act loads the object, checks the transition, applies it, records it (who,
 * when, why), audits and commits in one transaction; lifecycle_actions answers, with the same
 * table and guards and without writing, which transitions the caller may take now.
 *
 * The engine knows nothing of any entity: the entity gives it a struct lifecycle of callbacks
 * over its own struct (load, state, save, record) and its transition table. It must not learn
 * entity rules; those are the guards, one named function per rule, each refusing with its own
 * stable rule code and the figures it speaks of (err_param_*).
 */
#ifndef EGOV_LIFECYCLE_H
#define EGOV_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct ctx;
struct audit_changes;

/* The caller's relations to an object; a transition names the relations that may take it. */
enum lc_party {
    LC_PROVIDER = 1u << 0,   /* the provider that owns the object (or delivers the order) */
    LC_AGENCY = 1u << 1,     /* the user agency that ordered it */
    LC_MANAGEMENT = 1u << 2, /* a management institution whose jurisdiction holds the object */
    LC_EVALUATOR = 1u << 3,  /* the evaluation agency assigned to it */
};
#define LC_ANYONE 0u /* no relation needed beyond seeing the object and the permission */

#define LC_MAX_GUARDS 6

/* What the caller sends with an action: the reason recorded with the transition ("" none)
 * and the entity's own body (e.g. struct order_decision), for apply. */
struct lc_input {
    const char *reason;
    const void *arg;
};

/* A guard: 0 when its rule holds for obj, else -1 with ctx->err a refusal (ERR_CONFLICT or
 * ERR_FORBIDDEN, a rule code, params). Reads only: actions are computed with it. */
typedef int lc_guard_fn(struct ctx *ctx, const void *obj);
/* The effects of a transition besides the state (dates, allocations, the budget): works on obj
 * (already a copy of cur with the new state), may still refuse, and adds its notes to ch. */
typedef int lc_apply_fn(struct ctx *ctx, void *obj, const void *cur, const struct lc_input *in,
                        struct audit_changes *ch);

struct lc_transition {
    const char *action;       /* the verb, as the API and `actions` name it */
    const char *const *from;  /* the states it leaves, NULL-terminated */
    const char *to;           /* the state it enters */
    unsigned parties;         /* LC_* bits: who may act (LC_ANYONE: any who may see it) */
    int manual;               /* 1: listed in actions, but its own service function applies it */
    const char *permission;   /* what the acting person must hold (org_may) */
    const char *rule;         /* the refusal's rule code when the state is not in from */
    const char *refusal;      /* its message; the first "%s" becomes the current state */
    const char *audit_action; /* e.g. "product.submit" */
    lc_guard_fn *guards[LC_MAX_GUARDS]; /* checked in order after the state */
    lc_apply_fn *apply;                 /* NULL: the state alone changes */
};

struct lifecycle {
    const char *entity;     /* "product", "order" ... (messages) */
    const char *audit_type; /* the audit object type */
    const struct lc_transition *transitions;
    int n_transitions;
    size_t size; /* sizeof the entity's struct */
    /* Reads the object the caller may see, with what the guards need; 404 otherwise. */
    int (*load)(struct ctx *ctx, int64_t id, void *obj);
    const char *(*state)(const void *obj);
    void (*set_state)(void *obj, const char *to);
    /* The caller's LC_* relations to obj (a system caller has all). */
    unsigned (*parties)(struct ctx *ctx, const void *obj);
    /* The refusal for a caller without any of the wanted relations (ERR_FORBIDDEN, a rule). */
    int (*refuse_party)(struct ctx *ctx, const void *obj, unsigned wanted);
    /* Writes obj over cur (guarded by cur's version, 412 when it moved) and bumps obj's version. */
    int (*save)(struct ctx *ctx, void *obj, const void *cur);
    /* Appends the transition row (who and when come from ctx). */
    int (*record)(struct ctx *ctx, const void *obj, const char *from, const char *to,
                  const char *reason);
    int64_t (*id_of)(const void *obj);
    int64_t (*audit_scope)(const void *obj); /* the institution the audit record belongs to */
    /* The object's name for refusals (params "name"); NULL when it has none. */
    const char *(*name_of)(const void *obj);
};

/* The transition named action, or NULL. */
const struct lc_transition *lifecycle_find(const struct lifecycle *lc, const char *action);

/* 0 when the caller may take action on obj now; -1 with the refusal in ctx->err otherwise
 * (422 field "action" for an unknown action; 403 for a caller without the relation or the
 * permission; 409 with the transition's rule when the state does not allow it; a guard's
 * refusal). Reads only. */
int lifecycle_check(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                    const char *action);

/* The one function: in one transaction loads object id, checks action, applies it, saves,
 * records the transition (from, to, who, when, in->reason), audits and commits. out (lc->size
 * bytes) receives the object as it is now. -1 with ctx->err and nothing written on refusal. */
int lifecycle_act(struct ctx *ctx, const struct lifecycle *lc, int64_t id, const char *action,
                  const struct lc_input *in, void *out);

/* Records and audits a transition that a service function applied itself (manual ones, and
 * the first state of a new object: from ""), in the caller's open transaction. */
int lifecycle_record(struct ctx *ctx, const struct lifecycle *lc, const void *obj, const char *from,
                     const char *audit_action, const char *reason, struct audit_changes *ch);

/* A transition the caller may take in this state but that a guard refuses now (no priced
 * metric, the trial not over, the budget short): the console shows its button with the
 * reason, the program reads the rule and its figures. */
struct lc_blocked {
    const char *action, *rule, *message;
    int n_params;
    struct err_param params[ERR_MAX_PARAMS];
};

/* The actions the caller may take on obj now, in table order: *actions is an arena-owned
 * array of *n action names. When blocked is not NULL it receives the transitions whose
 * relation, permission and state allow them but a guard refuses (arena-owned, *n_blocked).
 * Refusals are not errors here; a store failure is (-1). */
int lifecycle_actions(struct ctx *ctx, const struct lifecycle *lc, const void *obj,
                      const char ***actions, int *n, struct lc_blocked **blocked, int *n_blocked);

#endif
