/*
 * audit_http.c - reading the audit trail and verifying its chain.
 */
#include <string.h>

#include "audit.h"
#include "audit_http.h"
#include "app.h"
#include "core/timeutil.h"
#include "http/handler_util.h"
#include "core/banned.h"

int audit_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit",     "cursor", "total", "actor_id", "object_type",
                                          "object_id", "action", "from",  "to",       NULL};
    struct audit_filter f;
    struct page_req p;
    struct audit_record *items;
    int n;
    int64_t next, total;
    memset(&f, 0, sizeof(f));
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        q_id(ctx, rq, "actor_id", &f.actor_id) < 0 ||
        q_text(ctx, rq, "object_type", 40, &f.object_type) < 0 ||
        q_id(ctx, rq, "object_id", &f.object_id) < 0 ||
        q_text(ctx, rq, "action", 40, &f.action) < 0 || q_time(ctx, rq, "from", &f.from_ms) < 0 ||
        q_time(ctx, rq, "to", &f.to_ms) < 0)
        return -1;
    f.limit = p.limit;
    f.want_total = p.want_total;
    f.before_seq = p.after_id; /* newest first: the cursor walks backwards */
    if (audit_list(ctx, &f, &items, &n, &next, &total) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const struct audit_record *a = &items[i];
        json_error_t jerr;
        json_t *changes = json_loads(a->changes, 0, &jerr);
        json_array_append_new(
            arr, json_pack("{s:I,s:o,s:o,s:s,s:o,s:o,s:s,s:s,s:o,s:o,s:s,s:s,s:s}", "seq",
                           (json_int_t)a->seq, "at", j_time(a->at), "actor_id", j_id(a->actor_id),
                           "actor_login", a->actor_login, "actor_institution_id",
                           j_id(a->actor_institution_id), "scope_institution_id",
                           j_id(a->scope_institution_id), "action", a->action, "object_type",
                           a->object_type, "object_id", j_id(a->object_id), "changes",
                           changes ? changes : json_object(), "client_ip", a->client_ip,
                           "request_id", a->request_id, "hash", a->hash));
    }
    struct page_info info = {next, total};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

int audit_http_verify(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct audit_verdict v;
    (void)rq;
    if (audit_verify(ctx, &v) < 0)
        return -1;
    return resp_json(ctx, rs, 200,
                     json_pack("{s:b,s:I,s:o,s:o}", "ok", v.ok, "records", (json_int_t)v.n_records,
                               "first_bad_seq", j_id(v.first_bad_seq), "reason", j_str(v.reason)));
}

/* Public, like the catalogue editions: anyone may keep copies of the checkpoints. */
int audit_http_checkpoints(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", NULL};
    struct page_req p;
    struct audit_checkpoint *items;
    int n;
    int64_t next;
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        audit_checkpoint_list(ctx, p.after_id, p.limit, &items, &n, &next) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        const struct audit_checkpoint *c = &items[i];
        json_array_append_new(
            arr, json_pack("{s:I,s:o,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)c->seq, "at",
                           j_time(c->at), "hash", c->hash, "hash_alg", c->hash_alg, "reason",
                           c->reason, "key_id", c->key_id, "algorithm", c->algorithm, "signature",
                           c->signature, "signed_text", audit_checkpoint_message(ctx, c)));
    }
    struct page_info info = {next, -1};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}
