/*
 * decimal.c - exact decimal text ⇄ scaled integers. Digit by digit with overflow checked
 * before each step; never strtod.
 */
#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "decimal.h"
#include "core/banned.h"

int decimal_parse(const char *s, size_t n, int scale, int64_t max, int64_t *out, const char **rule)
{
    size_t i = 0;
    int64_t v = 0;
    int places = 0;
    bool whole_digits = false, frac_digits = false;
    *rule = "format";
    if (scale < 0 || scale > 9 || max < 0)
        return -1;
    if (n && s[0] == '-') {
        *rule = n > 1 && s[1] >= '0' && s[1] <= '9' ? "negative" : "format";
        return -1;
    }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        whole_digits = true;
        if (v > (INT64_MAX - 9) / 10)
            goto range;
        v = v * 10 + (s[i] - '0');
    }
    if (!whole_digits)
        return -1;
    if (i < n && s[i] == '.') {
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            frac_digits = true;
            if (places == scale) {
                if (s[i] != '0') {
                    *rule = "scale";
                    return -1;
                }
                continue;
            }
            if (v > (INT64_MAX - 9) / 10)
                goto range;
            v = v * 10 + (s[i] - '0');
            places++;
        }
        if (!frac_digits)
            return -1;
    }
    if (i != n)
        return -1;
    for (; places < scale; places++) {
        if (v > INT64_MAX / 10)
            goto range;
        v *= 10;
    }
    if (v > max)
        goto range;
    *out = v;
    return 0;
range:
    *rule = "range";
    return -1;
}

void decimal_format(int64_t v, int scale, char *buf, size_t cap)
{
    char f[10];
    int64_t unit = 1;
    assert(scale >= 0 && scale <= 9 && v >= 0);
    for (int i = 0; i < scale; i++)
        unit *= 10;
    int64_t whole = v / unit, frac = v % unit;
    if (!frac) {
        snprintf(buf, cap, "%lld", (long long)whole);
        return;
    }
    int len = scale;
    for (int i = scale - 1; i >= 0; i--, frac /= 10)
        f[i] = (char)('0' + frac % 10);
    while (len > 1 && f[len - 1] == '0')
        len--;
    f[len] = 0;
    snprintf(buf, cap, "%lld.%s", (long long)whole, f);
}
