/*
 * arena.c - bump allocator in growing blocks, plus defer hooks.
 *
 * It owns nothing beyond its blocks and hook list; it must not know what the hooks release.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "log.h"
#include "banned.h"

/* Under AddressSanitizer the unused rest of each block is poisoned and every allocation
 * unpoisoned exactly, so an overflow that stays inside a block is still reported. */
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

struct block {
    struct block *next;
    size_t cap;
    size_t used;
    unsigned char data[];
};

struct defer {
    struct defer *next;
    void (*fn)(void *);
    void *arg;
};

struct arena {
    struct block *head;
    struct defer *defers;
    size_t total;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        die("out of memory allocating %zu bytes", n);
    return p;
}

struct arena *arena_new(void)
{
    struct arena *a = xmalloc(sizeof(*a));
    a->head = NULL;
    a->defers = NULL;
    a->total = 0;
    return a;
}

void arena_free(struct arena *a)
{
    if (!a)
        return;
    while (a->defers) {
        struct defer *d = a->defers;
        a->defers = d->next;
        d->fn(d->arg);
    }
    while (a->head) {
        struct block *b = a->head;
        a->head = b->next;
        UNPOISON(b->data, b->cap);
        free(b);
    }
    free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    struct block *b = a->head;
    if (need < n)
        die("arena allocation overflow");
    if (!b || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        b = xmalloc(sizeof(*b) + cap + ARENA_ALIGN);
        b->cap = cap;
        /* Keep data aligned: the header size is a multiple of 8, pad to 16. */
        b->used = (ARENA_ALIGN - ((uintptr_t)b->data % ARENA_ALIGN)) % ARENA_ALIGN;
        b->cap += b->used;
        b->next = a->head;
        a->head = b;
        POISON(b->data, b->cap);
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    UNPOISON(p, n);
    memset(p, 0, n);
    return p;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
    void *q = arena_alloc(a, n + 1);
    if (n)
        memcpy(q, p, n);
    return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    n = strnlen(s, n); /* never read past the end of a shorter string */
    char *q = arena_alloc(a, n + 1);
    memcpy(q, s, n);
    q[n] = 0;
    return q;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0)
        die("bad format string %s", fmt);
    char *s = arena_alloc(a, (size_t)n + 1);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return s;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
    struct defer *d = arena_alloc(a, sizeof(*d));
    d->fn = fn;
    d->arg = arg;
    d->next = a->defers;
    a->defers = d;
}

size_t arena_used(const struct arena *a)
{
    return a->total;
}
