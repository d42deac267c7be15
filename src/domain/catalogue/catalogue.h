/*
 * catalogue.h - published catalogues (资源目录, 产品目录): numbered, dated, immutable editions,
 * each signed with Ed25519 (libsodium) so that anyone can verify it with the public key and a
 * standard tool (openssl pkeyutl -verify -rawin). Readable without login.
 */
#ifndef EGOV_CATALOGUE_H
#define EGOV_CATALOGUE_H

#include <stddef.h>
#include <stdint.h>

struct ctx;

struct edition {
    int64_t id, publisher_id, published_by;
    const char *catalogue; /* "resources" or "products" */
    int number;
    int64_t published_at;
    int n_items;
    const char *body;      /* the exact signed bytes (canonical JSON) */
    const char *signature; /* base64 of the 64-byte Ed25519 signature */
    const char *key_id;
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
/* Signs len bytes with the current signing key (created on first use): base64 signature, key id
 * and algorithm name ("ed25519"), all arena-owned. Other modules sign through this one call
 * (the audit checkpoints), so that the key never leaves this module. */
int catalogue_sign_bytes(struct ctx *ctx, const void *bytes, size_t len, const char **sig_b64,
                         const char **key_id, const char **algorithm);
/* The public key as PEM (SubjectPublicKeyInfo), creating the key pair on first use. */
int catalogue_public_key_pem(struct ctx *ctx, const char **pem, const char **key_id);

#endif
