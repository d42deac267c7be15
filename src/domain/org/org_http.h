/*
 * org_http.h - the org module's handlers and body specs, for routes.c and openapi.c.
 */
#ifndef EGOV_ORG_HTTP_H
#define EGOV_ORG_HTTP_H

#include <jansson.h>

#include "http/http.h"
#include "http/jv.h"

struct person;

extern const struct field_spec institution_create_spec[], institution_patch_spec[],
    qualification_spec[], relation_spec[], post_create_spec[], post_patch_spec[],
    person_create_spec[], person_patch_spec[], password_spec[], certificate_spec[];

int org_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_delete(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_qualifications(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_all_qualifications(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_qualification_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_qualification_delete(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_relations(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_relation_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_relation_delete(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_posts(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_post_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_post_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int org_http_post_delete(struct ctx *ctx, struct req *rq, struct resp *rs);

/* Writes a person's members and its posts, leaving the object open: the caller may add members
 * (generated_password), then closes it with jw_obj_end. */
struct jw;
void person_write(struct jw *w, const struct person *p);
int person_http_list(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_get(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_update(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_password(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_certificates(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_all_certificates(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_certificate_create(struct ctx *ctx, struct req *rq, struct resp *rs);
int person_http_certificate_delete(struct ctx *ctx, struct req *rq, struct resp *rs);

#endif
