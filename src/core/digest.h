/*
 * digest.h - the 256-bit hash functions of egov's two crypto suites: BLAKE2b-256 (libsodium,
 * suite ed25519-blake2b, the default) and SM3 (GB/T 32905, OpenSSL 3, suite sm2-sm3). The
 * audit chain and the stored session-token hashes use the hash of the configured suite; this
 * file knows nothing of either, only how to hash bytes with a named algorithm.
 */
#ifndef EGOV_DIGEST_H
#define EGOV_DIGEST_H

#include <stddef.h>

#include <sodium.h>

#define DIGEST_BYTES 32
#define DIGEST_HEX   (2 * DIGEST_BYTES + 1)

enum digest_alg { DIGEST_BLAKE2B, DIGEST_SM3 };

/* A running hash; init, any number of updates, one final. Stack-allocated by the caller. */
struct digest {
    crypto_generichash_state b2; /* first: it is 64-byte aligned */
    void *sm3;                   /* EVP_MD_CTX, freed by digest_final */
    enum digest_alg alg;
};

/* The stored name of an algorithm: "blake2b" or "sm3". */
const char *digest_name(enum digest_alg alg);
/* Parses a stored name; -1 when unknown. */
int digest_parse(const char *name, enum digest_alg *alg);
/* The hash of a crypto suite ("ed25519-blake2b" or "sm2-sm3"); BLAKE2b for anything else. */
enum digest_alg digest_of_suite(const char *suite);

/* Out of memory in OpenSSL aborts with a log line, as every allocation failure does. */
void digest_init(struct digest *d, enum digest_alg alg);
void digest_update(struct digest *d, const void *p, size_t n);
void digest_final(struct digest *d, unsigned char out[DIGEST_BYTES]);
/* One-shot, as lower-case hex into out (DIGEST_HEX bytes). */
void digest_hex(enum digest_alg alg, const void *p, size_t n, char out[DIGEST_HEX]);

#endif
