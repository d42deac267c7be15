/*
 * org_store.h - the org module's store functions (only org/ calls them). Each returns 0 or 1
 * (found) on success and -1 with ctx->err on a store failure; the rules live in org.c/person.c.
 */
#ifndef EGOV_ORG_STORE_H
#define EGOV_ORG_STORE_H

#include "org.h"

struct inst_deps {
    int64_t children, people, posts, qualifications, relations;
};

int org_store_inst_get(struct ctx *ctx, int64_t id, struct institution *out);
/* The same, only when id lies in the subtree (root, depth) of org_scope: one statement. */
int org_store_inst_get_scoped(struct ctx *ctx, int64_t id, int64_t root, int depth,
                              struct institution *out);
int org_store_inst_by_uscc(struct ctx *ctx, const char *uscc, struct institution *out);
int org_store_inst_list(struct ctx *ctx, int64_t root, int depth,
                        const struct institution_filter *f, const struct page_req *p,
                        struct institution **items, int *n);
int org_store_inst_count(struct ctx *ctx, int64_t root, int depth,
                         const struct institution_filter *f, int64_t *total);
int org_store_inst_insert(struct ctx *ctx, const struct institution *i);
/* 1 updated, 0 when the version no longer matches. */
int org_store_inst_update(struct ctx *ctx, const struct institution *i, int expected_version);
int org_store_inst_delete(struct ctx *ctx, int64_t id);
int org_store_inst_deps(struct ctx *ctx, int64_t id, struct inst_deps *d);
int org_store_tree_add(struct ctx *ctx, int64_t id, int64_t parent_id);
int org_store_tree_move(struct ctx *ctx, int64_t id, int64_t new_parent_id);
/* 1 when descendant lies in ancestor's subtree within max_depth (self at depth 0). */
int org_store_in_subtree(struct ctx *ctx, int64_t ancestor, int64_t descendant, int max_depth);

int org_store_qual_list(struct ctx *ctx, int64_t root, int depth,
                        const struct qualification_filter *f, const struct page_req *p,
                        struct qualification **items, int *n);
int org_store_qual_count(struct ctx *ctx, int64_t root, int depth,
                         const struct qualification_filter *f, int64_t *total);
int org_store_qual_insert(struct ctx *ctx, const struct qualification *q);
int org_store_qual_get(struct ctx *ctx, int64_t id, struct qualification *out);
int org_store_qual_delete(struct ctx *ctx, int64_t id);
int org_store_qual_holds(struct ctx *ctx, int64_t inst, const char *kind, const char *date);

int org_store_rel_list(struct ctx *ctx, int64_t inst, struct interest_relation **items, int *n);
int org_store_rel_insert(struct ctx *ctx, const struct interest_relation *r);
int org_store_rel_get(struct ctx *ctx, int64_t id, struct interest_relation *out);
int org_store_rel_delete(struct ctx *ctx, int64_t id);
/* 1 with *kind set when a relation exists between a and b in either direction. */
int org_store_rel_between(struct ctx *ctx, int64_t a, int64_t b, const char **kind);

int org_store_post_list(struct ctx *ctx, int64_t inst, struct post **items, int *n);
int org_store_post_get(struct ctx *ctx, int64_t id, struct post *out);
int org_store_post_insert(struct ctx *ctx, const struct post *p);
int org_store_post_update(struct ctx *ctx, const struct post *p, int expected_version);
int org_store_post_delete(struct ctx *ctx, int64_t id);

struct person_secret {
    const char *password_hash;
    int failed_logins;
    int64_t locked_until;
};

int org_store_person_get(struct ctx *ctx, int64_t id, struct person *out,
                         struct person_secret *secret);
int org_store_person_get_scoped(struct ctx *ctx, int64_t id, int64_t root, int depth,
                                struct person *out);
int org_store_person_by_login(struct ctx *ctx, const char *login, struct person *out,
                              struct person_secret *secret);
int org_store_person_list(struct ctx *ctx, int64_t root, int depth, const struct person_filter *f,
                          const struct page_req *p, struct person **items, int *n);
int org_store_person_count(struct ctx *ctx, int64_t root, int depth, const struct person_filter *f,
                           int64_t *total);
int org_store_person_insert(struct ctx *ctx, const struct person *p, const char *hash);
int org_store_person_update(struct ctx *ctx, const struct person *p, int expected_version);
int org_store_person_set_password(struct ctx *ctx, int64_t id, const char *hash);
int org_store_person_login_state(struct ctx *ctx, int64_t id, int failed, int64_t locked_until);
/* Counts one failed login in one statement (parallel attempts each count) and gives the new
 * count; a count untouched since idle_before whose lock has ended restarts at 1. */
int org_store_person_login_failed(struct ctx *ctx, int64_t id, int64_t now, int64_t idle_before,
                                  int *failures);
/* Extends the person's lock to until (never shortens it). */
int org_store_person_lock_until(struct ctx *ctx, int64_t id, int64_t until);
int org_store_person_posts(struct ctx *ctx, int64_t id, struct person_post **items, int *n);
int org_store_person_set_posts(struct ctx *ctx, int64_t id, const int64_t *post_ids, int n);
int org_store_person_revoke_sessions(struct ctx *ctx, int64_t id, const char *except_hash);
/* Comma-separated grants of the person's posts whose certificate requirement holds on date. */
int org_store_person_grants(struct ctx *ctx, int64_t id, const char *date, const char **grants);

int org_store_cert_list(struct ctx *ctx, int64_t root, int depth,
                        const struct certificate_filter *f, const struct page_req *p,
                        struct certificate **items, int *n);
int org_store_cert_count(struct ctx *ctx, int64_t root, int depth,
                         const struct certificate_filter *f, int64_t *total);
int org_store_cert_insert(struct ctx *ctx, const struct certificate *c);
int org_store_cert_get(struct ctx *ctx, int64_t id, struct certificate *out);
int org_store_cert_delete(struct ctx *ctx, int64_t id);
int org_store_cert_valid(struct ctx *ctx, int64_t person, const char *kind, const char *date);

#endif
