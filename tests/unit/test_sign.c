/*
 * test_sign.c - unit tests of src/core/sign.c: key files readable only by the service user,
 * generation with mode 0600, the suite deciding the algorithm, Ed25519 and SM2/SM3 signatures
 * that verify with their own key only, and the settings that name a signer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/err.h"
#include "core/sign.h"

static char dir[64], key[128], spec[160];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/egov-sign-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(key, sizeof(key), "%s/signing.key", dir);
    snprintf(spec, sizeof(spec), "file:%s", key);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unlink(key);
    rmdir(dir);
    return 0;
}

static int open_with(const char *suite, bool generate, struct signer **s, struct err *e)
{
    struct sign_options o = {spec, suite, generate, NULL};
    err_clear(e);
    return signer_open(&o, s, e);
}

static void test_key_file_is_generated_with_mode_0600_only_when_allowed(void **state)
{
    (void)state;
    struct signer *s = NULL;
    struct err e;
    unlink(key);
    assert_int_equal(open_with("ed25519-blake2b", false, &s, &e), -1);
    assert_string_equal(e.fields[0].rule, "readable");
    assert_int_equal(access(key, F_OK), -1);
    assert_int_equal(open_with("ed25519-blake2b", true, &s, &e), 0);
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_string_equal(signer_algorithm(s), "ed25519");
    assert_true(!strncmp(signer_fingerprint(s), "ed25519-", 8));
    assert_int_equal(strlen(signer_fingerprint(s)), 8 + 16);
    signer_close(s);
    /* The same file opens to the same key. */
    char first[200];
    assert_int_equal(open_with("ed25519-blake2b", false, &s, &e), 0);
    snprintf(first, sizeof(first), "%s", signer_public_key(s));
    signer_close(s);
    assert_int_equal(open_with("ed25519-blake2b", true, &s, &e), 0);
    assert_string_equal(signer_public_key(s), first);
    signer_close(s);
}

static void test_key_file_readable_by_others_is_refused(void **state)
{
    (void)state;
    struct signer *s = NULL;
    struct err e;
    unlink(key);
    assert_int_equal(open_with("ed25519-blake2b", true, &s, &e), 0);
    signer_close(s);
    static const mode_t loose[] = {0640, 0604, 0660, 0644, 0610};
    for (size_t i = 0; i < sizeof(loose) / sizeof(loose[0]); i++) {
        assert_int_equal(chmod(key, loose[i]), 0);
        assert_int_equal(open_with("ed25519-blake2b", false, &s, &e), -1);
        assert_null(s);
        assert_string_equal(e.fields[0].field, "signing_key");
        assert_string_equal(e.fields[0].rule, "mode_0600");
    }
    assert_int_equal(chmod(key, 0400), 0);
    assert_int_equal(open_with("ed25519-blake2b", false, &s, &e), 0);
    signer_close(s);
}

static void test_key_of_the_other_suite_is_refused(void **state)
{
    (void)state;
    struct signer *s = NULL;
    struct err e;
    unlink(key);
    assert_int_equal(open_with("sm2-sm3", true, &s, &e), 0);
    assert_string_equal(signer_algorithm(s), "sm2");
    signer_close(s);
    assert_int_equal(open_with("ed25519-blake2b", false, &s, &e), -1);
    assert_string_equal(e.fields[0].rule, "suite");
    assert_int_equal(open_with("sha1-rsa", false, &s, &e), -1);
    assert_string_equal(e.fields[0].field, "crypto_suite");
}

static void sign_and_verify(const char *suite, const char *alg, const char *other_alg)
{
    struct signer *s = NULL;
    struct err e;
    unsigned char sig[SIGN_MAX];
    size_t n = 0;
    static const char msg[] = "{\"edition\":1,\"items\":[]}";
    unlink(key);
    assert_int_equal(open_with(suite, true, &s, &e), 0);
    assert_int_equal(signer_sign(s, msg, strlen(msg), sig, &n, &e), 0);
    assert_true(n > 0 && n <= SIGN_MAX);
    assert_int_equal(sign_verify(alg, signer_public_key(s), msg, strlen(msg), sig, n), 0);
    /* One changed byte of the message or of the signature, or the other algorithm: no. */
    assert_int_equal(sign_verify(alg, signer_public_key(s), msg, strlen(msg) - 1, sig, n), -1);
    sig[n / 2] ^= 1;
    assert_int_equal(sign_verify(alg, signer_public_key(s), msg, strlen(msg), sig, n), -1);
    sig[n / 2] ^= 1;
    assert_int_equal(sign_verify(other_alg, signer_public_key(s), msg, strlen(msg), sig, n), -1);
    char *pem = sign_public_key_pem(signer_public_key(s));
    assert_non_null(pem);
    assert_true(!strncmp(pem, "-----BEGIN PUBLIC KEY-----\n", 27));
    free(pem);
    signer_close(s);
    /* Another key of the same suite does not verify it. */
    unlink(key);
    assert_int_equal(open_with(suite, true, &s, &e), 0);
    assert_int_equal(sign_verify(alg, signer_public_key(s), msg, strlen(msg), sig, n), -1);
    signer_close(s);
}

static void test_ed25519_signatures_verify_with_their_key_only(void **state)
{
    (void)state;
    sign_and_verify("ed25519-blake2b", "ed25519", "sm2");
}

static void test_sm2_sm3_signatures_verify_with_their_key_only(void **state)
{
    (void)state;
    sign_and_verify("sm2-sm3", "sm2", "ed25519");
}

static void test_signer_settings(void **state)
{
    (void)state;
    struct config c;
    struct err e;
    struct signer *s = NULL;
    config_defaults(&c);
    assert_string_equal(c.crypto_suite, "ed25519-blake2b");
    assert_int_equal(c.signing_key_generate, 1);
    err_clear(&e);
    assert_int_equal(config_set(&c, "crypto-suite", "sm2-sm3", &e), 0);
    assert_int_equal(config_set(&c, "crypto_suite", "sm2", &e), -1);
    assert_string_equal(e.fields[0].rule, "enum");
    assert_string_equal(c.crypto_suite, "sm2-sm3");
    struct sign_options o = {"vault:egov", "ed25519-blake2b", false, NULL};
    err_clear(&e);
    assert_int_equal(signer_open(&o, &s, &e), -1);
    assert_string_equal(e.fields[0].rule, "format");
    /* SoftHSM2 and most tokens have no SM2: the sm2-sm3 suite needs a key file. */
    o.spec = "pkcs11:token=egov;object=signing";
    o.suite = "sm2-sm3";
    err_clear(&e);
    assert_int_equal(signer_open(&o, &s, &e), -1);
    assert_string_equal(e.fields[0].rule, "suite");
    /* A module that cannot be loaded is named; the PIN never is. */
    o.spec = "pkcs11:token=egov;object=signing?module-path=/nonexistent/p11.so&pin-value=1234";
    o.suite = "ed25519-blake2b";
    err_clear(&e);
    assert_int_equal(signer_open(&o, &s, &e), -1);
    assert_string_equal(e.fields[0].rule, "pkcs11_module");
    assert_null(strstr(e.message, "1234"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_file_is_generated_with_mode_0600_only_when_allowed),
        cmocka_unit_test(test_key_file_readable_by_others_is_refused),
        cmocka_unit_test(test_key_of_the_other_suite_is_refused),
        cmocka_unit_test(test_ed25519_signatures_verify_with_their_key_only),
        cmocka_unit_test(test_sm2_sm3_signatures_verify_with_their_key_only),
        cmocka_unit_test(test_signer_settings),
    };
    return cmocka_run_group_tests_name("sign", tests, setup, teardown);
}
