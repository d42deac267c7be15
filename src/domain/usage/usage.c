/*
 * usage.c - the ingest of usage records: validation against cached references, idempotency by
 * record id, the no-overlap rule per series, chunked commits, and the batch's outcomes.
 *
 * Per record nothing is allocated from the request arena (an ingest may hold millions of
 * records): references are cached in open-addressing maps that grow with the number of distinct
 * allocations, metrics and series, not with the input; the rare reads of an existing record
 * (duplicates) use a scratch arena freed at every commit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"
#include "usage_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "core/banned.h"

/* ---- a small int64-keyed map (key 0 is "empty": ids are never 0) ----------------------- */

struct slot {
    int64_t k1, k2, k3;
    int64_t v[6];
};
struct map {
    struct slot *s;
    size_t cap, n;
};

static uint64_t mix(int64_t a, int64_t b, int64_t c)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15u ^ ((uint64_t)b + 0x632BE59BD9B4E019u) ^
                 (uint64_t)c * 0xC2B2AE3D27D4EB4Fu;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return h ^ (h >> 32);
}

/* The slot of key (k1, k2, k3), zeroed and marked fresh when it is new. */
static struct slot *map_find(struct map *m, int64_t k1, int64_t k2, int64_t k3, bool *fresh)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        struct slot *s = calloc(cap, sizeof(*s));
        if (!s)
            abort();
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->s[i].k1)
                continue;
            size_t j = mix(m->s[i].k1, m->s[i].k2, m->s[i].k3) & (cap - 1);
            while (s[j].k1)
                j = (j + 1) & (cap - 1);
            s[j] = m->s[i];
        }
        free(m->s);
        m->s = s;
        m->cap = cap;
    }
    size_t j = mix(k1, k2, k3) & (m->cap - 1);
    while (m->s[j].k1 && (m->s[j].k1 != k1 || m->s[j].k2 != k2 || m->s[j].k3 != k3))
        j = (j + 1) & (m->cap - 1);
    *fresh = !m->s[j].k1;
    if (*fresh) {
        m->s[j] = (struct slot){k1, k2, k3, {0}};
        m->n++;
    }
    return &m->s[j];
}

static void map_clear(struct map *m)
{
    if (m->s)
        memset(m->s, 0, m->cap * sizeof(*m->s));
    m->n = 0;
}

/* The usage of this chunk per series and day (summed into usage_daily at the commit). */
static void add_daily(struct map *daily, int64_t allocation_id, int64_t metric_id, int64_t start,
                      int64_t quantity, int64_t records)
{
    bool fresh;
    struct slot *d = map_find(daily, allocation_id, metric_id, usage_day(start), &fresh);
    d->v[0] += quantity;
    d->v[1] += records;
}

int64_t usage_day(int64_t ms)
{
    int64_t t = ms + USAGE_DAY_OFFSET_MS;
    return t >= 0 ? t / 86400000 : -((-t + 86399999) / 86400000);
}

/* ---- the batch ------------------------------------------------------------------------- */

struct usage_batch {
    struct ctx *ctx;
    struct usage_batch_info info;
    struct map allocs;  /* v: found(1)/unknown(2), provider, user, pool, released at (0 live),
                         * start of service */
    struct map metrics; /* v: found/unknown, product, provider, has_pools */
    struct map pairs;   /* (product, pool) v0: 1 yes, 2 no */
    struct map series;  /* (allocation, metric) v0: last_end, v1: dirty; per chunk */
    struct map daily;   /* (allocation, metric, day) v0: quantity, v1: records; per chunk */
    struct usage_writer *w;
    int64_t epoch;     /* usage_epoch after this batch's last commit; -1 before */
    int64_t not_after; /* a period may end at this time at most: now + usage_clock_skew_s */
    int64_t in_chunk;
    bool in_tx, dead;
    struct arena *scratch;
    char default_source[USAGE_ID_MAX + 1];
    void (*on_commit)(void *arg, const struct usage_summary *s);
    void *on_commit_arg;
    int64_t lines;
};

static void summarise(const struct usage_batch *b, struct usage_summary *s)
{
    s->batch_id = b->info.id;
    s->accepted = b->info.accepted;
    s->duplicated = b->info.duplicated;
    s->rejected = b->info.rejected;
    s->lines = b->lines;
    s->outcomes_not_stored = b->info.outcomes_not_stored;
}

/* Issue 12: junk must not fill the store. While a provider's batches of the window rejected more
 * lines than the limit, further batches are refused until the oldest of them leaves the window. */
static int check_reject_volume(struct ctx *ctx, int64_t provider_id)
{
    const struct config *cfg = &ctx->app->cfg;
    int64_t window = (int64_t)cfg->usage_reject_window_s * 1000, now = time_now_ms();
    int64_t rejected, oldest;
    if (!cfg->usage_reject_limit)
        return 0;
    if (usage_store_rejected_since(ctx, provider_id, now - window, &rejected, &oldest) < 0)
        return -1;
    if (rejected <= cfg->usage_reject_limit)
        return 0;
    int64_t wait = (oldest + window - now + 999) / 1000;
    ctx->err.retry_after = wait < 1 ? 1 : (int)wait;
    return err_rule(&ctx->err, ERR_RATE_LIMITED, "rejected_volume",
                    "your batches of the last %d s rejected %lld lines, more than %d: fix the "
                    "sender before sending more",
                    cfg->usage_reject_window_s, (long long)rejected, cfg->usage_reject_limit);
}

struct usage_batch *usage_batch_begin(struct ctx *ctx, const char *origin)
{
    bool api = !strcmp(origin, "api");
    if (api && (!ctx->caller.inst_kind || strcmp(ctx->caller.inst_kind, "provider") != 0)) {
        err_rule(&ctx->err, ERR_FORBIDDEN, "provider_only",
                 "usage records are sent by the provider that delivers the service");
        return NULL;
    }
    if (api && check_reject_volume(ctx, ctx->caller.institution_id) < 0)
        return NULL;
    struct usage_batch *b = calloc(1, sizeof(*b));
    if (!b)
        abort();
    b->ctx = ctx;
    b->epoch = -1;
    b->info.id = id_new();
    b->info.origin = api ? "api" : "import";
    b->info.provider_id = api ? ctx->caller.institution_id : 0;
    b->info.submitted_by = ctx->caller.person_id;
    b->info.started_at = time_now_ms();
    snprintf(b->default_source, sizeof(b->default_source), "%s",
             api ? (ctx->caller.login ? ctx->caller.login : "api") : "import");
    b->scratch = arena_new();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "origin", b->info.origin);
    if (ctx_tx_begin(ctx) < 0 || usage_store_batch_insert(ctx, &b->info) < 0 ||
        audit_append(ctx, "usage.batch", "usage_batch", b->info.id,
                     api ? ctx->caller.institution_id : 0, ch) < 0 ||
        ctx_tx_commit(ctx) < 0) {
        ctx_tx_rollback(ctx);
        arena_free(b->scratch);
        free(b);
        return NULL;
    }
    return b;
}

void usage_batch_on_commit(struct usage_batch *b,
                           void (*fn)(void *arg, const struct usage_summary *s), void *arg)
{
    b->on_commit = fn;
    b->on_commit_arg = arg;
}

static int settle_staged(struct usage_batch *b);

static int commit_chunk(struct usage_batch *b)
{
    struct ctx *ctx = b->ctx;
    if (!b->in_tx)
        return 0;
    if (settle_staged(b) < 0)
        return -1;
    int64_t *rows = malloc(sizeof(int64_t) * 3 * (b->series.n + 1));
    int n = 0;
    if (!rows)
        abort();
    for (size_t i = 0; i < b->series.cap; i++) {
        struct slot *s = &b->series.s[i];
        if (s->k1 && s->v[1]) {
            rows[3 * n] = s->k1;
            rows[3 * n + 1] = s->k2;
            rows[3 * n + 2] = s->v[0];
            n++;
            s->v[1] = 0;
        }
    }
    int put = usage_store_series_put(ctx, rows, n);
    free(rows);
    if (put == 0 && b->daily.n) {
        int64_t *days = malloc(sizeof(int64_t) * 5 * b->daily.n);
        int nd = 0;
        if (!days)
            abort();
        for (size_t i = 0; i < b->daily.cap; i++) {
            const struct slot *d = &b->daily.s[i];
            if (!d->k1 || !d->v[1])
                continue;
            days[5 * nd] = d->k1;
            days[5 * nd + 1] = d->k2;
            days[5 * nd + 2] = d->k3;
            days[5 * nd + 3] = d->v[0];
            days[5 * nd + 4] = d->v[1];
            nd++;
        }
        put = usage_store_daily_put(ctx, days, nd);
        free(days);
        map_clear(&b->daily);
    }
    if (put < 0 || usage_store_epoch(ctx, true, &b->epoch) < 0)
        return -1;
    b->info.finished_at = time_now_ms();
    if (usage_store_batch_update(ctx, &b->info) < 0 || ctx_tx_commit(ctx) < 0)
        return -1;
    b->in_tx = false;
    b->in_chunk = 0;
    arena_free(b->scratch);
    b->scratch = arena_new();
    if (b->on_commit) {
        struct usage_summary s;
        summarise(b, &s);
        b->on_commit(b->on_commit_arg, &s);
    }
    return 0;
}

/* The counters and the series marks of the chunk that failed are rolled back with it. */
static void fail(struct usage_batch *b)
{
    ctx_tx_rollback(b->ctx);
    b->in_tx = false;
    b->dead = true;
    map_clear(&b->daily);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) that is no control character, or 0
 * (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    if (s[0] >= 0x20 && s[0] < 0x7f)
        return s[0] == '\\' ? 0 : 1;
    size_t len = s[0] >= 0xc2 && s[0] <= 0xdf   ? 2
                 : (s[0] & 0xf0) == 0xe0        ? 3
                 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4
                                                : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
        return 0;
    return len;
}

/* True when s is valid UTF-8 text without control characters (a backslash is text here). */
static bool text_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k = s[i] == '\\' ? 1 : utf8_char((const unsigned char *)s + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* Text as an outcome shows it (USAGE_ID_SHOWN): valid text as it is, other bytes as \xNN; at
 * most USAGE_ID_MAX bytes of s (the caller decides what a longer text becomes). */
static void shown_text(char *buf, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    buf[0] = 0;
    if (n > USAGE_ID_MAX)
        n = USAGE_ID_MAX;
    for (size_t i = 0; s && i < n;) {
        size_t k = utf8_char((const unsigned char *)s + i, n - i);
        if (k) {
            memcpy(buf + o, s + i, k);
            o += k;
            i += k;
        } else {
            o += (size_t)snprintf(buf + o, cap - o, "\\x%02x", (unsigned char)s[i]);
            i++;
        }
    }
    buf[o] = 0;
}

/* Cuts a UTF-8 sequence that snprintf's truncation left incomplete at the end of s. */
static void utf8_trim(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && n - i < 4 && ((unsigned char)s[i - 1] & 0xc0) == 0x80)
        i--;
    if (i == 0 || ((unsigned char)s[i - 1] & 0x80) == 0)
        return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (n - (i - 1) < want)
        s[i - 1] = 0;
}

/* The length of the longest prefix of s of at most max bytes that ends on a character. */
static int utf8_prefix(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return (int)n;
    while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
        max--;
    return (int)max;
}

/* An id too long to be shown whole is not shown at all (a prefix would name another id). */
static void shown_id(char *buf, size_t cap, const char *s, size_t n)
{
    shown_text(buf, cap, n > USAGE_ID_MAX ? NULL : s, n);
}

static int outcome(struct usage_batch *b, int64_t line, const char *id, const char *what,
                   const char *rule, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

static int outcome(struct usage_batch *b, int64_t line, const char *id, const char *what,
                   const char *rule, const char *field, const char *fmt, ...)
{
    char msg[USAGE_REASON_SZ];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    utf8_trim(msg);
    struct usage_outcome o = {line, id, what, rule, field, msg};
    if (!strcmp(what, "duplicated"))
        b->info.duplicated++;
    else
        b->info.rejected++;
    if (b->info.duplicated + b->info.rejected > USAGE_OUTCOMES_MAX) {
        b->info.outcomes_not_stored++;
        return 0;
    }
    return usage_store_outcome_insert(b->ctx, b->info.id, &o);
}

#define REJECT(rule, field, ...) outcome(b, line, id, "rejected", rule, field, __VA_ARGS__)

static bool id_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.' || c == ':'))
            return false;
    }
    return true;
}

/* A NUL-terminated copy of a field into buf, or NULL when it does not fit. */
static const char *cstr(char *buf, size_t cap, const char *s, size_t n)
{
    if (!s || n >= cap)
        return NULL;
    memcpy(buf, s, n);
    buf[n] = 0;
    return buf;
}

static struct slot *alloc_ref(struct usage_batch *b, int64_t id)
{
    bool fresh;
    struct slot *s = map_find(&b->allocs, id, 1, 0, &fresh);
    if (fresh) {
        struct usage_alloc_ref r;
        if (usage_store_alloc(b->ctx, id, &r) < 0)
            return NULL;
        s->v[0] = r.found ? 1 : 2;
        s->v[1] = r.provider_id;
        s->v[2] = r.user_id;
        s->v[3] = r.pool_id;
        s->v[4] = r.released_at;
        s->v[5] = r.start;
    }
    return s;
}

static struct slot *metric_ref(struct usage_batch *b, int64_t id)
{
    bool fresh;
    struct slot *s = map_find(&b->metrics, id, 1, 0, &fresh);
    if (fresh) {
        struct usage_metric_ref r;
        if (usage_store_metric(b->ctx, id, &r) < 0)
            return NULL;
        s->v[0] = r.found ? 1 : 2;
        s->v[1] = r.product_id;
        s->v[2] = r.provider_id;
        s->v[3] = r.product_has_pools;
    }
    return s;
}

static int product_on_pool(struct usage_batch *b, int64_t product, int64_t pool)
{
    bool fresh;
    struct slot *s = map_find(&b->pairs, product, pool, 0, &fresh);
    if (fresh) {
        int rc = usage_store_product_pool(b->ctx, product, pool);
        if (rc < 0)
            return -1;
        s->v[0] = rc ? 1 : 2;
    }
    return s->v[0] == 1;
}

static struct slot *series_ref(struct usage_batch *b, int64_t alloc, int64_t metric)
{
    bool fresh;
    struct slot *s = map_find(&b->series, alloc, metric, 0, &fresh);
    if (fresh && usage_store_series(b->ctx, alloc, metric, &s->v[0]) < 0)
        return NULL;
    return s;
}

/* A record whose id is stored already: duplicated when it says the same, else rejected. */
static int seen_before(struct usage_batch *b, int64_t line, const struct usage_row *w, bool *found)
{
    struct ctx *ctx = b->ctx;
    struct usage_row old;
    struct arena *own = ctx->arena;
    const char *id = w->id;
    if (usage_writer_pending(b->w) && settle_staged(b) < 0)
        return -1;
    ctx->arena = b->scratch;
    int rc = usage_store_get(ctx, w->id, &old);
    ctx->arena = own;
    *found = rc == 1;
    if (rc <= 0)
        return rc;
    if (old.allocation_id == w->allocation_id && old.metric_id == w->metric_id &&
        old.quantity == w->quantity && old.start == w->start && old.end == w->end)
        return outcome(b, line, id, "duplicated", "duplicate", "id",
                       "the record was received before (batch %lld)", (long long)old.batch_id);
    return REJECT("id_reused", "id",
                  "a different record with this id was received before (batch %lld)",
                  (long long)old.batch_id);
}

/* PostgreSQL: writes the staged records; those whose ids were stored already (by another
 * ingest, or twice in this chunk) were counted as accepted and are classified again. */
static int settle_staged(struct usage_batch *b)
{
    int64_t *lines;
    int n;
    if (!usage_writer_pending(b->w))
        return 0;
    if (usage_writer_flush(b->w, &lines, &n) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        const struct usage_row *r = usage_writer_staged(b->w, lines[i]);
        bool found;
        if (!r)
            continue;
        struct usage_row copy = *r;
        b->info.accepted--;
        add_daily(&b->daily, r->allocation_id, r->metric_id, r->start, -r->quantity, -1);
        if (seen_before(b, lines[i], &copy, &found) < 0)
            return -1;
    }
    usage_writer_forget(b->w);
    return 0;
}

#define BAD(r, f, ...)                                                                             \
    do {                                                                                           \
        out->rule = (r);                                                                           \
        out->field = (f);                                                                          \
        snprintf(out->message, sizeof(out->message), __VA_ARGS__);                                 \
        utf8_trim(out->message);                                                                   \
        return -1;                                                                                 \
    } while (0)

int usage_prepare(const struct usage_input *in, int64_t line, struct usage_parsed *out)
{
    char t1[40], t2[40];
    const char *rule;
    out->line = line;
    out->rule = NULL;
    out->id[0] = out->source[0] = 0;
    out->allocation_id = in->allocation_id;
    out->metric_id = in->metric_id;
    out->provider_id = in->provider_id;
    out->user_id = in->user_id;
    /* 4 bytes of text per byte of id at most: \xNN */
    shown_id(out->id, sizeof(out->id), in->id, in->id_len);
    if (in->bad_field)
        shown_text(out->field_buf, sizeof(out->field_buf), in->bad_field, strlen(in->bad_field));
    if (in->bad_field)
        BAD(in->bad_rule, out->field_buf, "%.*s: %s", utf8_prefix(out->field_buf, 64),
            *out->field_buf ? out->field_buf : "line",
            !strcmp(in->bad_rule, "json")            ? "not a JSON object"
            : !strcmp(in->bad_rule, "unknown_field") ? "not a field of a usage record"
            : !strcmp(in->bad_rule, "inexact")
                ? "a quantity with decimals is sent as a string, e.g. \"12.5\""
            : !strcmp(in->bad_rule, "columns") ? "the row has not as many fields as the header"
            : !strcmp(in->bad_rule, "nul")     ? "holds a NUL character (U+0000)"
            : !strcmp(in->bad_rule, "duplicate_key")
                ? "is given twice (a JSON object names each key once)"
            : !strcmp(in->bad_rule, "id") ? "is not a valid id (a positive integer)"
                                          : "has the wrong type");
    if (!in->id || !in->id_len)
        BAD("required", "id", "id is required: it makes re-sending harmless");
    if (in->id_len > USAGE_ID_MAX)
        BAD("max_length", "id", "id is longer than %d characters", USAGE_ID_MAX);
    if (!id_ok(in->id, in->id_len))
        BAD("format", "id", "id may hold letters, digits and - _ . : only");
    if (!in->allocation_id)
        BAD("required", "allocation_id", "allocation_id is required");
    if (!in->metric_id)
        BAD("required", "metric_id", "metric_id is required");
    if (!in->quantity)
        BAD("required", "quantity", "quantity is required");
    if (usage_parse_quantity(in->quantity, in->quantity_len, &out->quantity, &rule) < 0)
        BAD(rule, "quantity", "%s",
            !strcmp(rule, "negative") ? "quantity is negative"
            : !strcmp(rule, "scale")  ? "quantity has more than 6 decimals"
            : !strcmp(rule, "range")  ? "quantity is too large"
                                      : "quantity is not a decimal number");
    const char *s = cstr(t1, sizeof(t1), in->start, in->start_len);
    const char *e = cstr(t2, sizeof(t2), in->end, in->end_len);
    if (!in->start || !in->start_len)
        BAD("required", "start", "start is required (RFC 3339)");
    if (!in->end || !in->end_len)
        BAD("required", "end", "end is required (RFC 3339)");
    if (!s || time_parse(s, &out->start) < 0)
        BAD("format", "start", "start is not an RFC 3339 time");
    if (!e || time_parse(e, &out->end) < 0)
        BAD("format", "end", "end is not an RFC 3339 time");
    if (out->end <= out->start)
        BAD("period", "end", "the period ends before it starts");
    if (in->source && in->source_len) {
        if (in->source_len > USAGE_ID_MAX)
            BAD("max_length", "source", "source is longer than %d characters", USAGE_ID_MAX);
        /* stored and answered as text: PostgreSQL refuses invalid UTF-8 (the whole chunk with
         * it), SQLite would keep bytes no JSON answer can carry */
        if (!text_ok(in->source, in->source_len))
            BAD("format", "source", "source is not UTF-8 text without control characters");
        memcpy(out->source, in->source, in->source_len);
        out->source[in->source_len] = 0;
    }
    return 0;
}
#undef BAD

static int add(struct usage_batch *b, const struct usage_parsed *in)
{
    int64_t line = in->line;
    const char *id = in->id;
    struct usage_row w;
    memset(&w, 0, sizeof(w));
    if (in->rule)
        return REJECT(in->rule, in->field, "%s", in->message);
    w.quantity = in->quantity;
    w.start = in->start;
    w.end = in->end;
    w.source = in->source[0] ? in->source : b->default_source;

    /* Issue 12: a period in the future would become the newest mark of its series, and every
     * real record after it would be refused as an overlap. */
    if (in->end > b->not_after) {
        char at[40];
        time_format(b->not_after, at, sizeof(at));
        return REJECT("future", "end", "the period ends after the time of the server (%s)", at);
    }
    struct slot *a = alloc_ref(b, in->allocation_id);
    if (!a)
        return -1;
    if (a->v[0] != 1)
        return REJECT("unknown", "allocation_id", "allocation %lld does not exist",
                      (long long)in->allocation_id);
    if (b->info.provider_id && a->v[1] != b->info.provider_id)
        return REJECT("foreign", "allocation_id",
                      "allocation %lld is not one of your provider's allocations",
                      (long long)in->allocation_id);
    if (in->provider_id && in->provider_id != a->v[1])
        return REJECT("mismatch", "provider_id", "allocation %lld is provided by %lld, not %lld",
                      (long long)in->allocation_id, (long long)a->v[1], (long long)in->provider_id);
    if (in->user_id && in->user_id != a->v[2])
        return REJECT("mismatch", "user_id", "allocation %lld is used by %lld, not %lld",
                      (long long)in->allocation_id, (long long)a->v[2], (long long)in->user_id);
    if (in->start < a->v[5]) {
        /* issue 12: no usage before the allocation existed, unless a start of service before it
         * was stated with a reason (a service migrated onto the platform) */
        char at[40];
        time_format(a->v[5], at, sizeof(at));
        return REJECT("before_start", "start", "allocation %lld serves from %s",
                      (long long)in->allocation_id, at);
    }
    int64_t gone = a->v[4];
    if (gone && in->end > gone) {
        char at[40];
        time_format(gone, at, sizeof(at));
        return REJECT("released", "end", "allocation %lld was released at %s",
                      (long long)in->allocation_id, at);
    }
    struct slot *m = metric_ref(b, in->metric_id);
    if (!m)
        return -1;
    if (m->v[0] != 1)
        return REJECT("unknown", "metric_id", "metric %lld does not exist",
                      (long long)in->metric_id);
    if (m->v[2] != a->v[1])
        return REJECT("foreign", "metric_id",
                      "metric %lld belongs to a product of another provider",
                      (long long)in->metric_id);
    if (m->v[3]) {
        int on = product_on_pool(b, m->v[1], a->v[3]);
        if (on < 0)
            return -1;
        if (!on)
            return REJECT("not_of_pool", "metric_id",
                          "the product of metric %lld is not built on the pool of allocation %lld",
                          (long long)in->metric_id, (long long)in->allocation_id);
    }
    w.id = id;
    w.provider_id = a->v[1];
    w.user_id = a->v[2];
    w.allocation_id = in->allocation_id;
    w.metric_id = in->metric_id;
    w.batch_id = b->info.id;

    struct slot *ser = series_ref(b, in->allocation_id, in->metric_id);
    if (!ser)
        return -1;
    bool found;
    if (w.start < ser->v[0]) {
        /* before the newest record of its series: a re-sent record, or an overlap */
        int rc = seen_before(b, line, &w, &found);
        if (rc < 0 || found)
            return rc;
        char at[40];
        time_format(ser->v[0], at, sizeof(at));
        return REJECT("overlap", "start",
                      "the series of allocation %lld and metric %lld is metered up to %s already",
                      (long long)in->allocation_id, (long long)in->metric_id, at);
    }
    int rc = usage_store_add(b->w, &w, line);
    if (rc < 0)
        return -1;
    if (rc == 0) {
        rc = seen_before(b, line, &w, &found);
        return rc < 0 ? -1 : 0;
    }
    b->info.accepted++;
    ser->v[0] = w.end;
    ser->v[1] = 1;
    add_daily(&b->daily, w.allocation_id, w.metric_id, w.start, w.quantity, 1);
    return 0;
}

int usage_batch_add(struct usage_batch *b, const struct usage_input *in, int64_t line)
{
    struct usage_parsed p;
    usage_prepare(in, line, &p);
    return usage_batch_add_parsed(b, &p);
}

int usage_batch_add_parsed(struct usage_batch *b, const struct usage_parsed *p)
{
    if (b->dead)
        return -1;
    if (!b->in_tx) {
        int64_t epoch;
        if (ctx_tx_begin(b->ctx) < 0 || usage_store_lock(b->ctx) < 0 ||
            usage_store_epoch(b->ctx, false, &epoch) < 0 ||
            (!b->w && !(b->w = usage_writer_open(b->ctx)))) {
            ctx_tx_rollback(b->ctx);
            b->dead = true;
            return -1;
        }
        b->not_after = time_now_ms() + (int64_t)b->ctx->app->cfg.usage_clock_skew_s * 1000;
        if (epoch != b->epoch) {
            /* another ingest committed since this batch's last chunk: read the marks afresh */
            free(b->series.s);
            memset(&b->series, 0, sizeof(b->series));
        }
        b->in_tx = true;
    }
    b->lines++;
    if (add(b, p) < 0) {
        fail(b);
        return -1;
    }
    if (++b->in_chunk >= USAGE_CHUNK && commit_chunk(b) < 0) {
        fail(b);
        return -1;
    }
    return 0;
}

static void batch_free(struct usage_batch *b)
{
    usage_writer_close(b->w);
    free(b->allocs.s);
    free(b->metrics.s);
    free(b->pairs.s);
    free(b->series.s);
    free(b->daily.s);
    arena_free(b->scratch);
    free(b);
}

int usage_batch_end(struct usage_batch *b, struct usage_summary *out)
{
    int rc = 0;
    if (!b->dead && !b->in_tx) {
        /* nothing buffered: still stamp the end of the batch */
        if (ctx_tx_begin(b->ctx) < 0)
            rc = -1;
        else
            b->in_tx = true;
    }
    if (!b->dead && rc == 0 && commit_chunk(b) < 0)
        rc = -1;
    if (rc < 0 || b->dead) {
        if (b->in_tx)
            ctx_tx_rollback(b->ctx);
        rc = -1;
    }
    summarise(b, out);
    batch_free(b);
    return rc;
}

void usage_batch_abort(struct usage_batch *b)
{
    if (b->in_tx)
        ctx_tx_rollback(b->ctx);
    batch_free(b);
}

int usage_batch_get(struct ctx *ctx, int64_t id, struct usage_batch_info *out)
{
    int rc = usage_store_batch_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 1 && ctx->caller.is_system)
        return 0;
    /* a provider sees its own batches, management those of providers in its jurisdiction; the
     * operator's imports (no provider) are read with `egov usage outcomes` */
    if (rc == 0 || !out->provider_id)
        return err_set(&ctx->err, ERR_NOT_FOUND, "usage batch not found");
    if (out->provider_id == ctx->caller.institution_id)
        return 0;
    if (ctx->caller.inst_kind && !strcmp(ctx->caller.inst_kind, "management") &&
        org_access_institution(ctx, out->provider_id, ORG_SEE) == 0)
        return 0;
    err_clear(&ctx->err);
    return err_set(&ctx->err, ERR_NOT_FOUND, "usage batch not found");
}

int usage_outcomes(struct ctx *ctx, int64_t batch_id, const struct page_req *p,
                   struct usage_outcome **items, int *n, struct page_info *info)
{
    struct usage_batch_info bi;
    bool more;
    if (usage_batch_get(ctx, batch_id, &bi) < 0 ||
        usage_store_outcomes(ctx, batch_id, p->after_id, page_fetch_limit(p), items, n) < 0)
        return -1;
    *n = page_keep(p, *n, &more);
    info->next_cursor = more && *n ? (*items)[*n - 1].line : 0;
    info->total = -1;
    return 0;
}
