/*
 * auth.c - the rules of logging in: password verification (argon2id, outside any transaction
 * so a slow hash never holds the store's write lock), the slow-down and lock-out ladder, session
 * creation and resolution. Every attempt, good or bad, is audited.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "auth.h"
#include "auth_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/digest.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/org/org_store.h"
#include "domain/validate.h"
#include "core/banned.h"

#define TOKEN_BYTES  32
#define TOKEN_PREFIX "egv_"

static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* An unknown login costs the same argon2id verification as a known one, so response time does
 * not reveal which logins exist. */
static void make_dummy(void)
{
    if (crypto_pwhash_str(dummy_hash, "egov-dummy-password", 19, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = 0;
}

/* Sessions are stored and found by the hash of the suite configured now (BLAKE2b-256, or SM3
 * with sm2-sm3). After a switch of suite the sessions hashed the other way are simply not
 * found: their holders log in again (docs/audit.md, "Switching suites"). */
static const char *hash_token(struct ctx *ctx, const char *token)
{
    char *hex = arena_alloc(ctx->arena, DIGEST_HEX);
    digest_hex(digest_of_suite(ctx->app->cfg.crypto_suite), token, strlen(token), hex);
    return hex;
}

const char *auth_csrf_of(struct ctx *ctx, const char *token)
{
    static const unsigned char key[] = "egov csrf token derivation key 1";
    unsigned char h[16];
    char *hex = arena_alloc(ctx->arena, 33);
    crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), key, 32);
    sodium_bin2hex(hex, 33, h, sizeof(h));
    return hex;
}

static int open_session(struct ctx *ctx, const struct person *p, struct session_grant *out)
{
    unsigned char raw[TOKEN_BYTES];
    size_t cap = sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *token = arena_alloc(ctx->arena, cap + sizeof(TOKEN_PREFIX));
    int64_t now = time_now_ms();

    randombytes_buf(raw, sizeof(raw));
    memcpy(token, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1);
    sodium_bin2base64(token + sizeof(TOKEN_PREFIX) - 1, cap, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    out->token = token;
    out->csrf_token = auth_csrf_of(ctx, token);
    out->expires_at = now + (int64_t)ctx->app->cfg.session_ttl_min * 60000;
    out->person = *p;
    if (auth_store_insert(ctx, hash_token(ctx, token), p->id, now, out->expires_at) < 0)
        return -1;
    if (org_store_person_posts(ctx, p->id, &out->person.posts, &out->person.n_posts) < 0)
        return -1;
    return org_store_inst_get(ctx, p->institution_id, &out->institution) < 0 ? -1 : 0;
}

static void as_actor(struct ctx *ctx, const struct person *p)
{
    ctx->caller.person_id = p->id;
    ctx->caller.institution_id = p->institution_id;
    ctx->caller.login = p->login;
}

static int audit_attempt(struct ctx *ctx, const char *action, const char *login,
                         const struct person *p, const char *why)
{
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "login", login);
    if (why)
        audit_note(ch, "reason", why);
    if (p)
        as_actor(ctx, p);
    else
        ctx->caller.login = login;
    return audit_append_alone(ctx, action, "session", p ? p->id : 0, p ? p->institution_id : 0, ch);
}

/* Waiting time after the n-th consecutive failure: none, then 1 s, 2 s, 4 s … (capped at the
 * lock), then the lock itself. */
/* A stable reason beside the words, so that clients need not parse the detail. */
static int refuse(struct ctx *ctx, enum err_kind kind, const char *rule, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int refuse(struct ctx *ctx, enum err_kind kind, const char *rule, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ctx->err.message, sizeof(ctx->err.message), fmt, ap);
    va_end(ap);
    ctx->err.kind = kind;
    snprintf(ctx->err.rule, sizeof(ctx->err.rule), "%s", rule);
    return -1;
}

static int64_t lock_for(const struct config *cfg, int n)
{
    if (n >= cfg->login_lock_after)
        return (int64_t)cfg->login_lock_min * 60000;
    if (n < cfg->login_slow_after)
        return 0;
    int shift = n - cfg->login_slow_after;
    int64_t ms = (int64_t)1000 << (shift > 20 ? 20 : shift);
    int64_t cap = (int64_t)cfg->login_lock_min * 60000;
    return ms < cap ? ms : cap;
}

int auth_login(struct ctx *ctx, const char *login, const char *password, struct session_grant *out)
{
    struct person p;
    struct person_secret secret;
    struct institution inst;
    int64_t now = time_now_ms();

    if (!login || !*login || !password || !*password) {
        if (!login || !*login)
            err_field(&ctx->err, "login", "required", "login is required");
        if (!password || !*password)
            err_field(&ctx->err, "password", "required", "password is required");
        return -1;
    }
    if (strlen(login) > 64 || strlen(password) > 1024)
        return err_set(&ctx->err, ERR_UNAUTHORIZED, "wrong login or password");
    pthread_once(&dummy_once, make_dummy);

    int rc = org_store_person_by_login(ctx, login, &p, &secret);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        /* The result does not matter: the call only spends the same time. */
        if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            log_warn("dummy password matched");
        audit_attempt(ctx, "login.failed", login, NULL, "unknown login");
        return refuse(ctx, ERR_UNAUTHORIZED, "credentials", "wrong login or password");
    }
    if (secret.locked_until > now) {
        ctx->err.retry_after = (int)((secret.locked_until - now + 999) / 1000);
        audit_attempt(ctx, "login.locked", login, &p, "attempt while locked");
        return refuse(ctx, ERR_RATE_LIMITED,
                      secret.failed_logins >= ctx->app->cfg.login_lock_after ? "locked"
                                                                             : "slow_down",
                      "too many failed logins: this account is locked for %d more seconds",
                      ctx->err.retry_after);
    }
    if (crypto_pwhash_str_verify(secret.password_hash, password, strlen(password)) != 0) {
        int n = secret.failed_logins + 1;
        int64_t wait = lock_for(&ctx->app->cfg, n);
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_note(ch, "login", login);
        audit_change_int(ch, "failed_logins", secret.failed_logins, n, true);
        as_actor(ctx, &p);
        if (ctx_tx_begin(ctx) < 0 ||
            org_store_person_login_state(ctx, p.id, n, wait ? now + wait : 0) < 0 ||
            audit_append(ctx, "login.failed", "session", p.id, p.institution_id, ch) < 0 ||
            ctx_tx_commit(ctx) < 0) {
            ctx_tx_rollback(ctx);
            return -1;
        }
        memset(&ctx->caller, 0, sizeof(ctx->caller));
        if (n >= ctx->app->cfg.login_lock_after)
            return refuse(ctx, ERR_UNAUTHORIZED, "locked",
                          "wrong login or password; the account is now locked for %d minutes",
                          ctx->app->cfg.login_lock_min);
        return refuse(ctx, ERR_UNAUTHORIZED, wait ? "slow_down" : "credentials",
                      "wrong login or password");
    }
    rc = org_store_inst_get(ctx, p.institution_id, &inst);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "institution missing");
    if (!p.enabled || strcmp(inst.status, "active") != 0) {
        audit_attempt(ctx, "login.refused", login, &p,
                      !p.enabled ? "person disabled" : "institution not active");
        memset(&ctx->caller, 0, sizeof(ctx->caller));
        return refuse(ctx, ERR_UNAUTHORIZED, !p.enabled ? "disabled" : "institution_inactive", "%s",
                      !p.enabled ? "this account is disabled"
                                 : "your institution is suspended or revoked");
    }
    as_actor(ctx, &p);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "login", login);
    if (ctx_tx_begin(ctx) < 0 ||
        (secret.failed_logins && org_store_person_login_state(ctx, p.id, 0, 0) < 0) ||
        auth_store_purge(ctx, p.id, now) < 0 || open_session(ctx, &p, out) < 0 ||
        audit_append(ctx, "login", "session", p.id, p.institution_id, ch) < 0 ||
        ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        return -1;
    }
    return 0;
}

int auth_session_open(struct ctx *ctx, int64_t person_id, struct session_grant *out)
{
    struct person p;
    int rc = org_store_person_get(ctx, person_id, &p, NULL);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_NOT_FOUND, "person not found");
    if (ctx_tx_begin(ctx) < 0 || open_session(ctx, &p, out) < 0 || ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        return -1;
    }
    return 0;
}

int auth_resolve(struct ctx *ctx, const char *token)
{
    struct caller c;
    const char *hash;
    memset(&c, 0, sizeof(c));
    if (!token || strncmp(token, TOKEN_PREFIX, sizeof(TOKEN_PREFIX) - 1) != 0 ||
        strlen(token) > 100)
        return err_set(&ctx->err, ERR_UNAUTHORIZED, "invalid session token");
    hash = hash_token(ctx, token);
    int rc = auth_store_resolve(ctx, hash, time_now_ms(), &c);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(&ctx->err, ERR_UNAUTHORIZED,
                       "your session has expired or was ended; please log in again");
    c.session_hash = hash;
    if (org_store_person_grants(ctx, c.person_id, today(ctx), &c.grants) < 0)
        return -1;
    ctx->caller = c;
    return 0;
}

int auth_logout(struct ctx *ctx)
{
    if (!ctx->caller.session_hash)
        return err_set(&ctx->err, ERR_UNAUTHORIZED, "not logged in");
    if (ctx_tx_begin(ctx) < 0 || auth_store_revoke(ctx, ctx->caller.session_hash) < 0 ||
        audit_append(ctx, "logout", "session", ctx->caller.person_id, ctx->caller.institution_id,
                     NULL) < 0 ||
        ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        return -1;
    }
    return 0;
}
