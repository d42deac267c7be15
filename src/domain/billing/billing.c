/*
 * billing.c - rating a month of usage into draft bills, issuing them, corrections as new
 * versions, and budget alerts. The arithmetic is exact: integer millionths times integer
 * ten-thousandths of a fen, summed in 128 bits, rounded half up to the fen once per bill line.
 * Settlement statements, quality coefficients and spend are in settlement.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "billing_internal.h"
#include "billing_store.h"
#include "app.h"
#include "core/arena.h"
#include "core/log.h"
#include "core/timeutil.h"
#include "domain/validate.h"
#include "domain/audit/audit.h"
#include "domain/org/org.h"
#include "domain/usage/usage.h"
#include "core/banned.h"

/* ---------- arithmetic ---------- */

#define TEN_TO_10 ((__int128)10000000000LL) /* 10^-10 fen per fen */

__int128 billing_exact(int64_t quantity, const struct billing_tier *tiers, int n)
{
    __int128 sum = 0;
    for (int i = 0; i < n && quantity > tiers[i].from; i++) {
        int64_t top = i + 1 < n && tiers[i + 1].from < quantity ? tiers[i + 1].from : quantity;
        sum += (__int128)(top - tiers[i].from) * tiers[i].unit_price;
    }
    return sum;
}

int64_t billing_round_fen(__int128 exact)
{
    __int128 fen = (exact + TEN_TO_10 / 2) / TEN_TO_10;
    return exact < 0 || fen > INT64_MAX ? -1 : (int64_t)fen;
}

int64_t billing_apply_coefficient(int64_t gross_fen, int64_t coefficient)
{
    __int128 v = ((__int128)gross_fen * coefficient + BILLING_COEF_ONE / 2) / BILLING_COEF_ONE;
    return gross_fen < 0 || coefficient < 0 || v > INT64_MAX ? -1 : (int64_t)v;
}

void billing_coefficient_text(int64_t coefficient, char *buf, size_t cap)
{
    snprintf(buf, cap, "%lld.%04lld", (long long)(coefficient / BILLING_COEF_ONE),
             (long long)(coefficient % BILLING_COEF_ONE));
}

/* The number of n digits at s (checked by the caller). */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int billing_period_days(const char *period, int64_t *first, int64_t *next)
{
    if (!period || strlen(period) != 7 || period[4] != '-')
        return -1;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (period[i] < '0' || period[i] > '9'))
            return -1;
    int y = digits(period, 4), m = digits(period + 5, 2);
    if (y < 2000 || y > 2999 || m < 1 || m > 12)
        return -1;
    *first = days_from_civil(y, m, 1);
    *next = m == 12 ? days_from_civil(y + 1, 1, 1) : days_from_civil(y, m + 1, 1);
    return 0;
}

/* "YYYY-MM-DD" of a CST day number. */
static void day_date(int64_t day, char *buf, size_t cap)
{
    time_format_date(day * 86400000LL, 0, buf, cap);
}

/* ---------- an id -> index map ---------- */

struct idx {
    int64_t *k;
    int *v;
    size_t cap;
};

static void idx_init(struct idx *m, size_t n)
{
    m->cap = 16;
    while (m->cap < 2 * n + 2)
        m->cap *= 2;
    m->k = calloc(m->cap, sizeof(int64_t));
    m->v = calloc(m->cap, sizeof(int));
    if (!m->k || !m->v)
        abort();
}

static size_t idx_slot(const struct idx *m, int64_t key)
{
    uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15u;
    size_t j = (size_t)(h ^ (h >> 31)) & (m->cap - 1);
    while (m->k[j] && m->k[j] != key)
        j = (j + 1) & (m->cap - 1);
    return j;
}

static void idx_put(struct idx *m, int64_t key, int v)
{
    size_t j = idx_slot(m, key);
    m->k[j] = key;
    m->v[j] = v;
}

static int idx_get(const struct idx *m, int64_t key)
{
    size_t j = idx_slot(m, key);
    return m->k[j] ? m->v[j] : -1;
}

static void idx_free(struct idx *m)
{
    free(m->k);
    free(m->v);
}

/* ---------- rating ---------- */

static const char *const LEVELS[] = {"basic", "standard", "premium"};
enum { N_LEVELS = 3, STANDARD = 1 };

static int level_of(const char *s)
{
    for (int i = 0; i < N_LEVELS; i++)
        if (!strcmp(s, LEVELS[i]))
            return i;
    return STANDARD;
}

struct basis {
    const struct ref_basis *ref;
    int64_t from_day, to_day; /* inclusive */
    struct billing_tier *tiers[N_LEVELS];
    int n_tiers[N_LEVELS];
};

/* Usage summed per (allocation, metric, basis) over the month. */
struct acc {
    int alloc, metric, basis; /* indexes; basis -1: list price */
    __int128 quantity;
    int64_t records;
};

struct rating {
    struct ctx *ctx;
    struct ref_alloc *allocs;
    struct ref_metric *metrics;
    struct basis *bases;
    int n_allocs, n_metrics, n_bases;
    struct idx alloc_idx, metric_idx;
    int *metric_first_basis; /* per metric: first index in bases (sorted by metric), or -1 */
    /* usage summed per (allocation, metric, basis), found through acc_idx */
    struct acc *acc;
    size_t n_acc, cap_acc;
    struct idx acc_idx; /* key: see on_usage */
    int64_t records;
};

static int64_t date_day(const char *date)
{
    int y = digits(date, 4), m = digits(date + 5, 2), d = digits(date + 8, 2);
    return days_from_civil(y, m, d);
}

static int find_basis(const struct rating *rt, int metric, int64_t day)
{
    int b = rt->metric_first_basis[metric];
    if (b < 0)
        return -1;
    int64_t id = rt->metrics[metric].id;
    for (; b < rt->n_bases && rt->bases[b].ref->metric_id == id; b++)
        if (rt->bases[b].from_day <= day && day <= rt->bases[b].to_day)
            return b;
    return -1;
}

static int on_usage(void *arg, int64_t allocation_id, int64_t metric_id, int64_t day,
                    int64_t quantity, int64_t records)
{
    struct rating *rt = arg;
    int a = idx_get(&rt->alloc_idx, allocation_id);
    int m = idx_get(&rt->metric_idx, metric_id);
    if (a < 0 || m < 0)
        return 0; /* another jurisdiction's (or another agency's) usage */
    int b = find_basis(rt, m, day);
    /* an exact key: (allocation index, metric index, basis index + 1) in mixed radix */
    int64_t key = ((int64_t)a * rt->n_metrics + m) * (rt->n_bases + 1) + (b + 1) + 1;
    int i = idx_get(&rt->acc_idx, key);
    if (i < 0) {
        if (rt->n_acc == rt->cap_acc) {
            rt->cap_acc = rt->cap_acc ? rt->cap_acc * 2 : 256;
            rt->acc = realloc(rt->acc, rt->cap_acc * sizeof(*rt->acc));
            if (!rt->acc)
                abort();
            if (2 * rt->cap_acc + 2 > rt->acc_idx.cap) {
                struct idx grown;
                idx_init(&grown, rt->cap_acc);
                for (size_t k = 0; k < rt->acc_idx.cap; k++)
                    if (rt->acc_idx.k[k])
                        idx_put(&grown, rt->acc_idx.k[k], rt->acc_idx.v[k]);
                idx_free(&rt->acc_idx);
                rt->acc_idx = grown;
            }
        }
        i = (int)rt->n_acc++;
        rt->acc[i] = (struct acc){a, m, b, 0, 0};
        idx_put(&rt->acc_idx, key, i);
    }
    rt->acc[i].quantity += quantity;
    rt->acc[i].records += records;
    rt->records += records;
    return 0;
}

/* The line a usage accumulator belongs to, as a comparable key. */
struct line_key {
    int64_t user_id, provider_id, product_id, metric_id, basis_id, budget_line_id;
    const char *application, *level;
    const struct acc *acc;
    const struct basis *basis;
    int64_t list_price_fen;
};

static int cmp_i64(int64_t a, int64_t b)
{
    return a < b ? -1 : a > b;
}

static int cmp_key(const void *pa, const void *pb)
{
    const struct line_key *a = pa, *b = pb;
    int c;
    if ((c = cmp_i64(a->user_id, b->user_id)) || (c = cmp_i64(a->provider_id, b->provider_id)) ||
        (c = cmp_i64(a->product_id, b->product_id)) || (c = cmp_i64(a->metric_id, b->metric_id)) ||
        (c = strcmp(a->application, b->application)) || (c = strcmp(a->level, b->level)) ||
        (c = cmp_i64(a->basis_id, b->basis_id)) ||
        (c = cmp_i64(a->budget_line_id, b->budget_line_id)))
        return c;
    return 0;
}

/* The exact amount of a line's quantity at its level. */
static int rate_line(struct ctx *ctx, const struct line_key *k, int64_t quantity, int64_t *fen)
{
    struct billing_tier one;
    const struct billing_tier *tiers = &one;
    int n = 1;
    if (!k->basis) {
        one = (struct billing_tier){0, k->list_price_fen * BILLING_PRICE_SCALE};
    } else {
        int lv = level_of(k->level);
        if (!k->basis->n_tiers[lv])
            lv = STANDARD;
        if (k->basis->n_tiers[lv]) {
            tiers = k->basis->tiers[lv];
            n = k->basis->n_tiers[lv];
        } else {
            one = (struct billing_tier){0, k->basis->ref->price_fen * BILLING_PRICE_SCALE};
        }
    }
    *fen = billing_round_fen(billing_exact(quantity, tiers, n));
    if (*fen < 0)
        return err_field(&ctx->err, "period", "range",
                         "the amount of a bill line is beyond what the store holds");
    return 0;
}

static bool lines_equal(const struct bill_line *a, int na, const struct bill_line *b, int nb)
{
    if (na != nb)
        return false;
    for (int i = 0; i < na; i++)
        if (a[i].provider_id != b[i].provider_id || a[i].product_id != b[i].product_id ||
            a[i].metric_id != b[i].metric_id || a[i].basis_id != b[i].basis_id ||
            a[i].budget_line_id != b[i].budget_line_id || a[i].quantity != b[i].quantity ||
            a[i].records != b[i].records || a[i].amount_fen != b[i].amount_fen ||
            strcmp(a[i].application, b[i].application) != 0 ||
            strcmp(a[i].service_level, b[i].service_level) != 0)
            return false;
    return true;
}

int billing_fail(struct ctx *ctx)
{
    ctx_tx_rollback(ctx);
    return -1;
}

/* Writes the draft of one agency (replacing its old draft), unless it equals the issued bill. */
static int write_bill(struct ctx *ctx, struct billing_run *run, int64_t user_id,
                      struct bill_line *lines, int n, int64_t records)
{
    struct bill_versions v;
    if (billing_store_bill_versions(ctx, user_id, run->period, &v) < 0)
        return -1;
    if (v.issued_id) {
        struct bill_line *old;
        int n_old;
        if (billing_store_bill_lines(ctx, v.issued_id, &old, &n_old) < 0)
            return -1;
        if (lines_equal(lines, n, old, n_old)) {
            /* nothing changed since the issued version: no correction, and no stale draft */
            if (v.draft_id && billing_store_bill_delete_draft(ctx, v.draft_id) < 0)
                return -1;
            run->unchanged++;
            return 0;
        }
        if (text_is_blank(run->reason))
            return err_field_as(&ctx->err, ERR_CONFLICT, "reason", "required",
                                "the bill of %s for agency %lld is issued already; a correction "
                                "(a new version) needs a reason",
                                run->period, (long long)user_id);
        run->corrections++;
    }
    if (v.draft_id && billing_store_bill_delete_draft(ctx, v.draft_id) < 0)
        return -1;
    struct bill b;
    memset(&b, 0, sizeof(b));
    b.id = id_new();
    b.user_id = user_id;
    b.period = run->period;
    b.version = v.draft_id ? v.draft_version : v.max_version + 1;
    b.reason = v.issued_id ? run->reason : "";
    b.rated_at = time_now_ms();
    b.rated_by = ctx->caller.person_id;
    b.lines = lines;
    b.n_lines = n;
    b.line_count = n;
    b.records = records;
    for (int i = 0; i < n; i++)
        b.total_fen += lines[i].amount_fen;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_note(ch, "period", run->period);
    audit_change_int(ch, "version", 0, b.version, false);
    audit_change_int(ch, "total_fen", 0, b.total_fen, false);
    audit_change_int(ch, "lines", 0, n, false);
    if (v.issued_id)
        audit_note(ch, "reason", run->reason);
    if (billing_store_bill_insert(ctx, &b) < 0 ||
        audit_append(ctx, "bill.rate", "bill", b.id, user_id, ch) < 0)
        return -1;
    run->bills++;
    run->lines += n;
    run->total_fen += b.total_fen;
    return 0;
}

static int load_refs(struct rating *rt, int64_t root, int depth, int64_t user_id, int64_t d0,
                     int64_t d1)
{
    struct ctx *ctx = rt->ctx;
    struct ref_basis *bases;
    struct ref_rate *rates;
    int n_rates;
    char from[16], to[16];
    day_date(d0, from, sizeof(from));
    day_date(d1 - 1, to, sizeof(to));
    if (billing_store_allocs(ctx, root, depth, user_id, &rt->allocs, &rt->n_allocs) < 0 ||
        billing_store_metrics(ctx, &rt->metrics, &rt->n_metrics) < 0 ||
        billing_store_bases(ctx, from, to, &bases, &rt->n_bases) < 0 ||
        billing_store_rates(ctx, from, to, &rates, &n_rates) < 0)
        return -1;
    idx_init(&rt->alloc_idx, (size_t)rt->n_allocs);
    for (int i = 0; i < rt->n_allocs; i++)
        idx_put(&rt->alloc_idx, rt->allocs[i].id, i);
    idx_init(&rt->metric_idx, (size_t)rt->n_metrics);
    rt->metric_first_basis = arena_alloc(ctx->arena, sizeof(int) * (size_t)(rt->n_metrics + 1));
    for (int i = 0; i < rt->n_metrics; i++) {
        idx_put(&rt->metric_idx, rt->metrics[i].id, i);
        rt->metric_first_basis[i] = -1;
    }
    rt->bases = arena_alloc(ctx->arena, sizeof(struct basis) * (size_t)(rt->n_bases + 1));
    struct idx basis_idx;
    idx_init(&basis_idx, (size_t)rt->n_bases);
    for (int i = 0; i < rt->n_bases; i++) {
        struct basis *b = &rt->bases[i];
        memset(b, 0, sizeof(*b));
        b->ref = &bases[i];
        b->from_day = date_day(bases[i].valid_from);
        b->to_day = date_day(bases[i].valid_to);
        idx_put(&basis_idx, bases[i].id, i);
        int m = idx_get(&rt->metric_idx, bases[i].metric_id);
        if (m >= 0 && rt->metric_first_basis[m] < 0)
            rt->metric_first_basis[m] = i;
    }
    /* rates come sorted by basis, level, tier_from: each (basis, level) run is one tier table */
    for (int i = 0; i < n_rates;) {
        int j = i;
        while (j < n_rates && rates[j].basis_id == rates[i].basis_id &&
               !strcmp(rates[j].level, rates[i].level))
            j++;
        int b = idx_get(&basis_idx, rates[i].basis_id);
        if (b >= 0) {
            int lv = level_of(rates[i].level);
            struct billing_tier *t = arena_alloc(ctx->arena, sizeof(*t) * (size_t)(j - i));
            for (int k = i; k < j; k++)
                t[k - i] = (struct billing_tier){rates[k].tier_from, rates[k].unit_price};
            rt->bases[b].tiers[lv] = t;
            rt->bases[b].n_tiers[lv] = j - i;
        }
        i = j;
    }
    idx_free(&basis_idx);
    return 0;
}

static void rating_free(struct rating *rt)
{
    idx_free(&rt->alloc_idx);
    idx_free(&rt->metric_idx);
    if (rt->acc_idx.k)
        idx_free(&rt->acc_idx);
    free(rt->acc);
}

/* True when the CST day `next` (the first day after a month) has begun. */
static bool month_ended(int64_t next)
{
    return next * 86400000LL - USAGE_DAY_OFFSET_MS <= time_now_ms();
}

int billing_check_period(struct ctx *ctx, const char *period, int64_t *d0, int64_t *d1)
{
    if (!period || !*period)
        return err_field(&ctx->err, "period", "required", "period is a month, YYYY-MM");
    if (billing_period_days(period, d0, d1) < 0)
        return err_field(&ctx->err, "period", "format", "period is a month, YYYY-MM (2000-2999)");
    return 0;
}

/* The agency a management run is for: a user agency of the caller's jurisdiction. */
static int check_agency(struct ctx *ctx, int64_t user_id)
{
    struct institution u;
    if (institution_get(ctx, user_id, &u) < 0 || strcmp(u.kind, "user") != 0) {
        if (ctx->err.kind && ctx->err.kind != ERR_NOT_FOUND)
            return -1;
        err_clear(&ctx->err);
        return err_field(&ctx->err, "user_id", "user_agency",
                         "user_id names a user agency in your jurisdiction");
    }
    return 0;
}

static int rate(struct ctx *ctx, struct billing_run *run, struct rating *rt, int64_t d0, int64_t d1)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (load_refs(rt, root, depth, run->user_id, d0, d1) < 0)
        return -1;
    idx_init(&rt->acc_idx, 256);
    if (billing_store_usage(ctx, d0, d1, run->from_records, on_usage, rt) < 0)
        return -1;
    run->records = rt->records;

    /* one key per accumulator, sorted: equal keys are one line */
    size_t n = rt->n_acc;
    struct line_key *keys = calloc(n + 1, sizeof(*keys));
    if (!keys)
        abort();
    for (size_t i = 0; i < n; i++) {
        const struct acc *a = &rt->acc[i];
        const struct ref_alloc *al = &rt->allocs[a->alloc];
        const struct ref_metric *m = &rt->metrics[a->metric];
        keys[i] = (struct line_key){al->user_id,
                                    m->provider_id,
                                    m->product_id,
                                    m->id,
                                    a->basis >= 0 ? rt->bases[a->basis].ref->id : 0,
                                    al->budget_line_id,
                                    al->application,
                                    al->level,
                                    a,
                                    a->basis >= 0 ? &rt->bases[a->basis] : NULL,
                                    m->list_price_fen};
    }
    qsort(keys, n, sizeof(*keys), cmp_key);

    int rc = 0;
    size_t i = 0;
    struct bill_line *lines = calloc(n + 1, sizeof(*lines));
    if (!lines)
        abort();
    while (i < n && rc == 0) {
        /* one agency: keys[i .. j) */
        size_t j = i;
        int nl = 0;
        int64_t records = 0;
        while (j < n && keys[j].user_id == keys[i].user_id && rc == 0) {
            size_t k = j;
            __int128 q = 0;
            int64_t rec = 0;
            while (k < n && cmp_key(&keys[k], &keys[j]) == 0) {
                q += keys[k].acc->quantity;
                rec += keys[k].acc->records;
                k++;
            }
            struct bill_line *l = &lines[nl];
            memset(l, 0, sizeof(*l));
            l->line_no = nl + 1;
            l->provider_id = keys[j].provider_id;
            l->product_id = keys[j].product_id;
            l->metric_id = keys[j].metric_id;
            l->basis_id = keys[j].basis_id;
            l->budget_line_id = keys[j].budget_line_id;
            l->application = keys[j].application;
            l->service_level = keys[j].level;
            l->records = rec;
            if (q > INT64_MAX) {
                rc = err_field(&ctx->err, "period", "range",
                               "the quantity of a bill line is beyond what the store holds");
                break;
            }
            l->quantity = (int64_t)q;
            if (rate_line(ctx, &keys[j], l->quantity, &l->amount_fen) < 0) {
                rc = -1;
                break;
            }
            records += rec;
            nl++;
            j = k;
        }
        if (rc == 0)
            rc = write_bill(ctx, run, keys[i].user_id, lines, nl, records);
        i = j;
    }
    free(lines);
    free(keys);
    return rc;
}

int billing_run(struct ctx *ctx, struct billing_run *run)
{
    int64_t d0 = 0, d1 = 0, t0 = time_mono_ns();
    struct rating rt;
    memset(&rt, 0, sizeof(rt));
    rt.ctx = ctx;
    run->bills = run->lines = run->records = run->total_fen = 0;
    run->corrections = run->unchanged = 0;
    if (billing_check_period(ctx, run->period, &d0, &d1) < 0)
        return -1;
    /* A month is rated once it has ended (CST): a bill of a running month would be short, and
     * one of a future month would bill records that cannot exist yet (issue 12). */
    if (!month_ended(d1))
        return err_field(&ctx->err, "period", "not_ended",
                         "the month %s has not ended yet (China Standard Time)", run->period);
    if (run->reason && strlen(run->reason) > 1000)
        return err_field(&ctx->err, "reason", "max_length", "reason is at most 1000 characters");
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (run->user_id && check_agency(ctx, run->user_id) < 0)
        return billing_fail(ctx);
    /* drafts of agencies that no longer have usage this month would be stale: note them */
    int64_t root = 0, *draft_ids = NULL;
    int depth = 0, n_drafts = 0;
    org_scope(ctx, &root, &depth);
    if (billing_store_drafts(ctx, run->period, root, depth, run->user_id, &draft_ids, &n_drafts) <
        0)
        return billing_fail(ctx);
    int rc = rate(ctx, run, &rt, d0, d1);
    rating_free(&rt);
    if (rc < 0)
        return billing_fail(ctx);
    /* the drafts this run did not replace belong to agencies without usage now: remove them
     * (deleting a replaced one finds nothing) */
    for (int i = 0; i < n_drafts; i++)
        if (billing_store_bill_delete_draft(ctx, draft_ids[i]) < 0)
            return billing_fail(ctx);
    if (ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    run->elapsed_ms = (time_mono_ns() - t0) / 1000000;
    log_info("billing run %s: %lld bills, %lld lines, %lld records, %lld fen in %lld ms",
             run->period, (long long)run->bills, (long long)run->lines, (long long)run->records,
             (long long)run->total_fen, (long long)run->elapsed_ms);
    return 0;
}

/* ---------- reading bills ---------- */

int bill_list(struct ctx *ctx, const struct bill_filter *f, const struct page_req *p,
              struct bill **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (billing_store_bill_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

int bill_get(struct ctx *ctx, int64_t id, struct bill *out)
{
    int rc = billing_store_bill_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0 || org_access_institution(ctx, out->user_id, ORG_SEE) < 0) {
        err_clear(&ctx->err);
        return err_set(&ctx->err, ERR_NOT_FOUND, "no bill %lld", (long long)id);
    }
    return billing_store_bill_lines(ctx, id, &out->lines, &out->n_lines);
}

/* ---------- issue and budget alerts ---------- */

/* Thresholds (per cent) from the configuration, ascending; at most 8. */
static int thresholds(const struct ctx *ctx, int *out)
{
    const char *s = ctx->app->cfg.budget_alert_thresholds;
    int n = 0;
    while (s && *s && n < 8) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s)
            break;
        if (v >= 1 && v <= 1000)
            out[n++] = (int)v;
        s = *end == ',' ? end + 1 : end;
    }
    return n;
}

int billing_budget_check(struct ctx *ctx, int64_t budget_line_id, int64_t bill_id)
{
    int64_t billed, amount, user_id, year;
    int t[8];
    int rc = billing_store_budget_billed(ctx, budget_line_id, &billed, &amount, &user_id, &year);
    if (rc <= 0)
        return rc;
    int n = thresholds(ctx, t);
    for (int i = 0; i < n; i++) {
        if ((__int128)billed * 100 < (__int128)amount * t[i])
            continue;
        struct budget_alert a;
        memset(&a, 0, sizeof(a));
        a.id = id_new();
        a.budget_line_id = budget_line_id;
        a.user_id = user_id;
        a.threshold_pct = t[i];
        a.billed_fen = billed;
        a.amount_fen = amount;
        a.bill_id = bill_id;
        a.fired_at = time_now_ms();
        int ins = billing_store_alert_insert(ctx, &a);
        if (ins < 0)
            return -1;
        if (ins == 0)
            continue; /* this threshold of the line fired before */
        struct audit_changes *ch = audit_changes_new(ctx);
        audit_change_int(ch, "budget_line_id", 0, budget_line_id, false);
        audit_change_int(ch, "threshold_pct", 0, t[i], false);
        audit_change_int(ch, "billed_fen", 0, billed, false);
        audit_change_int(ch, "amount_fen", 0, amount, false);
        if (audit_append(ctx, "budget.alert", "budget_alert", a.id, user_id, ch) < 0)
            return -1;
        log_warn("budget line %lld of agency %lld is billed %lld of %lld fen (>= %d%%)",
                 (long long)budget_line_id, (long long)user_id, (long long)billed,
                 (long long)amount, t[i]);
    }
    return 0;
}

static int issue_one(struct ctx *ctx, int64_t id, struct bill *out)
{
    int rc = billing_store_bill_get(ctx, id, out);
    if (rc < 0)
        return -1;
    if (rc == 0 || org_access_institution(ctx, out->user_id, ORG_SEE) < 0) {
        err_clear(&ctx->err);
        return err_set(&ctx->err, ERR_NOT_FOUND, "no bill %lld", (long long)id);
    }
    if (strcmp(out->state, "draft") != 0)
        return err_rule(&ctx->err, ERR_CONFLICT, "closed",
                        "bill %lld is %s: an issued bill never changes; run billing again with a "
                        "reason to correct it",
                        (long long)id, out->state);
    /* a draft of a month that has not ended (made before runs were refused for such months,
     * issue 12) is never issued */
    int64_t d0, d1;
    if (billing_period_days(out->period, &d0, &d1) < 0 || !month_ended(d1))
        return err_rule(&ctx->err, ERR_CONFLICT, "not_ended",
                        "bill %lld is of %s, a month that has not ended (China Standard Time)",
                        (long long)id, out->period);
    struct bill_versions v;
    int64_t now = time_now_ms();
    if (billing_store_bill_versions(ctx, out->user_id, out->period, &v) < 0 ||
        billing_store_bill_issue(ctx, id, ctx->caller.person_id, now) < 0)
        return -1;
    if (v.issued_id && billing_store_bill_supersede(ctx, v.issued_id, id) < 0)
        return -1;
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_str(ch, "state", "draft", "issued");
    audit_change_int(ch, "total_fen", 0, out->total_fen, false);
    if (v.issued_id)
        audit_change_int(ch, "supersedes", 0, v.issued_id, false);
    if (audit_append(ctx, "bill.issue", "bill", id, out->user_id, ch) < 0)
        return -1;
    /* budget lines charged by this bill (or by the version it supersedes) */
    struct bill_line *lines;
    int n;
    if (billing_store_bill_lines(ctx, id, &lines, &n) < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int k = 0; k < i && !seen; k++)
            seen = lines[k].budget_line_id == lines[i].budget_line_id;
        if (!seen && lines[i].budget_line_id &&
            billing_budget_check(ctx, lines[i].budget_line_id, id) < 0)
            return -1;
    }
    rc = billing_store_bill_get(ctx, id, out);
    out->lines = lines;
    out->n_lines = n;
    return rc < 0 ? -1 : 0;
}

int bill_issue(struct ctx *ctx, int64_t id, struct bill *out)
{
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (issue_one(ctx, id, out) < 0 || ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

int bill_issue_period(struct ctx *ctx, const char *period, int64_t *n)
{
    int64_t d0 = 0, d1 = 0, root = 0, *ids = NULL;
    int depth, nd;
    *n = 0;
    if (billing_check_period(ctx, period, &d0, &d1) < 0)
        return -1;
    org_scope(ctx, &root, &depth);
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    if (billing_store_drafts(ctx, period, root, depth, 0, &ids, &nd) < 0)
        return billing_fail(ctx);
    for (int i = 0; i < nd; i++) {
        struct bill b;
        if (issue_one(ctx, ids[i], &b) < 0)
            return billing_fail(ctx);
        (*n)++;
    }
    if (ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

/* ---------- alerts ---------- */

int budget_alert_list(struct ctx *ctx, const struct alert_filter *f, const struct page_req *p,
                      struct budget_alert **items, int *n, struct page_info *info)
{
    int64_t root;
    int depth;
    org_scope(ctx, &root, &depth);
    if (billing_store_alert_list(ctx, root, depth, f, p, items, n) < 0)
        return -1;
    PAGE_FINISH(p, *items, n, info);
    return 0;
}

int budget_alert_acknowledge(struct ctx *ctx, int64_t id, struct budget_alert *out)
{
    if (ctx_tx_begin(ctx) < 0)
        return -1;
    int rc = billing_store_alert_get(ctx, id, out);
    if (rc < 0)
        return billing_fail(ctx);
    if (rc == 0 || org_access_institution(ctx, out->user_id, ORG_SEE) < 0) {
        err_clear(&ctx->err);
        err_set(&ctx->err, ERR_NOT_FOUND, "no budget alert %lld", (long long)id);
        return billing_fail(ctx);
    }
    if (out->acknowledged_at) {
        err_rule(&ctx->err, ERR_CONFLICT, "acknowledged", "the alert was acknowledged already");
        return billing_fail(ctx);
    }
    int64_t now = time_now_ms();
    struct audit_changes *ch = audit_changes_new(ctx);
    audit_change_int(ch, "acknowledged_at", 0, now, false);
    if (billing_store_alert_ack(ctx, id, ctx->caller.person_id, now) < 0 ||
        audit_append(ctx, "budget.alert_ack", "budget_alert", id, out->user_id, ch) < 0 ||
        billing_store_alert_get(ctx, id, out) < 0 || ctx_tx_commit(ctx) < 0)
        return billing_fail(ctx);
    return 0;
}

/* ---------- verification ---------- */

struct vrow {
    int64_t a, m, day, quantity, records;
};
struct vlist {
    struct vrow *v;
    size_t n, cap;
};

static int on_verify(void *arg, int64_t a, int64_t m, int64_t day, int64_t quantity,
                     int64_t records)
{
    struct vlist *l = arg;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = realloc(l->v, l->cap * sizeof(*l->v));
        if (!l->v)
            abort();
    }
    l->v[l->n++] = (struct vrow){a, m, day, quantity, records};
    return 0;
}

static int cmp_vrow(const void *pa, const void *pb)
{
    const struct vrow *a = pa, *b = pb;
    int c;
    if ((c = cmp_i64(a->a, b->a)) || (c = cmp_i64(a->m, b->m)))
        return c;
    return cmp_i64(a->day, b->day);
}

/* The records' side of verify: each record is added to its series-day of usage_daily, found by
 * binary search (the sorted daily rows bound the memory, not the records). */
struct vcheck {
    struct vlist *daily;
    int64_t *q, *r;
    int64_t unmatched, records;
};

static int on_record(void *arg, int64_t a, int64_t m, int64_t day, int64_t quantity,
                     int64_t records)
{
    struct vcheck *v = arg;
    struct vrow key = {a, m, day, 0, 0};
    const struct vrow *hit = bsearch(&key, v->daily->v, v->daily->n, sizeof(struct vrow), cmp_vrow);
    v->records += records;
    if (!hit) {
        v->unmatched += records;
        return 0;
    }
    size_t i = (size_t)(hit - v->daily->v);
    v->q[i] += quantity;
    v->r[i] += records;
    return 0;
}

int billing_verify(struct ctx *ctx, const char *period, struct billing_verify *out)
{
    int64_t d0 = 0, d1 = 0;
    struct vlist daily = {0};
    memset(out, 0, sizeof(*out));
    if (billing_check_period(ctx, period, &d0, &d1) < 0)
        return -1;
    int rc = billing_store_usage(ctx, d0, d1, false, on_verify, &daily);
    struct vcheck v = {&daily, calloc(daily.n + 1, sizeof(int64_t)),
                       calloc(daily.n + 1, sizeof(int64_t)), 0, 0};
    if (!v.q || !v.r)
        abort();
    if (rc == 0) {
        qsort(daily.v, daily.n, sizeof(struct vrow), cmp_vrow);
        rc = billing_store_usage(ctx, d0, d1, true, on_record, &v);
    }
    if (rc == 0) {
        for (size_t i = 0; i < daily.n; i++)
            if (daily.v[i].quantity != v.q[i] || daily.v[i].records != v.r[i])
                out->differences++;
        out->differences += v.unmatched;
        out->series_days = (int64_t)daily.n;
        out->records = v.records;
    }
    free(daily.v);
    free(v.q);
    free(v.r);
    return rc;
}
