/*
 * app.h - the long-lived application object and the per-request (or per-command) context.
 *
 * struct app is built once at start (app_init) and released once (app_release); it is shared
 * read-only by every worker thread. struct ctx is what reaches every service call: the arena
 * that owns the request's memory, the store connection (taken on first use and returned when the
 * arena is freed), the caller, and the error being reported. There is no other mutable state.
 */
#ifndef EGOV_APP_H
#define EGOV_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/err.h"

struct arena;
struct db;
struct db_conn;
struct metrics;
struct signer;

struct app {
    struct config cfg;
    struct db *db;
    struct metrics *metrics;
    struct signer *signer; /* NULL until app_open_signer */
    int64_t started_ms;
    /* The wall clock of the rules that count time (login ladders); NULL = time_now_ms. Tests
     * set their own to step through time without sleeping. */
    int64_t (*clock_ms)(void);
};

/* Who is calling: filled by auth from the session, or the CLI operator. person_id 0 = anonymous. */
struct caller {
    int64_t person_id;
    int64_t institution_id;
    const char *login;
    const char *name;
    const char *inst_kind; /* "management" | "provider" | "evaluator" | "user" */
    const char *inst_level;
    bool is_admin;
    bool is_system;  /* the CLI operator acting on the store directly */
    bool via_cookie; /* authenticated by the console cookie: unsafe methods need the CSRF header */
    const char *session_hash;
    const char *csrf_token; /* of the session in use, for the console to resume in a new tab */
    const char *grants;     /* comma-separated permissions granted by the caller's posts */
    int64_t session_expires_at;
};

struct ctx {
    struct app *app;
    struct arena *arena;
    struct db_conn *conn;
    struct caller caller;
    struct err err;
    char request_id[40];
    char client_ip[64];
    /* The object the route's path names, as the dispatcher's guard loaded it within the
     * caller's jurisdiction: the check and the load are one query, and reads of the same object
     * outside a transaction take it from here (kind: the entity descriptor; inst_id: the
     * institution whose jurisdiction made it visible). ctx_tx_begin forgets it, so a write
     * checks again inside its transaction. */
    struct {
        const void *kind;
        int64_t id, inst_id;
        const void *row; /* arena-owned */
    } scoped;
};

int app_init(struct app *app, const struct config *cfg, struct err *e);
void app_release(struct app *app);
/* Opens the signing key named by the settings (core/sign.h) into app->signer; the commands that
 * sign (serve, demo, keys) call it once at start, so that a key file with a loose mode or a
 * missing token stops them there. */
int app_open_signer(struct app *app, struct err *e);
/* The signing_key setting in effect: as set, or "file:<folder of the SQLite store>/signing.key"
 * when empty; -1 when it is empty on PostgreSQL. */
int app_signing_key_spec(const struct config *cfg, char *out, size_t cap, struct err *e);

/* Now, in Unix ms, by the application's clock. */
int64_t app_now_ms(const struct app *app);

/* A context for one request/command; arena-owned, released with the arena. */
struct ctx *ctx_new(struct app *app, struct arena *arena);
/* The store connection for this context, acquired on first use; NULL with ctx->err set. */
struct db_conn *ctx_db(struct ctx *ctx);
/* Gives the store connection back now (a rolled-back transaction if one is open). The
 * dispatcher calls it as soon as the answer is rendered: a connection must never wait for the
 * event loop to finish sending, or the workers can end up waiting on each other for one. */
void ctx_release_db(struct ctx *ctx);
/* One transaction per request: begin, and commit or roll back. */
int ctx_tx_begin(struct ctx *ctx);
int ctx_tx_commit(struct ctx *ctx);
void ctx_tx_rollback(struct ctx *ctx);

#endif
