/*
 * jw.h - the streaming JSON writer every answer is written with: values go straight into one
 * capped buffer as they are produced (yajl's yajl_gen escapes strings and checks their UTF-8 as
 * it writes), so no tree of values is built per response and the buffer is handed to the HTTP
 * server as it is, without a second copy. No domain knowledge here.
 *
 * Errors are sticky: a call after a failure (the cap reached, invalid UTF-8, a key where a
 * value belongs) does nothing, and jw_failed() tells at the end, so a writer of many fields checks
 * once. The buffer is released with the arena unless jw_detach() took it.
 */
#ifndef EGOV_JW_H
#define EGOV_JW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;
struct jw;

/* A writer whose output may grow to max bytes; arena-owned (its buffer too, until detached).
 * Never NULL. */
struct jw *jw_new(struct arena *a, size_t max);

void jw_obj(struct jw *w);     /* { */
void jw_obj_end(struct jw *w); /* } */
void jw_arr(struct jw *w);     /* [ */
void jw_arr_end(struct jw *w); /* ] */
/* An object member's name; the next call writes its value. */
void jw_key(struct jw *w, const char *k);

void jw_null(struct jw *w);
/* NULL writes null. */
void jw_str(struct jw *w, const char *s);
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
/* An id: 0 (no reference) writes null. */
void jw_id(struct jw *w, int64_t id);
void jw_bool(struct jw *w, bool b);
/* Unix ms as RFC 3339 "2026-11-26T08:00:00.000Z" (the form of time_format); 0 writes null. */
void jw_time(struct jw *w, int64_t ms);
/* Money: integer fen, written as a JSON integer (the API's *_fen members). */
void jw_money(struct jw *w, int64_t fen);
/* A scaled integer (v ≥ 0) as decimal text with trailing zeros trimmed ("12.5"), as
 * decimal_format writes it. */
void jw_decimal(struct jw *w, int64_t v, int scale);
/* Comma-separated text as an array of strings ("a,b" → ["a","b"]; NULL or "" → []). */
void jw_csv(struct jw *w, const char *csv);

/* Appends n bytes that already are one whole JSON text (a serialiser's output) to a writer that
 * has written nothing else; the caller vouches for them. */
void jw_raw(struct jw *w, const char *s, size_t n);

/* True when a call failed: the answer must not be sent. */
bool jw_failed(const struct jw *w);
/* The text written so far (NUL-terminated, owned by the writer) and its length. */
const char *jw_text(const struct jw *w, size_t *len);
/* Takes the buffer (malloc'd; the caller frees it) and leaves the writer empty. */
char *jw_detach(struct jw *w, size_t *len);

#endif
