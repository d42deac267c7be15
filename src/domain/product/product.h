/*
 * product.h - service products (GB/T 34077.5 §7): a provider's product in one of the five
 * categories (T5-7.2d), made of its resource pools, quantifiable, measurable and priceable
 * through metrics with list prices in fen (T5-7.1); the lifecycle manufacture → test → launch →
 * use → offline (T5-7.2b, T5-3.4) with every transition recorded; tests by independent
 * evaluators before launch (T5-7.2e, T5-8.2f); the price basis evaluators publish with validity
 * periods (T5-7.2e); recommendation and elimination by management (T5-7.2a); manuals and
 * training (T5-8.2d); the published catalogue of qualified products (T5-7.2c).
 *
 * States and the standard's lifecycle (T5-3.4):
 *   draft                           产生 creation
 *   submitted, testing, passed,     规划设计 planning & design (including the test before
 *   failed                          launch)
 *   online                          发布 release → 交付 delivery → 运行 operation
 *   offline, eliminated             下线 offline
 */
#ifndef EGOV_PRODUCT_H
#define EGOV_PRODUCT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

extern const char *const product_categories[];
extern const char *const product_states[];

/* The stage of T5-3.4 a state belongs to ("creation", "planning_design", "release_operation",
 * "offline"). */
const char *product_lifecycle_stage(const char *state);

struct product {
    int64_t id, provider_id;
    const char *provider_name;
    const char *name, *category, *description, *state, *region;
    bool recommended;
    const char *recommend_note, *eliminate_note;
    const char *latest_test;      /* "", assigned, passed, failed */
    const char *candidate_reason; /* for elimination candidates: failed_retest or unused */
    int64_t *pool_ids;
    int n_pools;
    int64_t created_at, updated_at;
    int version;
};

enum product_field {
    PRODUCT_F_NAME = 1u << 0,
    PRODUCT_F_CATEGORY = 1u << 1,
    PRODUCT_F_DESCRIPTION = 1u << 2,
    PRODUCT_F_REGION = 1u << 3,
    PRODUCT_F_POOLS = 1u << 4,
};

struct product_input {
    unsigned has;
    struct product v;
};

struct product_filter {
    int64_t provider_id;
    const char *category, *state, *q;
    int recommended; /* -1 any */
};

int product_list(struct ctx *ctx, const struct product_filter *f, const struct page_req *p,
                 struct product **items, int *n, struct page_info *info);
int product_get(struct ctx *ctx, int64_t id, struct product *out);
int product_access(struct ctx *ctx, int64_t id);
int product_create(struct ctx *ctx, const struct product_input *in, struct product *out);
int product_update(struct ctx *ctx, int64_t id, int if_match, const struct product_input *in,
                   struct product *out);

/* Lifecycle actions: "submit", "launch", "withdraw", "revise" (the provider), "eliminate"
 * (management, reason required). Each refusal says which state allows it. */
int product_act(struct ctx *ctx, int64_t id, const char *action, const char *reason,
                struct product *out);
/* The lifecycle actions the caller may take on p now (the table in product.c, the same guards
 * as product_act, no writes): *actions is an arena-owned array of *n names. */
int product_actions(struct ctx *ctx, const struct product *p, const char ***actions, int *n);
struct lifecycle;
extern const struct lifecycle product_lifecycle;
int product_recommend(struct ctx *ctx, int64_t id, bool recommended, const char *note,
                      struct product *out);

struct product_transition {
    int64_t id, product_id, by_person, by_institution, at;
    const char *from_state, *to_state, *reason;
};
int product_history(struct ctx *ctx, int64_t id, struct product_transition **items, int *n);

struct metric {
    int64_t id, product_id, list_price_fen, created_at;
    const char *name, *unit, *method;
};
int metric_add(struct ctx *ctx, int64_t product_id, const struct metric *in, struct metric *out);
int metric_list(struct ctx *ctx, int64_t product_id, struct metric **items, int *n);

struct product_test {
    int64_t id, product_id, evaluator_id, assigned_by, provider_id;
    const char *product_name, *evaluator_name, *status, *findings, *report_ref, *tested_on;
    int64_t created_at, updated_at;
};
int product_test_assign(struct ctx *ctx, int64_t product_id, int64_t evaluator_id,
                        struct product_test *out);
int product_test_record(struct ctx *ctx, int64_t id, const struct product_test *in,
                        struct product_test *out);
int product_test_list(struct ctx *ctx, int64_t product_id, const char *status,
                      const struct page_req *p, struct product_test **items, int *n,
                      struct page_info *info);

#define PRICE_TIER_SCALE 6 /* tier_from: millionths of the metric's unit */
#define PRICE_UNIT_SCALE 4 /* unit_price: ten-thousandths of a fen */
#define MAX_PRICE_RATES  30

/* One graduated tier of a service level: the part of a bill line's monthly quantity from
 * tier_from up to the next tier's start costs unit_price per unit. On input the two numbers
 * arrive as exact decimal text (tier_from_text in units, unit_price_text in fen); the service
 * parses them. On output both the integers and the texts are filled. */
struct price_rate {
    const char *service_level;
    const char *tier_from_text, *unit_price_text;
    int64_t tier_from, unit_price;
};

struct price_basis {
    int64_t id, metric_id, evaluator_id, price_fen, published_at;
    const char *metric_name, *unit, *measurement, *valid_from, *valid_to, *evaluator_name;
    struct price_rate *rates; /* arena-owned, sorted by level (enum order) then tier_from */
    int n_rates;
};
/* An evaluator that tested the product publishes a price basis for one of its metrics; periods
 * of one metric never overlap (409). Optional rates (T5-7.2e graded prices): each a level of
 * service_levels, tiers of a level starting at 0 and distinct, "standard" present, at most
 * MAX_PRICE_RATES; field errors name rates[i].field. Stored with the basis in one transaction. */
int price_basis_publish(struct ctx *ctx, int64_t product_id, int64_t metric_id,
                        const struct price_basis *in, struct price_basis *out);
/*
 * Issue 12: a price basis whose valid_from lies before the first day of the current month (CST)
 * would re-price months that may be billed. price_basis_publish refuses it (409 field valid_from,
 * rule price_backdated) unless management of the provider's
 * jurisdiction has recorded why with price_backdating_grant: valid_from a date before the
 * current month, reason of at least 4 characters (white space does not count). Audited; each
 * record allows one basis of that metric from valid_from on. Issued bills never change.
 */
struct price_backdating {
    int64_t id, metric_id, management_id, granted_by, created_at;
    const char *valid_from, *reason;
};
int price_backdating_grant(struct ctx *ctx, int64_t product_id, int64_t metric_id,
                           const struct price_backdating *in, struct price_backdating *out);
/* The first day of the current month in China Standard Time, YYYY-MM-DD (arena-owned). */
const char *price_month_start(struct ctx *ctx);
/* For each metric, the price basis in force on date (metrics without one are left out), with
 * its rates; without a date every basis of the product. */
int price_in_force(struct ctx *ctx, int64_t product_id, const char *date,
                   struct price_basis **items, int *n);

struct product_document {
    int64_t id, product_id, created_at;
    const char *kind, *title, *content, *session_date;
};
int document_add(struct ctx *ctx, int64_t product_id, const struct product_document *in,
                 struct product_document *out);
int document_list(struct ctx *ctx, int64_t product_id, struct product_document **items, int *n);

/* Candidates for elimination: online or offline products whose newest recorded test failed,
 * and online products that no agreement in force has covered for elimination_idle_months. */
int product_elimination_candidates(struct ctx *ctx, struct product **items, int *n);

/* The catalogue of qualified products of the caller's jurisdiction: online products with their
 * metrics and the price basis in force on the day of publication. */
int product_catalogue_publish(struct ctx *ctx, int64_t *edition_number, int *n_items);

#endif
