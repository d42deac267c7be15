/*
 * db.h - the one storage interface of egov.
 *
 * A struct db is a pool of connections to one store (SQLite file or PostgreSQL server); a
 * struct db_conn is one of them, held by one request or command at a time. Every statement is
 * written once with PostgreSQL's $1…$n placeholders and bound parameters; the SQLite driver maps
 * them. The drivers are tables of function pointers (struct db_ops) behind these calls, so no
 * code outside db/ knows which store it talks to, except through db_kind() where a dialect must
 * differ (and then with a comment saying why).
 *
 * Errors: a uniqueness or foreign-key violation is ERR_CONFLICT with rule "unique" or
 * "foreign_key"; a busy or unreachable store is ERR_UNAVAILABLE; anything else is ERR_INTERNAL
 * and the driver's text is logged, never returned to clients.
 */
#ifndef EGOV_DB_H
#define EGOV_DB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/histogram.h"

struct err;
struct db;
struct db_conn;
struct db_rows;

enum db_kind { DB_SQLITE, DB_PG };

enum db_vtype { DBV_NULL, DBV_INT, DBV_TEXT };

struct db_val {
    enum db_vtype type;
    int64_t i;
    const char *s;
};

#define DB_INT(x)  ((struct db_val){DBV_INT, (int64_t)(x), NULL})
#define DB_TEXT(x) ((struct db_val){(x) ? DBV_TEXT : DBV_NULL, 0, (x)})
#define DB_NULL    ((struct db_val){DBV_NULL, 0, NULL})
#define DB_ARGS(...)                                                                               \
    (const struct db_val[]){__VA_ARGS__},                                                          \
        (int)(sizeof((const struct db_val[]){__VA_ARGS__}) / sizeof(struct db_val))

/* Opens a pool of n connections to url ("sqlite:PATH" or "postgresql://…"). Caller closes. */
int db_open(const char *url, int n_conns, struct db **out, struct err *e);
void db_close(struct db *db);
enum db_kind db_kind(const struct db *db);
/* Latency of every statement, for /metrics. */
struct histogram *db_latency(struct db *db);

/* Takes a connection, waiting up to 10 s for one to be free; NULL with ERR_UNAVAILABLE when
 * none came or the store cannot be reached. */
struct db_conn *db_acquire(struct db *db, struct err *e);
/* Returns it to the pool; an open transaction is rolled back first. NULL is accepted. */
void db_release(struct db_conn *c);
enum db_kind db_conn_kind(const struct db_conn *c);

/* A write transaction (SQLite: BEGIN IMMEDIATE, so writers queue instead of deadlocking). */
int db_tx_begin(struct db_conn *c, struct err *e);
int db_tx_commit(struct db_conn *c, struct err *e);
void db_tx_rollback(struct db_conn *c);
bool db_in_tx(const struct db_conn *c);

/* Runs one statement; *changes (may be NULL) receives the number of rows changed. */
int db_exec(struct db_conn *c, const char *sql, const struct db_val *params, int n,
            int64_t *changes, struct err *e);
/* A statement prepared once and executed many times (bulk ingest): no per-call cache lookup.
 * Belongs to the connection; free it before the connection is released. */
struct db_stmt;
int db_stmt_prepare(struct db_conn *c, const char *sql, struct db_stmt **out, struct err *e);
int db_stmt_exec(struct db_stmt *s, const struct db_val *params, int n, int64_t *changes,
                 struct err *e);
void db_stmt_free(struct db_stmt *s);
/* COPY … FROM STDIN in text format, PostgreSQL only (db_kind tells): begin, put the rows
 * (tab-separated, newline-ended, escaped with db_copy_escape), end. */
int db_copy_begin(struct db_conn *c, const char *sql, struct err *e);
int db_copy_put(struct db_conn *c, const char *data, size_t n, struct err *e);
int db_copy_end(struct db_conn *c, struct err *e);
/* Appends s to buf in COPY text format (backslash, tab, newline, CR escaped); returns the new
 * length, or 0 when it does not fit in cap. */
size_t db_copy_escape(char *buf, size_t len, size_t cap, const char *s);
/* Runs statements without parameters: migrations, and bulk statements whose text holds only
 * numbers formatted by the caller. */
int db_exec_script(struct db_conn *c, const char *sql, struct err *e);

/* Runs a query; *out must be released with db_rows_free (the caller owns it). */
int db_query(struct db_conn *c, const char *sql, const struct db_val *params, int n,
             struct db_rows **out, struct err *e);
/* Advances to the next row: 1 a row, 0 done, -1 error (e filled). */
int db_rows_next(struct db_rows *r, struct err *e);
/* Column values of the current row; text is valid until the next db_rows_next/free. */
const char *db_text(struct db_rows *r, int col);
int64_t db_int(struct db_rows *r, int col);
bool db_is_null(struct db_rows *r, int col);
void db_rows_free(struct db_rows *r);

/* The single-row helpers: 1 found (row read, rows still open), 0 none, -1 error. */
int db_query_row(struct db_conn *c, const char *sql, const struct db_val *params, int n,
                 struct db_rows **out, struct err *e);
/* First column of the first row as an integer; 0 found, ERR_NOT_FOUND when no row. */
int db_query_int(struct db_conn *c, const char *sql, const struct db_val *params, int n,
                 int64_t *out, struct err *e);

/* Fault injection for tests: the n-th statement from now (counting BEGIN and COMMIT) fails as
 * a driver failure would; 0 switches it off. */
void db_fail_nth(struct db *db, int n);

/* Applies sql/migrations that are not yet applied, each in its own transaction. */
int db_migrate(struct db *db, int *n_applied, struct err *e);
/* The same up to max_version only (tests that build a store as an older release left it). */
int db_migrate_upto(struct db *db, int max_version, int *n_applied, struct err *e);
/* Highest applied migration version (0 for an empty store). */
int db_schema_version(struct db_conn *c, int *version, struct err *e);
/* Number of migrations compiled into this binary. */
int db_migrations_known(void);

#endif
