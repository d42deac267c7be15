/*
 * usage_cli.c - `egov usage import FILE|-`: usage records from CSV or NDJSON (by the file's
 * extension, or --format), committed in chunks, with a progress bar when stderr is a terminal
 * and a summary at the end. Re-running an import is harmless: records already stored are
 * reported as duplicated. Exit 0 when every record was accepted or duplicated, 2 when some were
 * rejected (the summary lists the first ones; `egov usage outcomes BATCH` lists all), 1 when the
 * store failed (committed chunks stay; re-run the import).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "usage.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/timeutil.h"
#include "core/banned.h"

#define BLOCK (1u << 20)

struct import {
    struct usage_batch *batch;
    struct usage_pipe *pipe;
    bool tty;
    int64_t started_ns, size;
    _Atomic int64_t bytes; /* read so far (the progress bar runs in the writer's thread) */
    FILE *f;
    int read_rc; /* 0, -1 the writer failed, -2 read error, -3 malformed CSV */
    const char *why;
};

static void progress(void *arg, const struct usage_summary *s)
{
    struct import *im = arg;
    if (!im->tty)
        return;
    double secs = (double)(time_mono_ns() - im->started_ns) / 1e9;
    double rate = secs > 0 ? (double)s->lines / secs : 0;
    int64_t bytes = atomic_load(&im->bytes);
    if (im->size > 0) {
        int width = 30, done = (int)((double)bytes * width / (double)im->size);
        char bar[32];
        for (int i = 0; i < width; i++)
            bar[i] = i < done ? '#' : '.';
        bar[width] = 0;
        fprintf(stderr, "\r[%s] %3d%%  %lld records  %.0f/s ", bar,
                (int)((double)bytes * 100 / (double)im->size), (long long)s->lines, rate);
    } else {
        fprintf(stderr, "\r%lld records  %.0f/s ", (long long)s->lines, rate);
    }
}

static int put_record(void *arg, const struct usage_input *in, int64_t line)
{
    struct import *im = arg;
    return usage_pipe_put(im->pipe, in, line);
}

static void read_ndjson(struct import *im)
{
    char *buf = malloc(BLOCK + 1);
    void *scratch = usage_ndjson_scratch_new();
    size_t have = 0;
    int64_t line = 0;
    if (!buf || !scratch)
        abort();
    for (;;) {
        size_t got = fread(buf + have, 1, BLOCK - have, im->f);
        atomic_fetch_add(&im->bytes, (int64_t)got);
        have += got;
        size_t start = 0;
        bool eof = got == 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', have - start);
            size_t end = nl ? (size_t)(nl - buf) : have;
            if (!nl && !(eof && end > start))
                break;
            size_t n = end - start;
            if (n && buf[start + n - 1] == '\r')
                n--;
            line++;
            if (n) { /* blank lines are not records */
                struct usage_input in;
                usage_parse_ndjson(buf + start, n, &in, scratch);
                if (put_record(im, &in, line) < 0) {
                    im->read_rc = -1;
                    goto out;
                }
            }
            start = nl ? end + 1 : have;
        }
        if (eof)
            break;
        if (start == 0 && have == BLOCK) {
            /* a line longer than the block: it is rejected as a whole and skipped */
            struct usage_input in;
            memset(&in, 0, sizeof(in));
            in.bad_field = "";
            in.bad_rule = "json";
            if (put_record(im, &in, ++line) < 0) {
                im->read_rc = -1;
                goto out;
            }
            int c;
            while ((c = fgetc(im->f)) != EOF && c != '\n')
                atomic_fetch_add(&im->bytes, 1);
            have = 0;
            continue;
        }
        memmove(buf, buf + start, have - start);
        have -= start;
    }
    if (ferror(im->f))
        im->read_rc = -2;
out:
    usage_ndjson_scratch_free(scratch);
    free(buf);
}

static void read_csv(struct import *im)
{
    char *buf = malloc(BLOCK);
    struct usage_csv *c = usage_csv_new(put_record, im);
    const char *why = NULL;
    if (!buf || !c)
        abort();
    size_t got;
    int rc = 0;
    while ((got = fread(buf, 1, BLOCK, im->f)) > 0) {
        atomic_fetch_add(&im->bytes, (int64_t)got);
        if (usage_csv_feed(c, buf, got, &why) < 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && usage_csv_finish(c, &why) < 0)
        rc = -1;
    if (rc < 0) {
        im->read_rc = why ? -3 : -1;
        im->why = why;
    } else if (ferror(im->f)) {
        im->read_rc = -2;
    }
    usage_csv_free(c);
    free(buf);
}

static void print_outcomes(struct ctx *ctx, int64_t batch, int64_t rejected)
{
    struct page_req p = {.limit = 10};
    struct page_info info;
    struct usage_outcome *o;
    int n;
    if (!rejected || usage_outcomes(ctx, batch, &p, &o, &n, &info) < 0)
        return;
    printf("first records not accepted:\n");
    for (int i = 0; i < n; i++)
        printf("  line %lld  %-10s %-12s %-14s %s\n", (long long)o[i].line, o[i].outcome, o[i].rule,
               o[i].field, o[i].message);
}

static int cmd_outcomes(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    static const char usage[] = "usage: egov usage outcomes BATCH_ID [--db URL]";
    if (argc < 1) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    int64_t batch = strtoll(argv[0], NULL, 10);
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, NULL, 0);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    struct page_req p = {.limit = 500};
    struct page_info info = {0};
    do {
        struct usage_outcome *o;
        int n;
        if (usage_outcomes(ctx, batch, &p, &o, &n, &info) < 0) {
            rc = cli_fail(&ctx->err);
            break;
        }
        for (int i = 0; i < n; i++)
            printf("%lld\t%s\t%s\t%s\t%s\t%s\n", (long long)o[i].line, o[i].record_id, o[i].outcome,
                   o[i].rule, o[i].field, o[i].message);
        p.after_id = info.next_cursor;
    } while (info.next_cursor);
    cli_close(&app, arena);
    return rc;
}

static int cmd_import(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct cli_opt opts[] = {{"format", true, NULL, "csv or ndjson (default: by the extension)"}};
    static const char usage[] = "usage: egov usage import FILE|- [--format csv|ndjson] [--db URL]";
    if (argc < 1) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    const char *path = argv[0];
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, opts, 1);
    if (rc)
        return rc > 0 ? 0 : 2;
    const char *fmt = opts[0].value;
    if (!fmt) {
        size_t n = strlen(path);
        fmt = n > 4 && !strcmp(path + n - 4, ".csv") ? "csv" : "ndjson";
    }
    if (strcmp(fmt, "csv") != 0 && strcmp(fmt, "ndjson") != 0) {
        fprintf(stderr, "egov: --format is csv or ndjson\n");
        return 2;
    }
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        fprintf(stderr, "egov: cannot open %s\n", path);
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena)) {
        if (f != stdin)
            fclose(f);
        return 1;
    }
    struct import im = {.tty = isatty(2) == 1, .started_ns = time_mono_ns(), .f = f};
    if (f != stdin && fseek(f, 0, SEEK_END) == 0) {
        im.size = ftell(f);
        rewind(f);
    }
    im.batch = usage_batch_begin(ctx, "import");
    if (!im.batch) {
        rc = cli_fail(&ctx->err);
        goto done;
    }
    usage_batch_on_commit(im.batch, progress, &im);
    im.pipe = usage_pipe_start(im.batch);
    if (!strcmp(fmt, "csv"))
        read_csv(&im);
    else
        read_ndjson(&im);
    int write_rc = usage_pipe_finish(im.pipe);
    struct usage_summary s;
    int end_rc = write_rc < 0 ? (usage_batch_abort(im.batch), -1) : usage_batch_end(im.batch, &s);
    if (im.tty)
        fprintf(stderr, "\n");
    if (write_rc < 0) {
        rc = cli_fail(&ctx->err); /* the store failed: committed chunks stay */
        goto done;
    }
    double secs = (double)(time_mono_ns() - im.started_ns) / 1e9;
    printf("batch %lld: %lld records in %.2f s (%.0f/s): %lld accepted, %lld duplicated, %lld "
           "rejected\n",
           (long long)s.batch_id, (long long)s.lines, secs, secs > 0 ? (double)s.lines / secs : 0,
           (long long)s.accepted, (long long)s.duplicated, (long long)s.rejected);
    if (end_rc < 0) {
        rc = cli_fail(&ctx->err);
        goto done;
    }
    if (im.read_rc == -3) {
        fprintf(stderr, "egov: %s: %s (the records before it were imported)\n", path, im.why);
        rc = 2;
        goto done;
    }
    if (im.read_rc == -2) {
        fprintf(stderr, "egov: reading %s failed (the records before were imported)\n", path);
        rc = 1;
        goto done;
    }
    if (s.outcomes_not_stored)
        printf("the outcomes of %lld lines after the first %d not accepted were counted, not "
               "stored\n",
               (long long)s.outcomes_not_stored, USAGE_OUTCOMES_MAX);
    print_outcomes(ctx, s.batch_id, s.rejected);
    rc = s.rejected ? 2 : 0; /* invalid input: some records were refused */
done:
    if (f != stdin)
        fclose(f);
    cli_close(&app, arena);
    return rc;
}

int cmd_usage(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "import"))
        return cmd_import(argc - 1, argv + 1);
    if (argc >= 1 && !strcmp(argv[0], "outcomes"))
        return cmd_outcomes(argc - 1, argv + 1);
    fprintf(stderr, "usage: egov usage import FILE|- [--format csv|ndjson] [--db URL]\n"
                    "       egov usage outcomes BATCH_ID [--db URL]\n");
    return 2;
}
