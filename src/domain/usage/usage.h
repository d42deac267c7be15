/*
 * usage.h - metered usage records (T5-7.1: products are quantifiable, measurable, priceable) and
 * their ingest.
 *
 * A record names an allocation (which fixes the provider, the user agency and the pool), a
 * priced metric of one of the provider's products, an exact quantity (decimal, scale 6), a period
 * and a source. Its own id is the idempotency key: a record whose id is stored already is
 * `duplicated` (or `rejected` with rule `id_reused` when its content differs). A record that
 * names unknown or foreign objects, has a negative or inexact quantity, an empty period, or
 * overlaps the newest record of its series (allocation, metric) is `rejected` with a reason; the
 * others of the batch still land.
 *
 * An ingest is a batch: records are added one by one and committed in chunks of at most
 * USAGE_CHUNK records, each chunk one transaction (so a crash or a kill loses at most the chunk in
 * flight, never part of a chunk, and a re-sent file is idempotent). The batch keeps its counts
 * and every record that was not accepted (usage_outcomes), so its answer says exactly what
 * happened to each record.
 */
#ifndef EGOV_USAGE_H
#define EGOV_USAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/page.h"

struct ctx;

#define USAGE_SCALE     1000000 /* quantities are integer millionths */
#define USAGE_ID_MAX    64
#define USAGE_CHUNK     20000
#define USAGE_REASON_SZ 160
/* Outcomes (lines not accepted) a batch stores; the rest are counted (outcomes_not_stored), so
 * that a megabyte of junk lines cannot become half a million rows (issue 12). */
#define USAGE_OUTCOMES_MAX 1000
/* Days (and so billing months) are those of China Standard Time, UTC+08:00. */
#define USAGE_DAY_OFFSET_MS (8 * 3600 * 1000LL)

/* The day number (days since 1970-01-01 in CST) of a time in Unix ms; a record belongs to the
 * day its period starts. */
int64_t usage_day(int64_t ms);

/* One record as it arrives, before validation; strings are not NUL-terminated. */
struct usage_input {
    const char *id, *quantity, *start, *end, *source;
    size_t id_len, quantity_len, start_len, end_len, source_len;
    int64_t allocation_id, metric_id, provider_id, user_id; /* 0 = absent */
    /* A field the parser could not read: its name and rule (the record is then rejected). */
    const char *bad_field, *bad_rule;
};

/* A record after the checks that need no store (usage_prepare, thread-safe): its fields as
 * values, or the rule it breaks. */
/* The id of a refused record as stored in its outcome: bytes that are not valid UTF-8 text (and
 * control characters and the backslash) are written \xNN, so that every refused line keeps its
 * outcome, losslessly (docs/usage.md). */
#define USAGE_ID_SHOWN (4 * USAGE_ID_MAX + 1)
struct usage_parsed {
    int64_t line;
    char id[USAGE_ID_SHOWN], source[USAGE_ID_MAX + 1];
    int64_t allocation_id, metric_id, provider_id, user_id, quantity, start, end;
    const char *rule, *field;       /* set when the record is rejected already */
    char field_buf[USAGE_ID_SHOWN]; /* the parser's field name, shown as ids are (field points
                                     * here: the parser's own text is gone with the next line) */
    char message[USAGE_REASON_SZ];
};
int usage_prepare(const struct usage_input *in, int64_t line, struct usage_parsed *out);

struct usage_summary {
    int64_t batch_id;
    int64_t accepted, duplicated, rejected;
    int64_t lines;
    int64_t outcomes_not_stored; /* lines not accepted beyond USAGE_OUTCOMES_MAX */
};

struct usage_batch;

/* Starts a batch. origin "api" (the caller's provider, whose records only it may send) or
 * "import" (the operator; any provider). NULL with ctx->err set; ERR_RATE_LIMITED (with
 * retry_after) when the provider's batches of the last usage_reject_window_s seconds rejected
 * more than usage_reject_limit lines. */
struct usage_batch *usage_batch_begin(struct ctx *ctx, const char *origin);
/* Validates one record (line = its position, from 1) and buffers it; commits a full chunk.
 * -1 only when the store failed (the batch is then dead; committed chunks stay). */
int usage_batch_add(struct usage_batch *b, const struct usage_input *in, int64_t line);
int usage_batch_add_parsed(struct usage_batch *b, const struct usage_parsed *p);
/* Commits what is buffered and closes the batch; the summary is filled either way. */
int usage_batch_end(struct usage_batch *b, struct usage_summary *out);
/* Called after each committed chunk (progress bars); may be NULL. */
void usage_batch_on_commit(struct usage_batch *b,
                           void (*fn)(void *arg, const struct usage_summary *s), void *arg);
/* Abandons the batch: the chunk in flight is rolled back. */
void usage_batch_abort(struct usage_batch *b);

/* Two threads for one ingest (usage_pipe.c): the caller puts records (checked with
 * usage_prepare in its own thread), a writer thread adds them to the batch in order. Between
 * start and finish the batch and its context belong to the writer. put returns -1 once the
 * writer failed (the error is in the batch's context after finish); finish returns -1 then. */
struct usage_pipe;
struct usage_pipe *usage_pipe_start(struct usage_batch *b);
int usage_pipe_put(struct usage_pipe *p, const struct usage_input *in, int64_t line);
int usage_pipe_finish(struct usage_pipe *p);

/* Exact decimal "123.456789" (or an integer) into millionths; -1 with a rule name in *rule
 * ("format", "scale", "negative", "range"). */
int usage_parse_quantity(const char *s, size_t n, int64_t *out, const char **rule);
/* Millionths as text: "12.5", "3", "0.000001" (at least 24 bytes). */
void usage_format_quantity(int64_t q, char *buf, size_t cap);

/* Parsers of the two ingest formats, one record per call; fill *in (pointing into the line).
 * NDJSON: one JSON object per line. */
int usage_parse_ndjson(const char *line, size_t n, struct usage_input *in, void *scratch);
void *usage_ndjson_scratch_new(void);
void usage_ndjson_scratch_free(void *scratch);

/* CSV with a header line naming the columns (id, allocation_id, metric_id, quantity, start,
 * end, source, provider_id, user_id, in any order); RFC 4180 quoting. Fed in pieces of any size,
 * it calls fn once per record. */
struct usage_csv;
struct usage_csv *usage_csv_new(int (*fn)(void *arg, const struct usage_input *in, int64_t line),
                                void *arg);
/* -1 when fn returned -1 (stops), or the header is unusable (message in *why). */
int usage_csv_feed(struct usage_csv *c, const char *data, size_t n, const char **why);
int usage_csv_finish(struct usage_csv *c, const char **why);
void usage_csv_free(struct usage_csv *c);

struct usage_outcome {
    int64_t line;
    const char *record_id, *outcome, *rule, *field, *message;
};
struct usage_batch_info {
    int64_t id, provider_id, submitted_by, started_at, finished_at;
    const char *origin;
    int64_t accepted, duplicated, rejected;
    int64_t outcomes_not_stored;
};
/* A batch the caller may see (its provider's, or any for management/system). */
int usage_batch_get(struct ctx *ctx, int64_t id, struct usage_batch_info *out);
int usage_outcomes(struct ctx *ctx, int64_t batch_id, const struct page_req *p,
                   struct usage_outcome **items, int *n, struct page_info *info);

#endif
