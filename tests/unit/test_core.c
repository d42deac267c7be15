/*
 * test_core.c - unit tests of src/core: credit codes (GB 32100 / GB 11714), time and dates,
 * the capped buffer, the arena and its defer hooks, the configuration precedence.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <cmocka.h>

#include "core/arena.h"
#include "core/config.h"
#include "core/decimal.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/timeutil.h"
#include "core/uscc.h"
#include "core/workpool.h"

#include <pthread.h>

static void test_uscc_accepts_published_codes(void **state)
{
    (void)state;
    /* Codes printed on public registrations. */
    assert_int_equal(uscc_check("91350100M000100Y43"), USCC_OK);
    assert_int_equal(uscc_check("91110000600037341L"), USCC_OK);
    assert_int_equal(uscc_check("12100000400000624D"), USCC_OK);
}

static void test_uscc_names_each_failure(void **state)
{
    (void)state;
    assert_int_equal(uscc_check("91350100M000100Y4"), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(""), USCC_BAD_LENGTH);
    assert_int_equal(uscc_check(NULL), USCC_BAD_LENGTH);
    /* I, O, S, V, Z and lower case are outside the 31-character set. */
    assert_int_equal(uscc_check("91350100M00O100Y43"), USCC_BAD_CHARACTER);
    assert_int_equal(uscc_check("91350100m000100Y43"), USCC_BAD_CHARACTER);
    assert_int_equal(uscc_check("91350100M000100Y44"), USCC_BAD_CHECK);
    assert_int_equal(uscc_check("91350100M000101Y43"), USCC_BAD_ORG_CHECK);
    assert_string_equal(uscc_rule(USCC_BAD_ORG_CHECK), "org_check");
}

static void test_uscc_complete_round_trips(void **state)
{
    char out[19];
    (void)state;
    assert_int_equal(uscc_complete("91350100M000100Y", out), 0);
    assert_string_equal(out, "91350100M000100Y43");
    for (int i = 0; i < 2000; i++) {
        char prefix[17];
        snprintf(prefix, sizeof(prefix), "1152%04dMA%06d", i % 10000, i * 37 % 1000000);
        assert_int_equal(uscc_complete(prefix, out), 0);
        assert_int_equal(uscc_check(out), USCC_OK);
    }
    assert_int_equal(uscc_complete("9135010OM000100Y", out), -1);
}

static void test_time_parse_and_format(void **state)
{
    int64_t ms;
    char buf[40];
    (void)state;
    assert_int_equal(time_parse("2026-11-26T08:00:00Z", &ms), 0);
    assert_int_equal(ms, 1795680000000LL);
    assert_int_equal(time_parse("2026-11-26T16:00:00.250+08:00", &ms), 0);
    assert_int_equal(ms, 1795680000250LL);
    time_format(ms, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-26T08:00:00.250Z");
    assert_int_equal(time_parse("2026-02-30T00:00:00Z", &ms), -1);
    assert_int_equal(time_parse("2026-11-26", &ms), -1);
    assert_int_equal(time_parse("2026-11-26T25:00:00Z", &ms), -1);
    assert_int_equal(time_parse("2026-11-26T08:00:00+8", &ms), -1);
    assert_int_equal(time_parse("2026-11-26T08:00:00.Z", &ms), -1);
    /* China Standard Time: 20:00 UTC is already the next day. */
    time_format_date(1795723200000LL, 480, buf, sizeof(buf));
    assert_string_equal(buf, "2026-11-27");
    /* The date arithmetic agrees with the C library's timegm on every day of 1900..2400, leap
     * days and century years included. */
    for (int64_t day = -25567; day < 157000; day += 1) {
        time_t t = (time_t)(day * 86400 + ((day * 7919) % 86400 + 86400) % 86400);
        struct tm tm;
        gmtime_r(&t, &tm);
        snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        assert_int_equal(time_parse(buf, &ms), 0);
        assert_int_equal(ms, (int64_t)timegm(&tm) * 1000);
    }
}

static void test_dates(void **state)
{
    (void)state;
    assert_true(date_is_valid("2024-02-29"));
    assert_false(date_is_valid("2023-02-29"));
    assert_false(date_is_valid("1900-02-29"));
    assert_true(date_is_valid("2000-02-29"));
    assert_false(date_is_valid("2024-13-01"));
    assert_false(date_is_valid("2024-1-01"));
    assert_false(date_is_valid(NULL));
}

static void test_ids_are_unique_ordered_and_js_safe(void **state)
{
    (void)state;
    int64_t prev = 0;
    for (int i = 0; i < 3000; i++) {
        int64_t id = id_new();
        assert_true(id > 0 && id < (1LL << 53));
        assert_true(id != prev);
        prev = id;
    }
}

static void test_strbuf_enforces_its_cap(void **state)
{
    struct strbuf sb;
    (void)state;
    sb_init(&sb, 10);
    assert_int_equal(sb_adds(&sb, "12345"), 0);
    assert_int_equal(sb_addf(&sb, "%d", 6789), 0);
    assert_int_equal(sb_adds(&sb, "xx"), -1);
    assert_string_equal(sb.buf, "123456789");
    assert_int_equal(sb_adds(&sb, "0"), 0);
    assert_int_equal(sb.len, 10);
    sb_release(&sb);
}

static int order[3], n_order;
static void record(void *p)
{
    order[n_order++] = *(int *)p;
}

static void test_arena_runs_defers_in_reverse(void **state)
{
    static int one = 1, two = 2;
    (void)state;
    struct arena *a = arena_new();
    n_order = 0;
    arena_defer(a, record, &one);
    arena_defer(a, record, &two);
    char *big = arena_alloc(a, 100000);
    big[99999] = 1;
    assert_string_equal(arena_printf(a, "%s-%d", "x", 7), "x-7");
    assert_true(((uintptr_t)arena_alloc(a, 3) % 16) == 0);
    arena_free(a);
    assert_int_equal(n_order, 2);
    assert_int_equal(order[0], 2);
    assert_int_equal(order[1], 1);
}

static void test_config_precedence(void **state)
{
    struct config c;
    struct err e;
    char path[] = "/tmp/egov-cfg-XXXXXX";
    (void)state;
    int fd = mkstemp(path);
    const char ini[] = "[egov]\nlisten = 127.0.0.1:9000\nthreads = 8\nbody_max = 4096\n";
    assert_int_equal(write(fd, ini, sizeof(ini) - 1), (ssize_t)sizeof(ini) - 1);
    close(fd);
    err_clear(&e);
    config_defaults(&c);
    assert_string_equal(c.db, "sqlite:data/egov.db");
    assert_int_equal(config_load_file(&c, path, &e), 0);
    assert_int_equal(c.threads, 8);
    setenv("EGOV_THREADS", "6", 1);
    assert_int_equal(config_load_env(&c, &e), 0);
    unsetenv("EGOV_THREADS");
    assert_int_equal(c.threads, 6);
    assert_int_equal(config_set(&c, "threads", "2", &e), 0);
    assert_int_equal(c.threads, 2);
    assert_string_equal(c.listen, "127.0.0.1:9000");
    assert_int_equal(c.body_max, 4096);
    assert_int_equal(config_set(&c, "threads", "0", &e), -1);
    assert_string_equal(e.fields[0].rule, "range");
    err_clear(&e);
    assert_int_equal(config_set(&c, "body-max", "12x", &e), -1);
    err_clear(&e);
    assert_int_equal(config_set(&c, "colour", "red", &e), -1);
    assert_string_equal(e.fields[0].rule, "unknown_key");
    err_clear(&e);
    /* budget alert thresholds: whole per cents 1..1000, comma-separated, at most 8 */
    assert_string_equal(c.budget_alert_thresholds, "80,100");
    assert_int_equal(config_set(&c, "budget-alert-thresholds", "50,90,100", &e), 0);
    assert_string_equal(c.budget_alert_thresholds, "50,90,100");
    static const char *const bad_pct[] = {"",     "80,",    ",80", "0",
                                          "1001", "80;100", "x",   "1,2,3,4,5,6,7,8,9"};
    for (size_t i = 0; i < sizeof(bad_pct) / sizeof(bad_pct[0]); i++) {
        err_clear(&e);
        assert_int_equal(config_set(&c, "budget_alert_thresholds", bad_pct[i], &e), -1);
        assert_string_equal(e.fields[0].rule, "format");
    }
    assert_string_equal(c.budget_alert_thresholds, "50,90,100");
    /* A key outside [egov] or a syntax error names the place. */
    fd = open(path, O_WRONLY | O_TRUNC);
    const char bad[] = "[server]\nthreads = 3\n";
    assert_int_equal(write(fd, bad, sizeof(bad) - 1), (ssize_t)sizeof(bad) - 1);
    close(fd);
    err_clear(&e);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    err_clear(&e);
    assert_int_equal(config_load_file(&c, "/nonexistent/egov.ini", &e), -1);
    /* A line too long for inih is refused, not cut with its tail read as a new key. */
    fd = open(path, O_WRONLY | O_TRUNC);
    char longline[400];
    int len = snprintf(longline, sizeof(longline),
                       "[egov]\nweb_root = /srv/%0250d listen=0.0.0.0:80\n", 7);
    assert_int_equal(write(fd, longline, (size_t)len), len);
    close(fd);
    err_clear(&e);
    config_defaults(&c);
    assert_int_equal(config_load_file(&c, path, &e), -1);
    assert_non_null(strstr(e.message, "longer than"));
    assert_string_equal(c.listen, "127.0.0.1:8080");
    unlink(path);
}

static void test_error_kinds_map_to_http_and_exit_codes(void **state)
{
    struct err e;
    (void)state;
    err_clear(&e);
    assert_int_equal(err_set(&e, ERR_CONFLICT, "x %d", 1), -1);
    assert_int_equal(err_http_status(e.kind), 409);
    assert_int_equal(err_exit_code(ERR_INVALID), 2);
    assert_int_equal(err_http_status(ERR_PRECONDITION), 412);
    assert_int_equal(err_http_status(ERR_METHOD), 405);
    assert_int_equal(err_http_status(ERR_HEAD_TOO_BIG), 431);
    assert_string_equal(err_slug(ERR_HEAD_TOO_BIG), "headers-too-large");
    err_clear(&e);
    for (int i = 0; i < 20; i++)
        err_field(&e, "f", "r", "m%d", i);
    assert_int_equal(e.n_fields, ERR_MAX_FIELDS);
    assert_int_equal(e.kind, ERR_INVALID);
    assert_string_equal(e.message, "m0");
}

/* docs/security.md: one address may hold 64 connections; a request has 15 s for its head and
 * 60 s for its body; none of them can be switched off by a deadline of 0. */
static void test_config_edge_limits(void **state)
{
    struct config c;
    struct err e;
    (void)state;
    err_clear(&e);
    config_defaults(&c);
    assert_int_equal(c.conns_per_ip, 64);
    assert_int_equal(c.header_timeout_s, 15);
    assert_int_equal(c.body_timeout_s, 60);
    assert_int_equal(config_set(&c, "conns-per-ip", "0", &e), 0);
    assert_int_equal(c.conns_per_ip, 0);
    assert_int_equal(config_set(&c, "header_timeout_s", "0", &e), -1);
    assert_string_equal(e.fields[0].rule, "range");
    err_clear(&e);
    assert_int_equal(config_set(&c, "body-timeout-s", "86401", &e), -1);
    err_clear(&e);
    assert_int_equal(config_set(&c, "conns_per_ip", "-1", &e), -1);
    assert_int_equal(c.header_timeout_s, 15);
    assert_int_equal(c.body_timeout_s, 60);
}

static int64_t dec(const char *s, int scale, int64_t max, const char **rule)
{
    int64_t v = -1;
    *rule = "";
    return decimal_parse(s, strlen(s), scale, max, &v, rule) < 0 ? -1 : v;
}

static void test_decimal_parse_is_exact_and_names_each_failure(void **state)
{
    (void)state;
    const char *rule;
    assert_int_equal(dec("12.5", 4, INT64_MAX, &rule), 125000);
    assert_int_equal(dec("0.0001", 4, INT64_MAX, &rule), 1);
    assert_int_equal(dec("0", 6, INT64_MAX, &rule), 0);
    assert_int_equal(dec("1.500000000", 4, INT64_MAX, &rule), 15000); /* zeros past scale */
    assert_int_equal(dec("123456789.123456", 6, INT64_MAX, &rule), 123456789123456LL);
    assert_int_equal(dec("100000000000000", 4, 1000000000000000000LL, &rule),
                     1000000000000000000LL);
    static const struct {
        const char *s, *rule;
    } bad[] = {
        {"1.00001", "scale"},
        {"-1", "negative"},
        {"", "format"},
        {".5", "format"},
        {"5.", "format"},
        {"+5", "format"},
        {"1e3", "format"},
        {"1,5", "format"},
        {" 1", "format"},
        {"-", "format"},
        {"0x10", "format"},
        {"1.2.3", "format"},
        {"100000000000000.0001", "range"},
        {"99999999999999999999", "range"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(dec(bad[i].s, 4, 1000000000000000000LL, &rule), -1);
        assert_string_equal(rule, bad[i].rule);
    }
    char buf[32];
    decimal_format(125000, 4, buf, sizeof(buf));
    assert_string_equal(buf, "12.5");
    decimal_format(1, 4, buf, sizeof(buf));
    assert_string_equal(buf, "0.0001");
    decimal_format(123456789123456LL, 6, buf, sizeof(buf));
    assert_string_equal(buf, "123456789.123456");
    decimal_format(1000000, 6, buf, sizeof(buf));
    assert_string_equal(buf, "1");
    decimal_format(INT64_MAX, 4, buf, sizeof(buf));
    assert_string_equal(buf, "922337203685477.5807");
}

struct latch {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool open;
    int ran;
};

static void wait_for_latch(void *arg)
{
    struct latch *l = arg;
    pthread_mutex_lock(&l->lock);
    while (!l->open)
        pthread_cond_wait(&l->cond, &l->lock);
    l->ran++;
    pthread_mutex_unlock(&l->lock);
}

/* 19.6: the password pool accepts threads + queue jobs at once and refuses the next at once
 * (the caller answers 503); every accepted job runs, also those queued when it stops. */
static void test_workpool_refuses_beyond_its_queue(void **state)
{
    (void)state;
    struct latch l = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0};
    struct workpool *wp = workpool_new(1, 2);
    for (int i = 0; i < 3; i++)
        assert_true(workpool_submit(wp, wait_for_latch, &l));
    assert_false(workpool_submit(wp, wait_for_latch, &l));
    pthread_mutex_lock(&l.lock);
    l.open = true;
    pthread_cond_broadcast(&l.cond);
    pthread_mutex_unlock(&l.lock);
    workpool_stop(wp);
    assert_int_equal(l.ran, 3);
    assert_false(workpool_submit(wp, wait_for_latch, &l));
    workpool_free(wp);
}

/* A Chinese field path longer than the field buffer is cut at a character, never inside one:
 * the problem+json that names it must stay valid UTF-8 (found by fuzz_json_body). */
static void test_error_texts_are_cut_at_a_character(void **state)
{
    (void)state;
    char path[400];
    size_t len = 0;
    for (int i = 0; i < 40; i++, len += 6)
        memcpy(path + len, "中文", 6);
    path[len] = 0;
    struct err e;
    memset(&e, 0, sizeof(e));
    err_field(&e, path, "nul", "%s holds a NUL character", path);
    const char *texts[] = {e.field, e.fields[0].field, e.message, e.fields[0].message};
    for (size_t t = 0; t < 4; t++) {
        const unsigned char *p = (const unsigned char *)texts[t];
        size_t n = strlen(texts[t]);
        assert_true(n > 0);
        /* every character complete: the length is a whole number of 3-byte characters, or
         * ends with ASCII after whole ones */
        size_t i = 0;
        while (i < n) {
            size_t want = p[i] < 0x80 ? 1 : (p[i] & 0xF0) == 0xE0 ? 3 : 0;
            assert_true(want > 0);
            assert_true(i + want <= n);
            i += want;
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_uscc_accepts_published_codes),
        cmocka_unit_test(test_workpool_refuses_beyond_its_queue),
        cmocka_unit_test(test_uscc_names_each_failure),
        cmocka_unit_test(test_uscc_complete_round_trips),
        cmocka_unit_test(test_time_parse_and_format),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_ids_are_unique_ordered_and_js_safe),
        cmocka_unit_test(test_strbuf_enforces_its_cap),
        cmocka_unit_test(test_arena_runs_defers_in_reverse),
        cmocka_unit_test(test_config_precedence),
        cmocka_unit_test(test_config_edge_limits),
        cmocka_unit_test(test_error_kinds_map_to_http_and_exit_codes),
        cmocka_unit_test(test_decimal_parse_is_exact_and_names_each_failure),
        cmocka_unit_test(test_error_texts_are_cut_at_a_character),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
