/*
 * fuzz_common.h - what every libFuzzer driver of egov shares: the entry points' prototypes and
 * a NUL-terminated copy of the input. Drivers only: nothing here is linked into egov.
 *
 * A driver checks its parser's contract with fuzz_check(), not assert(), so that a broken
 * promise is reported with the expression and the target's name even in a release build.
 */
#ifndef EGOV_FUZZ_COMMON_H
#define EGOV_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken contract is a crash to libFuzzer: it keeps the input as crash-<sha1>. */
#define fuzz_check(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: contract broken: %s\n", __FILE__, __LINE__, #cond);            \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* The input as a C string (caller frees); an embedded NUL ends it early, as in a real request. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

#endif
