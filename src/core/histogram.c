/*
 * histogram.c - bucket bounds and the lock-free observe.
 */
#include "histogram.h"
#include "banned.h"

const double hist_bounds[HIST_BUCKETS] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                          0.01,   0.025,   0.05,   0.1,   0.5,    2.5};

void hist_observe(struct histogram *h, int64_t ns)
{
    int i;
    double s = (double)ns / 1e9;
    for (i = 0; i < HIST_BUCKETS; i++)
        if (s <= hist_bounds[i])
            break;
    atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)(ns > 0 ? ns : 0), memory_order_relaxed);
}
