/*
 * catalogue.h - published catalogues (资源目录, 产品目录): numbered, dated, immutable editions,
 * each signed by the deployment's signing key (Ed25519, or SM2/SM3 under the sm2-sm3 suite;
 * domain/keys) so that anyone can verify it with the public key of the edition's key id and a
 * standard tool (openssl pkeyutl -verify). Readable without login.
 */
#ifndef EGOV_CATALOGUE_H
#define EGOV_CATALOGUE_H

#include <stdint.h>

struct ctx;

struct edition {
    int64_t id, publisher_id, published_by;
    const char *catalogue; /* "resources" or "products" */
    int number;
    int64_t published_at;
    int n_items;
    const char *body;      /* the exact signed bytes (canonical JSON) */
    const char *signature; /* base64 signature (Ed25519: 64 bytes; SM2: DER (r, s)) */
    const char *key_id;    /* the signing key; its public key stays served after rotation */
    const char *publisher_name;
};

/* Signs body and stores it as the next edition of (catalogue, caller's institution), inside the
 * caller's open transaction. */
int catalogue_store_edition(struct ctx *ctx, const char *catalogue, const char *body, int n_items,
                            struct edition *out);
/* Next edition number for the caller's institution (to put it into the body before signing). */
int catalogue_next_number(struct ctx *ctx, const char *catalogue, int *number);
int catalogue_list(struct ctx *ctx, const char *catalogue, struct edition **items, int *n);
/* publisher 0: the newest publisher's edition with that number (single-publisher setups). */
int catalogue_get(struct ctx *ctx, const char *catalogue, int64_t publisher, int number,
                  struct edition *out);
/* A public key as PEM (SubjectPublicKeyInfo): key_id's, or NULL for the key this node signs
 * with (registered on first use). id and algorithm answer which. Arena-owned. */
int catalogue_public_key_pem(struct ctx *ctx, const char *key_id, const char **pem, const char **id,
                             const char **algorithm);

#endif
