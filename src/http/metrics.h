/*
 * metrics.h - Prometheus metrics: requests by route and status, latency histograms by route,
 * store statement latency. Updated lock-free from every worker thread.
 */
#ifndef EGOV_METRICS_H
#define EGOV_METRICS_H

#include <stdint.h>

struct metrics;
struct strbuf;
struct db;

struct metrics *metrics_new(void);
void metrics_free(struct metrics *m);
/* route -1 = no route matched (404/405) or a static file. */
void metrics_observe(struct metrics *m, int route, int status, int64_t ns);
/* Appends the text exposition format (version 0.0.4). */
void metrics_render(struct metrics *m, struct db *db, int64_t started_ms, struct strbuf *out);

#endif
