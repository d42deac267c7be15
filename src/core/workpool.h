/*
 * workpool.h - a small pool of threads with a bounded queue, for work that must not hold the
 * HTTP workers (password hashing). No domain knowledge, no HTTP.
 */
#ifndef EGOV_WORKPOOL_H
#define EGOV_WORKPOOL_H

#include <stdbool.h>

struct workpool;

/* Starts n_threads threads; at most queue_max jobs wait beyond those running. Caller frees
 * with workpool_free. Dies (log line) when threads cannot be started. */
struct workpool *workpool_new(int n_threads, int queue_max);
/* Queues run(arg) to be called on a pool thread; false (nothing queued) when the queue is full. */
bool workpool_submit(struct workpool *wp, void (*run)(void *arg), void *arg);
/* Refuses new jobs, runs every queued one and joins the threads. */
void workpool_stop(struct workpool *wp);
/* Stops the pool if still running and frees it. NULL is ignored. */
void workpool_free(struct workpool *wp);

#endif
