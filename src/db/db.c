/*
 * db.c - the connection pool and the store-independent half of db.h: timing, transactions,
 * single-row helpers. It must not contain SQL of any domain module.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db_impl.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/banned.h"

struct db_conn {
    struct db *db;
    void *impl;
    bool in_tx;
    struct db_conn *next_free;
};

struct db {
    const struct db_ops *ops;
    pthread_mutex_t lock;
    pthread_cond_t freed;
    struct db_conn *free_list;
    struct db_conn *conns;
    int n_conns;
    struct histogram latency;
    _Atomic int fail_countdown;
};

struct db_rows {
    const struct db_ops *ops;
    void *impl;
};

uint64_t db_sql_hash(const char *sql)
{
    uint64_t h = 1469598103934665603ULL;
    for (const unsigned char *p = (const unsigned char *)sql; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

int db_open(const char *url, int n_conns, struct db **out, struct err *e)
{
    const struct db_ops *ops;
    const char *target;

    if (!strncmp(url, "sqlite:", 7)) {
        ops = &db_sqlite_ops;
        target = url + 7;
    } else if (!strncmp(url, "postgresql://", 13) || !strncmp(url, "postgres://", 11)) {
        ops = &db_pg_ops;
        target = url;
    } else {
        return err_field(e, "db", "format", "store URL must start with sqlite: or postgresql://");
    }
    if (n_conns < 1)
        n_conns = 1;
    struct db *db = calloc(1, sizeof(*db));
    if (!db)
        die("out of memory");
    db->ops = ops;
    db->conns = calloc((size_t)n_conns, sizeof(struct db_conn));
    if (!db->conns)
        die("out of memory");
    pthread_mutex_init(&db->lock, NULL);
    pthread_cond_init(&db->freed, NULL);
    for (int i = 0; i < n_conns; i++) {
        struct db_conn *c = &db->conns[i];
        c->db = db;
        if (ops->connect(target, &c->impl, e) < 0) {
            db->n_conns = i;
            db_close(db);
            return -1;
        }
        c->next_free = db->free_list;
        db->free_list = c;
        db->n_conns = i + 1;
    }
    *out = db;
    return 0;
}

void db_close(struct db *db)
{
    if (!db)
        return;
    for (int i = 0; i < db->n_conns; i++)
        db->ops->disconnect(db->conns[i].impl);
    free(db->conns);
    pthread_mutex_destroy(&db->lock);
    pthread_cond_destroy(&db->freed);
    free(db);
}

enum db_kind db_kind(const struct db *db)
{
    return db->ops->kind;
}

enum db_kind db_conn_kind(const struct db_conn *c)
{
    return c->db->ops->kind;
}

struct histogram *db_latency(struct db *db)
{
    return &db->latency;
}

/* A request waits this long for a free connection, then gets 503: a stuck pool degrades into
 * refusals instead of a hung server. */
#define ACQUIRE_WAIT_S 10

struct db_conn *db_acquire(struct db *db, struct err *e)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += ACQUIRE_WAIT_S;
    pthread_mutex_lock(&db->lock);
    while (!db->free_list)
        if (pthread_cond_timedwait(&db->freed, &db->lock, &until) != 0 && !db->free_list) {
            pthread_mutex_unlock(&db->lock);
            err_set(e, ERR_UNAVAILABLE, "all store connections are busy; try again");
            return NULL;
        }
    struct db_conn *c = db->free_list;
    db->free_list = c->next_free;
    pthread_mutex_unlock(&db->lock);
    if (db->ops->ensure(c->impl, e) < 0) {
        db_release(c);
        return NULL;
    }
    return c;
}

void db_release(struct db_conn *c)
{
    if (!c)
        return;
    if (c->in_tx)
        db_tx_rollback(c);
    struct db *db = c->db;
    pthread_mutex_lock(&db->lock);
    c->next_free = db->free_list;
    db->free_list = c;
    pthread_cond_signal(&db->freed);
    pthread_mutex_unlock(&db->lock);
}

void db_fail_nth(struct db *db, int n)
{
    atomic_store(&db->fail_countdown, n);
}

/* True when fault injection says this statement fails. */
static bool injected(struct db *db, struct err *e)
{
    if (atomic_load_explicit(&db->fail_countdown, memory_order_relaxed) <= 0)
        return false;
    if (atomic_fetch_sub(&db->fail_countdown, 1) != 1)
        return false;
    err_set(e, ERR_INTERNAL, "injected store failure");
    return true;
}

int db_exec(struct db_conn *c, const char *sql, const struct db_val *params, int n,
            int64_t *changes, struct err *e)
{
    if (injected(c->db, e))
        return -1;
    int64_t t0 = time_mono_ns(), dummy;
    int rc = c->db->ops->exec(c->impl, sql, params, n, changes ? changes : &dummy, e);
    hist_observe(&c->db->latency, time_mono_ns() - t0);
    return rc;
}

struct db_stmt {
    struct db_conn *conn;
    void *impl;
};

int db_stmt_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *e)
{
    struct db_stmt *s = calloc(1, sizeof(*s));
    if (!s)
        die("out of memory");
    s->conn = c;
    if (c->db->ops->stmt_prepare(c->impl, sql, &s->impl, e) < 0) {
        free(s);
        return -1;
    }
    *out = s;
    return 0;
}

int db_stmt_exec(struct db_stmt *s, const struct db_val *params, int n, int64_t *changes,
                 struct err *e)
{
    int64_t dummy;
    if (injected(s->conn->db, e))
        return -1;
    return s->conn->db->ops->stmt_exec(s->conn->impl, s->impl, params, n,
                                       changes ? changes : &dummy, e);
}

void db_stmt_free(struct db_stmt *s)
{
    if (!s)
        return;
    s->conn->db->ops->stmt_free(s->impl);
    free(s);
}

int db_copy_begin(struct db_conn *c, const char *sql, struct err *e)
{
    if (!c->db->ops->copy_begin)
        return err_set(e, ERR_INTERNAL, "COPY is a PostgreSQL statement");
    if (injected(c->db, e))
        return -1;
    return c->db->ops->copy_begin(c->impl, sql, e);
}

int db_copy_put(struct db_conn *c, const char *data, size_t n, struct err *e)
{
    return c->db->ops->copy_put(c->impl, data, n, e);
}

int db_copy_end(struct db_conn *c, struct err *e)
{
    if (injected(c->db, e)) {
        struct err ignored;
        c->db->ops->copy_end(c->impl, &ignored);
        return -1;
    }
    return c->db->ops->copy_end(c->impl, e);
}

size_t db_copy_escape(char *buf, size_t len, size_t cap, const char *s)
{
    for (; *s; s++) {
        char esc = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : 0;
        if (len + 2 >= cap)
            return 0;
        if (esc) {
            buf[len++] = '\\';
            buf[len++] = esc;
        } else {
            buf[len++] = *s;
        }
    }
    return len;
}

int db_exec_script(struct db_conn *c, const char *sql, struct err *e)
{
    return c->db->ops->exec_script(c->impl, sql, e);
}

int db_tx_begin(struct db_conn *c, struct err *e)
{
    if (c->in_tx)
        return err_set(e, ERR_INTERNAL, "nested transaction");
    if (db_exec(c, c->db->ops->begin_sql, NULL, 0, NULL, e) < 0)
        return -1;
    c->in_tx = true;
    return 0;
}

int db_tx_commit(struct db_conn *c, struct err *e)
{
    if (!c->in_tx)
        return err_set(e, ERR_INTERNAL, "commit outside a transaction");
    int rc = db_exec(c, "COMMIT", NULL, 0, NULL, e);
    if (rc < 0) {
        db_tx_rollback(c);
        return -1;
    }
    c->in_tx = false;
    return 0;
}

void db_tx_rollback(struct db_conn *c)
{
    struct err e;
    err_clear(&e);
    if (!c->in_tx)
        return;
    int64_t changes;
    c->in_tx = false;
    /* Straight to the driver: a rollback is never the victim of fault injection. */
    if (c->db->ops->exec(c->impl, "ROLLBACK", NULL, 0, &changes, &e) < 0)
        log_warn("rollback failed: %s", e.message);
}

bool db_in_tx(const struct db_conn *c)
{
    return c->in_tx;
}

int db_query(struct db_conn *c, const char *sql, const struct db_val *params, int n,
             struct db_rows **out, struct err *e)
{
    void *impl = NULL;
    int64_t t0 = time_mono_ns();
    if (injected(c->db, e))
        return -1;
    int rc = c->db->ops->query(c->impl, sql, params, n, &impl, e);
    hist_observe(&c->db->latency, time_mono_ns() - t0);
    if (rc < 0)
        return -1;
    struct db_rows *r = malloc(sizeof(*r));
    if (!r)
        die("out of memory");
    r->ops = c->db->ops;
    r->impl = impl;
    *out = r;
    return 0;
}

int db_rows_next(struct db_rows *r, struct err *e)
{
    return r->ops->next(r->impl, e);
}

const char *db_text(struct db_rows *r, int col)
{
    return r->ops->text(r->impl, col);
}

int64_t db_int(struct db_rows *r, int col)
{
    return r->ops->integer(r->impl, col);
}

bool db_is_null(struct db_rows *r, int col)
{
    return r->ops->is_null(r->impl, col);
}

void db_rows_free(struct db_rows *r)
{
    if (!r)
        return;
    r->ops->rows_free(r->impl);
    free(r);
}

int db_query_row(struct db_conn *c, const char *sql, const struct db_val *params, int n,
                 struct db_rows **out, struct err *e)
{
    struct db_rows *r;
    if (db_query(c, sql, params, n, &r, e) < 0)
        return -1;
    int rc = db_rows_next(r, e);
    if (rc <= 0) {
        db_rows_free(r);
        *out = NULL;
        return rc;
    }
    *out = r;
    return 1;
}

int db_query_int(struct db_conn *c, const char *sql, const struct db_val *params, int n,
                 int64_t *out, struct err *e)
{
    struct db_rows *r;
    int rc = db_query_row(c, sql, params, n, &r, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return err_set(e, ERR_NOT_FOUND, "not found");
    *out = db_int(r, 0);
    db_rows_free(r);
    return 0;
}
