/*
 * db_impl.h - what a store driver provides: the function table behind db.h. Only db/ includes
 * this file.
 */
#ifndef EGOV_DB_IMPL_H
#define EGOV_DB_IMPL_H

#include "db.h"

struct db_ops {
    enum db_kind kind;
    const char *begin_sql;
    int (*connect)(const char *target, void **conn, struct err *e);
    void (*disconnect)(void *conn);
    /* Cheap liveness check and repair; -1 when the store cannot be reached. */
    int (*ensure)(void *conn, struct err *e);
    int (*exec)(void *conn, const char *sql, const struct db_val *p, int n, int64_t *changes,
                struct err *e);
    int (*exec_script)(void *conn, const char *sql, struct err *e);
    int (*query)(void *conn, const char *sql, const struct db_val *p, int n, void **rows,
                 struct err *e);
    int (*next)(void *rows, struct err *e);
    const char *(*text)(void *rows, int col);
    int64_t (*integer)(void *rows, int col);
    bool (*is_null)(void *rows, int col);
    void (*rows_free)(void *rows);
    /* A statement prepared once for many executions (bulk ingest). */
    int (*stmt_prepare)(void *conn, const char *sql, void **stmt, struct err *e);
    int (*stmt_exec)(void *conn, void *stmt, const struct db_val *p, int n, int64_t *changes,
                     struct err *e);
    void (*stmt_free)(void *stmt);
    /* COPY … FROM STDIN (PostgreSQL; NULL on SQLite). */
    int (*copy_begin)(void *conn, const char *sql, struct err *e);
    int (*copy_put)(void *conn, const char *data, size_t n, struct err *e);
    int (*copy_end)(void *conn, struct err *e);
};

extern const struct db_ops db_sqlite_ops;
extern const struct db_ops db_pg_ops;

/* 64-bit FNV-1a of a statement's text: the key of the drivers' prepared-statement caches. */
uint64_t db_sql_hash(const char *sql);

#endif
