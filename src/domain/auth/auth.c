/*
 * auth.c - the rules of logging in: password verification (argon2id, outside any transaction
 * so a slow hash never holds the store's write lock), the slow-down and lock-out ladders of
 * accounts, unknown login names and client addresses (docs/security.md, "Login and lock-out"),
 * session creation and resolution. Every login and every failure is audited; attempts refused by
 * a ladder are counted and recorded once per key and minute. The ladders run on the
 * application's clock (app_now_ms), so tests can step through them.
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

/* Devices and addresses a person logged in from are remembered this long. */
#define KNOWN_MS ((int64_t)90 * 24 * 3600 * 1000)
/* Refused attempts are counted per key in windows of this length; only the first refusal of a
 * window writes an audit record, carrying the count of the window before. */
#define REFUSAL_WINDOW_MS 60000
#define DEVICE_PREFIX     "egd_"

/* One ladder: free failures, then a doubling wait, then the lock. */
struct ladder {
    int slow_after;
    int lock_after;
    int64_t lock_ms;
};

/* Everything known about one attempt before its password is checked. */
struct attempt {
    const char *login;
    bool known;           /* the login names a person */
    struct person p;      /* when known */
    const char *name_key; /* 'n:' + hash of the login: the ladder of an unknown name */
    const char *acct_key; /* 'p:' + id when known, else name_key: the refusal counter */
    const char *addr_key; /* 'a:' + client address */
    int failures;         /* the account's (or the unknown name's) ladder */
    int64_t locked_until;
    int addr_failures;
    int64_t addr_locked_until;
    const char *device_hash; /* of the egov_device cookie sent, or NULL */
    bool trusted_device;     /* that cookie was given to this person at an earlier login */
    bool known_address;      /* this person logged in from this address before */
};

static struct ladder account_ladder(const struct config *cfg)
{
    return (struct ladder){cfg->login_slow_after, cfg->login_lock_after,
                           (int64_t)cfg->login_lock_min * 60000};
}

static struct ladder address_ladder(const struct config *cfg)
{
    return (struct ladder){cfg->login_addr_slow_after, cfg->login_addr_lock_after,
                           (int64_t)cfg->login_lock_min * 60000};
}

/* Waiting time after the n-th consecutive failure: none, then 1 s, 2 s, 4 s … (capped at the
 * lock), then the lock itself. */
static int64_t wait_after(const struct ladder *l, int n)
{
    if (n >= l->lock_after)
        return l->lock_ms;
    if (n < l->slow_after)
        return 0;
    int shift = n - l->slow_after;
    int64_t ms = (int64_t)1000 << (shift > 20 ? 20 : shift);
    return ms < l->lock_ms ? ms : l->lock_ms;
}

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

/* Records an attempt with the person as actor, or (unknown login) only the name: scope 0 makes
 * it a record of the root management institution (see audit_list). */
static int audit_attempt(struct ctx *ctx, const char *action, const struct attempt *a,
                         struct audit_changes *ch)
{
    if (a->known)
        as_actor(ctx, &a->p);
    else
        ctx->caller.login = a->login;
    return audit_append(ctx, action, "session", a->known ? a->p.id : 0,
                        a->known ? a->p.institution_id : 0, ch);
}

/*
 * 19.3: an attempt refused by a ladder costs no hash, so each one must not cost an audit record
 * either: it is counted in key's window, and only the refusal that opens a window is recorded
 * (with the count of the window before). The audit trail grows by one record per key and window
 * however fast the refusals come.
 */
static int refuse_while_locked(struct ctx *ctx, const struct attempt *a, const char *key,
                               const char *why, int failures, int64_t until, int lock_after,
                               int64_t now)
{
    int refused = 0, prev = 0;
    int retry = (int)((until - now + 999) / 1000);
    if (ctx_tx_begin(ctx) < 0 ||
        auth_store_refusal(ctx, key, now, REFUSAL_WINDOW_MS, &refused, &prev) < 0)
        goto fail;
    if (refused == 1) {
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_note(ch, "login", a->login);
        audit_note(ch, "reason", why);
        audit_change_int(ch, "refused_in_previous_window", 0, prev, false);
        if (audit_attempt(ctx, "login.locked", a, ch) < 0)
            goto fail;
    }
    if (ctx_tx_commit(ctx) < 0)
        goto fail;
    memset(&ctx->caller, 0, sizeof(ctx->caller));
    ctx->err.retry_after = retry;
    if (!strcmp(why, "address locked"))
        return refuse(ctx, ERR_RATE_LIMITED, failures >= lock_after ? "locked" : "slow_down",
                      "too many failed logins from your address: try again in %d seconds", retry);
    return refuse(ctx, ERR_RATE_LIMITED, failures >= lock_after ? "locked" : "slow_down",
                  "too many failed logins: this account is locked for %d more seconds", retry);
fail:
    ctx_tx_rollback(ctx);
    memset(&ctx->caller, 0, sizeof(ctx->caller));
    return -1;
}

/* Management is told when a ladder reaches its lock: an audit record in the scope of the
 * person's institution (root's for unknown names and addresses) and a warning in the log. */
static int report_lock(struct ctx *ctx, const struct attempt *a, const char *action,
                       const char *what, int failures, int64_t until)
{
    struct audit_changes *ch = audit_changes_new(ctx);
    char when[32];
    time_format(until, when, sizeof(when));
    audit_note(ch, "login", a->login);
    audit_change_int(ch, "failures", 0, failures, false);
    audit_note(ch, "locked_until", when);
    log_warn("login: %s %s locked until %s after %d failed logins (last from %s)", what,
             !strcmp(action, "login.address_locked") ? ctx->client_ip : a->login, when, failures,
             ctx->client_ip);
    return audit_attempt(ctx, action, a, ch);
}

/* Counts a wrong password on the account (or unknown name) and on the address, in one
 * transaction with its audit record. */
static int count_failure(struct ctx *ctx, struct attempt *a, int64_t now)
{
    const struct config *cfg = &ctx->app->cfg;
    struct ladder acct = account_ladder(cfg), addr = address_ladder(cfg);
    int n = 0, an = 0;
    int64_t wait, await;
    if (ctx_tx_begin(ctx) < 0)
        goto fail;
    if (a->known ? org_store_person_login_failed(ctx, a->p.id, now, now - acct.lock_ms, &n)
                 : auth_store_throttle_fail(ctx, a->name_key, now, now - acct.lock_ms, &n))
        goto fail;
    wait = wait_after(&acct, n);
    if (wait && (a->known ? org_store_person_lock_until(ctx, a->p.id, now + wait)
                          : auth_store_throttle_lock(ctx, a->name_key, now + wait)) < 0)
        goto fail;
    if (auth_store_throttle_fail(ctx, a->addr_key, now, now - addr.lock_ms, &an) < 0)
        goto fail;
    await = wait_after(&addr, an);
    if (await && auth_store_throttle_lock(ctx, a->addr_key, now + await) < 0)
        goto fail;
    /* A device cookie is worth one wrong password: a stolen one cannot be used to guess. */
    if (a->trusted_device && auth_store_known_drop(ctx, a->p.id, "device", a->device_hash) < 0)
        goto fail;
    if (auth_store_prune(ctx, now - acct.lock_ms, now) < 0)
        goto fail;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "login", a->login);
    if (!a->known)
        audit_note(ch, "reason", "unknown login");
    audit_change_int(ch, "failed_logins", n - 1, n, true);
    if (audit_attempt(ctx, "login.failed", a, ch) < 0)
        goto fail;
    if (n == acct.lock_after &&
        report_lock(ctx, a, "login.lockout", "account", n, now + acct.lock_ms) < 0)
        goto fail;
    if (an == addr.lock_after &&
        report_lock(ctx, a, "login.address_locked", "address", an, now + addr.lock_ms) < 0)
        goto fail;
    if (ctx_tx_commit(ctx) < 0)
        goto fail;
    memset(&ctx->caller, 0, sizeof(ctx->caller));
    if (n >= acct.lock_after)
        return refuse(ctx, ERR_UNAUTHORIZED, "locked",
                      "wrong login or password; the account is now locked for %d minutes",
                      cfg->login_lock_min);
    return refuse(ctx, ERR_UNAUTHORIZED, wait ? "slow_down" : "credentials",
                  "wrong login or password");
fail:
    ctx_tx_rollback(ctx);
    memset(&ctx->caller, 0, sizeof(ctx->caller));
    return -1;
}

/* Reads both ladders, and whether the device and address are this person's. */
static int load_attempt(struct ctx *ctx, struct attempt *a, const char *login, const char *device,
                        struct person_secret *secret, int64_t now)
{
    unsigned char h[32];
    char hex[65];
    crypto_generichash(h, sizeof(h), (const unsigned char *)login, strlen(login), NULL, 0);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    a->login = login;
    a->name_key = arena_printf(ctx->arena, "n:%s", hex);
    a->addr_key = arena_printf(ctx->arena, "a:%s", ctx->client_ip);
    int rc = org_store_person_by_login(ctx, login, &a->p, secret);
    if (rc < 0)
        return -1;
    a->known = rc > 0;
    if (a->known) {
        a->acct_key = arena_printf(ctx->arena, "p:%lld", (long long)a->p.id);
        a->failures = secret->failed_logins;
        a->locked_until = secret->locked_until;
    } else {
        a->acct_key = a->name_key;
        if (auth_store_throttle_get(ctx, a->name_key, &a->failures, &a->locked_until) < 0)
            return -1;
    }
    if (auth_store_throttle_get(ctx, a->addr_key, &a->addr_failures, &a->addr_locked_until) < 0)
        return -1;
    if (!a->known)
        return 0;
    if (device && !strncmp(device, DEVICE_PREFIX, sizeof(DEVICE_PREFIX) - 1) &&
        strlen(device) < 100) {
        a->device_hash = hash_token(ctx, device);
        rc = auth_store_known_has(ctx, a->p.id, "device", a->device_hash, now - KNOWN_MS);
        if (rc < 0)
            return -1;
        a->trusted_device = rc > 0;
    }
    rc = ctx->client_ip[0]
             ? auth_store_known_has(ctx, a->p.id, "address", ctx->client_ip, now - KNOWN_MS)
             : 0;
    if (rc < 0)
        return -1;
    a->known_address = rc > 0;
    return 0;
}

/* A new device token (arena-owned), given as a cookie at a successful login. */
static const char *new_device(struct ctx *ctx)
{
    unsigned char raw[TOKEN_BYTES];
    size_t cap = sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *token = arena_alloc(ctx->arena, cap + sizeof(DEVICE_PREFIX));
    randombytes_buf(raw, sizeof(raw));
    memcpy(token, DEVICE_PREFIX, sizeof(DEVICE_PREFIX) - 1);
    sodium_bin2base64(token + sizeof(DEVICE_PREFIX) - 1, cap, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return token;
}

int auth_login(struct ctx *ctx, const char *login, const char *password, const char *device,
               struct session_grant *out)
{
    struct attempt a;
    struct person_secret secret;
    struct institution inst;
    const struct config *cfg = &ctx->app->cfg;
    int64_t now = app_now_ms(ctx->app);

    memset(&a, 0, sizeof(a));
    memset(&secret, 0, sizeof(secret));
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
    if (load_attempt(ctx, &a, login, device, &secret, now) < 0)
        return -1;

    /* 19.2: neither ladder may shut an owner out. A device that logged in as this person before
     * passes both; an address this person logged in from passes the account's lock (it is still
     * held to its own ladder). Everything else waits, known login or not, with the same answer. */
    if (a.addr_locked_until > now && !a.trusted_device)
        return refuse_while_locked(ctx, &a, a.addr_key, "address locked", a.addr_failures,
                                   a.addr_locked_until, cfg->login_addr_lock_after, now);
    if (a.locked_until > now && !a.trusted_device && !a.known_address)
        return refuse_while_locked(ctx, &a, a.acct_key, "attempt while locked", a.failures,
                                   a.locked_until, cfg->login_lock_after, now);

    /* An unknown login costs the same verification: its result does not matter. */
    if (!a.known) {
        if (crypto_pwhash_str_verify(dummy_hash, password, strlen(password)) == 0)
            log_warn("dummy password matched");
        return count_failure(ctx, &a, now);
    }
    if (crypto_pwhash_str_verify(secret.password_hash, password, strlen(password)) != 0)
        return count_failure(ctx, &a, now);

    int rc = org_store_inst_get(ctx, a.p.institution_id, &inst);
    if (rc <= 0)
        return rc < 0 ? -1 : err_set(&ctx->err, ERR_INTERNAL, "institution missing");
    if (!a.p.enabled || strcmp(inst.status, "active") != 0) {
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_note(ch, "login", login);
        audit_note(ch, "reason", !a.p.enabled ? "person disabled" : "institution not active");
        as_actor(ctx, &a.p);
        audit_append_alone(ctx, "login.refused", "session", a.p.id, a.p.institution_id, ch);
        memset(&ctx->caller, 0, sizeof(ctx->caller));
        return refuse(
            ctx, ERR_UNAUTHORIZED, !a.p.enabled ? "disabled" : "institution_inactive", "%s",
            !a.p.enabled ? "this account is disabled" : "your institution is suspended or revoked");
    }
    as_actor(ctx, &a.p);
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "login", login);
    if (a.locked_until > now)
        audit_note(ch, "admitted_while_locked",
                   a.trusted_device ? "known device" : "known address");
    out->device_token = a.trusted_device ? NULL : new_device(ctx);
    /* A success ends the ladder, except when the owner was let through a lock an attacker holds
     * on: then the lock stays for everyone else. */
    bool reset = a.failures && a.locked_until <= now;
    if (ctx_tx_begin(ctx) < 0 || (reset && org_store_person_login_state(ctx, a.p.id, 0, 0) < 0) ||
        auth_store_purge(ctx, a.p.id, now) < 0 ||
        (ctx->client_ip[0] &&
         auth_store_known_add(ctx, a.p.id, "address", ctx->client_ip, now, now - KNOWN_MS) < 0) ||
        auth_store_known_add(ctx, a.p.id, "device",
                             a.trusted_device ? a.device_hash : hash_token(ctx, out->device_token),
                             now, now - KNOWN_MS) < 0 ||
        open_session(ctx, &a.p, out) < 0 ||
        audit_append(ctx, "login", "session", a.p.id, a.p.institution_id, ch) < 0 ||
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
