/*
 * usage_store.h - the usage module's store functions (only usage.c calls them).
 */
#ifndef EGOV_USAGE_STORE_H
#define EGOV_USAGE_STORE_H

#include "usage.h"

struct usage_row {
    const char *id, *source;
    int64_t provider_id, user_id, allocation_id, metric_id, quantity, start, end, batch_id;
};

/* What a record refers to; found = false when the id is unknown. */
struct usage_alloc_ref {
    bool found;
    int64_t provider_id, user_id, pool_id;
    int64_t released_at; /* 0 while the allocation is live */
    int64_t start;       /* usage is accepted from here: its creation or stated service_start */
};
struct usage_metric_ref {
    bool found;
    int64_t product_id, provider_id;
    bool product_has_pools;
};

int usage_store_alloc(struct ctx *ctx, int64_t id, struct usage_alloc_ref *out);
int usage_store_metric(struct ctx *ctx, int64_t id, struct usage_metric_ref *out);
/* 1 when the product is built on the pool. */
int usage_store_product_pool(struct ctx *ctx, int64_t product_id, int64_t pool_id);
/* The newest period end of a series; 0 when the series has none. */
int usage_store_series(struct ctx *ctx, int64_t allocation_id, int64_t metric_id,
                       int64_t *last_end);
/* Sets the marks of n series: rows holds n triples (allocation, metric, last_end). */
int usage_store_series_put(struct ctx *ctx, const int64_t *rows, int n);
/* Adds n days of accepted usage to usage_daily: rows holds n quintuples (allocation, metric,
 * day, quantity, records). */
int usage_store_daily_put(struct ctx *ctx, const int64_t *rows, int n);
/* The counter of committed chunks of all ingests (bumped first when bump): a batch whose last
 * commit left it at n knows that nobody else moved a series mark since. */
int usage_store_epoch(struct ctx *ctx, bool bump, int64_t *n);
/*
 * The writer of a chunk. On SQLite each record is inserted at once through one prepared
 * statement, and the answer says whether its id was new (1) or stored already (0). On
 * PostgreSQL records are staged in memory and written with COPY into a temporary table, then
 * moved with one INSERT … ON CONFLICT DO NOTHING when the chunk is flushed; usage_store_add
 * answers 1, and the flush reports the lines whose ids turned out to be stored already.
 */
struct usage_writer;
/* Serialises ingests chunk by chunk (PostgreSQL advisory lock; SQLite's writer lock already
 * does), so that the series marks read in a chunk stay true until it commits. */
int usage_store_lock(struct ctx *ctx);
struct usage_writer *usage_writer_open(struct ctx *ctx);
int usage_store_add(struct usage_writer *w, const struct usage_row *r, int64_t line);
/* Writes what is staged (PostgreSQL); lines[n] receives the staged lines not inserted. */
int usage_writer_flush(struct usage_writer *w, int64_t **lines, int *n);
/* The staged row of a line (PostgreSQL), or NULL. */
const struct usage_row *usage_writer_staged(struct usage_writer *w, int64_t line);
bool usage_writer_pending(const struct usage_writer *w);
void usage_writer_forget(struct usage_writer *w);
void usage_writer_close(struct usage_writer *w);
/* The stored record with this id: 1 found, 0 none. */
int usage_store_get(struct ctx *ctx, const char *id, struct usage_row *out);

int usage_store_batch_insert(struct ctx *ctx, const struct usage_batch_info *b);
int usage_store_batch_update(struct ctx *ctx, const struct usage_batch_info *b);
int usage_store_batch_get(struct ctx *ctx, int64_t id, struct usage_batch_info *out);
int usage_store_outcome_insert(struct ctx *ctx, int64_t batch_id, const struct usage_outcome *o);
int usage_store_outcomes(struct ctx *ctx, int64_t batch_id, int64_t after_line, int limit,
                         struct usage_outcome **items, int *n);

/* The rejected lines of a provider's batches started at or after since (committed chunks), and
 * the start of the oldest of those batches (0 when none). */
int usage_store_rejected_since(struct ctx *ctx, int64_t provider_id, int64_t since,
                               int64_t *rejected, int64_t *oldest);

#endif
