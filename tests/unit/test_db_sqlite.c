/*
 * test_db_sqlite.c - unit tests of the SQLite driver's settings: an acknowledged commit is on
 * disk by default (synchronous=FULL in WAL mode), NORMAL only when the store URL asks for it,
 * and any other option is refused naming the field.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/err.h"
#include "db/db.h"

/* PRAGMA synchronous as SQLite reports it on a connection of the pool: 1 NORMAL, 2 FULL. */
static int64_t synchronous_of(const char *url)
{
    struct err e = {0};
    struct db *db = NULL;
    int64_t v = -1;
    assert_int_equal(db_open(url, 2, &db, &e), 0);
    struct db_conn *c = db_acquire(db, &e);
    assert_non_null(c);
    assert_int_equal(db_query_int(c, "PRAGMA synchronous", NULL, 0, &v, &e), 0);
    db_release(c);
    db_close(db);
    return v;
}

static void test_sqlite_commit_is_durable_by_default(void **state)
{
    (void)state;
    char dir[] = "/tmp/egov-sync.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[512], path[128];
    snprintf(path, sizeof(path), "%s/s.db", dir);
    snprintf(url, sizeof(url), "sqlite:%s", path);
    assert_int_equal(synchronous_of(url), 2);
    snprintf(url, sizeof(url), "sqlite:%s?synchronous=full", path);
    assert_int_equal(synchronous_of(url), 2);
    snprintf(url, sizeof(url), "sqlite:%s?synchronous=normal", path);
    assert_int_equal(synchronous_of(url), 1);

    struct err e = {0};
    struct db *db = NULL;
    snprintf(url, sizeof(url), "sqlite:%s?synchronous=off", path);
    assert_int_equal(db_open(url, 1, &db, &e), -1);
    assert_string_equal(e.field, "db");
    snprintf(url, sizeof(url), "sqlite:%s?journal_mode=memory", path);
    assert_int_equal(db_open(url, 1, &db, &e), -1);
    assert_null(db);

    const char *tails[] = {"", "-wal", "-shm"};
    for (size_t i = 0; i < 3; i++) {
        char f[300];
        snprintf(f, sizeof(f), "%s%s", path, tails[i]);
        unlink(f);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sqlite_commit_is_durable_by_default),
    };
    return cmocka_run_group_tests_name("db_sqlite", tests, NULL, NULL);
}
