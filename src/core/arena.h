/*
 * arena.h - a memory pool that lives as long as one request, CLI command or test case.
 *
 * Everything allocated from an arena is released together by arena_free(), which also runs the
 * defer hooks (json_decref, returning a store connection, ...) in reverse order of registration.
 * Out of memory aborts with a log line: there is no NULL to check.
 */
#ifndef EGOV_ARENA_H
#define EGOV_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct arena;

/* A new arena; caller releases it with arena_free(). Never NULL. */
struct arena *arena_new(void);
/* Runs the defer hooks, then releases every block. NULL is accepted. */
void arena_free(struct arena *a);

/* Zeroed memory owned by the arena, aligned for any type. */
void *arena_alloc(struct arena *a, size_t n);
/* Arena-owned copies. A NULL source gives NULL; strndup copies at most n bytes. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);
/* Arena-owned formatted string. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Calls fn(arg) when the arena is freed (last registered, first called). */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);

/* Bytes handed out so far (for metrics and tests). */
size_t arena_used(const struct arena *a);

#endif
