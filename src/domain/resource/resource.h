/*
 * resource.h - service resources (GB/T 34077.5 §6): resource kinds and their units (T5-6.1),
 * provider pools with capacity, allocations to user agencies with the four operations of
 * T5-6.2b (configure, adjust, expand, release), conformity tests by an evaluator the management
 * institution assigns (T5-6.2c, independent per T5-8.2f), and the published catalogue of
 * conformant resources.
 *
 * Same contract as org.h: ctx carries the caller; writes run in one transaction with their
 * audit record; failures return -1 with ctx->err; results are arena-owned.
 */
#ifndef EGOV_RESOURCE_H
#define EGOV_RESOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;
struct entity;

/* Pools, allocations and conformity tests described as data (resource_entity.c): store rows, JSON
 * and schema. */
extern const struct entity pool_entity, allocation_entity, conformity_test_entity;

extern const char *const resource_kinds[]; /* compute storage network information
                                              application_support consulting */
extern const char *const pool_statuses[];  /* active suspended retired */

struct resource_unit {
    const char *code; /* vcpu, memory_gib, block_gib_ssd, … */
    const char *kind;
    const char *name_zh;
    const char *name_en;
};

extern const struct resource_unit resource_units[];
extern const int n_resource_units;

struct pool {
    int64_t id, provider_id;
    const char *provider_name; /* filled on read */
    const char *name, *kind, *unit, *specification, *region, *status;
    int64_t capacity, allocated;
    int64_t security_level;  /* 1..4; 64-bit because the body decoder writes JV_INT as int64_t */
    const char *latest_test; /* "", assigned, passed, failed: the newest test's state */
    int64_t created_at, updated_at;
    int version;
    int64_t n_free; /* capacity - allocated: derived, set by the handler that answers */
};

enum pool_field {
    POOL_F_PROVIDER = 1u << 0,
    POOL_F_NAME = 1u << 1,
    POOL_F_KIND = 1u << 2,
    POOL_F_UNIT = 1u << 3,
    POOL_F_SPEC = 1u << 4,
    POOL_F_CAPACITY = 1u << 5,
    POOL_F_REGION = 1u << 6,
    POOL_F_LEVEL = 1u << 7,
    POOL_F_STATUS = 1u << 8,
};

struct pool_input {
    unsigned has;
    struct pool v;
};

struct pool_filter {
    int64_t provider_id;
    const char *kind, *region, *status;
};

int pool_list(struct ctx *ctx, const struct pool_filter *f, const struct page_req *p,
              struct pool **items, int *n, struct page_info *info);
int pool_get(struct ctx *ctx, int64_t id, struct pool *out);
int pool_create(struct ctx *ctx, const struct pool_input *in, struct pool *out);
int pool_update(struct ctx *ctx, int64_t id, int if_match, const struct pool_input *in,
                struct pool *out);
/*
 * The pool's lifecycle (T5-3.4, the table in resource.c): the provider suspends an active pool
 * (nothing new is allocated from it), resumes a suspended one, and retires a pool that holds no
 * allocation (retired is final). A PATCH of status takes the same transitions. Every change of
 * state is recorded with who, when and why (pool_history) and audited.
 */
int pool_act(struct ctx *ctx, int64_t id, const char *action, const char *reason, struct pool *out);
/* The lifecycle actions the caller may take on p now; arena-owned names. */
int pool_actions(struct ctx *ctx, const struct pool *p, const char ***actions, int *n);
struct lifecycle;
extern const struct lifecycle pool_lifecycle;
/* The T5-3.4 stage of a pool state: "release_operation" (active, suspended) or "offline". */
const char *pool_lifecycle_stage(const char *status);

struct pool_transition {
    int64_t id, pool_id, by_person, by_institution, at;
    const char *from_state, *to_state, *reason;
};
int pool_history(struct ctx *ctx, int64_t id, struct pool_transition **items, int *n);

/* 0 when the caller may see the pool (its provider is in their jurisdiction, or they test it or
 * use it); ERR_NOT_FOUND otherwise. For the route guard. */
int pool_access(struct ctx *ctx, int64_t id);
/* The institution that owns a pool (0 when absent), for the route guard. */
int pool_provider_of(struct ctx *ctx, int64_t pool_id, int64_t *provider_id);

/* The service levels allocations are delivered at and prices are graded by (GB/T 34077.2),
 * NULL-terminated, in their order; "standard" is the default. */
extern const char *const service_levels[];

struct allocation {
    int64_t id, pool_id, user_id;
    const char *user_uscc; /* on input: names the user agency instead of user_id */
    const char *user_name; /* filled on read */
    const char *application, *status, *use_by, *first_used_on;
    const char *service_level; /* one of service_levels; NULL on input means "standard" */
    int64_t quantity;
    bool reclaimable; /* unused past use_by */
    int64_t created_at, updated_at;
    /* Usage is accepted from service_start on: the creation, or an earlier time stated with a
     * reason for a service migrated onto the platform (0: none stated). */
    int64_t service_start;
    int64_t service_start_at; /* service_start, or created_at when none was stated (answered) */
    const char *service_start_reason;
    int version;
};

struct allocation_filter {
    int64_t pool_id, user_id;
    const char *status;
    bool reclaimable_only;
};

/* configure: a new allocation of quantity units of the pool for a user agency, at a service
 * level (standard when not given). */
int allocation_configure(struct ctx *ctx, int64_t pool_id, const struct allocation *in,
                         struct allocation *out);
/* op "adjust" sets the quantity, "expand" adds to it, "release" frees it all. Capacity is never
 * exceeded, also when requests race for the last units. */
int allocation_change(struct ctx *ctx, int64_t pool_id, int64_t id, const char *op,
                      int64_t quantity, const char *reason, struct allocation *out);
/*
 * The same two operations for the order module (T5-6.2b: the provider delivers and changes
 * what a user agency ordered), inside the caller's open transaction: the same validation,
 * capacity rule, event and audit record, but neither a transaction of their own nor the
 * "own pool" check - the caller has decided who may act (the order's provider delivers, the
 * order's user agency releases). On failure the caller rolls back.
 */
int allocation_configure_in_tx(struct ctx *ctx, int64_t pool_id, const struct allocation *in,
                               struct allocation *out);
int allocation_change_in_tx(struct ctx *ctx, int64_t pool_id, int64_t id, const char *op,
                            int64_t quantity, const char *reason, struct allocation *out);
/* Reads a pool whatever the caller's visibility: a user agency orders capacity of a pool it
 * does not use yet. ERR_NOT_FOUND when absent. */
int pool_lookup(struct ctx *ctx, int64_t id, struct pool *out);
/* Records the first use (so it is not flagged for reclamation). */
int allocation_mark_used(struct ctx *ctx, int64_t pool_id, int64_t id, const char *date,
                         struct allocation *out);
/* States that the service of an allocation started before its creation (a service migrated onto
 * the platform; issue 12): start (RFC 3339) must lie before created_at and the reason must not be
 * blank (422 naming the field). Only the provider of the pool; audited. */
int allocation_set_service_start(struct ctx *ctx, int64_t pool_id, int64_t id, const char *start,
                                 const char *reason, struct allocation *out);
int allocation_list(struct ctx *ctx, const struct allocation_filter *f, const struct page_req *p,
                    struct allocation **items, int *n, struct page_info *info);

struct conformity_test {
    int64_t id, pool_id, evaluator_id, assigned_by;
    const char *evaluator_name, *pool_name; /* filled on read */
    int64_t provider_id;                    /* filled on read */
    const char *status, *findings, *report_ref, *tested_on;
    int64_t created_at, updated_at;
    int version;
};

/* Management assigns an evaluator; refused (409) when it has a declared interest relation with
 * the pool's provider (T5-8.2f) or is not an evaluator. */
int conformity_assign(struct ctx *ctx, int64_t pool_id, int64_t evaluator_id,
                      struct conformity_test *out);
/* The assigned evaluator records the result once: passed or failed, findings, report, date. */
int conformity_record(struct ctx *ctx, int64_t id, const struct conformity_test *in,
                      struct conformity_test *out);
int conformity_list(struct ctx *ctx, int64_t pool_id, const char *status, const struct page_req *p,
                    struct conformity_test **items, int *n, struct page_info *info);
int conformity_get(struct ctx *ctx, int64_t id, struct conformity_test *out);

/* Publishes a new edition of the catalogue of conformant resources of the caller's
 * jurisdiction: active pools whose newest conformity test passed. */
int resource_catalogue_publish(struct ctx *ctx, int64_t *edition_number, int *n_items);

#endif
