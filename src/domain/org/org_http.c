/*
 * org_http.c - handlers of institutions, qualifications, interest relations and posts:
 * decode the body with its field_spec table, call the service, encode the answer. No SQL and
 * no rules here.
 */
#include <stddef.h>
#include <string.h>

#include "org.h"
#include "org_http.h"
#include "app.h"
#include "core/entity.h"
#include "core/jw.h"
#include "http/handler_util.h"
#include "http/jv.h"
#include "core/banned.h"

#define IN(f) offsetof(struct institution_input, v.f)

const struct field_spec institution_create_spec[] = {
    {"uscc", JV_STRING, JV_REQUIRED, IN(uscc), 0, INST_F_USCC, 18, NULL,
     "统一社会信用代码 (GB 32100), 18 characters"},
    {"uscc_exception", JV_STRING, JV_NULLABLE, IN(uscc_exception), 0, INST_F_USCC_EXCEPTION, 500,
     NULL, "justification for accepting a code that fails a check character"},
    {"name", JV_STRING, JV_REQUIRED, IN(name), 0, INST_F_NAME, 100, NULL, NULL},
    {"kind", JV_STRING, JV_REQUIRED, IN(kind), 0, INST_F_KIND, 20, org_kinds, NULL},
    {"level", JV_STRING, JV_REQUIRED, IN(level), 0, INST_F_LEVEL, 20, org_levels, NULL},
    {"parent_id", JV_ID, JV_REQUIRED, IN(parent_id), 0, INST_F_PARENT, 0, NULL,
     "the management institution whose jurisdiction it is in"},
    {"region", JV_STRING, JV_REQUIRED, IN(region), 0, INST_F_REGION, 6, NULL,
     "GB/T 2260 six-digit division code"},
    {"contact_name", JV_STRING, 0, IN(contact_name), 0, INST_F_CONTACT_NAME, 50, NULL, NULL},
    {"contact_phone", JV_STRING, 0, IN(contact_phone), 0, INST_F_CONTACT_PHONE, 32, NULL, NULL},
    {"contact_email", JV_STRING, 0, IN(contact_email), 0, INST_F_CONTACT_EMAIL, 254, NULL, NULL},
    {"address", JV_STRING, 0, IN(address), 0, INST_F_ADDRESS, 200, NULL, NULL},
    {"timezone", JV_STRING, 0, IN(timezone), 0, INST_F_TIMEZONE, 40, NULL,
     "IANA zone used to show times; default Asia/Shanghai"},
    {"status", JV_STRING, 0, IN(status), 0, INST_F_STATUS, 20, org_statuses, NULL},
    JV_END,
};

/* PATCH: the same fields, none required. */
const struct field_spec institution_patch_spec[] = {
    {"uscc", JV_STRING, 0, IN(uscc), 0, INST_F_USCC, 18, NULL, NULL},
    {"uscc_exception", JV_STRING, JV_NULLABLE, IN(uscc_exception), 0, INST_F_USCC_EXCEPTION, 500,
     NULL, NULL},
    {"name", JV_STRING, 0, IN(name), 0, INST_F_NAME, 100, NULL, NULL},
    {"kind", JV_STRING, 0, IN(kind), 0, INST_F_KIND, 20, org_kinds, "cannot change"},
    {"level", JV_STRING, 0, IN(level), 0, INST_F_LEVEL, 20, org_levels, NULL},
    {"parent_id", JV_ID, 0, IN(parent_id), 0, INST_F_PARENT, 0, NULL, NULL},
    {"region", JV_STRING, 0, IN(region), 0, INST_F_REGION, 6, NULL, NULL},
    {"contact_name", JV_STRING, 0, IN(contact_name), 0, INST_F_CONTACT_NAME, 50, NULL, NULL},
    {"contact_phone", JV_STRING, 0, IN(contact_phone), 0, INST_F_CONTACT_PHONE, 32, NULL, NULL},
    {"contact_email", JV_STRING, 0, IN(contact_email), 0, INST_F_CONTACT_EMAIL, 254, NULL, NULL},
    {"address", JV_STRING, 0, IN(address), 0, INST_F_ADDRESS, 200, NULL, NULL},
    {"timezone", JV_STRING, 0, IN(timezone), 0, INST_F_TIMEZONE, 40, NULL, NULL},
    {"status", JV_STRING, 0, IN(status), 0, INST_F_STATUS, 20, org_statuses, NULL},
    JV_END,
};
#undef IN

#define Q(f) offsetof(struct qualification, f)
const struct field_spec qualification_spec[] = {
    {"kind", JV_STRING, JV_REQUIRED, Q(kind), 0, 1, 40, org_qualification_kinds, NULL},
    {"grade", JV_STRING, 0, Q(grade), 0, 2, 32, NULL, "grade or level, e.g. 一级"},
    {"certificate_no", JV_STRING, JV_REQUIRED, Q(certificate_no), 0, 4, 64, NULL, NULL},
    {"issuer", JV_STRING, JV_REQUIRED, Q(issuer), 0, 8, 100, NULL, NULL},
    {"valid_from", JV_STRING, JV_REQUIRED, Q(valid_from), 0, 16, 10, NULL, "YYYY-MM-DD"},
    {"valid_to", JV_STRING, JV_REQUIRED, Q(valid_to), 0, 32, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
#undef Q

#define R(f) offsetof(struct interest_relation, f)
const struct field_spec relation_spec[] = {
    {"related_id", JV_ID, 0, R(related_id), 0, 1, 0, NULL, "the other institution"},
    {"related_uscc", JV_STRING, 0, R(related_uscc), 0, 2, 18, NULL,
     "the other institution's credit code, instead of related_id"},
    {"kind", JV_STRING, JV_REQUIRED, R(kind), 0, 4, 20, org_relation_kinds, NULL},
    {"since", JV_STRING, JV_REQUIRED, R(since), 0, 8, 10, NULL, "YYYY-MM-DD"},
    {"note", JV_STRING, 0, R(note), 0, 16, 500, NULL, NULL},
    JV_END,
};
#undef R

#define P(f) offsetof(struct post_input, v.f)
const struct field_spec post_create_spec[] = {
    {"name", JV_STRING, JV_REQUIRED, P(name), 0, POST_F_NAME, 50, NULL, NULL},
    {"duties", JV_STRING, JV_REQUIRED, P(duties), 0, POST_F_DUTIES, 2000, NULL, "定岗定责"},
    {"required_certificate", JV_STRING, 0, P(required_certificate), 0, POST_F_REQUIRED_CERTIFICATE,
     64, NULL, "certificate kind a holder must have (持证上岗)"},
    {"grants", JV_STR_LIST, 0, P(grants), 0, POST_F_GRANTS, 20, NULL,
     "permissions the post gives its holders"},
    JV_END,
};
const struct field_spec post_patch_spec[] = {
    {"name", JV_STRING, 0, P(name), 0, POST_F_NAME, 50, NULL, NULL},
    {"duties", JV_STRING, 0, P(duties), 0, POST_F_DUTIES, 2000, NULL, NULL},
    {"required_certificate", JV_STRING, 0, P(required_certificate), 0, POST_F_REQUIRED_CERTIFICATE,
     64, NULL, NULL},
    {"grants", JV_STR_LIST, 0, P(grants), 0, POST_F_GRANTS, 20, NULL, NULL},
    JV_END,
};
#undef P

static int answer_institution(struct ctx *ctx, struct resp *rs, int status,
                              const struct institution *i)
{
    resp_etag(ctx, rs, i->id, i->version);
    return resp_entity(ctx, rs, status, &institution_entity, i);
}

int org_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit",     "cursor", "total",  "kind",
                                          "level",     "status", "region", "q",
                                          "parent_id", "within", NULL};
    struct institution_filter f;
    struct page_req p;
    struct page_info info;
    struct institution *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_enum(ctx, rq, "kind", org_kinds, &f.kind) < 0 ||
        q_enum(ctx, rq, "level", org_levels, &f.level) < 0 ||
        q_enum(ctx, rq, "status", org_statuses, &f.status) < 0 ||
        q_region(ctx, rq, "region", true, &f.region) < 0 || q_text(ctx, rq, "q", 100, &f.q) < 0 ||
        q_id(ctx, rq, "parent_id", &f.parent_id) < 0 || q_id(ctx, rq, "within", &f.within_id) < 0)
        return -1;
    if (institution_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    return resp_page(ctx, rs, &institution_entity, items, n, &info);
}

int org_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct institution i;
    if (institution_get(ctx, rq->params[0], &i) < 0)
        return -1;
    return answer_institution(ctx, rs, 200, &i);
}

int org_http_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct institution_input in;
    struct institution out;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, institution_create_spec, &in, &in.has) < 0 ||
        institution_create(ctx, &in, &out) < 0)
        return -1;
    return answer_institution(ctx, rs, 201, &out);
}

int org_http_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct institution_input in;
    struct institution out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, institution_patch_spec, &in, &in.has) < 0 ||
        institution_update(ctx, rq->params[0], if_match, &in, &out) < 0)
        return -1;
    return answer_institution(ctx, rs, 200, &out);
}

int org_http_delete(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    int if_match;
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        institution_delete(ctx, rq->params[0], if_match) < 0)
        return -1;
    rs->status = 204;
    return 0;
}

static int list_qualifications(struct ctx *ctx, struct req *rq, struct resp *rs, int64_t inst)
{
    static const char *const allowed[] = {"limit",           "cursor",         "total", "kind",
                                          "expiring_before", "institution_id", NULL};
    struct qualification_filter f;
    struct page_req p;
    struct page_info info;
    struct qualification *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_enum(ctx, rq, "kind", org_qualification_kinds, &f.kind) < 0 ||
        q_date(ctx, rq, "expiring_before", &f.expiring_before) < 0 ||
        q_id(ctx, rq, "institution_id", &f.institution_id) < 0)
        return -1;
    if (inst)
        f.institution_id = inst;
    if (qualification_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    return resp_page(ctx, rs, &qualification_entity, items, n, &info);
}

int org_http_qualifications(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_qualifications(ctx, rq, rs, rq->params[0]);
}

int org_http_all_qualifications(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_qualifications(ctx, rq, rs, 0);
}

int org_http_qualification_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct qualification in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, qualification_spec, &in, &has) < 0 ||
        qualification_create(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    resp_etag(ctx, rs, out.id, out.version);
    return resp_entity(ctx, rs, 201, &qualification_entity, &out);
}

int org_http_qualification_delete(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    if (qualification_delete(ctx, rq->params[0], rq->params[1]) < 0)
        return -1;
    rs->status = 204;
    return 0;
}

int org_http_relations(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct interest_relation *items;
    int n;
    if (relation_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    struct page_info info = {0, n};
    return resp_page(ctx, rs, &relation_entity, items, n, &info);
}

int org_http_relation_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct interest_relation in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, relation_spec, &in, &has) < 0 ||
        relation_create(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 201, &relation_entity, &out);
}

int org_http_relation_delete(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    if (relation_delete(ctx, rq->params[0], rq->params[1]) < 0)
        return -1;
    rs->status = 204;
    return 0;
}

int org_http_posts(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct post *items;
    int n;
    if (post_list(ctx, rq->params[0], &items, &n) < 0)
        return -1;
    struct page_info info = {0, n};
    return resp_page(ctx, rs, &post_entity, items, n, &info);
}

int org_http_post_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct post_input in;
    struct post out;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, post_create_spec, &in, &in.has) < 0 ||
        post_create(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    resp_etag(ctx, rs, out.id, out.version);
    return resp_entity(ctx, rs, 201, &post_entity, &out);
}

int org_http_post_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct post_input in;
    struct post out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, post_patch_spec, &in, &in.has) < 0 ||
        post_update(ctx, rq->params[0], rq->params[1], if_match, &in, &out) < 0)
        return -1;
    resp_etag(ctx, rs, out.id, out.version);
    return resp_entity(ctx, rs, 200, &post_entity, &out);
}

int org_http_post_delete(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    if (post_delete(ctx, rq->params[0], rq->params[1]) < 0)
        return -1;
    rs->status = 204;
    return 0;
}
