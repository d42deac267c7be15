/*
 * catalogue_http.c - public reading of catalogue editions (resources and products alike): the
 * list, one edition as the exact signed bytes, its signature, and the public key.
 */
#include <string.h>

#include "catalogue.h"
#include "catalogue_http.h"
#include "app.h"
#include "core/arena.h"
#include "http/handler_util.h"
#include "core/banned.h"

/* The catalogue a path names: /api/v1/catalogues/<name>/editions… */
static const char *catalogue_of(const struct req *rq)
{
    return strstr(rq->path, "/catalogues/products/") ? "products" : "resources";
}

int catalogue_http_editions(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct edition *items;
    int n;
    (void)rq;
    if (catalogue_list(ctx, catalogue_of(rq), &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(
            arr,
            json_pack("{s:i,s:I,s:s,s:o,s:i,s:s,s:s}", "edition", items[i].number, "publisher_id",
                      (json_int_t)items[i].publisher_id, "publisher_name", items[i].publisher_name,
                      "published_at", j_time(items[i].published_at), "items", items[i].n_items,
                      "key_id", items[i].key_id, "signature", items[i].signature));
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}

static int load_edition(struct ctx *ctx, struct req *rq, struct edition *e)
{
    int64_t publisher;
    static const char *const allowed[] = {"publisher_id", NULL};
    if (rq->params[0] > 1000000000 || q_only(ctx, rq, allowed) < 0 ||
        q_id(ctx, rq, "publisher_id", &publisher) < 0)
        return rq->params[0] > 1000000000 ? err_set(&ctx->err, ERR_NOT_FOUND, "no such edition")
                                          : -1;
    return catalogue_get(ctx, catalogue_of(rq), publisher, (int)rq->params[0], e);
}

/* The exact signed bytes, with the signature in headers; cacheable forever (immutable). */
int catalogue_http_edition(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct edition e;
    memset(&e, 0, sizeof(e));
    if (load_edition(ctx, rq, &e) < 0 || !e.body)
        return -1;
    rs->status = 200;
    rs->content_type = "application/json; charset=utf-8";
    rs->body = (char *)e.body;
    rs->len = strlen(e.body);
    resp_header(ctx, rs, "X-Egov-Signature", e.signature);
    resp_header(ctx, rs, "X-Egov-Key-Id", e.key_id);
    resp_header(ctx, rs, "Cache-Control", "public, max-age=31536000, immutable");
    return 0;
}

int catalogue_http_signature(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct edition e;
    memset(&e, 0, sizeof(e));
    if (load_edition(ctx, rq, &e) < 0)
        return -1;
    rs->status = 200;
    rs->content_type = "text/plain; charset=us-ascii";
    rs->body = arena_printf(ctx->arena, "%s\n", e.signature);
    rs->len = strlen(rs->body);
    return 0;
}

/* ?key_id=ID: that key (an old edition's, after a rotation); without: the current key. */
int catalogue_http_public_key(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"key_id", NULL};
    const char *pem, *kid, *alg, *want;
    if (q_only(ctx, rq, allowed) < 0 || q_text(ctx, rq, "key_id", 64, &want) < 0 ||
        catalogue_public_key_pem(ctx, want, &pem, &kid, &alg) < 0)
        return -1;
    rs->status = 200;
    rs->content_type = "application/x-pem-file";
    rs->body = (char *)pem;
    rs->len = strlen(pem);
    resp_header(ctx, rs, "X-Egov-Key-Id", kid);
    resp_header(ctx, rs, "X-Egov-Algorithm", alg);
    return 0;
}
