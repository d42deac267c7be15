/*
 * migrate.c - applies the migrations compiled into the binary (from sql/migrations/, see
 * migrations_gen.c made by CMake), each in its own transaction, in version order.
 * On PostgreSQL an advisory lock makes concurrent starters of several nodes wait for one
 * another; SQLite's BEGIN IMMEDIATE does the same for one file.
 */
#include <stdio.h>
#include <string.h>

#include "db.h"
#include "core/err.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "core/banned.h"

struct migration {
    int version;
    const char *name;
    const char *dialect; /* "" for both stores, else "sqlite" or "pg" */
    const char *sql;
};

extern const struct migration db_migrations[];
extern const int db_n_migrations;

static const char SQL_CREATE_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at BIGINT NOT NULL)";
static const char SQL_MAX_VERSION[] = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)";
/* Same key on every node: 0x65676f76 is "egov". */
static const char SQL_PG_LOCK[] = "SELECT pg_advisory_xact_lock(1701277558)";

int db_migrations_known(void)
{
    int v = 0;
    for (int i = 0; i < db_n_migrations; i++)
        if (db_migrations[i].version > v)
            v = db_migrations[i].version;
    return v;
}

int db_schema_version(struct db_conn *c, int *version, struct err *e)
{
    int64_t v = 0;
    if (db_exec(c, SQL_CREATE_TABLE, NULL, 0, NULL, e) < 0)
        return -1;
    if (db_query_int(c, SQL_MAX_VERSION, NULL, 0, &v, e) < 0)
        return -1;
    *version = (int)v;
    return 0;
}

int db_migrate(struct db *db, int *n_applied, struct err *e)
{
    return db_migrate_upto(db, db_migrations_known(), n_applied, e);
}

int db_migrate_upto(struct db *db, int max_version, int *n_applied, struct err *e)
{
    int rc = -1, current = 0;
    struct db_conn *c = db_acquire(db, e);
    *n_applied = 0;
    if (!c)
        return -1;
    for (int i = 0; i < db_n_migrations; i++) {
        const struct migration *m = &db_migrations[i];
        const char *mine = db_conn_kind(c) == DB_PG ? "pg" : "sqlite";
        if ((m->dialect[0] && strcmp(m->dialect, mine) != 0) || m->version > max_version)
            continue;
        if (db_tx_begin(c, e) < 0)
            goto out;
        if (db_conn_kind(c) == DB_PG && db_exec(c, SQL_PG_LOCK, NULL, 0, NULL, e) < 0)
            goto out;
        if (db_schema_version(c, &current, e) < 0)
            goto out;
        if (m->version <= current) {
            db_tx_rollback(c);
            continue;
        }
        log_info("applying migration %04d_%s", m->version, m->name);
        if (db_exec_script(c, m->sql, e) < 0 ||
            db_exec(c, SQL_RECORD,
                    DB_ARGS(DB_INT(m->version), DB_TEXT(m->name), DB_INT(time_now_ms())), NULL,
                    e) < 0 ||
            db_tx_commit(c, e) < 0)
            goto out;
        (*n_applied)++;
    }
    rc = 0;
out:
    db_release(c);
    return rc;
}
