/*
 * db_sqlite.c - the embedded SQLite driver: WAL, foreign keys on, a busy timeout, and a cache
 * of prepared statements per connection keyed by the statement's text. PostgreSQL-style $n
 * placeholders are rewritten to SQLite's ?n once, when a statement is prepared.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "db_impl.h"
#include "core/err.h"
#include "core/log.h"
#include "core/banned.h"

#define CACHE_SLOTS 256

struct slot {
    uint64_t hash;
    char *sql;
    sqlite3_stmt *stmt;
    bool busy;
};

struct sq_conn {
    sqlite3 *h;
    struct slot cache[CACHE_SLOTS];
};

struct sq_rows {
    struct sq_conn *conn;
    sqlite3_stmt *stmt;
    struct slot *slot; /* NULL when the statement is not cached and must be finalised */
    int first_rc;      /* result of the first step, taken at query time */
    bool started;
};

static int fail(struct sq_conn *c, int rc, struct err *e)
{
    int ext = sqlite3_extended_errcode(c->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) {
        snprintf(e->rule, sizeof(e->rule), "unique");
        return err_set(e, ERR_CONFLICT, "a record with the same key already exists");
    }
    if (ext == SQLITE_CONSTRAINT_FOREIGNKEY) {
        snprintf(e->rule, sizeof(e->rule), "foreign_key");
        return err_set(e, ERR_CONFLICT, "the record is referenced by, or refers to, another");
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return err_set(e, ERR_UNAVAILABLE, "the store is busy, try again");
    log_error("sqlite error %d: %s", ext, sqlite3_errmsg(c->h));
    return err_set(e, ERR_INTERNAL, "store error");
}

static void ensure_parent_dir(const char *path)
{
    char dir[512];
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path || (size_t)(slash - path) >= sizeof(dir))
        return;
    memcpy(dir, path, (size_t)(slash - path));
    dir[slash - path] = 0;
    if (mkdir(dir, 0750) < 0 && errno != EEXIST)
        log_warn("cannot create %s: %s", dir, strerror(errno));
}

/* The durability of a commit. FULL (the default) syncs the WAL at every commit, so a
 * transaction that was acknowledged survives a power loss or an OS crash; NORMAL syncs only at
 * checkpoints and may roll back the last commits after such a crash (never after a crash of the
 * process alone). An operator chooses NORMAL knowingly with `sqlite:PATH?synchronous=normal`. */
static int sq_target(const char *target, char *path, size_t cap, const char **sync, struct err *e)
{
    const char *q = strchr(target, '?');
    size_t n = q ? (size_t)(q - target) : strlen(target);
    if (n == 0 || n >= cap)
        return err_field(e, "db", "format", "SQLite store path is empty or too long");
    memcpy(path, target, n);
    path[n] = 0;
    *sync = "FULL";
    if (!q)
        return 0;
    if (!strcmp(q, "?synchronous=full"))
        return 0;
    if (!strcmp(q, "?synchronous=normal")) {
        *sync = "NORMAL";
        return 0;
    }
    return err_field(e, "db", "format",
                     "the only SQLite store option is ?synchronous=full or ?synchronous=normal");
}

static int sq_connect(const char *target, void **out, struct err *e)
{
    char path[4096];
    const char *sync = "FULL";
    if (sq_target(target, path, sizeof(path), &sync, e) < 0)
        return -1;
    struct sq_conn *c = calloc(1, sizeof(*c));
    if (!c)
        die("out of memory");
    if (strcmp(path, ":memory:") != 0)
        ensure_parent_dir(path);
    int rc = sqlite3_open_v2(
        path, &c->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_UNAVAILABLE, "cannot open SQLite store %s: %s", path,
                c->h ? sqlite3_errmsg(c->h) : sqlite3_errstr(rc));
        sqlite3_close(c->h);
        free(c);
        return -1;
    }
    sqlite3_busy_timeout(c->h, 10000);
    sqlite3_extended_result_codes(c->h, 1);
    char *msg = NULL;
    rc = sqlite3_exec(c->h,
                      strcmp(sync, "FULL") ? "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                                             "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;"
                                           : "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                                             "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY;",
                      NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        err_set(e, ERR_UNAVAILABLE, "cannot configure SQLite store: %s", msg ? msg : "?");
        sqlite3_free(msg);
        sqlite3_close(c->h);
        free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static void sq_disconnect(void *p)
{
    struct sq_conn *c = p;
    if (!c)
        return;
    for (int i = 0; i < CACHE_SLOTS; i++) {
        sqlite3_finalize(c->cache[i].stmt);
        free(c->cache[i].sql);
    }
    sqlite3_close(c->h);
    free(c);
}

static int sq_ensure(void *p, struct err *e)
{
    (void)p;
    (void)e;
    return 0;
}

/* $12 → ?12, outside string literals only. The caller frees the result. */
static char *rewrite(const char *sql)
{
    size_t n = strlen(sql);
    bool quoted = false;
    char *out = malloc(n + 1);
    if (!out)
        die("out of memory");
    for (size_t i = 0; i <= n; i++) {
        if (sql[i] == '\'')
            quoted = !quoted; /* '' inside a literal toggles twice: still inside */
        out[i] = !quoted && sql[i] == '$' && sql[i + 1] >= '0' && sql[i + 1] <= '9' ? '?' : sql[i];
    }
    return out;
}

static int prepare(struct sq_conn *c, const char *sql, sqlite3_stmt **stmt, struct slot **slot,
                   struct err *e)
{
    uint64_t h = db_sql_hash(sql);
    struct slot *s = &c->cache[h % CACHE_SLOTS];
    if (s->stmt && s->hash == h && !s->busy && !strcmp(s->sql, sql)) {
        s->busy = true;
        *stmt = s->stmt;
        *slot = s;
        return 0;
    }
    char *q = rewrite(sql);
    int rc = sqlite3_prepare_v3(c->h, q, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);
    free(q);
    if (rc != SQLITE_OK)
        return fail(c, rc, e);
    if (!s->busy) {
        sqlite3_finalize(s->stmt);
        free(s->sql);
        s->hash = h;
        s->sql = strdup(sql);
        if (!s->sql)
            die("out of memory");
        s->stmt = *stmt;
        s->busy = true;
        *slot = s;
    } else {
        *slot = NULL;
    }
    return 0;
}

static void done(struct sq_conn *c, sqlite3_stmt *stmt, struct slot *slot)
{
    (void)c;
    if (slot) {
        sqlite3_reset(stmt);
        sqlite3_clear_bindings(stmt);
        slot->busy = false;
    } else {
        sqlite3_finalize(stmt);
    }
}

static int bind(struct sq_conn *c, sqlite3_stmt *stmt, const struct db_val *p, int n, struct err *e)
{
    for (int i = 0; i < n; i++) {
        int rc;
        switch (p[i].type) {
        case DBV_INT:
            rc = sqlite3_bind_int64(stmt, i + 1, p[i].i);
            break;
        case DBV_TEXT:
            rc = sqlite3_bind_text(stmt, i + 1, p[i].s, -1, SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(stmt, i + 1);
        }
        if (rc != SQLITE_OK)
            return fail(c, rc, e);
    }
    return 0;
}

static int sq_exec(void *p, const char *sql, const struct db_val *params, int n, int64_t *changes,
                   struct err *e)
{
    struct sq_conn *c = p;
    sqlite3_stmt *stmt = NULL;
    struct slot *slot = NULL;
    if (prepare(c, sql, &stmt, &slot, e) < 0)
        return -1;
    int rc = bind(c, stmt, params, n, e);
    if (rc == 0) {
        int s;
        while ((s = sqlite3_step(stmt)) == SQLITE_ROW)
            ;
        if (s != SQLITE_DONE)
            rc = fail(c, s, e);
        else
            *changes = sqlite3_changes64(c->h);
    }
    done(c, stmt, slot);
    return rc;
}

static int sq_exec_script(void *p, const char *sql, struct err *e)
{
    struct sq_conn *c = p;
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        log_error("sqlite script failed: %s", msg ? msg : "?");
        sqlite3_free(msg);
        return err_set(e, ERR_INTERNAL, "store script failed");
    }
    return 0;
}

static int sq_query(void *p, const char *sql, const struct db_val *params, int n, void **out,
                    struct err *e)
{
    struct sq_conn *c = p;
    sqlite3_stmt *stmt = NULL;
    struct slot *slot = NULL;
    if (prepare(c, sql, &stmt, &slot, e) < 0)
        return -1;
    if (bind(c, stmt, params, n, e) < 0) {
        done(c, stmt, slot);
        return -1;
    }
    /* Step once now so that errors surface from db_query, as they do on PostgreSQL. */
    int rc = sqlite3_step(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        fail(c, rc, e);
        done(c, stmt, slot);
        return -1;
    }
    struct sq_rows *r = calloc(1, sizeof(*r));
    if (!r)
        die("out of memory");
    r->conn = c;
    r->stmt = stmt;
    r->slot = slot;
    r->first_rc = rc;
    *out = r;
    return 0;
}

static int sq_next(void *p, struct err *e)
{
    struct sq_rows *r = p;
    int rc;
    if (!r->started) {
        r->started = true;
        rc = r->first_rc;
    } else {
        rc = sqlite3_step(r->stmt);
    }
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    return fail(r->conn, rc, e);
}

static const char *sq_text(void *p, int col)
{
    struct sq_rows *r = p;
    return (const char *)sqlite3_column_text(r->stmt, col);
}

static int64_t sq_int(void *p, int col)
{
    struct sq_rows *r = p;
    return sqlite3_column_int64(r->stmt, col);
}

static bool sq_is_null(void *p, int col)
{
    struct sq_rows *r = p;
    return sqlite3_column_type(r->stmt, col) == SQLITE_NULL;
}

static void sq_rows_free(void *p)
{
    struct sq_rows *r = p;
    if (!r)
        return;
    done(r->conn, r->stmt, r->slot);
    free(r);
}

static int sq_stmt_prepare(void *p, const char *sql, void **out, struct err *e)
{
    struct sq_conn *c = p;
    sqlite3_stmt *st;
    char *q = rewrite(sql);
    int rc = sqlite3_prepare_v3(c->h, q, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    free(q);
    if (rc != SQLITE_OK)
        return fail(c, rc, e);
    *out = st;
    return 0;
}

static int sq_stmt_exec(void *p, void *stmt, const struct db_val *params, int n, int64_t *changes,
                        struct err *e)
{
    struct sq_conn *c = p;
    sqlite3_stmt *st = stmt;
    int rc = bind(c, st, params, n, e);
    if (rc == 0) {
        int s = sqlite3_step(st);
        while (s == SQLITE_ROW)
            s = sqlite3_step(st);
        if (s != SQLITE_DONE)
            rc = fail(c, s, e);
        else
            *changes = sqlite3_changes64(c->h);
    }
    sqlite3_reset(st);
    return rc;
}

static void sq_stmt_free(void *stmt)
{
    sqlite3_finalize(stmt);
}

const struct db_ops db_sqlite_ops = {
    .kind = DB_SQLITE,
    .begin_sql = "BEGIN IMMEDIATE",
    .connect = sq_connect,
    .disconnect = sq_disconnect,
    .ensure = sq_ensure,
    .exec = sq_exec,
    .exec_script = sq_exec_script,
    .query = sq_query,
    .next = sq_next,
    .text = sq_text,
    .integer = sq_int,
    .is_null = sq_is_null,
    .rows_free = sq_rows_free,
    .stmt_prepare = sq_stmt_prepare,
    .stmt_exec = sq_stmt_exec,
    .stmt_free = sq_stmt_free,
};
