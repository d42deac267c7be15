/*
 * sign_pkcs11.c - the signer's PKCS#11 backend: an Ed25519 key in a token (SoftHSM2 in tests
 * and development, an HSM in production). The RFC 7512 URI is parsed by p11-kit; the module
 * (the URI's module-path, else p11-kit's proxy) is loaded with dlopen and driven through the
 * PKCS#11 C API with CKM_EDDSA. The secret key never leaves the token. The PIN comes from the
 * URI's pin-value or the setting signing_key_pin (EGOV_SIGNING_KEY_PIN) and is never logged or
 * kept after login.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include "sign_impl.h"
#include "err.h"
#include "banned.h"

#define DEFAULT_MODULE "p11-kit-proxy.so"
#define MAX_SLOTS      64

struct p11 {
    void *dl;
    CK_FUNCTION_LIST *f;
    CK_SESSION_HANDLE session;
    CK_OBJECT_HANDLE key;
    pthread_mutex_t lock; /* one session: signatures take turns */
};

static int p11_sign(struct signer *s, const void *msg, size_t len, unsigned char *sig,
                    size_t *sig_len, struct err *e)
{
    struct p11 *p = s->impl;
    CK_MECHANISM mech = {CKM_EDDSA, NULL, 0};
    CK_ULONG n = SIGN_MAX;
    CK_RV rv;
    pthread_mutex_lock(&p->lock);
    rv = p->f->C_SignInit(p->session, &mech, p->key);
    if (rv == CKR_OK)
        rv = p->f->C_Sign(p->session, (CK_BYTE_PTR)msg, (CK_ULONG)len, sig, &n);
    pthread_mutex_unlock(&p->lock);
    if (rv != CKR_OK)
        return err_set(e, ERR_INTERNAL, "the token refused to sign (CKR 0x%lx)", (unsigned long)rv);
    *sig_len = n;
    return 0;
}

static void p11_close(struct signer *s)
{
    struct p11 *p = s->impl;
    if (!p)
        return;
    if (p->f) {
        if (p->session != CK_INVALID_HANDLE)
            p->f->C_CloseSession(p->session);
        p->f->C_Finalize(NULL);
    }
    if (p->dl)
        dlclose(p->dl);
    pthread_mutex_destroy(&p->lock);
    free(p);
}

static const struct signer_ops p11_ops = {p11_sign, p11_close};

/* The one object of class cls (with the URI's label and id, when it names them). */
static int find_one(struct p11 *p, P11KitUri *uri, CK_OBJECT_CLASS cls, CK_OBJECT_HANDLE *out,
                    struct err *e)
{
    CK_KEY_TYPE type = CKK_EC_EDWARDS;
    CK_ATTRIBUTE tmpl[4] = {{CKA_CLASS, &cls, sizeof(cls)}, {CKA_KEY_TYPE, &type, sizeof(type)}};
    CK_ULONG n_tmpl = 2, found = 0;
    CK_OBJECT_HANDLE h[2] = {CK_INVALID_HANDLE, CK_INVALID_HANDLE};
    CK_ATTRIBUTE *a;
    if ((a = p11_kit_uri_get_attribute(uri, CKA_LABEL)))
        tmpl[n_tmpl++] = *a;
    if ((a = p11_kit_uri_get_attribute(uri, CKA_ID)))
        tmpl[n_tmpl++] = *a;
    if (p->f->C_FindObjectsInit(p->session, tmpl, n_tmpl) != CKR_OK)
        return err_set(e, ERR_INTERNAL, "cannot search the token");
    CK_RV rv = p->f->C_FindObjects(p->session, h, 2, &found);
    p->f->C_FindObjectsFinal(p->session);
    if (rv != CKR_OK || found != 1)
        return err_field(e, "signing_key", "pkcs11_object",
                         "the token holds %s Ed25519 %s key matching the URI",
                         rv != CKR_OK ? "no readable"
                         : found      ? "more than one"
                                      : "no",
                         cls == CKO_PRIVATE_KEY ? "private" : "public");
    *out = h[0];
    return 0;
}

/* SubjectPublicKeyInfo of the token's public key: CKA_EC_POINT is the 32-byte point, DER
 * wrapped in an OCTET STRING by SoftHSM2 and most tokens, bare by some. */
static int public_key(struct signer *s, struct p11 *p, P11KitUri *uri, struct err *e)
{
    static const unsigned char prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                             0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    unsigned char point[80] = {0}, spki[44];
    CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE;
    CK_ATTRIBUTE a = {CKA_EC_POINT, point, sizeof(point)};
    if (find_one(p, uri, CKO_PUBLIC_KEY, &pub, e) < 0)
        return -1;
    if (p->f->C_GetAttributeValue(p->session, pub, &a, 1) != CKR_OK)
        return err_set(e, ERR_INTERNAL, "cannot read the public key from the token");
    const unsigned char *raw = point;
    if (a.ulValueLen == 34 && point[0] == 0x04 && point[1] == 0x20)
        raw = point + 2;
    else if (a.ulValueLen != 32)
        return err_field(e, "signing_key", "ed25519",
                         "the token's key is not an Ed25519 key (point of %lu bytes)",
                         (unsigned long)a.ulValueLen);
    memcpy(spki, prefix, sizeof(prefix));
    memcpy(spki + sizeof(prefix), raw, 32);
    return signer_set_public_key(s, spki, sizeof(spki), e);
}

static int open_session(struct p11 *p, P11KitUri *uri, const char *pin, struct err *e)
{
    CK_SLOT_ID slots[MAX_SLOTS];
    CK_ULONG n = MAX_SLOTS;
    CK_TOKEN_INFO ti;
    if (p->f->C_GetSlotList(CK_TRUE, slots, &n) != CKR_OK)
        return err_set(e, ERR_INTERNAL, "cannot list the token slots");
    for (CK_ULONG i = 0; i < n; i++) {
        if (p->f->C_GetTokenInfo(slots[i], &ti) != CKR_OK ||
            !p11_kit_uri_match_token_info(uri, &ti))
            continue;
        if (p->f->C_OpenSession(slots[i], CKF_SERIAL_SESSION, NULL, NULL, &p->session) != CKR_OK)
            return err_set(e, ERR_INTERNAL, "cannot open a session on the token");
        if (pin) {
            CK_RV rv =
                p->f->C_Login(p->session, CKU_USER, (CK_UTF8CHAR_PTR)pin, (CK_ULONG)strlen(pin));
            if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN)
                return err_field(e, "signing_key_pin", "login",
                                 "the token refused the PIN (CKR 0x%lx)", (unsigned long)rv);
        }
        return 0;
    }
    return err_field(e, "signing_key", "pkcs11_token", "no token matches the URI");
}

struct signer *sign_pkcs11_open(const struct sign_options *o, struct err *e)
{
    struct signer *s = calloc(1, sizeof(*s));
    struct p11 *p = calloc(1, sizeof(*p));
    P11KitUri *uri = p11_kit_uri_new();
    CK_C_GetFunctionList get_list;
    char *shown = NULL;
    if (!s || !p || !uri)
        abort();
    pthread_mutex_init(&p->lock, NULL);
    p->session = CK_INVALID_HANDLE;
    s->impl = p;
    s->ops = &p11_ops;
    snprintf(s->algorithm, sizeof(s->algorithm), "ed25519");
    if (p11_kit_uri_parse(o->spec, P11_KIT_URI_FOR_ANY, uri) != P11_KIT_URI_OK) {
        err_field(e, "signing_key", "pkcs11_uri", "signing_key is not a PKCS#11 URI (RFC 7512)");
        goto fail;
    }
    const char *pin = p11_kit_uri_get_pin_value(uri);
    if (!pin || !*pin)
        pin = o->pin && *o->pin ? o->pin : NULL;
    const char *module = p11_kit_uri_get_module_path(uri);
    if (!module)
        module = DEFAULT_MODULE;
    /* Messages name the URI without its PIN. */
    p11_kit_uri_set_pin_value(uri, NULL);
    if (p11_kit_uri_format(uri, P11_KIT_URI_FOR_ANY, &shown) == P11_KIT_URI_OK)
        snprintf(s->location, sizeof(s->location), "%s", shown);
    free(shown);
    p->dl = dlopen(module, RTLD_NOW | RTLD_LOCAL);
    if (!p->dl) {
        err_field(e, "signing_key", "pkcs11_module", "cannot load the PKCS#11 module %s", module);
        goto fail;
    }
    *(void **)(&get_list) = dlsym(p->dl, "C_GetFunctionList");
    if (!get_list || get_list(&p->f) != CKR_OK) {
        p->f = NULL;
        err_field(e, "signing_key", "pkcs11_module", "%s is not a PKCS#11 module", module);
        goto fail;
    }
    CK_RV rv = p->f->C_Initialize(NULL);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) {
        p->f = NULL;
        err_set(e, ERR_INTERNAL, "the PKCS#11 module %s failed to initialise", module);
        goto fail;
    }
    if (open_session(p, uri, pin, e) < 0 || find_one(p, uri, CKO_PRIVATE_KEY, &p->key, e) < 0 ||
        public_key(s, p, uri, e) < 0)
        goto fail;
    p11_kit_uri_free(uri);
    return s;
fail:
    p11_kit_uri_free(uri);
    p11_close(s);
    free(s);
    return NULL;
}
