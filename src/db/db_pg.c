/*
 * db_pg.c - the PostgreSQL driver (libpq). Statements are prepared once per connection under a
 * name derived from their text and run with text parameters; results are read whole.
 * A broken connection is reset when the pool hands it out again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db_impl.h"
#include "core/err.h"
#include "core/log.h"
#include "core/banned.h"

#define CACHE_SLOTS 256
#define MAX_PARAMS  64

struct pslot {
    uint64_t hash;
    char *sql;
    char name[24];
};

struct pg_conn {
    PGconn *h;
    struct pslot cache[CACHE_SLOTS];
};

struct pg_rows {
    PGresult *res;
    int row;
    int n_rows;
};

static int fail_result(struct pg_conn *c, PGresult *res, struct err *e)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && !strcmp(state, "23505")) {
        snprintf(e->rule, sizeof(e->rule), "unique");
        return err_set(e, ERR_CONFLICT, "a record with the same key already exists");
    }
    if (state && !strcmp(state, "23503")) {
        snprintf(e->rule, sizeof(e->rule), "foreign_key");
        return err_set(e, ERR_CONFLICT, "the record is referenced by, or refers to, another");
    }
    if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") || !strcmp(state, "55P03")))
        return err_set(e, ERR_UNAVAILABLE, "the store is busy, try again");
    if (PQstatus(c->h) != CONNECTION_OK)
        return err_set(e, ERR_UNAVAILABLE, "the store is unreachable");
    log_error("postgresql error %s: %s", state ? state : "?", PQerrorMessage(c->h));
    return err_set(e, ERR_INTERNAL, "store error");
}

static void clear_cache(struct pg_conn *c)
{
    for (int i = 0; i < CACHE_SLOTS; i++) {
        free(c->cache[i].sql);
        c->cache[i].sql = NULL;
        c->cache[i].hash = 0;
    }
}

static void on_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (e.g. "relation already exists, skipping") are not errors. */
}

static int pg_connect(const char *url, void **out, struct err *e)
{
    struct pg_conn *c = calloc(1, sizeof(*c));
    if (!c)
        die("out of memory");
    c->h = PQconnectdb(url);
    if (PQstatus(c->h) != CONNECTION_OK) {
        /* libpq's message may echo the URL; it never contains the password it was given. */
        err_set(e, ERR_UNAVAILABLE, "cannot connect to PostgreSQL: %s", PQerrorMessage(c->h));
        PQfinish(c->h);
        free(c);
        return -1;
    }
    PQsetNoticeProcessor(c->h, on_notice, NULL);
    PGresult *r = PQexec(c->h, "SET TIME ZONE 'UTC'; SET client_min_messages = warning");
    PQclear(r);
    *out = c;
    return 0;
}

static void pg_disconnect(void *p)
{
    struct pg_conn *c = p;
    if (!c)
        return;
    clear_cache(c);
    PQfinish(c->h);
    free(c);
}

static int pg_ensure(void *p, struct err *e)
{
    struct pg_conn *c = p;
    if (PQstatus(c->h) == CONNECTION_OK)
        return 0;
    PQreset(c->h);
    clear_cache(c); /* a new session has no prepared statements */
    if (PQstatus(c->h) != CONNECTION_OK)
        return err_set(e, ERR_UNAVAILABLE, "the store is unreachable");
    return 0;
}

static int to_params(const struct db_val *p, int n, char bufs[][24], const char **vals,
                     struct err *e)
{
    if (n > MAX_PARAMS)
        return err_set(e, ERR_INTERNAL, "too many parameters");
    for (int i = 0; i < n; i++) {
        switch (p[i].type) {
        case DBV_INT:
            snprintf(bufs[i], 24, "%lld", (long long)p[i].i);
            vals[i] = bufs[i];
            break;
        case DBV_TEXT:
            vals[i] = p[i].s;
            break;
        default:
            vals[i] = NULL;
        }
    }
    return 0;
}

/* Runs sql as a named prepared statement, preparing it on first use on this connection. */
static PGresult *run(struct pg_conn *c, const char *sql, const struct db_val *p, int n,
                     struct err *e)
{
    char bufs[MAX_PARAMS][24];
    const char *vals[MAX_PARAMS];
    if (to_params(p, n, bufs, vals, e) < 0)
        return NULL;
    /* Transaction control is not prepared: it has no parameters and runs often. */
    if (n == 0 && (!strcmp(sql, "BEGIN") || !strcmp(sql, "COMMIT") || !strcmp(sql, "ROLLBACK")))
        return PQexec(c->h, sql);
    /* A search's best plan depends on its pattern: a generic plan of a prepared LIKE query
     * walks the primary key hoping for early matches and reads the whole table when there are
     * none, while a plan made for the actual pattern uses the pg_trgm index. Such statements
     * are planned for each execution. */
    if (strstr(sql, " LIKE "))
        return PQexecParams(c->h, sql, n, NULL, vals, NULL, NULL, 0);
    uint64_t h = db_sql_hash(sql);
    struct pslot *s = &c->cache[h % CACHE_SLOTS];
    bool cached = s->sql && s->hash == h && !strcmp(s->sql, sql);
    /* In a failed transaction only its end may run (ROLLBACK TO SAVEPOINT is parsed, DEALLOCATE
     * is not): replacing the slot's statement then would leave the old one prepared on the
     * server while the cache forgets it, and preparing that SQL again later fails with 42P05. */
    if (!cached && PQtransactionStatus(c->h) == PQTRANS_INERROR)
        return PQexecParams(c->h, sql, n, NULL, vals, NULL, NULL, 0);
    if (!cached) {
        char name[24];
        snprintf(name, sizeof(name), "e%016llx", (unsigned long long)h);
        PGresult *pr = PQprepare(c->h, name, sql, n, NULL);
        if (PQresultStatus(pr) != PGRES_COMMAND_OK) {
            fail_result(c, pr, e);
            PQclear(pr);
            return NULL;
        }
        PQclear(pr);
        if (s->sql) {
            char q[64];
            snprintf(q, sizeof(q), "DEALLOCATE %s", s->name);
            PQclear(PQexec(c->h, q));
        }
        free(s->sql);
        s->sql = strdup(sql);
        if (!s->sql)
            die("out of memory");
        s->hash = h;
        memcpy(s->name, name, sizeof(name));
    }
    return PQexecPrepared(c->h, s->name, n, vals, NULL, NULL, 0);
}

static int pg_exec(void *p, const char *sql, const struct db_val *params, int n, int64_t *changes,
                   struct err *e)
{
    struct pg_conn *c = p;
    PGresult *r = run(c, sql, params, n, e);
    if (!r)
        return e->kind ? -1 : fail_result(c, NULL, e);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        fail_result(c, r, e);
        PQclear(r);
        return -1;
    }
    const char *t = PQcmdTuples(r);
    *changes = t && *t ? strtoll(t, NULL, 10) : 0;
    PQclear(r);
    return 0;
}

static int pg_exec_script(void *p, const char *sql, struct err *e)
{
    struct pg_conn *c = p;
    PGresult *r = PQexec(c->h, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        log_error("postgresql script failed: %s", PQerrorMessage(c->h));
        PQclear(r);
        return err_set(e, ERR_INTERNAL, "migration failed");
    }
    PQclear(r);
    return 0;
}

static int pg_query(void *p, const char *sql, const struct db_val *params, int n, void **out,
                    struct err *e)
{
    struct pg_conn *c = p;
    PGresult *r = run(c, sql, params, n, e);
    if (!r)
        return e->kind ? -1 : fail_result(c, NULL, e);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fail_result(c, r, e);
        PQclear(r);
        return -1;
    }
    struct pg_rows *rows = calloc(1, sizeof(*rows));
    if (!rows)
        die("out of memory");
    rows->res = r;
    rows->row = -1;
    rows->n_rows = PQntuples(r);
    *out = rows;
    return 0;
}

static int pg_next(void *p, struct err *e)
{
    struct pg_rows *r = p;
    (void)e;
    if (r->row + 1 >= r->n_rows)
        return 0;
    r->row++;
    return 1;
}

static const char *pg_text(void *p, int col)
{
    struct pg_rows *r = p;
    return PQgetisnull(r->res, r->row, col) ? NULL : PQgetvalue(r->res, r->row, col);
}

static int64_t pg_int(void *p, int col)
{
    struct pg_rows *r = p;
    const char *v = PQgetvalue(r->res, r->row, col);
    return v && *v ? strtoll(v, NULL, 10) : 0;
}

static bool pg_is_null(void *p, int col)
{
    struct pg_rows *r = p;
    return PQgetisnull(r->res, r->row, col);
}

static void pg_rows_free(void *p)
{
    struct pg_rows *r = p;
    if (!r)
        return;
    PQclear(r->res);
    free(r);
}

/* PostgreSQL keeps its own cache of prepared statements (see run): a bulk statement is its SQL. */
static int pg_stmt_prepare(void *p, const char *sql, void **out, struct err *e)
{
    (void)p;
    char *copy = strdup(sql);
    if (!copy)
        return err_set(e, ERR_INTERNAL, "out of memory");
    *out = copy;
    return 0;
}

static int pg_stmt_exec(void *p, void *stmt, const struct db_val *params, int n, int64_t *changes,
                        struct err *e)
{
    return pg_exec(p, stmt, params, n, changes, e);
}

static void pg_stmt_free(void *stmt)
{
    free(stmt);
}

static int pg_copy_begin(void *p, const char *sql, struct err *e)
{
    struct pg_conn *c = p;
    PGresult *r = PQexec(c->h, sql);
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        fail_result(c, r, e);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    return 0;
}

static int pg_copy_put(void *p, const char *data, size_t n, struct err *e)
{
    struct pg_conn *c = p;
    if (n > INT32_MAX || PQputCopyData(c->h, data, (int)n) != 1)
        return fail_result(c, NULL, e);
    return 0;
}

static int pg_copy_end(void *p, struct err *e)
{
    struct pg_conn *c = p;
    int rc = 0;
    if (PQputCopyEnd(c->h, NULL) != 1)
        return fail_result(c, NULL, e);
    PGresult *r;
    while ((r = PQgetResult(c->h)) != NULL) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == 0)
            rc = fail_result(c, r, e);
        PQclear(r);
    }
    return rc;
}

const struct db_ops db_pg_ops = {
    .kind = DB_PG,
    .begin_sql = "BEGIN",
    .connect = pg_connect,
    .disconnect = pg_disconnect,
    .ensure = pg_ensure,
    .exec = pg_exec,
    .exec_script = pg_exec_script,
    .query = pg_query,
    .next = pg_next,
    .text = pg_text,
    .integer = pg_int,
    .is_null = pg_is_null,
    .rows_free = pg_rows_free,
    .stmt_prepare = pg_stmt_prepare,
    .stmt_exec = pg_stmt_exec,
    .stmt_free = pg_stmt_free,
    .copy_begin = pg_copy_begin,
    .copy_put = pg_copy_put,
    .copy_end = pg_copy_end,
};
