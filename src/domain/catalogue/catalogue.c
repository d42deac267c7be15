/*
 * catalogue.c - signing and storing catalogue editions, and the public key. The signature is
 * Ed25519 over the exact bytes of the edition's body, so `openssl pkeyutl -verify -rawin`
 * with the PEM public key checks it (README, "Verifying a catalogue edition").
 */
#include <string.h>

#include <sodium.h>

#include "catalogue.h"
#include "catalogue_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/banned.h"

#define KEY_ID "ed25519-1"

static const char *b64(struct ctx *ctx, const unsigned char *p, size_t n)
{
    size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
    char *out = arena_alloc(ctx->arena, cap);
    sodium_bin2base64(out, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
    return out;
}

static int unb64(const char *s, unsigned char *out, size_t n)
{
    size_t len = 0;
    if (sodium_base642bin(out, n, s, strlen(s), NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) !=
            0 ||
        len != n)
        return -1;
    return 0;
}

/* The newest key pair, created on first use. */
static int key(struct ctx *ctx, const char **id, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
               unsigned char sk[crypto_sign_SECRETKEYBYTES])
{
    const char *kid = NULL, *pk64 = NULL, *sk64 = NULL;
    int rc = catalogue_store_key(ctx, &kid, &pk64, &sk64);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        crypto_sign_keypair(pk, sk);
        if (catalogue_store_key_insert(ctx, KEY_ID, b64(ctx, pk, crypto_sign_PUBLICKEYBYTES),
                                       b64(ctx, sk, crypto_sign_SECRETKEYBYTES), time_now_ms()) < 0)
            return -1;
        sodium_memzero(sk, crypto_sign_SECRETKEYBYTES);
        if (catalogue_store_key(ctx, &kid, &pk64, &sk64) != 1)
            return ctx->err.kind ? -1 : err_set(&ctx->err, ERR_INTERNAL, "signing key missing");
    }
    if (unb64(pk64, pk, crypto_sign_PUBLICKEYBYTES) < 0 ||
        unb64(sk64, sk, crypto_sign_SECRETKEYBYTES) < 0)
        return err_set(&ctx->err, ERR_INTERNAL, "signing key %s is damaged", kid);
    *id = kid;
    return 0;
}

int catalogue_next_number(struct ctx *ctx, const char *catalogue, int *number)
{
    return catalogue_store_next(ctx, catalogue, ctx->caller.institution_id, number);
}

int catalogue_sign_bytes(struct ctx *ctx, const void *bytes, size_t len, const char **sig_b64,
                         const char **key_id, const char **algorithm)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    unsigned char sig[crypto_sign_BYTES];
    if (key(ctx, key_id, pk, sk) < 0)
        return -1;
    crypto_sign_detached(sig, NULL, bytes, len, sk);
    sodium_memzero(sk, sizeof(sk));
    *sig_b64 = b64(ctx, sig, sizeof(sig));
    *algorithm = "ed25519";
    return 0;
}

int catalogue_store_edition(struct ctx *ctx, const char *catalogue, const char *body, int n_items,
                            struct edition *out)
{
    const char *kid = NULL, *sig = NULL, *alg = NULL;
    struct edition e;
    memset(&e, 0, sizeof(e));
    if (catalogue_store_next(ctx, catalogue, ctx->caller.institution_id, &e.number) < 0 ||
        catalogue_sign_bytes(ctx, body, strlen(body), &sig, &kid, &alg) < 0)
        return -1;
    e.id = id_new();
    e.catalogue = catalogue;
    e.publisher_id = ctx->caller.institution_id;
    e.published_by = ctx->caller.person_id;
    e.published_at = time_now_ms();
    e.n_items = n_items;
    e.body = body;
    e.signature = sig;
    e.key_id = kid;
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

int catalogue_public_key_pem(struct ctx *ctx, const char **pem, const char **key_id)
{
    /* SubjectPublicKeyInfo of an Ed25519 key (RFC 8410): a fixed 12-byte prefix, then the key. */
    static const unsigned char spki[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                           0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    unsigned char der[44], pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    if (key(ctx, key_id, pk, sk) < 0)
        return -1;
    sodium_memzero(sk, sizeof(sk));
    memcpy(der, spki, sizeof(spki));
    memcpy(der + sizeof(spki), pk, sizeof(pk));
    *pem = arena_printf(ctx->arena, "-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n",
                        b64(ctx, der, sizeof(der)));
    return 0;
}
