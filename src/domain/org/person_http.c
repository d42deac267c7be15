/*
 * person_http.c - handlers of people, their certificates and passwords.
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

#define PI(f) offsetof(struct person_input, v.f)
const struct field_spec person_create_spec[] = {
    {"institution_id", JV_ID, JV_REQUIRED, PI(institution_id), 0, PERSON_F_INSTITUTION, 0, NULL,
     NULL},
    {"login", JV_STRING, JV_REQUIRED, PI(login), 0, PERSON_F_LOGIN, 64, NULL,
     "lower-case letters, digits, . _ -"},
    {"name", JV_STRING, JV_REQUIRED, PI(name), 0, PERSON_F_NAME, 50, NULL, NULL},
    {"team", JV_STRING, JV_REQUIRED, PI(team), 0, PERSON_F_TEAM, 20, org_teams,
     "T5-5.2b: administrative (government bodies) or technical"},
    {"email", JV_STRING, 0, PI(email), 0, PERSON_F_EMAIL, 254, NULL, NULL},
    {"phone", JV_STRING, 0, PI(phone), 0, PERSON_F_PHONE, 32, NULL, NULL},
    {"is_admin", JV_BOOL, 0, PI(is_admin), 0, PERSON_F_IS_ADMIN, 0, NULL,
     "administrator of the institution"},
    {"enabled", JV_BOOL, 0, PI(enabled), 0, PERSON_F_ENABLED, 0, NULL, NULL},
    {"password", JV_STRING, JV_SECRET, offsetof(struct person_input, password), 0,
     PERSON_F_PASSWORD, 128, NULL,
     "initial password; when absent one is generated and returned once"},
    {"post_ids", JV_ID_ARRAY, 0, offsetof(struct person_input, post_ids),
     offsetof(struct person_input, n_post_ids), PERSON_F_POSTS, 50, NULL, NULL},
    JV_END,
};
const struct field_spec person_patch_spec[] = {
    {"name", JV_STRING, 0, PI(name), 0, PERSON_F_NAME, 50, NULL, NULL},
    {"team", JV_STRING, 0, PI(team), 0, PERSON_F_TEAM, 20, org_teams, NULL},
    {"email", JV_STRING, 0, PI(email), 0, PERSON_F_EMAIL, 254, NULL, NULL},
    {"phone", JV_STRING, 0, PI(phone), 0, PERSON_F_PHONE, 32, NULL, NULL},
    {"is_admin", JV_BOOL, 0, PI(is_admin), 0, PERSON_F_IS_ADMIN, 0, NULL, NULL},
    {"enabled", JV_BOOL, 0, PI(enabled), 0, PERSON_F_ENABLED, 0, NULL,
     "false disables the person and ends their sessions"},
    {"post_ids", JV_ID_ARRAY, 0, offsetof(struct person_input, post_ids),
     offsetof(struct person_input, n_post_ids), PERSON_F_POSTS, 50, NULL,
     "the complete set of posts the person holds"},
    JV_END,
};
#undef PI

struct password_body {
    const char *current_password;
    const char *new_password;
};
const struct field_spec password_spec[] = {
    {"current_password", JV_STRING, JV_SECRET, offsetof(struct password_body, current_password), 0,
     1, 1024, NULL, "required when changing your own password"},
    {"new_password", JV_STRING, JV_REQUIRED | JV_SECRET,
     offsetof(struct password_body, new_password), 0, 2, 128, NULL, NULL},
    JV_END,
};

#define C(f) offsetof(struct certificate, f)
const struct field_spec certificate_spec[] = {
    {"kind", JV_STRING, JV_REQUIRED, C(kind), 0, 1, 64, NULL,
     "certificate kind, e.g. cisp, itss-engineer, evaluator"},
    {"number", JV_STRING, JV_REQUIRED, C(number), 0, 2, 64, NULL, NULL},
    {"issuer", JV_STRING, JV_REQUIRED, C(issuer), 0, 4, 100, NULL, NULL},
    {"valid_to", JV_STRING, JV_REQUIRED, C(valid_to), 0, 8, 10, NULL, "YYYY-MM-DD"},
    JV_END,
};
#undef C

void person_write(struct jw *w, const struct person *p)
{
    jw_obj(w);
    entity_write_fields(w, &person_entity, p);
    jw_key(w, "posts");
    jw_arr(w);
    for (int i = 0; i < p->n_posts; i++) {
        jw_obj(w);
        jw_key(w, "id");
        jw_int(w, p->posts[i].id);
        jw_key(w, "name");
        jw_str(w, p->posts[i].name);
        jw_obj_end(w);
    }
    jw_arr_end(w);
}

static int answer_person(struct ctx *ctx, struct resp *rs, int status, const struct person *p,
                         const char *generated_password)
{
    struct jw *w = resp_writer(ctx);
    person_write(w, p);
    if (generated_password) {
        jw_key(w, "generated_password");
        jw_str(w, generated_password);
    }
    jw_obj_end(w);
    resp_etag(ctx, rs, p->id, p->version);
    return resp_jw(ctx, rs, status, w);
}

int person_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "total",   "institution_id",
                                          "team",  "q",      "enabled", NULL};
    struct person_filter f;
    struct page_req p;
    struct page_info info;
    struct person *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "institution_id", &f.institution_id) < 0 ||
        q_enum(ctx, rq, "team", org_teams, &f.team) < 0 || q_text(ctx, rq, "q", 50, &f.q) < 0 ||
        q_bool(ctx, rq, "enabled", &f.enabled) < 0)
        return -1;
    if (person_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    struct jw *w = resp_writer(ctx);
    entity_page_begin(w);
    for (int i = 0; i < n; i++) {
        person_write(w, &items[i]);
        jw_obj_end(w);
    }
    entity_page_end(w, info.next_cursor, info.total);
    return resp_jw(ctx, rs, 200, w);
}

int person_http_get(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct person p;
    if (person_get(ctx, rq->params[0], &p) < 0)
        return -1;
    return answer_person(ctx, rs, 200, &p, NULL);
}

int person_http_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct person_input in;
    struct person out;
    const char *generated;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, person_create_spec, &in, &in.has) < 0 ||
        person_create(ctx, &in, &out, &generated) < 0)
        return -1;
    resp_header(ctx, rs, "Cache-Control", "no-store");
    return answer_person(ctx, rs, 201, &out, generated);
}

int person_http_update(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct person_input in;
    struct person out;
    int if_match;
    memset(&in, 0, sizeof(in));
    if (req_if_match(ctx, rq, &if_match) < 0 ||
        body_decode(ctx, rq, person_patch_spec, &in, &in.has) < 0 ||
        person_update(ctx, rq->params[0], if_match, &in, &out) < 0)
        return -1;
    return answer_person(ctx, rs, 200, &out, NULL);
}

int person_http_password(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct password_body b;
    unsigned has;
    memset(&b, 0, sizeof(b));
    if (body_decode(ctx, rq, password_spec, &b, &has) < 0 ||
        person_set_password(ctx, rq->params[0], b.current_password, b.new_password) < 0)
        return -1;
    rs->status = 204;
    return 0;
}

static int list_certificates(struct ctx *ctx, struct req *rq, struct resp *rs, int64_t person)
{
    static const char *const allowed[] = {"limit",           "cursor",    "total", "kind",
                                          "expiring_before", "person_id", NULL};
    struct certificate_filter f;
    struct page_req p;
    struct page_info info;
    struct certificate *items;
    int n;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_text(ctx, rq, "kind", 64, &f.kind) < 0 ||
        q_date(ctx, rq, "expiring_before", &f.expiring_before) < 0 ||
        q_id(ctx, rq, "person_id", &f.person_id) < 0)
        return -1;
    if (person)
        f.person_id = person;
    if (certificate_list(ctx, &f, &p, &items, &n, &info) < 0)
        return -1;
    return resp_page(ctx, rs, &certificate_entity, items, n, &info);
}

int person_http_certificates(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_certificates(ctx, rq, rs, rq->params[0]);
}

int person_http_all_certificates(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    return list_certificates(ctx, rq, rs, 0);
}

int person_http_certificate_create(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct certificate in, out;
    unsigned has;
    memset(&in, 0, sizeof(in));
    if (body_decode(ctx, rq, certificate_spec, &in, &has) < 0 ||
        certificate_create(ctx, rq->params[0], &in, &out) < 0)
        return -1;
    return resp_entity(ctx, rs, 201, &certificate_entity, &out);
}

int person_http_certificate_delete(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    if (certificate_delete(ctx, rq->params[0], rq->params[1]) < 0)
        return -1;
    rs->status = 204;
    return 0;
}
