/*
 * workpool.c - threads taking jobs from a ring of fixed size. The ring is the limit: a job that
 * finds it full is refused at once, never waits, so that the caller can answer "busy" instead of
 * holding its own thread.
 */
#include <pthread.h>
#include <stdlib.h>

#include "workpool.h"
#include "log.h"
#include "banned.h"

struct job {
    void (*run)(void *arg);
    void *arg;
};

struct workpool {
    pthread_mutex_t lock;
    pthread_cond_t ready;
    struct job *ring;
    int cap, head, n; /* ring of cap; n jobs waiting from head */
    int busy;         /* jobs being run */
    int limit;        /* threads + queue_max: most jobs accepted at once */
    bool stopping;
    int n_threads;
    pthread_t *threads;
};

static void *work(void *p)
{
    struct workpool *wp = p;
    for (;;) {
        pthread_mutex_lock(&wp->lock);
        while (!wp->n && !wp->stopping)
            pthread_cond_wait(&wp->ready, &wp->lock);
        if (!wp->n) {
            pthread_mutex_unlock(&wp->lock);
            return NULL;
        }
        struct job j = wp->ring[wp->head];
        wp->head = (wp->head + 1) % wp->cap;
        wp->n--;
        wp->busy++;
        pthread_mutex_unlock(&wp->lock);
        j.run(j.arg);
        pthread_mutex_lock(&wp->lock);
        wp->busy--;
        pthread_mutex_unlock(&wp->lock);
    }
}

struct workpool *workpool_new(int n_threads, int queue_max)
{
    struct workpool *wp = calloc(1, sizeof(*wp));
    if (!wp)
        die("out of memory");
    /* A job is accepted while fewer than threads + queue_max are waiting or running. */
    wp->cap = queue_max + n_threads;
    wp->limit = wp->cap;
    wp->ring = calloc((size_t)wp->cap, sizeof(*wp->ring));
    wp->threads = calloc((size_t)n_threads, sizeof(*wp->threads));
    if (!wp->ring || !wp->threads)
        die("out of memory");
    pthread_mutex_init(&wp->lock, NULL);
    pthread_cond_init(&wp->ready, NULL);
    for (int i = 0; i < n_threads; i++) {
        if (pthread_create(&wp->threads[i], NULL, work, wp) != 0)
            die("cannot start a pool thread");
        wp->n_threads++;
    }
    return wp;
}

bool workpool_submit(struct workpool *wp, void (*run)(void *arg), void *arg)
{
    bool ok;
    pthread_mutex_lock(&wp->lock);
    ok = !wp->stopping && wp->n + wp->busy < wp->limit;
    if (ok) {
        wp->ring[(wp->head + wp->n) % wp->cap] = (struct job){run, arg};
        wp->n++;
        pthread_cond_signal(&wp->ready);
    }
    pthread_mutex_unlock(&wp->lock);
    return ok;
}

void workpool_stop(struct workpool *wp)
{
    pthread_mutex_lock(&wp->lock);
    bool was = wp->stopping;
    wp->stopping = true;
    pthread_cond_broadcast(&wp->ready);
    pthread_mutex_unlock(&wp->lock);
    if (was)
        return;
    for (int i = 0; i < wp->n_threads; i++)
        pthread_join(wp->threads[i], NULL);
}

void workpool_free(struct workpool *wp)
{
    if (!wp)
        return;
    workpool_stop(wp);
    pthread_mutex_destroy(&wp->lock);
    pthread_cond_destroy(&wp->ready);
    free(wp->ring);
    free(wp->threads);
    free(wp);
}
