/*
 * histogram.h - a fixed-bucket latency histogram with atomic counters, safe to update from any
 * worker thread without a lock. Buckets are Prometheus-style upper bounds in seconds.
 */
#ifndef EGOV_HISTOGRAM_H
#define EGOV_HISTOGRAM_H

#include <stdatomic.h>
#include <stdint.h>

#define HIST_BUCKETS 12

struct histogram {
    _Atomic uint64_t bucket[HIST_BUCKETS + 1]; /* last one is +Inf */
    _Atomic uint64_t count;
    _Atomic uint64_t sum_ns;
};

extern const double hist_bounds[HIST_BUCKETS];

void hist_observe(struct histogram *h, int64_t ns);

#endif
