/*
 * keys_http.c - GET /api/v1/signing-keys: every public key that ever signed, with its algorithm,
 * validity and PEM, so that anyone can verify any edition by its key id (public, no login).
 */
#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "keys_http.h"
#include "app.h"
#include "core/sign.h"
#include "http/handler_util.h"
#include "core/banned.h"

int keys_http_list(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {NULL};
    struct signing_key *items;
    int n;
    if (q_only(ctx, rq, allowed) < 0 || keys_list(ctx, &items, &n) < 0)
        return -1;
    json_t *arr = json_array();
    for (int i = 0; i < n; i++) {
        char *pem = sign_public_key_pem(items[i].public_key);
        json_array_append_new(
            arr, json_pack("{s:s,s:s,s:s,s:o,s:o}", "key_id", items[i].id, "algorithm",
                           items[i].algorithm, "public_key_pem", pem ? pem : "", "valid_from",
                           j_time(items[i].valid_from), "retired_at",
                           items[i].retired_at ? j_time(items[i].retired_at) : json_null()));
        free(pem);
    }
    struct page_info info = {0, n};
    return resp_json(ctx, rs, 200, j_page(arr, &info));
}
