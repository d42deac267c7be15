/*
 * usage_ceiling.c - the ceiling of the usage-import benchmark: a plain C program that reads the
 * same NDJSON records with the fewest possible steps (fixed field positions, no validation) and
 * inserts them with one prepared statement into a table of the same shape with the same unique
 * key, in one transaction. egov's import is measured against this.
 *
 *   usage_ceiling DB.sqlite FILE.ndjson [unique|nokey]
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *field(const char *line, const char *key, size_t *len)
{
    const char *p = strstr(line, key);
    if (!p)
        return NULL;
    p += strlen(key);
    if (*p == '"') {
        const char *e = strchr(++p, '"');
        *len = (size_t)(e - p);
    } else {
        *len = strcspn(p, ",}");
    }
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s DB FILE [unique|nokey]\n", argv[0]);
        return 2;
    }
    int unique = argc < 4 || strcmp(argv[3], "nokey") != 0;
    sqlite3 *db;
    if (sqlite3_open(argv[1], &db) != SQLITE_OK)
        return 1;
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; DROP TABLE IF EXISTS "
                 "ceiling",
                 NULL, NULL, NULL);
    sqlite3_exec(db,
                 unique ? "CREATE TABLE ceiling (id TEXT NOT NULL PRIMARY KEY, provider_id BIGINT, "
                          "user_id BIGINT, allocation_id BIGINT, metric_id BIGINT, quantity "
                          "BIGINT, period_start BIGINT, period_end BIGINT, source TEXT, batch_id "
                          "BIGINT) WITHOUT ROWID"
                        : "CREATE TABLE ceiling (id TEXT NOT NULL, provider_id BIGINT, user_id "
                          "BIGINT, allocation_id BIGINT, metric_id BIGINT, quantity BIGINT, "
                          "period_start BIGINT, period_end BIGINT, source TEXT, batch_id BIGINT)",
                 NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(db, "INSERT INTO ceiling VALUES (?1, 1, 2, ?2, ?3, ?4, ?5, ?6, ?7, 9)", -1,
                       &st, NULL);
    FILE *f = fopen(argv[2], "r");
    if (!f)
        return 1;
    char line[4096];
    long n = 0;
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
    while (fgets(line, sizeof(line), f)) {
        size_t l;
        const char *v;
        v = field(line, "\"id\":", &l);
        sqlite3_bind_text(st, 1, v, (int)l, SQLITE_STATIC);
        v = field(line, "\"allocation_id\":", &l);
        sqlite3_bind_int64(st, 2, strtoll(v, NULL, 10));
        v = field(line, "\"metric_id\":", &l);
        sqlite3_bind_int64(st, 3, strtoll(v, NULL, 10));
        v = field(line, "\"quantity\":", &l);
        sqlite3_bind_int64(st, 4, (sqlite3_int64)(strtod(v, NULL) * 1e6 + 0.5));
        sqlite3_bind_int64(st, 5, n * 3600000);
        sqlite3_bind_int64(st, 6, n * 3600000 + 3600000);
        v = field(line, "\"source\":", &l);
        sqlite3_bind_text(st, 7, v, (int)l, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE) {
            fprintf(stderr, "insert: %s\n", sqlite3_errmsg(db));
            return 1;
        }
        sqlite3_reset(st);
        n++;
    }
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    printf("ceiling (%s): %ld rows in %.2f s = %.0f rows/s\n", unique ? "unique id" : "no key", n,
           s, (double)n / s);
    sqlite3_finalize(st);
    sqlite3_exec(db, "DROP TABLE ceiling", NULL, NULL, NULL);
    sqlite3_close(db);
    return 0;
}
