/*
 * fuzz_config.c - the INI configuration reader (core/config.c over inih) on arbitrary files.
 *
 * The input becomes the content of an in-memory file (memfd) read through its /proc path, so
 * the driver touches no disk. Contract checked: config_load_file either succeeds or fails with
 * an error kind and message; whatever it did, every string setting is still NUL-terminated
 * within its buffer and every integer setting is within its documented range; and it never
 * accepts a file with a line longer than inih can read whole (ini_max_line, unless Debian's
 * inih is told to grow its line buffer), because inih reads the rest of such a line as a line of
 * its own: the value is cut short and the tail can set another key.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ini.h>

#include "fuzz_common.h"
#include "core/config.h"
#include "core/err.h"
#include "core/banned.h"

static int memfd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    memfd = memfd_create("egov-fuzz-config", 0);
    if (memfd < 0) {
        perror("memfd_create");
        abort();
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
    return 0;
}

#define TERMINATED(buf) (memchr((buf), 0, sizeof(buf)) != NULL)

/*
 * Whether inih reads every line whole: fgets(line, ini_max_line) takes at most ini_max_line - 1
 * bytes, so a longer line goes on as a line of its own. (A line of exactly ini_max_line - 1 bytes
 * leaves only its newline behind, which reads as a harmless blank line.)
 */
static int lines_fit(const uint8_t *data, size_t size)
{
    size_t start = 0;
    if (!ini_use_stack && ini_allow_realloc)
        return 1;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            if (i - start + 1 > (size_t)ini_max_line)
                return 0;
            start = i + 1;
        }
    }
    return 1;
}

static void check_ranges(const struct config *c)
{
    /* The ranges of config.c's key table, as config.h documents them. */
    fuzz_check(c->threads >= 1 && c->threads <= 256);
    fuzz_check(c->body_max >= 1024 && c->body_max <= 64 << 20);
    fuzz_check(c->session_ttl_min >= 1 && c->session_ttl_min <= 7 * 24 * 60);
    fuzz_check(c->login_slow_after >= 1 && c->login_slow_after <= 100);
    fuzz_check(c->login_lock_after >= 2 && c->login_lock_after <= 1000);
    fuzz_check(c->login_lock_min >= 1 && c->login_lock_min <= 24 * 60);
    fuzz_check(c->rate_limit >= 0 && c->rate_limit <= 1000000);
    fuzz_check(c->signing_key_generate == 0 || c->signing_key_generate == 1);
    /* Only the two suites ever get in (docs/keys.md). */
    fuzz_check(!strcmp(c->crypto_suite, "ed25519-blake2b") || !strcmp(c->crypto_suite, "sm2-sm3"));
    fuzz_check(c->conns_per_ip >= 0 && c->conns_per_ip <= 1024);
    fuzz_check(c->header_timeout_s >= 1 && c->header_timeout_s <= 3600);
    fuzz_check(c->body_timeout_s >= 1 && c->body_timeout_s <= 86400);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config c;
    struct err e;
    int rc;

    if (ftruncate(memfd, 0) < 0 || pwrite(memfd, data, size, 0) != (ssize_t)size)
        abort();
    config_defaults(&c);
    err_clear(&e);
    rc = config_load_file(&c, path, &e);

    fuzz_check(rc == 0 || rc == -1);
    fuzz_check(rc == 0 ? e.kind == ERR_NONE : e.kind != ERR_NONE);
    fuzz_check(TERMINATED(e.message) && TERMINATED(e.field) && TERMINATED(e.rule));
    fuzz_check(e.n_fields >= 0 && e.n_fields <= ERR_MAX_FIELDS);
    fuzz_check(TERMINATED(c.db) && TERMINATED(c.listen) && TERMINATED(c.log_level) &&
               TERMINATED(c.web_root) && TERMINATED(c.timezone) && TERMINATED(c.config_file) &&
               TERMINATED(c.crypto_suite) && TERMINATED(c.signing_key) &&
               TERMINATED(c.signing_key_pin));
    /* A rejected value is never stored, so the ranges hold after a failure too. */
    check_ranges(&c);
    /* A field error always names the rule it broke. */
    if (rc < 0 && e.n_fields)
        fuzz_check(e.fields[0].rule[0] != 0);
    if (rc == 0)
        fuzz_check(lines_fit(data, size));
    return 0;
}
