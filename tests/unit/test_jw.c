/*
 * test_jw.c - unit tests of src/core/jw.c (the streaming JSON writer), src/core/entity.c (the
 * generic writer of described entities) and time_rfc3339: the bytes they write are the bytes
 * jansson wrote before them, strings are escaped and checked, the cap holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <jansson.h>

#include "core/arena.h"
#include "core/entity.h"
#include "core/jw.h"
#include "core/timeutil.h"

static const char *text(struct jw *w)
{
    size_t len;
    assert_false(jw_failed(w));
    return jw_text(w, &len);
}

static void test_time_rfc3339_agrees_with_gmtime(void **state)
{
    (void)state;
    /* Every day from 1969 to 2101 at a changing time of day, and the edges around 0. */
    for (int64_t ms = -86400000LL * 400; ms < 4133980800000LL; ms += 86400000LL + 3723457) {
        char got[TIME_RFC3339_MAX], want[64];
        time_t s = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
        struct tm tm;
        gmtime_r(&s, &tm);
        snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 (int)(((ms % 1000) + 1000) % 1000));
        assert_int_equal(time_rfc3339(ms, got), TIME_RFC3339_LEN);
        assert_string_equal(got, want);
    }
    char t[32];
    time_format(951782400123LL, t, sizeof(t)); /* a leap day of a century year */
    assert_string_equal(t, "2000-02-29T00:00:00.123Z");
    /* Past year 9999 the year grows a digit instead of being clamped. */
    time_format(253402300800000LL, t, sizeof(t));
    assert_string_equal(t, "10000-01-01T00:00:00.000Z");
}

static void test_jw_escapes_like_jansson_and_refuses_bad_utf8(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *s = "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f 中文 \xe2\x80\xa8";
    struct jw *w = jw_new(a, 1024);
    jw_obj(w);
    jw_key(w, "s");
    jw_str(w, s);
    jw_key(w, "n");
    jw_int(w, INT64_MIN);
    jw_key(w, "z");
    jw_str(w, NULL);
    jw_obj_end(w);
    json_t *j = json_pack("{s:s,s:I,s:n}", "s", s, "n", (json_int_t)INT64_MIN, "z");
    char *want = json_dumps(j, JSON_COMPACT);
    assert_string_equal(text(w), want);
    free(want);
    json_decref(j);

    struct jw *bad = jw_new(a, 1024);
    jw_arr(bad);
    jw_str(bad, "ok \xff not UTF-8");
    assert_true(jw_failed(bad));
    jw_arr_end(bad); /* sticky: nothing more is written */
    assert_true(jw_failed(bad));
    arena_free(a);
}

static void test_jw_stops_at_its_cap(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct jw *w = jw_new(a, 16);
    jw_arr(w);
    jw_str(w, "0123456789");
    assert_false(jw_failed(w));
    jw_str(w, "0123456789");
    assert_true(jw_failed(w));
    size_t len;
    jw_text(w, &len);
    assert_true(len <= 16);
    arena_free(a);
}

struct sample {
    int64_t id, parent_id, at, price;
    const char *name, *note, *kind, *tags, *secret;
    bool on;
    int version;
};

static const char *const kinds[] = {"a", "b", NULL};

#define S(name, kind, flags, member)                                                               \
    {                                                                                              \
        name, kind, flags, offsetof(struct sample, member), #member, NULL, 0, NULL                 \
    }
static const struct entity_field sample_fields[] = {
    S("id", EF_ID, EF_READONLY, id),
    S("parent_id", EF_ID, EF_NULLABLE, parent_id),
    S("name", EF_TEXT, 0, name),
    S("note", EF_TEXT, EF_NULLABLE, note),
    {"kind", EF_ENUM, 0, offsetof(struct sample, kind), "kind", kinds, 0, NULL},
    S("tags", EF_CSV, 0, tags),
    S("on", EF_BOOL, 0, on),
    S("at", EF_TIME, 0, at),
    {"price", EF_DECIMAL, 0, offsetof(struct sample, price), "price", NULL, 4, NULL},
    S("secret", EF_TEXT, EF_HIDDEN, secret),
    S("version", EF_INT, 0, version),
};
static const struct entity sample_entity = ENTITY("Sample", struct sample, sample_fields);

static void test_entity_write_follows_the_table(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct sample rows[2] = {
        {1, 0, 0, 125000, "n\"1", NULL, "a", "x,y", NULL, true, 1},
        {2, 1, 1764144000000LL, 30000, NULL, "note", "b", "", "pw", false, 7},
    };
    struct jw *w = jw_new(a, 4096);
    entity_write_page(w, &sample_entity, rows, 2, 2, -1);
    assert_string_equal(
        text(w), "{\"items\":[{\"id\":1,\"parent_id\":null,\"name\":\"n\\\"1\",\"note\":null,"
                 "\"kind\":\"a\",\"tags\":[\"x\",\"y\"],\"on\":true,\"at\":null,\"price\":\"12.5\","
                 "\"version\":1},{\"id\":2,\"parent_id\":1,\"name\":\"\",\"note\":\"note\","
                 "\"kind\":\"b\",\"tags\":[],\"on\":false,\"at\":\"2025-11-26T08:00:00.000Z\","
                 "\"price\":\"3\",\"version\":7}],\"next_cursor\":\"2\"}");
    w = jw_new(a, 4096);
    entity_write_page(w, &sample_entity, rows, 0, 0, 0);
    assert_string_equal(text(w), "{\"items\":[],\"next_cursor\":null,\"total\":0}");
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_rfc3339_agrees_with_gmtime),
        cmocka_unit_test(test_jw_escapes_like_jansson_and_refuses_bad_utf8),
        cmocka_unit_test(test_jw_stops_at_its_cap),
        cmocka_unit_test(test_entity_write_follows_the_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
