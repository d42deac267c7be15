/*
 * usage_http.c - `POST /api/v1/usage` (an NDJSON stream of any size, one record a line, read as
 * it arrives and committed chunk by chunk) and the batches it makes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"
#include "usage_http.h"
#include "app.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "http/handler_util.h"
#include "core/banned.h"

#define LINE_MAX_BYTES  (64u << 10) /* a longer line is one rejected record */
#define ANSWER_OUTCOMES 100         /* outcomes listed in the answer; the rest are paged */

struct usage_stream {
    struct ctx *ctx;
    struct usage_batch *batch;
    struct usage_pipe *pipe; /* the batch is written by the pipe's thread while the body arrives */
    void *scratch;
    char *line; /* the line being assembled across pieces */
    size_t len;
    bool overlong, failed;
    int64_t line_no;
};

static int one_line(struct usage_stream *s)
{
    struct usage_input in;
    s->line_no++;
    size_t n = s->len;
    if (n && s->line[n - 1] == '\r')
        n--;
    if (s->overlong) {
        memset(&in, 0, sizeof(in));
        in.bad_field = "";
        in.bad_rule = "json";
    } else if (!n) {
        return 0; /* blank lines are not records */
    } else {
        usage_parse_ndjson(s->line, n, &in, s->scratch);
    }
    s->len = 0;
    s->overlong = false;
    return usage_pipe_put(s->pipe, &in, s->line_no);
}

static void *usage_open(struct ctx *ctx, struct req *rq)
{
    (void)rq;
    struct usage_stream *s = arena_alloc(ctx->arena, sizeof(*s));
    memset(s, 0, sizeof(*s));
    s->ctx = ctx;
    s->batch = usage_batch_begin(ctx, "api");
    if (!s->batch)
        return NULL;
    s->scratch = usage_ndjson_scratch_new();
    s->line = malloc(LINE_MAX_BYTES);
    if (!s->scratch || !s->line)
        abort();
    s->pipe = usage_pipe_start(s->batch);
    return s;
}

static int usage_feed(void *state, const char *data, size_t n)
{
    struct usage_stream *s = state;
    while (n) {
        const char *nl = memchr(data, '\n', n);
        size_t take = nl ? (size_t)(nl - data) : n;
        if (s->len + take > LINE_MAX_BYTES) {
            s->overlong = true;
            s->len = 0;
        } else if (!s->overlong) {
            memcpy(s->line + s->len, data, take);
            s->len += take;
        }
        if (!nl)
            break;
        if (one_line(s) < 0) {
            s->failed = true;
            return -1;
        }
        data += take + 1;
        n -= take + 1;
    }
    return 0;
}

static void release(struct usage_stream *s)
{
    usage_ndjson_scratch_free(s->scratch);
    free(s->line);
    s->scratch = NULL;
    s->line = NULL;
}

static json_t *outcome_json(const struct usage_outcome *o)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "line", (json_int_t)o->line, "id", o->record_id,
                     "outcome", o->outcome, "rule", o->rule, "field", o->field, "message",
                     o->message);
}

static json_t *batch_json(const struct usage_batch_info *b)
{
    char at[40], done[40];
    time_format(b->started_at, at, sizeof(at));
    time_format(b->finished_at, done, sizeof(done));
    return json_pack("{s:I,s:s,s:I,s:s,s:s,s:I,s:I,s:I,s:I}", "id", (json_int_t)b->id, "origin",
                     b->origin, "provider_id", (json_int_t)b->provider_id, "started_at", at,
                     "finished_at", b->finished_at ? done : "", "accepted", (json_int_t)b->accepted,
                     "duplicated", (json_int_t)b->duplicated, "rejected", (json_int_t)b->rejected,
                     "outcomes_not_stored", (json_int_t)b->outcomes_not_stored);
}

static void usage_finish(void *state, struct resp *rs)
{
    struct usage_stream *s = state;
    struct ctx *ctx = s->ctx;
    struct usage_summary sum;
    if (!s->failed && (s->len || s->overlong) && one_line(s) < 0)
        s->failed = true; /* the last line had no newline */
    if (usage_pipe_finish(s->pipe) < 0)
        s->failed = true; /* the store failed: ctx->err says how */
    s->pipe = NULL;
    if (s->failed) {
        struct err e = ctx->err;
        usage_batch_abort(s->batch);
        ctx->err = e;
        release(s);
        return; /* the problem of the store failure; committed chunks stay */
    }
    release(s);
    if (usage_batch_end(s->batch, &sum) < 0)
        return;
    struct page_req p = {.limit = ANSWER_OUTCOMES};
    struct page_info info;
    struct usage_outcome *o;
    int n;
    if (usage_outcomes(ctx, sum.batch_id, &p, &o, &n, &info) < 0)
        return;
    json_t *list = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(list, outcome_json(&o[i]));
    char more[96];
    snprintf(more, sizeof(more), "/api/v1/usage/batches/%lld/outcomes?cursor=%lld",
             (long long)sum.batch_id, (long long)info.next_cursor);
    resp_json(ctx, rs, 200,
              json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:o,s:o}", "batch_id", (json_int_t)sum.batch_id,
                        "records", (json_int_t)sum.lines, "accepted", (json_int_t)sum.accepted,
                        "duplicated", (json_int_t)sum.duplicated, "rejected",
                        (json_int_t)sum.rejected, "outcomes_not_stored",
                        (json_int_t)sum.outcomes_not_stored, "outcomes", list, "more_outcomes",
                        info.next_cursor ? json_string(more) : json_null()));
}

static void usage_abort(void *state)
{
    struct usage_stream *s = state;
    if (s->pipe)
        usage_pipe_finish(s->pipe);
    usage_batch_abort(s->batch);
    release(s);
}

const struct stream_ops usage_stream_ops = {
    .media_type = "application/x-ndjson",
    .open = usage_open,
    .feed = usage_feed,
    .finish = usage_finish,
    .abort = usage_abort,
};

int usage_http_batch(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    struct usage_batch_info b;
    if (usage_batch_get(ctx, rq->params[0], &b) < 0)
        return -1;
    return resp_json(ctx, rs, 200, batch_json(&b));
}

int usage_http_outcomes(struct ctx *ctx, struct req *rq, struct resp *rs)
{
    static const char *const allowed[] = {"limit", "cursor", "total", NULL};
    struct page_req p;
    struct page_info info;
    struct usage_outcome *o;
    int n;
    if (q_only(ctx, rq, allowed) < 0 || q_page(ctx, rq, &p) < 0 ||
        usage_outcomes(ctx, rq->params[0], &p, &o, &n, &info) < 0)
        return -1;
    json_t *items = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(items, outcome_json(&o[i]));
    return resp_json(ctx, rs, 200, j_page(items, &info));
}
