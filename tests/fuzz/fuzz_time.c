/*
 * fuzz_time.c - RFC 3339 timestamps and calendar dates (core/timeutil.c) on arbitrary bytes.
 *
 * Contract checked: time_parse and date_is_valid never read past the string; an accepted
 * timestamp starts with a valid date; formatting a parsed time and parsing it again gives the
 * same instant whenever the formatted year is one time_parse accepts; a valid date is the day
 * of its own midnight.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "core/timeutil.h"
#include "core/banned.h"

static void check_time(const char *s)
{
    int64_t ms, again;
    char buf[64], date[11];
    int year;

    if (time_parse(s, &ms) < 0)
        return;
    memcpy(date, s, 10);
    date[10] = 0;
    fuzz_check(date_is_valid(date));
    time_format(ms, buf, sizeof(buf));
    /* time_format writes the UTC instant; an offset may carry it out of 1900..9999. */
    if (sscanf(buf, "%d-", &year) == 1 && year >= 1900 && year <= 9999 && strlen(buf) == 24) {
        fuzz_check(time_parse(buf, &again) == 0);
        fuzz_check(again == ms);
    }
}

static void check_date(const char *s)
{
    char ts[32], back[16];
    int64_t ms;

    if (!date_is_valid(s))
        return;
    fuzz_check(strlen(s) == 10);
    snprintf(ts, sizeof(ts), "%sT00:00:00Z", s);
    fuzz_check(time_parse(ts, &ms) == 0);
    time_format_date(ms, 0, back, sizeof(back));
    fuzz_check(strcmp(back, s) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_cstr(data, size);
    check_time(s);
    check_date(s);
    free(s);
    return 0;
}
