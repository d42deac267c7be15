/*
 * sign.c - the signer: key files (PKCS#8 PEM, through OpenSSL 3) and the dispatch to the
 * PKCS#11 backend; verification of Ed25519 and SM2/SM3 signatures. It owns the rule that a key
 * file must be readable only by the service user. It must not touch the store or log a secret.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <sodium.h>

#include "sign_impl.h"
#include "err.h"
#include "banned.h"

const char *sign_suite_algorithm(const char *suite)
{
    if (!strcmp(suite, "ed25519-blake2b"))
        return "ed25519";
    if (!strcmp(suite, "sm2-sm3"))
        return "sm2";
    return NULL;
}

int signer_set_public_key(struct signer *s, const unsigned char *spki, size_t len, struct err *e)
{
    unsigned char h[32];
    char hex[17];
    if (sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL) > sizeof(s->public_key))
        return err_set(e, ERR_INTERNAL, "public key of %s is too long", s->location);
    sodium_bin2base64(s->public_key, sizeof(s->public_key), spki, len,
                      sodium_base64_VARIANT_ORIGINAL);
    if (EVP_Digest(spki, len, h, NULL, EVP_sha256(), NULL) != 1)
        return err_set(e, ERR_INTERNAL, "SHA-256 unavailable");
    sodium_bin2hex(hex, sizeof(hex), h, 8);
    snprintf(s->fingerprint, sizeof(s->fingerprint), "%s-%s", s->algorithm, hex);
    return 0;
}

/* OpenSSL would prompt on the terminal for an encrypted key: refuse instead. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return 0;
}

static bool is_sm2(const struct signer *s)
{
    return !strcmp(s->algorithm, "sm2");
}

/* Prepares md for signing or verifying with pkey: SM2 needs SM3 and the GB/T 35276 user id,
 * Ed25519 takes the message itself (no digest). *pctx is freed by the caller after md. */
static int digest_init(EVP_MD_CTX *md, EVP_PKEY_CTX **pctx, EVP_PKEY *pkey, bool sm2, bool verify)
{
    if (!sm2)
        return verify ? EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey)
                      : EVP_DigestSignInit(md, NULL, NULL, NULL, pkey);
    *pctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    if (!*pctx || EVP_PKEY_CTX_set1_id(*pctx, SIGN_SM2_ID, strlen(SIGN_SM2_ID)) <= 0)
        return 0;
    EVP_MD_CTX_set_pkey_ctx(md, *pctx);
    return verify ? EVP_DigestVerifyInit(md, NULL, EVP_sm3(), NULL, pkey)
                  : EVP_DigestSignInit(md, NULL, EVP_sm3(), NULL, pkey);
}

static int file_sign(struct signer *s, const void *msg, size_t len, unsigned char *sig,
                     size_t *sig_len, struct err *e)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    size_t n = SIGN_MAX;
    int rc = -1;
    if (!md || digest_init(md, &pctx, s->impl, is_sm2(s), false) <= 0 ||
        EVP_DigestSign(md, sig, &n, msg, len) <= 0) {
        err_set(e, ERR_INTERNAL, "signing with %s failed", s->location);
        goto out;
    }
    *sig_len = n;
    rc = 0;
out:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    return rc;
}

static void file_close(struct signer *s)
{
    EVP_PKEY_free(s->impl);
}

static const struct signer_ops file_ops = {file_sign, file_close};

static const char *key_type(EVP_PKEY *pkey)
{
    if (EVP_PKEY_is_a(pkey, "ED25519"))
        return "ed25519";
    if (EVP_PKEY_is_a(pkey, "SM2"))
        return "sm2";
    return NULL;
}

static int spki_of(struct signer *s, EVP_PKEY *pkey, struct err *e)
{
    unsigned char *der = NULL;
    int n = i2d_PUBKEY(pkey, &der);
    if (n <= 0)
        return err_set(e, ERR_INTERNAL, "cannot encode the public key of %s", s->location);
    int rc = signer_set_public_key(s, der, (size_t)n, e);
    OPENSSL_free(der);
    return rc;
}

/* Opens a key file that only the service user may read (T5-9: the key must not be readable by
 * anyone who can read the data folder). */
static struct signer *file_open(const struct sign_options *o, const char *path, const char *alg,
                                struct err *e)
{
    struct signer *s = calloc(1, sizeof(*s));
    EVP_PKEY *pkey = NULL;
    FILE *f = NULL;
    struct stat st;
    int fd = -1;
    if (!s)
        abort();
    snprintf(s->location, sizeof(s->location), "file:%s", path);
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && o->generate) {
        if (sign_generate_file(path, o->suite, e) < 0)
            goto fail;
        fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    }
    if (fd < 0) {
        err_field(e, "signing_key", "readable", "cannot open the signing key file %s: %s%s", path,
                  strerror(errno),
                  errno == ENOENT ? " (set signing_key_generate=1 to create one)" : "");
        goto fail;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        err_field(e, "signing_key", "regular_file", "%s is not a regular file", path);
        goto fail;
    }
    if (st.st_mode & (S_IRWXG | S_IRWXO)) {
        err_field(e, "signing_key", "mode_0600",
                  "the signing key file %s may be read by group or others (mode %03o): "
                  "chmod 600 it",
                  path, (unsigned)(st.st_mode & 0777));
        goto fail;
    }
    if (st.st_uid != geteuid()) {
        err_field(e, "signing_key", "owner",
                  "the signing key file %s belongs to uid %u, not to the service user (uid %u)",
                  path, (unsigned)st.st_uid, (unsigned)geteuid());
        goto fail;
    }
    f = fdopen(fd, "r");
    if (!f)
        goto fail;
    fd = -1;
    pkey = PEM_read_PrivateKey(f, NULL, no_passphrase, NULL);
    if (!pkey) {
        err_field(e, "signing_key", "pkcs8_pem", "%s holds no unencrypted PKCS#8 PEM private key",
                  path);
        goto fail;
    }
    const char *type = key_type(pkey);
    if (!type || strcmp(type, alg) != 0) {
        err_field(e, "signing_key", "suite", "%s holds %s key but crypto_suite %s signs with %s",
                  path, type ? (strcmp(type, "sm2") ? "an Ed25519" : "an SM2") : "another kind of",
                  o->suite, alg);
        goto fail;
    }
    snprintf(s->algorithm, sizeof(s->algorithm), "%s", alg);
    if (spki_of(s, pkey, e) < 0)
        goto fail;
    fclose(f);
    s->ops = &file_ops;
    s->impl = pkey;
    return s;
fail:
    if (f)
        fclose(f);
    if (fd >= 0)
        close(fd);
    EVP_PKEY_free(pkey);
    free(s);
    return NULL;
}

int signer_open(const struct sign_options *o, struct signer **out, struct err *e)
{
    const char *alg = sign_suite_algorithm(o->suite);
    *out = NULL;
    if (!alg)
        return err_field(e, "crypto_suite", "enum",
                         "crypto_suite must be ed25519-blake2b or sm2-sm3, not '%s'", o->suite);
    if (!strncmp(o->spec, "file:", 5) && o->spec[5])
        *out = file_open(o, o->spec + 5, alg, e);
    else if (!strncmp(o->spec, "pkcs11:", 7)) {
        if (strcmp(alg, "ed25519") != 0)
            return err_field(e, "signing_key", "suite",
                             "PKCS#11 keys are Ed25519 only; crypto_suite %s needs a key file",
                             o->suite);
        *out = sign_pkcs11_open(o, e);
    } else
        return err_field(e, "signing_key", "format",
                         "signing_key must be file:PATH or pkcs11:URI (RFC 7512)");
    return *out ? 0 : -1;
}

void signer_close(struct signer *s)
{
    if (!s)
        return;
    s->ops->close(s);
    sodium_memzero(s, sizeof(*s));
    free(s);
}

const char *signer_algorithm(const struct signer *s)
{
    return s->algorithm;
}

const char *signer_public_key(const struct signer *s)
{
    return s->public_key;
}

const char *signer_fingerprint(const struct signer *s)
{
    return s->fingerprint;
}

const char *signer_location(const struct signer *s)
{
    return s->location;
}

int signer_sign(struct signer *s, const void *msg, size_t len, unsigned char *sig, size_t *sig_len,
                struct err *e)
{
    return s->ops->sign(s, msg, len, sig, sig_len, e);
}

static EVP_PKEY *public_key_of(const char *b64)
{
    unsigned char der[256];
    size_t n = 0;
    if (sodium_base642bin(der, sizeof(der), b64, strlen(b64), NULL, &n, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0)
        return NULL;
    const unsigned char *p = der;
    return d2i_PUBKEY(NULL, &p, (long)n);
}

int sign_verify(const char *algorithm, const char *public_key_b64, const void *msg, size_t len,
                const unsigned char *sig, size_t sig_len)
{
    EVP_PKEY *pkey = public_key_of(public_key_b64);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int rc = -1;
    if (!pkey || !md || !key_type(pkey) || strcmp(key_type(pkey), algorithm) != 0)
        goto out;
    if (digest_init(md, &pctx, pkey, !strcmp(algorithm, "sm2"), true) <= 0)
        goto out;
    rc = EVP_DigestVerify(md, sig, sig_len, msg, len) == 1 ? 0 : -1;
out:
    EVP_MD_CTX_free(md);
    EVP_PKEY_CTX_free(pctx);
    EVP_PKEY_free(pkey);
    return rc;
}

char *sign_public_key_pem(const char *public_key_b64)
{
    EVP_PKEY *pkey = public_key_of(public_key_b64);
    BIO *bio = BIO_new(BIO_s_mem());
    char *out = NULL, *p;
    long n;
    if (pkey && bio && PEM_write_bio_PUBKEY(bio, pkey) == 1 &&
        (n = BIO_get_mem_data(bio, &p)) > 0) {
        out = malloc((size_t)n + 1);
        if (!out)
            abort();
        memcpy(out, p, (size_t)n);
        out[n] = 0;
    }
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return out;
}

/* Writes pkey as PKCS#8 PEM to a new file of mode 0600; never replaces a file. */
static int write_key(const char *path, EVP_PKEY *pkey, struct err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    FILE *f;
    if (fd < 0)
        return err_field(e, "signing_key", "writable", "cannot create the key file %s: %s", path,
                         strerror(errno));
    if (fchmod(fd, 0600) < 0 || !(f = fdopen(fd, "w"))) {
        close(fd);
        unlink(path);
        return err_set(e, ERR_INTERNAL, "cannot write the key file %s", path);
    }
    int ok = PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1;
    ok &= fflush(f) == 0 && fsync(fileno(f)) == 0;
    ok &= fclose(f) == 0;
    if (!ok) {
        unlink(path);
        return err_set(e, ERR_INTERNAL, "cannot write the key file %s", path);
    }
    return 0;
}

int sign_generate_file(const char *path, const char *suite, struct err *e)
{
    const char *alg = sign_suite_algorithm(suite);
    EVP_PKEY *pkey;
    if (!alg)
        return err_field(e, "crypto_suite", "enum", "unknown crypto suite '%s'", suite);
    pkey = EVP_PKEY_Q_keygen(NULL, NULL, strcmp(alg, "sm2") ? "ED25519" : "SM2");
    if (!pkey)
        return err_set(e, ERR_INTERNAL, "cannot generate a %s key", alg);
    int rc = write_key(path, pkey, e);
    EVP_PKEY_free(pkey);
    return rc;
}

int sign_write_ed25519_seed(const char *path, const unsigned char seed[32], struct err *e)
{
    EVP_PKEY *pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, 32);
    if (!pkey)
        return err_set(e, ERR_INTERNAL, "cannot rebuild the Ed25519 key");
    int rc = write_key(path, pkey, e);
    EVP_PKEY_free(pkey);
    return rc;
}
