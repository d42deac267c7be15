/*
 * timeutil.c - clocks, RFC 3339 text, calendar dates and ID generation.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "timeutil.h"
#include "banned.h"

static _Atomic int64_t offset_ms;

int64_t time_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + offset_ms;
}

void time_set_offset_ms(int64_t off)
{
    offset_ms = off;
}

int64_t time_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The inverse of days_from_civil: the proleptic Gregorian date of a day count. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void put_digits(char *p, int64_t v, int n)
{
    while (n-- > 0) {
        p[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

size_t time_rfc3339(int64_t ms, char *buf)
{
    int64_t secs = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        secs -= 1;
    }
    int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) {
        sod += 86400;
        days -= 1;
    }
    int64_t y;
    int m, d;
    civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        /* Beyond RFC 3339's four digits: written as gmtime would count it, never clamped, so
         * that a reader cannot mistake it for a real date of year 9999. */
        int n = snprintf(buf, TIME_RFC3339_MAX, "%lld-%02d-%02dT%02d:%02d:%02d.%03dZ", (long long)y,
                         m, d, (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), (int)frac);
        return n < 0 ? 0 : (size_t)n < TIME_RFC3339_MAX ? (size_t)n : TIME_RFC3339_MAX - 1;
    }
    memcpy(buf, "0000-00-00T00:00:00.000Z", TIME_RFC3339_LEN + 1);
    put_digits(buf, y, 4);
    put_digits(buf + 5, m, 2);
    put_digits(buf + 8, d, 2);
    put_digits(buf + 11, sod / 3600, 2);
    put_digits(buf + 14, sod / 60 % 60, 2);
    put_digits(buf + 17, sod % 60, 2);
    put_digits(buf + 20, frac, 3);
    return TIME_RFC3339_LEN;
}

void time_format(int64_t ms, char *buf, size_t cap)
{
    char t[TIME_RFC3339_MAX];
    size_t len = time_rfc3339(ms, t);
    if (cap) {
        size_t n = cap - 1 < len ? cap - 1 : len;
        memcpy(buf, t, n);
        buf[n] = 0;
    }
}

void time_format_date(int64_t ms, int offset_minutes, char *buf, size_t cap)
{
    time_t s = (time_t)(ms / 1000 + (int64_t)offset_minutes * 60);
    struct tm tm;
    gmtime_r(&s, &tm);
    snprintf(buf, cap, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : d[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

bool date_is_valid(const char *s)
{
    int y, m, d;
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    if (digits(s, 4, &y) || digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
        return false;
    return y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (the usual era arithmetic: 400-year eras
 * of 146097 days, years starting in March so that the leap day ends the year). timegm would do,
 * but it normalises a struct tm and costs ten times more, and the usage ingest parses two times a
 * record. */
int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int time_parse(const char *s, int64_t *out)
{
    char date[11];
    int y = 0, mo = 0, d = 0, hh, mi, ss, ms = 0, off = 0;
    size_t n = s ? strlen(s) : 0, i = 19;

    if (n < 20 || n > 35)
        return -1;
    memcpy(date, s, 10);
    date[10] = 0;
    if (!date_is_valid(date) || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return -1;
    if (s[13] != ':' || s[16] != ':' || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mi) ||
        digits(s + 17, 2, &ss) || hh > 23 || mi > 59 || ss > 60)
        return -1;
    if (s[i] == '.') {
        int scale = 100;
        if (i + 1 >= n || s[i + 1] < '0' || s[i + 1] > '9')
            return -1; /* a fraction needs a digit */
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            ms += (s[i] - '0') * scale;
            scale /= 10;
        }
    }
    if (i == n - 1 && (s[i] == 'Z' || s[i] == 'z')) {
        off = 0;
    } else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = (oh * 60 + om) * (s[i] == '-' ? -1 : 1);
    } else {
        return -1;
    }
    digits(s, 4, &y);
    digits(s + 5, 2, &mo);
    digits(s + 8, 2, &d);
    int64_t secs = days_from_civil(y, mo, d) * 86400 + hh * 3600 + mi * 60 + ss;
    *out = (secs - (int64_t)off * 60) * 1000 + ms;
    return 0;
}

/* 2024-01-01T00:00:00Z: IDs count milliseconds from here. */
#define ID_EPOCH_MS 1704067200000LL

static _Atomic uint32_t id_counter;
static atomic_flag id_seeded = ATOMIC_FLAG_INIT;

int64_t id_new(void)
{
    if (!atomic_flag_test_and_set(&id_seeded))
        id_counter = randombytes_uniform(4096);
    uint32_t c = atomic_fetch_add(&id_counter, 1) & 0xfff;
    int64_t ms = time_now_ms() - ID_EPOCH_MS;
    return (ms << 12) | (int64_t)c;
}
