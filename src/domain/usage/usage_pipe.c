/*
 * usage_pipe.c - two threads for one ingest: the caller reads and checks records
 * (usage_prepare) into blocks, a writer thread takes the blocks in order and writes them into
 * the batch (usage_batch_add_parsed). On two cores the parsing and the store's work overlap.
 *
 * Between usage_pipe_start and usage_pipe_finish the batch and its context belong to the writer
 * thread; the caller touches neither.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "usage.h"
#include "core/banned.h"

#define BLOCK_RECORDS 2048
#define BLOCKS        4

struct block {
    struct usage_parsed rec[BLOCK_RECORDS];
    int n;
};

struct usage_pipe {
    struct usage_batch *batch;
    struct block *all[BLOCKS];
    struct block *queue[BLOCKS]; /* filled blocks in order: queue[(head + i) % BLOCKS] */
    int head, count;
    struct block *spare[BLOCKS];
    int n_spare;
    struct block *filling; /* the caller's */
    bool done, failed;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    pthread_t writer;
};

static void *write_blocks(void *arg)
{
    struct usage_pipe *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->lock);
        while (!p->count && !p->done)
            pthread_cond_wait(&p->changed, &p->lock);
        if (!p->count) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        struct block *b = p->queue[p->head];
        p->head = (p->head + 1) % BLOCKS;
        p->count--;
        pthread_mutex_unlock(&p->lock);
        bool failed = false;
        for (int i = 0; i < b->n && !failed; i++)
            failed = usage_batch_add_parsed(p->batch, &b->rec[i]) < 0;
        pthread_mutex_lock(&p->lock);
        p->spare[p->n_spare++] = b;
        p->failed |= failed;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        if (failed)
            return NULL;
    }
}

struct usage_pipe *usage_pipe_start(struct usage_batch *batch)
{
    struct usage_pipe *p = calloc(1, sizeof(*p));
    if (!p)
        abort();
    p->batch = batch;
    for (int i = 0; i < BLOCKS; i++) {
        p->all[i] = calloc(1, sizeof(struct block));
        if (!p->all[i])
            abort();
    }
    /* BLOCKS blocks circulate: one being filled, the others queued or being written, so the
     * queue (BLOCKS places) always has room for the caller's last, partial block. */
    p->filling = p->all[0];
    for (int i = 1; i < BLOCKS; i++)
        p->spare[p->n_spare++] = p->all[i];
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->changed, NULL);
    if (pthread_create(&p->writer, NULL, write_blocks, p) != 0)
        abort();
    return p;
}

/* Queues the filled block and takes an empty one; false when the writer failed. */
static bool hand_over(struct usage_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->queue[(p->head + p->count++) % BLOCKS] = p->filling;
    pthread_cond_broadcast(&p->changed);
    while (!p->n_spare && !p->failed)
        pthread_cond_wait(&p->changed, &p->lock);
    bool ok = !p->failed;
    p->filling = ok ? p->spare[--p->n_spare] : NULL;
    pthread_mutex_unlock(&p->lock);
    if (ok)
        p->filling->n = 0;
    return ok;
}

int usage_pipe_put(struct usage_pipe *p, const struct usage_input *in, int64_t line)
{
    if (!p->filling)
        return -1;
    usage_prepare(in, line, &p->filling->rec[p->filling->n++]);
    if (p->filling->n == BLOCK_RECORDS && !hand_over(p))
        return -1;
    return 0;
}

int usage_pipe_finish(struct usage_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    if (p->filling && p->filling->n && !p->failed)
        p->queue[(p->head + p->count++) % BLOCKS] = p->filling;
    p->filling = NULL;
    p->done = true;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->writer, NULL);
    int rc = p->failed ? -1 : 0;
    for (int i = 0; i < BLOCKS; i++)
        free(p->all[i]);
    pthread_mutex_destroy(&p->lock);
    pthread_cond_destroy(&p->changed);
    free(p);
    return rc;
}
