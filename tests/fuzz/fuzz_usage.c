/*
 * fuzz_usage.c - the readers of usage records (domain/usage/usage_parse.c) on arbitrary bytes:
 * an NDJSON line, a CSV document fed in two pieces cut at a point taken from the input, and the
 * exact decimal quantity.
 *
 * Contract checked: nothing reads past its input or crashes; every record either carries a rule
 * it breaks or passes usage_prepare's checks with a period that ends after it starts and a
 * quantity that is not negative; a quantity that is accepted prints back as text that parses to
 * the same value; the id, field and message an outcome stores are valid UTF-8 (issue 12).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_common.h"
#include "domain/usage/usage.h"
#include "core/banned.h"

/* True when s is valid UTF-8 (what an outcome stores and answers must be, issue 12). */
static bool utf8_ok(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80             ? 0
                : (*u & 0xe0) == 0xc0 ? 1
                : (*u & 0xf0) == 0xe0 ? 2
                : (*u & 0xf8) == 0xf0 ? 3
                                      : -1;
        if (n < 0 || (n == 1 && *u < 0xc2))
            return false;
        u++;
        for (int i = 0; i < n; i++, u++)
            if ((*u & 0xc0) != 0x80)
                return false;
    }
    return true;
}

static void check_record(const struct usage_input *in)
{
    struct usage_parsed p;
    int rc = usage_prepare(in, 1, &p);
    /* every outcome can be stored and answered as text */
    fuzz_check(utf8_ok(p.id));
    if (rc != 0)
        fuzz_check(utf8_ok(p.field) && utf8_ok(p.message));
    if (rc == 0) {
        fuzz_check(p.rule == NULL);
        fuzz_check(p.end > p.start);
        fuzz_check(p.quantity >= 0);
        fuzz_check(p.id[0] != 0);
    } else {
        fuzz_check(p.rule != NULL && p.field != NULL);
    }
}

static int on_csv(void *arg, const struct usage_input *in, int64_t line)
{
    (void)arg;
    fuzz_check(line >= 1);
    check_record(in);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *scratch = usage_ndjson_scratch_new();
    struct usage_input in;
    usage_parse_ndjson((const char *)data, size, &in, scratch);
    check_record(&in);
    usage_ndjson_scratch_free(scratch);

    struct usage_csv *c = usage_csv_new(on_csv, NULL);
    const char *why;
    size_t cut = size ? data[0] % (size + 1) : 0;
    if (usage_csv_feed(c, (const char *)data, cut, &why) == 0 &&
        usage_csv_feed(c, (const char *)data + cut, size - cut, &why) == 0)
        (void)usage_csv_finish(c, &why);
    usage_csv_free(c);

    int64_t q, again;
    const char *rule;
    if (usage_parse_quantity((const char *)data, size, &q, &rule) == 0) {
        char buf[40];
        fuzz_check(q >= 0);
        usage_format_quantity(q, buf, sizeof(buf));
        fuzz_check(usage_parse_quantity(buf, strlen(buf), &again, &rule) == 0 && again == q);
    }
    return 0;
}
