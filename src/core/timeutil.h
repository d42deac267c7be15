/*
 * timeutil.h - the one source of timestamps and IDs, and their text forms.
 *
 * Times are Unix milliseconds in UTC everywhere inside egov; they become text only at the edge
 * (RFC 3339 with a Z). Dates (valid-from / valid-to) are "YYYY-MM-DD" strings, compared as text.
 */
#ifndef EGOV_TIMEUTIL_H
#define EGOV_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Wall-clock now, Unix ms UTC. Tests may shift it with time_set_offset_ms(). */
int64_t time_now_ms(void);
void time_set_offset_ms(int64_t off);
/* Monotonic clock in nanoseconds, for latency measurement. */
int64_t time_mono_ns(void);

/* "2026-11-26T08:00:00.000Z" into buf (at least 32 bytes). */
void time_format(int64_t ms, char *buf, size_t cap);
/* The same into buf of TIME_RFC3339_MAX bytes, without stdio for years 0000..9999 (lists write
 * many); returns the length, TIME_RFC3339_LEN for those years. */
#define TIME_RFC3339_LEN 24
#define TIME_RFC3339_MAX 40
size_t time_rfc3339(int64_t ms, char *buf);
/* "YYYY-MM-DD" of the UTC day of ms + offset_minutes. */
void time_format_date(int64_t ms, int offset_minutes, char *buf, size_t cap);
/* Parses RFC 3339 (Z or ±hh:mm); -1 when malformed. */
int time_parse(const char *s, int64_t *out);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
int64_t days_from_civil(int y, int m, int d);
/* True when s is a valid calendar date "YYYY-MM-DD". */
bool date_is_valid(const char *s);

/*
 * A new unique ID: 41 bits of milliseconds since 2024-01-01, 12 bits from a per-process counter
 * that starts at a random value. Fits in 53 bits, so JavaScript clients read it exactly.
 */
int64_t id_new(void);

#endif
