/*
 * jobs.c - the periodic jobs and their scheduler thread (see jobs.h).
 */
#include <errno.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "jobs.h"
#include "app.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/log.h"
#include "db/db.h"
#include "domain/agreement/agreement.h"
#include "domain/audit/audit.h"
#include "core/banned.h"

/* One advisory-lock key per job (PostgreSQL), distinct from the migration lock. */
enum { LOCK_AGREEMENT_EXPIRY = 1701277601, LOCK_AUDIT_CHECKPOINT = 1701277602 };

/* 1 when this node holds the job's lock for the transaction, 0 when another node has it. */
static int take_lock(struct ctx *ctx, int64_t key)
{
    struct db_conn *c = ctx_db(ctx);
    int64_t got = 0;
    if (!c)
        return -1;
    if (db_conn_kind(c) != DB_PG)
        return 1; /* SQLite: BEGIN IMMEDIATE already made this the only writer */
    if (db_query_int(c, "SELECT CASE WHEN pg_try_advisory_xact_lock($1) THEN 1 ELSE 0 END",
                     DB_ARGS(DB_INT(key)), &got, &ctx->err) < 0)
        return -1;
    return got == 1;
}

static int expire_agreements(struct ctx *ctx, struct jobs_report *r)
{
    int n = 0, held;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    held = take_lock(ctx, LOCK_AGREEMENT_EXPIRY);
    if (held <= 0) {
        ctx_tx_rollback(ctx);
        if (held == 0)
            r->skipped++;
        return held;
    }
    if (agreement_expire_due(ctx, &n) < 0 || ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        return -1;
    }
    r->agreements_expired += n;
    if (n)
        log_info("job agreement-expiry: %d agreement(s) expired", n);
    return 0;
}

/* A signed checkpoint of the audit head at least once a day (docs/audit.md). */
static int checkpoint_audit(struct ctx *ctx, struct jobs_report *r)
{
    int published = 0, held;
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    held = take_lock(ctx, LOCK_AUDIT_CHECKPOINT);
    if (held <= 0) {
        ctx_tx_rollback(ctx);
        if (held == 0)
            r->skipped++;
        return held;
    }
    if (audit_checkpoint_due(ctx, &published) < 0 || ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        return -1;
    }
    r->audit_checkpoints += published;
    if (published)
        log_info("job audit-checkpoint: the audit head was signed");
    /* Also after a run that published nothing: an export that failed before catches up. */
    return audit_checkpoint_export(ctx);
}

int jobs_run_once(struct app *app, struct jobs_report *r, struct err *e)
{
    struct arena *arena = arena_new();
    struct ctx *ctx = ctx_new(app, arena);
    int rc = 0;
    memset(r, 0, sizeof(*r));
    ctx->caller.is_system = true;
    ctx->caller.login = "egov-jobs";
    ctx->caller.name = "periodic jobs";
    snprintf(ctx->request_id, sizeof(ctx->request_id), "jobs");
    if (expire_agreements(ctx, r) < 0) {
        *e = ctx->err;
        log_warn("job agreement-expiry failed: %s", ctx->err.message);
        rc = -1;
    }
    err_clear(&ctx->err);
    if (checkpoint_audit(ctx, r) < 0) {
        if (rc == 0)
            *e = ctx->err;
        log_warn("job audit-checkpoint failed: %s", ctx->err.message);
        rc = -1;
    }
    ctx_release_db(ctx);
    arena_free(arena);
    return rc;
}

static struct {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool running, stop;
    struct app *app;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static void *scheduler(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&sched.lock);
    while (!sched.stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += sched.app->cfg.jobs_interval_s;
        while (!sched.stop &&
               pthread_cond_timedwait(&sched.wake, &sched.lock, &until) != ETIMEDOUT) {
        }
        if (sched.stop)
            break;
        pthread_mutex_unlock(&sched.lock);
        struct jobs_report r;
        struct err e;
        err_clear(&e);
        (void)jobs_run_once(sched.app, &r, &e); /* failures are logged; the next round retries */
        pthread_mutex_lock(&sched.lock);
    }
    pthread_mutex_unlock(&sched.lock);
    return NULL;
}

int jobs_start(struct app *app)
{
    if (app->cfg.jobs_interval_s <= 0)
        return 0;
    sched.app = app;
    sched.stop = false;
    if (pthread_create(&sched.thread, NULL, scheduler, NULL) != 0)
        return -1;
    sched.running = true;
    log_info("periodic jobs every %d s", app->cfg.jobs_interval_s);
    return 0;
}

void jobs_stop(void)
{
    if (!sched.running)
        return;
    pthread_mutex_lock(&sched.lock);
    sched.stop = true;
    pthread_cond_signal(&sched.wake);
    pthread_mutex_unlock(&sched.lock);
    pthread_join(sched.thread, NULL);
    sched.running = false;
}

/* `egov jobs run`: the jobs once, for cron or for a node started with jobs_interval_s = 0. */
int cmd_jobs(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct err e;
    struct jobs_report r;
    static const char usage[] = "usage: egov jobs run [--db URL]";
    if (argc < 1 || strcmp(argv[0], "run") != 0) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, NULL, 0);
    if (rc)
        return rc > 0 ? 0 : 2;
    err_clear(&e);
    if (app_init(&app, &cfg, &e) < 0)
        return cli_fail(&e);
    rc = jobs_run_once(&app, &r, &e);
    if (rc == 0)
        printf("jobs done: %d agreement(s) expired, %d audit checkpoint(s) published%s\n",
               r.agreements_expired, r.audit_checkpoints,
               r.skipped ? " (another node ran some jobs)" : "");
    else
        rc = cli_fail(&e);
    app_release(&app);
    return rc;
}
