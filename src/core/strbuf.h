/*
 * strbuf.h - a growable byte buffer with a hard maximum (curl's dynbuf, git's strbuf).
 *
 * Appending past the cap fails with -1 and leaves the buffer as it was; the buffer is always
 * NUL-terminated. Memory is heap-owned: release with sb_release().
 */
#ifndef EGOV_STRBUF_H
#define EGOV_STRBUF_H

#include <stddef.h>

struct strbuf {
    char *buf;
    size_t len;
    size_t alloc;
    size_t max;
};

void sb_init(struct strbuf *sb, size_t max);
void sb_release(struct strbuf *sb);
void sb_reset(struct strbuf *sb);
int sb_add(struct strbuf *sb, const void *data, size_t len);
int sb_adds(struct strbuf *sb, const char *s);
int sb_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the buffer to the caller (who frees it) and re-initialises sb. */
char *sb_detach(struct strbuf *sb, size_t *len);

#endif
