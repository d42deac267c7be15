/*
 * org.h - institutions and people (the first element of the standard, T5-4, T5-5): the four
 * kinds of institution in their jurisdiction tree, their qualifications and declared interest
 * relations, posts with duties, people in the two teams, and their certificates.
 *
 * Every function takes the request context, reads the caller from it, applies the rules and
 * the jurisdiction (see jurisdiction.c), runs in one transaction for writes, audits each change,
 * and on failure returns -1 with ctx->err filled. Returned strings and arrays are arena-owned.
 */
#ifndef EGOV_ORG_H
#define EGOV_ORG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;
struct entity;

/* The entities below described as data (org_entity.c): store rows, JSON and schemas. */
extern const struct entity institution_entity, institution_brief_entity, qualification_entity,
    relation_entity, post_entity, person_entity, certificate_entity;

/* ---------- enumerations (text in the store and the API) ---------- */
extern const char *const org_kinds[];    /* management provider evaluator user */
extern const char *const org_levels[];   /* central provincial municipal county */
extern const char *const org_statuses[]; /* active suspended revoked */
extern const char *const org_teams[];    /* administrative technical */
extern const char *const org_qualification_kinds[];
extern const char *const org_relation_kinds[];
extern const char *const org_grantable[]; /* permissions a post may grant */

/* Index of s in a NULL-terminated list, or -1. */
int org_enum_index(const char *const *list, const char *s);

/* ---------- institutions ---------- */
struct institution {
    int64_t id;
    const char *uscc;
    const char *uscc_exception; /* justification for a code that fails the national check */
    const char *name;
    const char *kind;
    const char *level;
    int64_t parent_id; /* 0 for the root */
    const char *region;
    const char *contact_name;
    const char *contact_phone;
    const char *contact_email;
    const char *address;
    const char *timezone;
    const char *status;
    int64_t created_at, updated_at;
    int version;
};

enum institution_field {
    INST_F_USCC = 1u << 0,
    INST_F_USCC_EXCEPTION = 1u << 1,
    INST_F_NAME = 1u << 2,
    INST_F_KIND = 1u << 3,
    INST_F_LEVEL = 1u << 4,
    INST_F_PARENT = 1u << 5,
    INST_F_REGION = 1u << 6,
    INST_F_CONTACT_NAME = 1u << 7,
    INST_F_CONTACT_PHONE = 1u << 8,
    INST_F_CONTACT_EMAIL = 1u << 9,
    INST_F_ADDRESS = 1u << 10,
    INST_F_TIMEZONE = 1u << 11,
    INST_F_STATUS = 1u << 12,
};

/* Fields present in a create or PATCH body: `has` says which members of `v` were given. */
struct institution_input {
    unsigned has;
    struct institution v;
};

struct institution_filter {
    const char *kind; /* NULL = any */
    const char *level;
    const char *status;
    const char *region; /* prefix match on the GB/T 2260 code */
    const char *q;      /* substring of name or credit code */
    int64_t parent_id;  /* 0 = any */
    int64_t within_id;  /* 0 = any; else only the subtree of this institution */
};

int institution_list(struct ctx *ctx, const struct institution_filter *f, const struct page_req *p,
                     struct institution **items, int *n, struct page_info *info);
/* ERR_NOT_FOUND when absent or outside what the caller may see. */
int institution_get(struct ctx *ctx, int64_t id, struct institution *out);
/* Reads an institution whatever the caller's jurisdiction: for references that cross it (the
 * user agency of an allocation, an evaluator, a related party). ERR_NOT_FOUND when absent. */
int institution_lookup(struct ctx *ctx, int64_t id, struct institution *out);
/* The same by unified social credit code (the public identity of an institution). */
int institution_lookup_uscc(struct ctx *ctx, const char *uscc, struct institution *out);
int institution_create(struct ctx *ctx, const struct institution_input *in,
                       struct institution *out);
/* if_match < 0: no precondition. */
int institution_update(struct ctx *ctx, int64_t id, int if_match,
                       const struct institution_input *in, struct institution *out);
int institution_delete(struct ctx *ctx, int64_t id, int if_match);
/* The root management institution, created by `egov init` (system caller only). */
int institution_create_root(struct ctx *ctx, const struct institution_input *in,
                            struct institution *out);

/* ---------- jurisdiction (jurisdiction.c): the one place that says who sees what ---------- */
enum org_access { ORG_SEE, ORG_MANAGE };
/*
 * 0 when institution inst_id lies in the caller's jurisdiction; -1 with ERR_NOT_FOUND when it
 * does not (a caller never learns that something outside it exists). Management institutions
 * have their whole subtree; every other institution has only itself. What the caller may do
 * there is org_may's answer.
 */
int org_access_institution(struct ctx *ctx, int64_t inst_id, enum org_access mode);
/*
 * The dispatcher's guard for a path that names an institution or a person (item 6 of issue 11:
 * one visibility query per request): loads it within the caller's jurisdiction in one query
 * and keeps it in ctx->scoped, so that institution_get / person_get and org_access_institution
 * of this request read no more until a transaction begins. ERR_NOT_FOUND when absent or
 * outside. org_guard_person gives the person's institution.
 */
int org_guard_institution(struct ctx *ctx, int64_t id);
int org_guard_person(struct ctx *ctx, int64_t id, int64_t *inst_id);
/* Copies the guard's row of kind (an entity descriptor) and id into out (size bytes); false
 * when the guard did not load it or a transaction has begun since. */
bool org_guarded(const struct ctx *ctx, const void *kind, int64_t id, size_t size, void *out);
/* The caller's visibility as a subtree: root 0 = everything; max_depth 0 = root only. */
void org_scope(const struct ctx *ctx, int64_t *root, int *max_depth);
/* True when the caller's institution kind and admin flag or posts give permission perm
 * (default deny; the table is in jurisdiction.c and docs/permissions.md). */
bool org_may(const struct ctx *ctx, const char *perm);
/* The i-th permission of the policy table; NULL past the end. */
const char *org_permission(int i);
/* True when the caller holds permission perm through a post (see posts' grants). */
bool org_caller_granted(const struct ctx *ctx, const char *perm);
/* True when a and b have a declared interest relation in either direction (T5-8.2f). */
int org_has_interest_relation(struct ctx *ctx, int64_t a, int64_t b, bool *related,
                              const char **kind);

/*
 * T5-8.2f in one place: evaluator_id must be an active evaluation agency with no declared
 * interest relation with provider_id. 0 and *ev filled, or -1: a field error on evaluator_id
 * (rule "evaluator", or ERR_CONFLICT with rule "interest_relation" naming the relation and both
 * parties). what completes "cannot test its …" in the message.
 */
int org_check_independent_evaluator(struct ctx *ctx, int64_t provider_id, int64_t evaluator_id,
                                    const char *what, struct institution *ev);

/* ---------- qualifications (T5-11.2a) ---------- */
struct qualification {
    int64_t id, institution_id;
    const char *kind, *grade, *certificate_no, *issuer, *valid_from, *valid_to;
    int64_t created_at, updated_at;
    int version;
};

struct qualification_filter {
    int64_t institution_id; /* 0 = all visible */
    const char *kind;
    const char *expiring_before; /* YYYY-MM-DD: valid_to before this date */
};

int qualification_list(struct ctx *ctx, const struct qualification_filter *f,
                       const struct page_req *p, struct qualification **items, int *n,
                       struct page_info *info);
int qualification_create(struct ctx *ctx, int64_t inst_id, const struct qualification *in,
                         struct qualification *out);
int qualification_delete(struct ctx *ctx, int64_t inst_id, int64_t id);
/* True when inst_id holds a qualification of kind valid on date (YYYY-MM-DD). */
int qualification_holds(struct ctx *ctx, int64_t inst_id, const char *kind, const char *date,
                        bool *holds);

/* ---------- interest relations (T5-8.2f) ---------- */
struct interest_relation {
    int64_t id, institution_id, related_id;
    const char *related_name, *related_uscc; /* filled on read */
    const char *kind, *since, *note;
    int64_t declared_by;
    int64_t created_at;
    int version;
};

/* related_uscc may stand in for related_id on create. */
int relation_list(struct ctx *ctx, int64_t inst_id, struct interest_relation **items, int *n);
int relation_create(struct ctx *ctx, int64_t inst_id, const struct interest_relation *in,
                    struct interest_relation *out);
int relation_delete(struct ctx *ctx, int64_t inst_id, int64_t id);

/* ---------- posts (T5-5.3a 定岗定责) ---------- */
struct post {
    int64_t id, institution_id;
    const char *name, *duties, *required_certificate;
    const char *grants; /* comma-separated, from org_grantable */
    int64_t created_at, updated_at;
    int version;
    int n_holders;
};

enum post_field {
    POST_F_NAME = 1u << 0,
    POST_F_DUTIES = 1u << 1,
    POST_F_REQUIRED_CERTIFICATE = 1u << 2,
    POST_F_GRANTS = 1u << 3,
};

struct post_input {
    unsigned has;
    struct post v;
};

int post_list(struct ctx *ctx, int64_t inst_id, struct post **items, int *n);
int post_create(struct ctx *ctx, int64_t inst_id, const struct post_input *in, struct post *out);
int post_update(struct ctx *ctx, int64_t inst_id, int64_t id, int if_match,
                const struct post_input *in, struct post *out);
int post_delete(struct ctx *ctx, int64_t inst_id, int64_t id);

/* ---------- people (T5-5.2b teams) ---------- */
struct person_post {
    int64_t id;
    const char *name;
};

struct person {
    int64_t id, institution_id;
    const char *login, *name, *team, *email, *phone;
    bool is_admin, enabled;
    int64_t locked_until;
    int64_t created_at, updated_at;
    int version;
    struct person_post *posts;
    int n_posts;
};

enum person_field {
    PERSON_F_INSTITUTION = 1u << 0,
    PERSON_F_LOGIN = 1u << 1,
    PERSON_F_NAME = 1u << 2,
    PERSON_F_TEAM = 1u << 3,
    PERSON_F_EMAIL = 1u << 4,
    PERSON_F_PHONE = 1u << 5,
    PERSON_F_IS_ADMIN = 1u << 6,
    PERSON_F_ENABLED = 1u << 7,
    PERSON_F_PASSWORD = 1u << 8,
    PERSON_F_POSTS = 1u << 9,
};

struct person_input {
    unsigned has;
    struct person v;
    const char *password;
    int64_t *post_ids;
    int n_post_ids;
};

struct person_filter {
    int64_t institution_id; /* 0 = all visible */
    const char *team;
    const char *q; /* substring of login or name */
    int enabled;   /* -1 any, 0, 1 */
};

int person_list(struct ctx *ctx, const struct person_filter *f, const struct page_req *p,
                struct person **items, int *n, struct page_info *info);
int person_get(struct ctx *ctx, int64_t id, struct person *out);
/* *generated_password receives the password when none was given (shown once), else NULL. */
int person_create(struct ctx *ctx, const struct person_input *in, struct person *out,
                  const char **generated_password);
int person_update(struct ctx *ctx, int64_t id, int if_match, const struct person_input *in,
                  struct person *out);
/* Self: current must match. A manager of the person may reset without it. */
int person_set_password(struct ctx *ctx, int64_t id, const char *current, const char *next);

/* ---------- certificates (T5-9.2b 持证上岗) ---------- */
struct certificate {
    int64_t id, person_id;
    const char *person_name; /* filled on list */
    int64_t institution_id;  /* filled on list */
    const char *kind, *number, *issuer, *valid_to;
    int64_t created_at;
    int version;
};

struct certificate_filter {
    int64_t person_id; /* 0 = all visible */
    const char *kind;
    const char *expiring_before;
};

int certificate_list(struct ctx *ctx, const struct certificate_filter *f, const struct page_req *p,
                     struct certificate **items, int *n, struct page_info *info);
int certificate_create(struct ctx *ctx, int64_t person_id, const struct certificate *in,
                       struct certificate *out);
int certificate_delete(struct ctx *ctx, int64_t person_id, int64_t id);
/* True when the person holds a certificate of kind valid on date. */
int person_is_certified(struct ctx *ctx, int64_t person_id, const char *kind, const char *date,
                        bool *certified);

/* ---------- passwords (shared with auth) ---------- */
/* argon2id; out arena-owned. */
int org_password_hash(struct ctx *ctx, const char *password, const char **out);
/* Checks length and the trivial cases; field names the body field for the error. */
int org_password_check(struct ctx *ctx, const char *field, const char *password, const char *login);

#endif
