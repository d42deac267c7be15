/*
 * catalogue.c - signing and storing catalogue editions, and their public keys. The signature is
 * made by the keys module (Ed25519, or SM2 with SM3 under the sm2-sm3 suite) over the exact
 * bytes of the edition's body, so `openssl pkeyutl -verify` with the PEM public key of the
 * edition's key id checks it (docs/keys.md, README "Verifying a catalogue edition").
 */
#include <stdlib.h>
#include <string.h>

#include "catalogue.h"
#include "catalogue_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/sign.h"
#include "domain/keys/keys.h"
#include "core/timeutil.h"
#include "core/banned.h"

int catalogue_next_number(struct ctx *ctx, const char *catalogue, int *number)
{
    return catalogue_store_next(ctx, catalogue, ctx->caller.institution_id, number);
}

int catalogue_store_edition(struct ctx *ctx, const char *catalogue, const char *body, int n_items,
                            struct edition *out)
{
    struct edition e;
    memset(&e, 0, sizeof(e));
    if (catalogue_store_next(ctx, catalogue, ctx->caller.institution_id, &e.number) < 0 ||
        keys_sign(ctx, body, strlen(body), &e.signature, &e.key_id) < 0)
        return -1;
    e.id = id_new();
    e.catalogue = catalogue;
    e.publisher_id = ctx->caller.institution_id;
    e.published_by = ctx->caller.person_id;
    e.published_at = time_now_ms();
    e.n_items = n_items;
    e.body = body;
    if (catalogue_store_insert(ctx, &e) < 0)
        return -1;
    *out = e;
    return 0;
}

int catalogue_list(struct ctx *ctx, const char *catalogue, struct edition **items, int *n)
{
    return catalogue_store_list(ctx, catalogue, items, n);
}

int catalogue_get(struct ctx *ctx, const char *catalogue, int64_t publisher, int number,
                  struct edition *out)
{
    int rc = catalogue_store_get(ctx, catalogue, publisher, number, out);
    if (rc < 0)
        return -1;
    return rc ? 0
              : err_set(&ctx->err, ERR_NOT_FOUND, "no edition %d of the %s catalogue", number,
                        catalogue);
}

int catalogue_public_key_pem(struct ctx *ctx, const char *key_id, const char **pem, const char **id,
                             const char **algorithm)
{
    struct signing_key k;
    if ((key_id ? keys_get(ctx, key_id, &k) : keys_current(ctx, &k)) < 0)
        return -1;
    char *text = sign_public_key_pem(k.public_key);
    if (!text)
        return err_set(&ctx->err, ERR_INTERNAL, "signing key %s is damaged", k.id);
    *pem = arena_strdup(ctx->arena, text);
    free(text);
    *id = k.id;
    *algorithm = k.algorithm;
    return 0;
}
