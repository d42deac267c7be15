/*
 * harness.h - in-process API tests: a real store (SQLite file or a fresh PostgreSQL database,
 * chosen by EGOV_TEST_STORE=sqlite|pg), the real router, requests built by hand and passed to
 * router_dispatch without a socket (h2o's habit). One fixture of institutions and people serves
 * every suite: see docs/permissions.md, "The matrix".
 */
#ifndef EGOV_TEST_HARNESS_H
#define EGOV_TEST_HARNESS_H

#include <setjmp.h>
#include <stdio.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>

#include "app.h"

struct who {
    const char *name;
    int64_t person_id;
    int64_t inst_id;
    char login[64];
    char token[128];
    char csrf[64];
};

enum {
    W_ANON,
    W_M_ADMIN,
    W_M_MEMBER,
    W_M1_ADMIN,
    W_M2_ADMIN,
    W_P_ADMIN,
    W_P_MEMBER,
    W_E_ADMIN,
    W_U1_ADMIN,
    W_U1_MEMBER,
    W_U2_ADMIN,
    W_COUNT
};

struct th {
    struct app app;
    char sqlite_path[256];
    char key_path[256];        /* the signing key file of the run (generated) */
    char checkpoint_path[256]; /* the audit checkpoint file of this run */
    int64_t m, m1, m2, p, e, u1, u2;
    struct who who[W_COUNT];
    int serial;
};

struct th_resp {
    int status;
    json_t *json; /* owned by the harness until the next call */
    char etag[64];
    char retry_after[16];
    char set_cookie[256];    /* the session cookie */
    char device_cookie[256]; /* the egov_device cookie of a login */
    char allow[64];
    char content_type[64];
    char body[65536];
};

extern struct th *T;
/* The client address of the next calls ("127.0.0.1" unless a test changes it). */
extern const char *th_client_ip;
#define TEST_PASSWORD "Test-Password-1"

/* cmocka group setup/teardown: open the store named by the environment, build the fixture. */
int th_setup(void **state);
int th_teardown(void **state);

/* Sends one request. body may be NULL; headers are "Name: value" strings, NULL-terminated. */
struct th_resp *th_call(const char *method, const char *path, const struct who *w,
                        const char *body);
struct th_resp *th_callh(const char *method, const char *path, const struct who *w,
                         const char *body, const char *const *headers);
struct th_resp *th_callf(const char *method, const struct who *w, const char *body_fmt,
                         const char *path_fmt, ...);

/* Field helpers on the last JSON answer. */
int64_t jint(json_t *o, const char *key);
const char *jstr(json_t *o, const char *key);
/* True when the problem's errors[] has field with rule. */
int has_field_error(json_t *problem, const char *field, const char *rule);

/* Fixture builders, through the services as the system operator. */
const char *th_uscc(void);  /* a fresh valid credit code */
const char *th_login(void); /* a fresh login */
int64_t th_institution(int64_t parent, const char *kind, const char *level);
int64_t th_person(int64_t inst, bool admin, const char *team);
/* Opens a session for a person without the password (no argon2); fills w. */
void th_session(struct who *w, int64_t person_id);
/* A system context for direct service calls; released at the next call. */
struct ctx *th_ctx(void);
/* Runs raw SQL on the test store (for tampering tests). */
int th_sql(const char *sql);
int64_t th_sql_int(const char *sql);

/* The crypto suite of this run: "ed25519-blake2b" or "sm2-sm3" (EGOV_CRYPTO_SUITE). */
const char *th_suite(void);
/* Checks the base64 signature sig64 of body with the PEM public key exactly as docs/keys.md
 * tells anyone to (openssl pkeyutl -verify, with SM3 and the SM2 id under sm2-sm3), and that
 * the same signature fails for a body with one changed byte. Fails the test otherwise. */
void th_openssl_verify(const char *body, const char *sig64, const char *pem);
/* Same, answering the openssl exit status for body as it is (no tampering check). */
int th_openssl_check(const char *body, const char *sig64, const char *pem);

/* Evaluates r once: it is usually the call itself. */
#define assert_status(r, s)                                                                        \
    do {                                                                                           \
        struct th_resp *r_ = (r);                                                                  \
        if (r_->status != (s))                                                                     \
            fprintf(stderr, "status %d, expected %d: %s\n", r_->status, (s), r_->body);            \
        assert_int_equal(r_->status, (s));                                                         \
    } while (0)

#endif
