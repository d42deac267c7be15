/*
 * test_digest.c - the two hashes of the crypto suites against their published test vectors:
 * SM3 from GB/T 32905-2016 (appendix A) and BLAKE2b-256 from the BLAKE2 reference vectors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "core/config.h"
#include "core/digest.h"
#include "core/err.h"

static void test_sm3_vectors_of_gbt_32905(void **state)
{
    char hex[DIGEST_HEX];
    char msg[65];
    (void)state;
    digest_hex(DIGEST_SM3, "abc", 3, hex);
    assert_string_equal(hex, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    for (int i = 0; i < 16; i++)
        memcpy(msg + 4 * i, "abcd", 4);
    digest_hex(DIGEST_SM3, msg, 64, hex);
    assert_string_equal(hex, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

static void test_streaming_equals_one_shot(void **state)
{
    static const enum digest_alg algs[] = {DIGEST_BLAKE2B, DIGEST_SM3};
    (void)state;
    for (size_t a = 0; a < 2; a++) {
        struct digest d;
        unsigned char h[DIGEST_BYTES];
        char one[DIGEST_HEX], parts[DIGEST_HEX];
        digest_hex(algs[a], "abcdefgh", 8, one);
        digest_init(&d, algs[a]);
        digest_update(&d, "abc", 3);
        digest_update(&d, "", 0);
        digest_update(&d, "defgh", 5);
        digest_final(&d, h);
        sodium_bin2hex(parts, sizeof(parts), h, sizeof(h));
        assert_string_equal(one, parts);
    }
}

static void test_blake2b_256_vector_and_names(void **state)
{
    char hex[DIGEST_HEX];
    enum digest_alg alg;
    (void)state;
    digest_hex(DIGEST_BLAKE2B, "abc", 3, hex);
    assert_string_equal(hex, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assert_int_equal(digest_of_suite("sm2-sm3"), DIGEST_SM3);
    assert_int_equal(digest_of_suite("ed25519-blake2b"), DIGEST_BLAKE2B);
    assert_int_equal(digest_parse("sm3", &alg), 0);
    assert_int_equal(alg, DIGEST_SM3);
    assert_string_equal(digest_name(DIGEST_BLAKE2B), "blake2b");
    assert_int_equal(digest_parse("md5", &alg), -1);
}

static void test_config_names_the_two_suites_only(void **state)
{
    struct config c;
    struct err e;
    (void)state;
    config_defaults(&c);
    err_clear(&e);
    assert_string_equal(c.crypto_suite, "ed25519-blake2b");
    assert_int_equal(config_set(&c, "crypto-suite", "sm2-sm3", &e), 0);
    assert_string_equal(c.crypto_suite, "sm2-sm3");
    assert_int_equal(config_set(&c, "crypto_suite", "rsa-sha1", &e), -1);
    assert_string_equal(e.fields[0].field, "crypto_suite");
    assert_string_equal(c.crypto_suite, "sm2-sm3");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sm3_vectors_of_gbt_32905),
        cmocka_unit_test(test_streaming_equals_one_shot),
        cmocka_unit_test(test_blake2b_256_vector_and_names),
        cmocka_unit_test(test_config_names_the_two_suites_only),
    };
    return cmocka_run_group_tests_name("digest", tests, NULL, NULL);
}
