/*
 * sign.h - the one signing interface of egov. Whatever signs (catalogue editions today, audit
 * checkpoints and disclosure editions tomorrow) calls signer_sign on the signer the app opened
 * once at start, and whoever checks calls sign_verify with a public key from the store.
 *
 * Two algorithms, chosen per deployment by the crypto suite (setting crypto_suite):
 *   ed25519-blake2b  Ed25519 (RFC 8032) over the exact bytes
 *   sm2-sm3          SM2 with SM3 and the user id "1234567812345678" (GB/T 32918, GB/T 35276),
 *                    DER-encoded (r, s)
 * Two places for the secret key (setting signing_key):
 *   file:PATH        a PKCS#8 PEM file readable only by the service user (refused otherwise)
 *   pkcs11:URI       a key in a PKCS#11 token (RFC 7512 URI; Ed25519 only, CKM_EDDSA)
 * The secret key never leaves the signer: this interface hands out public keys only. No store
 * access here (the keys module registers public keys).
 */
#ifndef EGOV_SIGN_H
#define EGOV_SIGN_H

#include <stdbool.h>
#include <stddef.h>

struct err;
struct signer;

/* Largest signature: an SM2 DER (r, s) is at most 72 bytes, Ed25519 is 64. */
#define SIGN_MAX 80
/* The GB/T 35276 default distinguishing identifier for SM2 signatures. */
#define SIGN_SM2_ID "1234567812345678"

struct sign_options {
    const char *spec;  /* "file:PATH" or "pkcs11:URI" */
    const char *suite; /* "ed25519-blake2b" or "sm2-sm3" */
    bool generate;     /* file: create the key (mode 0600) when the file is absent */
    const char *pin;   /* pkcs11: user PIN when the URI has no pin-value; never logged */
};

/* Opens the signer. Refuses a key file that group or others may read, a key of the wrong
 * algorithm for the suite, and a token without the key. *out is freed with signer_close. */
int signer_open(const struct sign_options *o, struct signer **out, struct err *e);
void signer_close(struct signer *s);

/* "ed25519" or "sm2". */
const char *signer_algorithm(const struct signer *s);
/* Base64 of the public key's DER SubjectPublicKeyInfo; owned by the signer. */
const char *signer_public_key(const struct signer *s);
/* A key id derived from the public key: "<algorithm>-<16 hex of SHA-256(SPKI)>". */
const char *signer_fingerprint(const struct signer *s);
/* Where the key is ("file:PATH" or the URI without its PIN), for messages. */
const char *signer_location(const struct signer *s);

/* Signs msg; sig has room for SIGN_MAX bytes. Thread-safe. -1 with e on a failure. */
int signer_sign(struct signer *s, const void *msg, size_t len, unsigned char *sig, size_t *sig_len,
                struct err *e);

/* 0 when sig is a valid signature of msg by the public key (base64 SPKI DER) of algorithm;
 * -1 otherwise (bad key, other algorithm, wrong signature). */
int sign_verify(const char *algorithm, const char *public_key_b64, const void *msg, size_t len,
                const unsigned char *sig, size_t sig_len);

/* Creates a new key file (mode 0600, never over an existing file) of the suite's algorithm. */
int sign_generate_file(const char *path, const char *suite, struct err *e);
/* Writes an Ed25519 key given by its 32-byte seed as a PKCS#8 PEM file (mode 0600, never over
 * an existing file): the export of a key from an older store. */
int sign_write_ed25519_seed(const char *path, const unsigned char seed[32], struct err *e);
/* "ed25519" or "sm2" for a suite name; NULL for an unknown suite. */
const char *sign_suite_algorithm(const char *suite);
/* PEM text of a base64 SPKI DER public key; malloc'd, caller frees; NULL on bad input. */
char *sign_public_key_pem(const char *public_key_b64);

/* The PKCS#11 backend (sign_pkcs11.c), called by signer_open. */
struct signer *sign_pkcs11_open(const struct sign_options *o, struct err *e);

#endif
