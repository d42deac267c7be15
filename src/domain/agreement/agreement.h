/*
 * agreement.h - service agreements between a management institution and a provider
 * (T5-8.2a). An agreement holds the nine clauses of the standard as structured sections:
 * responsibilities of both parties, service content (linked products and resource pools),
 * quality assessment standards (monthly availability and response / resolution minutes per
 * incident severity), security and confidentiality, liability for breach, dispute handling,
 * intellectual-property ownership, performance assessment, and fee payment.
 *
 * A draft may be incomplete; signing is refused until every clause is present and valid, and
 * the refusal names each missing one. Both parties sign, each through a person whose post (or
 * administrator role) carries agreement.sign; then the text is immutable. Amendments make a new
 * version that supersedes the old one when it is signed. Breaches are recorded against it.
 */
#ifndef EGOV_AGREEMENT_H
#define EGOV_AGREEMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

#define AGREEMENT_CLAUSES 9
extern const char *const agreement_clause_names[AGREEMENT_CLAUSES + 1];
extern const char *const agreement_states[];

struct agreement {
    int64_t id, management_id, provider_id, previous_id;
    const char *management_name, *provider_name;
    const char *title, *state, *valid_from, *valid_to;
    int number;
    const char *clause[AGREEMENT_CLAUSES];
    int64_t availability_bp;                        /* 9995 = 99.95 % per month */
    int64_t *response_minutes, *resolution_minutes; /* per severity 1..4 */
    int n_response, n_resolution;
    int64_t *product_ids, *pool_ids;
    int n_products, n_pools;
    int64_t management_signer, provider_signer;
    int64_t management_signed_at, provider_signed_at;
    int64_t created_at, updated_at;
    int version;
};

enum agreement_field {
    AGR_F_PROVIDER = 1u << 0,
    AGR_F_TITLE = 1u << 1,
    AGR_F_VALID_FROM = 1u << 2,
    AGR_F_VALID_TO = 1u << 3,
    AGR_F_AVAILABILITY = 1u << 4,
    AGR_F_RESPONSE = 1u << 5,
    AGR_F_RESOLUTION = 1u << 6,
    AGR_F_PRODUCTS = 1u << 7,
    AGR_F_POOLS = 1u << 8,
    AGR_F_CLAUSE0 = 1u << 9, /* clause i is bit 9 + i */
};

struct agreement_input {
    unsigned has;
    struct agreement v;
};

struct agreement_filter {
    int64_t provider_id;
    const char *state;
    const char *expiring_before; /* in force and valid_to before this date */
};

int agreement_access(struct ctx *ctx, int64_t id);
int agreement_get(struct ctx *ctx, int64_t id, struct agreement *out);
int agreement_list(struct ctx *ctx, const struct agreement_filter *f, const struct page_req *p,
                   struct agreement **items, int *n, struct page_info *info);
int agreement_create(struct ctx *ctx, const struct agreement_input *in, struct agreement *out);
int agreement_update(struct ctx *ctx, int64_t id, int if_match, const struct agreement_input *in,
                     struct agreement *out);
/* The caller signs for its institution (management or provider). */
int agreement_sign(struct ctx *ctx, int64_t id, struct agreement *out);
/* A new draft version of an agreement in force, with the same content. */
int agreement_amend(struct ctx *ctx, int64_t id, struct agreement *out);

/* The periodic job (jobs/jobs.c), inside the caller's transaction: every agreement in force
 * whose period ended before today becomes `expired`, audited. *n receives how many. */
int agreement_expire_due(struct ctx *ctx, int *n);

struct breach {
    int64_t id, agreement_id, recorded_by, created_at;
    const char *clause, *facts, *evidence, *liability, *occurred_on;
};
/* Breaches described as data (agreement_entity.c): store rows, JSON and schema. */
struct entity;
extern const struct entity breach_entity;
int breach_record(struct ctx *ctx, int64_t agreement_id, const struct breach *in,
                  struct breach *out);
int breach_list(struct ctx *ctx, int64_t agreement_id, struct breach **items, int *n);

#endif
