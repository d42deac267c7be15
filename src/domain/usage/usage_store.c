/*
 * usage_store.c - all SQL of usage records, their series, batches and outcomes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage_store.h"
#include "app.h"
#include "db/db.h"
#include "domain/store_util.h"
#include "core/banned.h"

static const char SQL_ALLOC[] =
    "SELECT p.provider_id, a.user_id, a.pool_id, CASE WHEN a.status = 'released' THEN "
    "COALESCE((SELECT MAX(e.at) FROM allocation_events e WHERE e.allocation_id = a.id AND e.op = "
    "'release'), a.updated_at) ELSE 0 END, CASE WHEN a.service_start <> 0 THEN a.service_start "
    "ELSE a.created_at END FROM allocations a JOIN resource_pools p ON p.id = a.pool_id WHERE "
    "a.id = $1";
static const char SQL_METRIC[] =
    "SELECT m.product_id, p.provider_id, (SELECT COUNT(*) FROM product_resources r WHERE "
    "r.product_id = p.id) FROM product_metrics m JOIN products p ON p.id = m.product_id WHERE "
    "m.id = $1";
static const char SQL_PRODUCT_POOL[] =
    "SELECT COUNT(*) FROM product_resources WHERE product_id = $1 AND pool_id = $2";
static const char SQL_SERIES[] =
    "SELECT last_end FROM usage_series WHERE allocation_id = $1 AND metric_id = $2";
static const char SQL_INSERT[] =
    "INSERT INTO usage_records (id, provider_id, user_id, allocation_id, metric_id, quantity, "
    "period_start, period_end, source, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
    "$10) ON CONFLICT (id) DO NOTHING";
static const char SQL_GET[] =
    "SELECT id, source, provider_id, user_id, allocation_id, metric_id, quantity, period_start, "
    "period_end, batch_id FROM usage_records WHERE id = $1";
static const char SQL_BATCH_INSERT[] =
    "INSERT INTO usage_batches (id, origin, provider_id, submitted_by, started_at) VALUES ($1, "
    "$2, $3, $4, $5)";
static const char SQL_BATCH_UPDATE[] =
    "UPDATE usage_batches SET finished_at = $2, accepted = $3, duplicated = $4, rejected = $5, "
    "outcomes_not_stored = $6 WHERE id = $1";
static const char SQL_BATCH_GET[] =
    "SELECT id, provider_id, COALESCE(submitted_by, 0), started_at, finished_at, origin, "
    "accepted, duplicated, rejected, outcomes_not_stored FROM usage_batches WHERE id = $1";
static const char SQL_REJECTED_SINCE[] =
    "SELECT COALESCE(SUM(rejected), 0), COALESCE(MIN(started_at), 0) FROM usage_batches WHERE "
    "provider_id = $1 AND started_at >= $2";
static const char SQL_OUTCOME_INSERT[] =
    "INSERT INTO usage_outcomes (batch_id, line, record_id, outcome, rule, field, message) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
static const char SQL_OUTCOMES[] =
    "SELECT line, record_id, outcome, rule, field, message FROM usage_outcomes WHERE batch_id = "
    "$1 AND line > $2 ORDER BY line LIMIT $3";

int usage_store_alloc(struct ctx *ctx, int64_t id, struct usage_alloc_ref *out)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    memset(out, 0, sizeof(*out));
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_ALLOC, DB_ARGS(DB_INT(id)), &r, &ctx->err);
    if (rc == 1) {
        out->found = true;
        out->provider_id = db_int(r, 0);
        out->user_id = db_int(r, 1);
        out->pool_id = db_int(r, 2);
        out->released_at = db_int(r, 3);
        out->start = db_int(r, 4);
        db_rows_free(r);
    }
    return rc < 0 ? -1 : 0;
}

int usage_store_metric(struct ctx *ctx, int64_t id, struct usage_metric_ref *out)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    memset(out, 0, sizeof(*out));
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_METRIC, DB_ARGS(DB_INT(id)), &r, &ctx->err);
    if (rc == 1) {
        out->found = true;
        out->product_id = db_int(r, 0);
        out->provider_id = db_int(r, 1);
        out->product_has_pools = db_int(r, 2) > 0;
        db_rows_free(r);
    }
    return rc < 0 ? -1 : 0;
}

int usage_store_product_pool(struct ctx *ctx, int64_t product_id, int64_t pool_id)
{
    int64_t n = 0;
    struct db_conn *c = ctx_db(ctx);
    if (!c || db_query_int(c, SQL_PRODUCT_POOL, DB_ARGS(DB_INT(product_id), DB_INT(pool_id)), &n,
                           &ctx->err) < 0)
        return -1;
    return n > 0;
}

int usage_store_series(struct ctx *ctx, int64_t allocation_id, int64_t metric_id, int64_t *last_end)
{
    struct db_conn *c = ctx_db(ctx);
    struct db_rows *r;
    *last_end = 0;
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_SERIES, DB_ARGS(DB_INT(allocation_id), DB_INT(metric_id)), &r,
                          &ctx->err);
    if (rc == 1) {
        *last_end = db_int(r, 0);
        db_rows_free(r);
    }
    return rc < 0 ? -1 : 0;
}

/* Writes n rows of `cols` integers each with one statement per 400 rows: head, the rows as
 * VALUES, then tail (the ON CONFLICT clause). Integers only, so the text is built here; a
 * statement a row cost a round trip each on PostgreSQL. */
static int put_int_rows(struct ctx *ctx, const char *head, const char *tail, int cols,
                        const int64_t *rows, int n)
{
    enum { PER = 400 };
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    size_t cap = strlen(head) + strlen(tail) + (size_t)PER * ((size_t)cols * 22 + 4) + 16;
    char *sql = malloc(cap);
    if (!sql)
        abort();
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i += PER) {
        size_t o = (size_t)snprintf(sql, cap, "%s", head);
        for (int k = i; k < n && k < i + PER; k++)
            for (int j = 0; j < cols; j++)
                o += (size_t)snprintf(sql + o, cap - o, "%s%lld%s",
                                      j       ? ", "
                                      : k > i ? ", ("
                                              : "(",
                                      (long long)rows[(size_t)k * (size_t)cols + (size_t)j],
                                      j == cols - 1 ? ")" : "");
        snprintf(sql + o, cap - o, "%s", tail);
        rc = db_exec_script(c, sql, &ctx->err);
    }
    free(sql);
    return rc < 0 ? -1 : 0;
}

int usage_store_series_put(struct ctx *ctx, const int64_t *rows, int n)
{
    return put_int_rows(ctx,
                        "INSERT INTO usage_series (allocation_id, metric_id, last_end) VALUES ",
                        " ON CONFLICT (allocation_id, metric_id) DO UPDATE SET last_end = "
                        "excluded.last_end",
                        3, rows, n);
}

int usage_store_daily_put(struct ctx *ctx, const int64_t *rows, int n)
{
    return put_int_rows(ctx,
                        "INSERT INTO usage_daily (allocation_id, metric_id, day, quantity, "
                        "records) VALUES ",
                        " ON CONFLICT (day, allocation_id, metric_id) DO UPDATE SET quantity = "
                        "usage_daily.quantity + excluded.quantity, records = usage_daily.records "
                        "+ excluded.records",
                        5, rows, n);
}

int usage_store_epoch(struct ctx *ctx, bool bump, int64_t *n)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return -1;
    if (bump &&
        db_exec(c, "UPDATE usage_epoch SET n = n + 1 WHERE id = 1", NULL, 0, NULL, &ctx->err) < 0)
        return -1;
    return db_query_int(c, "SELECT n FROM usage_epoch WHERE id = 1", NULL, 0, n, &ctx->err);
}

struct staged {
    struct usage_row r;
    int64_t line;
    char id[USAGE_ID_MAX + 1], source[USAGE_ID_MAX + 1];
};

struct usage_writer {
    struct ctx *ctx;
    bool pg;
    struct db_stmt *insert;
    char *buf; /* COPY text of the staged rows */
    size_t len, cap;
    struct staged *rows;
    int n, cap_rows;
    int64_t *missing;
};

#define STAGE_COLS                                                                                 \
    "id, provider_id, user_id, allocation_id, metric_id, quantity, period_start, period_end, "     \
    "source, batch_id"
/* pos numbers the staged rows in COPY order (1, 2, ... after RESTART IDENTITY): the index of a
 * row in the writer's memory, which knows its line. */
static const char SQL_STAGE[] =
    "CREATE TEMP TABLE IF NOT EXISTS usage_stage (id TEXT, provider_id BIGINT, user_id BIGINT, "
    "allocation_id BIGINT, metric_id BIGINT, quantity BIGINT, period_start BIGINT, period_end "
    "BIGINT, source TEXT, batch_id BIGINT, pos BIGINT GENERATED ALWAYS AS IDENTITY) ON COMMIT "
    "DELETE ROWS";
static const char SQL_RESTAGE[] = "TRUNCATE usage_stage RESTART IDENTITY";
static const char SQL_COPY[] = "COPY usage_stage (" STAGE_COLS ") FROM STDIN";
/* The fast path: the same text straight into the table; a duplicate key makes the whole COPY
 * fail, and the savepoint takes the chunk back to the staging path. */
static const char SQL_COPY_DIRECT[] = "COPY usage_records (" STAGE_COLS ") FROM STDIN";
/* Moves the staged rows and counts the new ones; when some were not new (rare: an id stored
 * by another ingest, or twice in the chunk), SQL_NOT_MOVED names their positions: a staged row
 * was moved when the stored row is it (same batch and content), and of two equal ones the first. */
static const char SQL_MOVE[] =
    "WITH ins AS (INSERT INTO usage_records (" STAGE_COLS ") SELECT " STAGE_COLS
    " FROM usage_stage ORDER BY pos ON CONFLICT (id) DO NOTHING RETURNING 1) SELECT COUNT(*) "
    "FROM ins";
static const char SQL_NOT_MOVED[] =
    "SELECT pos FROM (SELECT s.pos, r.id AS stored, row_number() OVER (PARTITION BY s.id "
    "ORDER BY s.pos) AS nth FROM usage_stage s LEFT JOIN usage_records r ON r.id = s.id AND "
    "r.batch_id = s.batch_id AND r.allocation_id = s.allocation_id AND r.metric_id = "
    "s.metric_id AND r.quantity = s.quantity AND r.period_start = s.period_start AND "
    "r.period_end = s.period_end) x WHERE stored IS NULL OR nth > 1 ORDER BY pos";

int usage_store_lock(struct ctx *ctx)
{
    struct db_conn *c = ctx_db(ctx);
    struct db_rows *r;
    if (!c)
        return -1;
    if (db_conn_kind(c) != DB_PG)
        return 0;
    if (db_query(c, "SELECT pg_advisory_xact_lock(1701277602)", NULL, 0, &r, &ctx->err) < 0)
        return -1;
    int step = db_rows_next(r, &ctx->err);
    db_rows_free(r);
    return step < 0 ? -1 : 0;
}

struct usage_writer *usage_writer_open(struct ctx *ctx)
{
    struct db_conn *c = ctx_db(ctx);
    if (!c)
        return NULL;
    struct usage_writer *w = calloc(1, sizeof(*w));
    if (!w)
        abort();
    w->ctx = ctx;
    w->pg = db_conn_kind(c) == DB_PG;
    if (w->pg ? db_exec(c, SQL_STAGE, NULL, 0, NULL, &ctx->err) < 0
              : db_stmt_prepare(c, SQL_INSERT, &w->insert, &ctx->err) < 0) {
        free(w);
        return NULL;
    }
    return w;
}

static int stage(struct usage_writer *w, const struct usage_row *r, int64_t line)
{
    if (w->n == w->cap_rows) {
        w->cap_rows = w->cap_rows ? w->cap_rows * 2 : 1024;
        w->rows = realloc(w->rows, sizeof(*w->rows) * (size_t)w->cap_rows);
        if (!w->rows)
            abort();
    }
    struct staged *s = &w->rows[w->n++];
    s->r = *r;
    s->line = line;
    snprintf(s->id, sizeof(s->id), "%s", r->id);
    snprintf(s->source, sizeof(s->source), "%s", r->source);
    s->r.id = s->id;
    s->r.source = s->source;
    char nums[200];
    for (;;) {
        size_t need = w->len + 2 * (strlen(r->id) + strlen(r->source)) + sizeof(nums) + 8;
        if (need <= w->cap)
            break;
        w->cap = w->cap ? w->cap * 2 : 1 << 20;
        w->buf = realloc(w->buf, w->cap);
        if (!w->buf)
            abort();
    }
    size_t n = db_copy_escape(w->buf, w->len, w->cap, r->id);
    n += (size_t)snprintf(w->buf + n, w->cap - n, "\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t%lld\t",
                          (long long)r->provider_id, (long long)r->user_id,
                          (long long)r->allocation_id, (long long)r->metric_id,
                          (long long)r->quantity, (long long)r->start, (long long)r->end);
    n = db_copy_escape(w->buf, n, w->cap, r->source);
    n += (size_t)snprintf(w->buf + n, w->cap - n, "\t%lld\n", (long long)r->batch_id);
    w->len = n;
    return 1;
}

int usage_store_add(struct usage_writer *w, const struct usage_row *r, int64_t line)
{
    int64_t changed = 0;
    if (w->pg)
        return stage(w, r, line);
    if (db_stmt_exec(w->insert,
                     DB_ARGS(DB_TEXT(r->id), DB_INT(r->provider_id), DB_INT(r->user_id),
                             DB_INT(r->allocation_id), DB_INT(r->metric_id), DB_INT(r->quantity),
                             DB_INT(r->start), DB_INT(r->end), DB_TEXT(r->source),
                             DB_INT(r->batch_id)),
                     &changed, &w->ctx->err) < 0)
        return -1;
    return changed > 0;
}

bool usage_writer_pending(const struct usage_writer *w)
{
    return w && w->n > 0;
}

int usage_writer_flush(struct usage_writer *w, int64_t **lines, int *n)
{
    struct ctx *ctx = w->ctx;
    struct db_conn *c = ctx->conn;
    struct db_rows *r;
    int step;
    *n = 0;
    *lines = NULL;
    if (!w->pg || !w->n)
        return 0;
    if (db_exec(c, "SAVEPOINT usage_copy", NULL, 0, NULL, &ctx->err) < 0)
        return -1;
    if (db_copy_begin(c, SQL_COPY_DIRECT, &ctx->err) == 0 &&
        db_copy_put(c, w->buf, w->len, &ctx->err) == 0 && db_copy_end(c, &ctx->err) == 0) {
        w->len = 0;
        return db_exec(c, "RELEASE SAVEPOINT usage_copy", NULL, 0, NULL, &ctx->err);
    }
    if (ctx->err.kind != ERR_CONFLICT || strcmp(ctx->err.rule, "unique") != 0)
        return -1;
    err_clear(&ctx->err);
    if (db_exec(c, "ROLLBACK TO SAVEPOINT usage_copy", NULL, 0, NULL, &ctx->err) < 0)
        return -1;
    int64_t moved = 0;
    if (db_exec(c, SQL_RESTAGE, NULL, 0, NULL, &ctx->err) < 0 ||
        db_copy_begin(c, SQL_COPY, &ctx->err) < 0 ||
        db_copy_put(c, w->buf, w->len, &ctx->err) < 0 || db_copy_end(c, &ctx->err) < 0 ||
        db_query_int(c, SQL_MOVE, NULL, 0, &moved, &ctx->err) < 0)
        return -1;
    if (moved == w->n) {
        w->len = 0;
        return db_exec(c, SQL_RESTAGE, NULL, 0, NULL, &ctx->err);
    }
    if (db_query(c, SQL_NOT_MOVED, NULL, 0, &r, &ctx->err) < 0)
        return -1;
    free(w->missing);
    w->missing = malloc(sizeof(int64_t) * (size_t)w->n);
    if (!w->missing)
        abort();
    while ((step = db_rows_next(r, &ctx->err)) == 1 && *n < w->n) {
        int64_t pos = db_int(r, 0);
        if (pos >= 1 && pos <= w->n)
            w->missing[(*n)++] = w->rows[pos - 1].line;
    }
    db_rows_free(r);
    if (step < 0 || db_exec(c, SQL_RESTAGE, NULL, 0, NULL, &ctx->err) < 0)
        return -1;
    *lines = w->missing;
    w->len = 0;
    return 0;
}

const struct usage_row *usage_writer_staged(struct usage_writer *w, int64_t line)
{
    int lo = 0, hi = w->n - 1; /* staged in line order */
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (w->rows[mid].line == line)
            return &w->rows[mid].r;
        if (w->rows[mid].line < line)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* After a flush has been handled, the staged rows are forgotten. */
void usage_writer_forget(struct usage_writer *w)
{
    w->n = 0;
    w->len = 0;
}

void usage_writer_close(struct usage_writer *w)
{
    if (!w)
        return;
    db_stmt_free(w->insert);
    free(w->buf);
    free(w->rows);
    free(w->missing);
    free(w);
}

static void read_row(struct ctx *ctx, struct db_rows *r, struct usage_row *o)
{
    o->id = S(0);
    o->source = S(1);
    o->provider_id = db_int(r, 2);
    o->user_id = db_int(r, 3);
    o->allocation_id = db_int(r, 4);
    o->metric_id = db_int(r, 5);
    o->quantity = db_int(r, 6);
    o->start = db_int(r, 7);
    o->end = db_int(r, 8);
    o->batch_id = db_int(r, 9);
}

int usage_store_get(struct ctx *ctx, const char *id, struct usage_row *out)
{
    GET_ONE(SQL_GET, DB_ARGS(DB_TEXT(id)), read_row, out);
}

int usage_store_batch_insert(struct ctx *ctx, const struct usage_batch_info *b)
{
    return db_exec(ctx_db(ctx), SQL_BATCH_INSERT,
                   DB_ARGS(DB_INT(b->id), DB_TEXT(b->origin), DB_INT(b->provider_id),
                           b->submitted_by ? DB_INT(b->submitted_by) : DB_NULL,
                           DB_INT(b->started_at)),
                   NULL, &ctx->err);
}

int usage_store_batch_update(struct ctx *ctx, const struct usage_batch_info *b)
{
    return db_exec(ctx_db(ctx), SQL_BATCH_UPDATE,
                   DB_ARGS(DB_INT(b->id), DB_INT(b->finished_at), DB_INT(b->accepted),
                           DB_INT(b->duplicated), DB_INT(b->rejected),
                           DB_INT(b->outcomes_not_stored)),
                   NULL, &ctx->err);
}

int usage_store_rejected_since(struct ctx *ctx, int64_t provider_id, int64_t since,
                               int64_t *rejected, int64_t *oldest)
{
    struct db_rows *r;
    struct db_conn *c = ctx_db(ctx);
    *rejected = *oldest = 0;
    if (!c)
        return -1;
    int rc = db_query_row(c, SQL_REJECTED_SINCE, DB_ARGS(DB_INT(provider_id), DB_INT(since)), &r,
                          &ctx->err);
    if (rc == 1) {
        *rejected = db_int(r, 0);
        *oldest = db_int(r, 1);
        db_rows_free(r);
    }
    return rc < 0 ? -1 : 0;
}

static void read_batch(struct ctx *ctx, struct db_rows *r, struct usage_batch_info *o)
{
    o->id = db_int(r, 0);
    o->provider_id = db_int(r, 1);
    o->submitted_by = db_int(r, 2);
    o->started_at = db_int(r, 3);
    o->finished_at = db_int(r, 4);
    o->origin = S(5);
    o->accepted = db_int(r, 6);
    o->duplicated = db_int(r, 7);
    o->rejected = db_int(r, 8);
    o->outcomes_not_stored = db_int(r, 9);
}

int usage_store_batch_get(struct ctx *ctx, int64_t id, struct usage_batch_info *out)
{
    GET_ONE(SQL_BATCH_GET, DB_ARGS(DB_INT(id)), read_batch, out);
}

int usage_store_outcome_insert(struct ctx *ctx, int64_t batch_id, const struct usage_outcome *o)
{
    return db_exec(ctx->conn, SQL_OUTCOME_INSERT,
                   DB_ARGS(DB_INT(batch_id), DB_INT(o->line), DB_TEXT(o->record_id),
                           DB_TEXT(o->outcome), DB_TEXT(o->rule), DB_TEXT(o->field),
                           DB_TEXT(o->message)),
                   NULL, &ctx->err);
}

static void read_outcome(struct ctx *ctx, struct db_rows *r, struct usage_outcome *o)
{
    o->line = db_int(r, 0);
    o->record_id = S(1);
    o->outcome = S(2);
    o->rule = S(3);
    o->field = S(4);
    o->message = S(5);
}

int usage_store_outcomes(struct ctx *ctx, int64_t batch_id, int64_t after_line, int limit,
                         struct usage_outcome **items, int *n)
{
    LIST_ALL(SQL_OUTCOMES, DB_ARGS(DB_INT(batch_id), DB_INT(after_line), DB_INT(limit)),
             struct usage_outcome, read_outcome, items, n);
}
