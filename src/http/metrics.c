/*
 * metrics.c - counters and histograms per route of the route table, rendered in Prometheus'
 * text format. Labels come from the route table (pattern, not the concrete path), so the
 * number of series is bounded.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "http.h"
#include "core/histogram.h"
#include "core/log.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "db/db.h"
#include "core/banned.h"

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405,
                               409, 412, 413, 415, 422, 429, 500, 503};
#define N_STATUS ((int)(sizeof(statuses) / sizeof(statuses[0])))

struct route_metrics {
    _Atomic uint64_t count[N_STATUS + 1]; /* last: any other status */
    struct histogram latency;
};

struct metrics {
    int n;
    struct route_metrics *r; /* n_routes + 1; the last one is "unmatched" */
};

struct metrics *metrics_new(void)
{
    struct metrics *m = calloc(1, sizeof(*m));
    if (!m)
        die("out of memory");
    m->n = n_routes + 1;
    m->r = calloc((size_t)m->n, sizeof(struct route_metrics));
    if (!m->r)
        die("out of memory");
    return m;
}

void metrics_free(struct metrics *m)
{
    if (!m)
        return;
    free(m->r);
    free(m);
}

void metrics_observe(struct metrics *m, int route, int status, int64_t ns)
{
    int s;
    struct route_metrics *rm = &m->r[route >= 0 && route < m->n - 1 ? route : m->n - 1];
    for (s = 0; s < N_STATUS; s++)
        if (statuses[s] == status)
            break;
    atomic_fetch_add_explicit(&rm->count[s], 1, memory_order_relaxed);
    hist_observe(&rm->latency, ns);
}

static void labels(int i, int n, char *buf, size_t cap)
{
    if (i == n - 1)
        snprintf(buf, cap, "method=\"any\",route=\"unmatched\"");
    else
        snprintf(buf, cap, "method=\"%s\",route=\"%s\"", routes[i].method, routes[i].pattern);
}

static void render_hist(struct strbuf *out, const char *name, const char *lbl, struct histogram *h)
{
    uint64_t cum = 0;
    const char *sep = lbl[0] ? "," : "";
    for (int b = 0; b < HIST_BUCKETS; b++) {
        cum += atomic_load(&h->bucket[b]);
        sb_addf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, lbl, sep, hist_bounds[b],
                (unsigned long long)cum);
    }
    cum += atomic_load(&h->bucket[HIST_BUCKETS]);
    sb_addf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, lbl, sep, (unsigned long long)cum);
    if (lbl[0]) {
        sb_addf(out, "%s_sum{%s} %.9f\n", name, lbl, (double)atomic_load(&h->sum_ns) / 1e9);
        sb_addf(out, "%s_count{%s} %llu\n", name, lbl, (unsigned long long)cum);
    } else {
        sb_addf(out, "%s_sum %.9f\n", name, (double)atomic_load(&h->sum_ns) / 1e9);
        sb_addf(out, "%s_count %llu\n", name, (unsigned long long)cum);
    }
}

void metrics_render(struct metrics *m, struct db *db, int64_t started_ms, struct strbuf *out)
{
    char lbl[256];
    sb_adds(out, "# HELP egov_http_requests_total HTTP requests by route and status.\n"
                 "# TYPE egov_http_requests_total counter\n");
    for (int i = 0; i < m->n; i++) {
        labels(i, m->n, lbl, sizeof(lbl));
        for (int s = 0; s <= N_STATUS; s++) {
            uint64_t c = atomic_load(&m->r[i].count[s]);
            if (!c)
                continue;
            if (s < N_STATUS)
                sb_addf(out, "egov_http_requests_total{%s,status=\"%d\"} %llu\n", lbl, statuses[s],
                        (unsigned long long)c);
            else
                sb_addf(out, "egov_http_requests_total{%s,status=\"other\"} %llu\n", lbl,
                        (unsigned long long)c);
        }
    }
    sb_adds(out, "# HELP egov_http_request_duration_seconds Time from a complete request to "
                 "its answer.\n# TYPE egov_http_request_duration_seconds histogram\n");
    for (int i = 0; i < m->n; i++) {
        if (!atomic_load(&m->r[i].latency.count))
            continue;
        labels(i, m->n, lbl, sizeof(lbl));
        render_hist(out, "egov_http_request_duration_seconds", lbl, &m->r[i].latency);
    }
    if (db) {
        sb_adds(out, "# HELP egov_store_statement_duration_seconds Time of each store "
                     "statement.\n# TYPE egov_store_statement_duration_seconds histogram\n");
        render_hist(out, "egov_store_statement_duration_seconds", "", db_latency(db));
    }
    sb_addf(out,
            "# HELP egov_start_time_seconds Unix time the server started.\n"
            "# TYPE egov_start_time_seconds gauge\negov_start_time_seconds %.3f\n",
            (double)started_ms / 1000.0);
}
