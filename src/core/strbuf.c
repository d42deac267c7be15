/*
 * strbuf.c - capped growable buffer. It enforces the cap while appending, so a reader that
 * feeds it never holds more than max bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "log.h"
#include "banned.h"

void sb_init(struct strbuf *sb, size_t max)
{
    sb->buf = NULL;
    sb->len = 0;
    sb->alloc = 0;
    sb->max = max;
}

void sb_release(struct strbuf *sb)
{
    free(sb->buf);
    sb_init(sb, sb->max);
}

void sb_reset(struct strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = 0;
}

static int grow(struct strbuf *sb, size_t extra)
{
    size_t want = sb->len + extra + 1;
    if (want < sb->len || sb->len + extra > sb->max)
        return -1;
    if (want <= sb->alloc)
        return 0;
    size_t n = sb->alloc ? sb->alloc : 256;
    while (n < want)
        n *= 2;
    char *p = realloc(sb->buf, n);
    if (!p)
        die("out of memory growing buffer to %zu", n);
    sb->buf = p;
    sb->alloc = n;
    return 0;
}

int sb_add(struct strbuf *sb, const void *data, size_t len)
{
    if (grow(sb, len) < 0)
        return -1;
    if (len)
        memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = 0;
    return 0;
}

int sb_adds(struct strbuf *sb, const char *s)
{
    return sb_add(sb, s, strlen(s));
}

int sb_addf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap, cp;
    va_start(ap, fmt);
    va_copy(cp, ap);
    int n = vsnprintf(NULL, 0, fmt, cp);
    va_end(cp);
    if (n < 0 || grow(sb, (size_t)n) < 0) {
        va_end(ap);
        return -1;
    }
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sb->len += (size_t)n;
    return 0;
}

char *sb_detach(struct strbuf *sb, size_t *len)
{
    char *p = sb->buf;
    if (!p) {
        p = calloc(1, 1);
        if (!p)
            die("out of memory");
    }
    if (len)
        *len = sb->len;
    sb_init(sb, sb->max);
    return p;
}
