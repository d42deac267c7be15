/*
 * decimal.h - exact decimal text ⇄ scaled integers ("12.5" with scale 4 is 125000). Money and
 * quantities never pass through binary floating point: a decimal arrives as text and leaves as
 * text, and in between it is an integer count of 10^-scale units. No domain knowledge here.
 */
#ifndef EGOV_DECIMAL_H
#define EGOV_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

/* Reads the n bytes of s - digits with at most one '.', e.g. "0", "12.5", "0.0001", ".5" is
 * refused - as an integer count of 10^-scale (scale 0..9) into *out, refusing values above max.
 * Trailing zeros beyond scale are accepted ("1.50" at scale 1). -1 with the rule in *rule:
 * "format" (not a plain decimal; signs and exponents are not), "negative", "scale" (more
 * places than scale), "range" (above max). */
int decimal_parse(const char *s, size_t n, int scale, int64_t max, int64_t *out, const char **rule);
/* v (≥ 0) as decimal text with trailing zeros trimmed: "12.5", "3", "0.0001". cap ≥ 32. */
void decimal_format(int64_t v, int scale, char *buf, size_t cap);

#endif
