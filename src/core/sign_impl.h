/*
 * sign_impl.h - what the signing backends (sign.c: key files; sign_pkcs11.c: tokens) share.
 * Only the backends include it; everyone else sees the opaque struct signer of sign.h.
 */
#ifndef EGOV_SIGN_IMPL_H
#define EGOV_SIGN_IMPL_H

#include "sign.h"

struct signer_ops {
    int (*sign)(struct signer *s, const void *msg, size_t len, unsigned char *sig, size_t *sig_len,
                struct err *e);
    void (*close)(struct signer *s);
};

struct signer {
    const struct signer_ops *ops;
    void *impl; /* the backend's own state */
    char algorithm[16];
    char public_key[160]; /* base64 SPKI DER */
    char fingerprint[48];
    char location[600];
};

/* Fills public_key and fingerprint from a DER SubjectPublicKeyInfo. */
int signer_set_public_key(struct signer *s, const unsigned char *spki, size_t len, struct err *e);

#endif
