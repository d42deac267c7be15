/*
 * jw.c - the streaming JSON writer over yajl_gen (Debian libyajl-dev 2.1). yajl keeps the
 * nesting state, escapes strings and checks their UTF-8 (yajl_gen_validate_utf8); its print
 * callback appends to our capped strbuf, which is the answer's body. This file only adapts
 * yajl to egov's conventions (sticky failure, arena ownership, null for absent values); it must
 * not learn about entities or HTTP.
 */
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "jw.h"
#include "arena.h"
#include "decimal.h"
#include "log.h"
#include "strbuf.h"
#include "timeutil.h"
#include "banned.h"

struct jw {
    yajl_gen g;
    struct strbuf sb;
    bool failed;
};

/* yajl prints each token in pieces of a few bytes (a quote, a comma, a run of text): the common
 * case, room left in the buffer, is a copy; only growing goes through the strbuf and its cap. */
static void print_cb(void *cls, const char *s, size_t n)
{
    struct jw *w = cls;
    struct strbuf *sb = &w->sb;
    if (sb->len + n < sb->alloc && sb->len + n <= sb->max) {
        if (n == 1)
            sb->buf[sb->len] = *s;
        else
            memcpy(sb->buf + sb->len, s, n);
        sb->len += n;
        return;
    }
    if (!w->failed && sb_add(sb, s, n) < 0)
        w->failed = true;
}

static void jw_release(void *p)
{
    struct jw *w = p;
    yajl_gen_free(w->g);
    sb_release(&w->sb);
}

struct jw *jw_new(struct arena *a, size_t max)
{
    struct jw *w = arena_alloc(a, sizeof(*w));
    w->g = yajl_gen_alloc(NULL);
    if (!w->g)
        die("out of memory allocating a JSON writer");
    sb_init(&w->sb, max);
    /* Compact output (no beautify), '/' unescaped: the bytes jansson's JSON_COMPACT wrote. */
    yajl_gen_config(w->g, yajl_gen_print_callback, print_cb, w);
    yajl_gen_config(w->g, yajl_gen_validate_utf8, 1);
    arena_defer(a, jw_release, w);
    return w;
}

static void check(struct jw *w, yajl_gen_status st)
{
    if (st != yajl_gen_status_ok)
        w->failed = true;
}

void jw_obj(struct jw *w)
{
    if (!w->failed)
        check(w, yajl_gen_map_open(w->g));
}

void jw_obj_end(struct jw *w)
{
    if (!w->failed)
        check(w, yajl_gen_map_close(w->g));
}

void jw_arr(struct jw *w)
{
    if (!w->failed)
        check(w, yajl_gen_array_open(w->g));
}

void jw_arr_end(struct jw *w)
{
    if (!w->failed)
        check(w, yajl_gen_array_close(w->g));
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    if (!w->failed)
        check(w, yajl_gen_string(w->g, (const unsigned char *)s, n));
}

void jw_key(struct jw *w, const char *k)
{
    jw_strn(w, k, strlen(k));
}

void jw_null(struct jw *w)
{
    if (!w->failed)
        check(w, yajl_gen_null(w->g));
}

void jw_str(struct jw *w, const char *s)
{
    if (s)
        jw_strn(w, s, strlen(s));
    else
        jw_null(w);
}

void jw_int(struct jw *w, int64_t v)
{
    if (!w->failed)
        check(w, yajl_gen_integer(w->g, (long long)v));
}

void jw_id(struct jw *w, int64_t id)
{
    if (id)
        jw_int(w, id);
    else
        jw_null(w);
}

void jw_bool(struct jw *w, bool b)
{
    if (!w->failed)
        check(w, yajl_gen_bool(w->g, b));
}

void jw_time(struct jw *w, int64_t ms)
{
    char t[TIME_RFC3339_MAX];
    if (!ms) {
        jw_null(w);
        return;
    }
    jw_strn(w, t, time_rfc3339(ms, t));
}

void jw_money(struct jw *w, int64_t fen)
{
    jw_int(w, fen);
}

void jw_decimal(struct jw *w, int64_t v, int scale)
{
    char t[40];
    decimal_format(v, scale, t, sizeof(t));
    jw_str(w, t);
}

void jw_csv(struct jw *w, const char *csv)
{
    jw_arr(w);
    for (const char *g = csv; g && *g;) {
        const char *end = strchr(g, ',');
        size_t len = end ? (size_t)(end - g) : strlen(g);
        jw_strn(w, g, len);
        g = end ? end + 1 : NULL;
    }
    jw_arr_end(w);
}

void jw_raw(struct jw *w, const char *s, size_t n)
{
    if (!w->failed && sb_add(&w->sb, s, n) < 0)
        w->failed = true;
}

bool jw_failed(const struct jw *w)
{
    return w->failed;
}

const char *jw_text(const struct jw *w, size_t *len)
{
    *len = w->sb.len;
    if (!w->sb.buf)
        return "";
    w->sb.buf[w->sb.len] = 0; /* print_cb's fast path leaves the terminator to here */
    return w->sb.buf;
}

char *jw_detach(struct jw *w, size_t *len)
{
    size_t n;
    jw_text(w, &n);
    return sb_detach(&w->sb, len);
}
