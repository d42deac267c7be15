/*
 * keys.h - signing keys as the platform knows them: the public keys with their validity, the
 * one function that signs for any module (keys_sign), and rotation. The secret key stays in
 * the signer (core/sign.h: a key file or a PKCS#11 token); the store holds public keys only.
 * Every edition names the id of the key that signed it, so an old edition stays verifiable
 * with its key after a rotation.
 */
#ifndef EGOV_KEYS_H
#define EGOV_KEYS_H

#include <stddef.h>
#include <stdint.h>

struct app;
struct ctx;
struct err;

struct signing_key {
    const char *id;
    const char *algorithm;  /* "ed25519" or "sm2" */
    const char *public_key; /* base64 DER SubjectPublicKeyInfo */
    int64_t valid_from;
    int64_t retired_at; /* 0 while the key may sign new editions */
};

/*
 * Signs msg with the app's signer (app_open_signer must have run) and answers the base64
 * signature and the id of the key, both arena-owned. Registers the signer's public key on its
 * first use (inside the caller's transaction when one is open). ERR_CONFLICT when the key was
 * retired by a rotation: the node must be restarted with the new key.
 */
int keys_sign(struct ctx *ctx, const char *msg, size_t len, const char **signature,
              const char **key_id);
/* The id under which the app's signer is registered (registering it on first use). */
int keys_current(struct ctx *ctx, struct signing_key *out);
/* Every key ever used, oldest first; arena-owned. */
int keys_list(struct ctx *ctx, struct signing_key **items, int *n);
/* One key by id; ERR_NOT_FOUND when there is none. */
int keys_get(struct ctx *ctx, const char *id, struct signing_key *out);
/* 0 when signature (base64) is key_id's valid signature of msg; -1 with ERR_NOT_FOUND for an
 * unknown key, ERR_INVALID for a signature that does not hold. */
int keys_verify(struct ctx *ctx, const char *key_id, const char *msg, size_t len,
                const char *signature);
/*
 * Rotation. A key file: a new key of the deployment's suite replaces the file (the old secret
 * is gone), is registered, and every other key is retired (it verifies, it no longer signs);
 * the app's signer becomes the new key. A token: the key signing_key names (made beforehand
 * with the token's tools) is registered and every other key retired; ERR_CONFLICT
 * nothing_to_rotate when it already is the only one. Audited. Answers the new and the old key.
 */
int keys_rotate(struct ctx *ctx, struct signing_key *new_key, struct signing_key *old_key);
/*
 * Retires one key (a token key replaced without `keys rotate`, the key of the suite used
 * before, a key feared compromised): it verifies, it signs nothing new. ERR_NOT_FOUND for an
 * unknown id; ERR_CONFLICT when it is retired already or is the key this process signs with
 * (rotate instead). Audited.
 */
int keys_retire(struct ctx *ctx, const char *id);
/*
 * Before migration 0015 drops the secret_key column: writes the store's Ed25519 secret key to
 * out (mode 0600, never over an existing file). out NULL: the configured key file, and only
 * when it is absent (then *exported says so); a store without a secret is not an error.
 */
int keys_export_legacy(struct app *app, const char *out, int *exported, struct err *e);
/* keys_export_legacy(app, NULL, …), then db_migrate: what every command that migrates calls. */
int keys_migrate(struct app *app, int *n_applied, struct err *e);

#endif
