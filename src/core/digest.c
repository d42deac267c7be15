/*
 * digest.c - BLAKE2b-256 through libsodium and SM3 through OpenSSL 3's EVP interface behind
 * one init/update/final (see digest.h). No key material and no state outside the caller's
 * struct digest.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "digest.h"
#include "log.h"
#include "banned.h"

const char *digest_name(enum digest_alg alg)
{
    return alg == DIGEST_SM3 ? "sm3" : "blake2b";
}

int digest_parse(const char *name, enum digest_alg *alg)
{
    if (name && !strcmp(name, "blake2b"))
        *alg = DIGEST_BLAKE2B;
    else if (name && !strcmp(name, "sm3"))
        *alg = DIGEST_SM3;
    else
        return -1;
    return 0;
}

enum digest_alg digest_of_suite(const char *suite)
{
    return suite && !strcmp(suite, "sm2-sm3") ? DIGEST_SM3 : DIGEST_BLAKE2B;
}

static void ossl_fail(const char *what)
{
    log_error("OpenSSL SM3 %s failed", what);
    abort();
}

void digest_init(struct digest *d, enum digest_alg alg)
{
    d->alg = alg;
    d->sm3 = NULL;
    if (alg == DIGEST_BLAKE2B) {
        crypto_generichash_init(&d->b2, NULL, 0, DIGEST_BYTES);
        return;
    }
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    if (!m || EVP_DigestInit_ex(m, EVP_sm3(), NULL) != 1)
        ossl_fail("init");
    d->sm3 = m;
}

void digest_update(struct digest *d, const void *p, size_t n)
{
    if (d->alg == DIGEST_BLAKE2B)
        crypto_generichash_update(&d->b2, p, n);
    else if (EVP_DigestUpdate(d->sm3, p, n) != 1)
        ossl_fail("update");
}

void digest_final(struct digest *d, unsigned char out[DIGEST_BYTES])
{
    unsigned int len = 0;
    if (d->alg == DIGEST_BLAKE2B) {
        crypto_generichash_final(&d->b2, out, DIGEST_BYTES);
        return;
    }
    if (EVP_DigestFinal_ex(d->sm3, out, &len) != 1 || len != DIGEST_BYTES)
        ossl_fail("final");
    EVP_MD_CTX_free(d->sm3);
    d->sm3 = NULL;
}

void digest_hex(enum digest_alg alg, const void *p, size_t n, char out[DIGEST_HEX])
{
    struct digest d;
    unsigned char h[DIGEST_BYTES];
    digest_init(&d, alg);
    digest_update(&d, p, n);
    digest_final(&d, h);
    sodium_bin2hex(out, DIGEST_HEX, h, sizeof(h));
}
