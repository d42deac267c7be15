/*
 * billing_cli.c - `egov billing run|issue|settle|verify PERIOD`: the month-end work of the
 * management institution, run by the operator (as the system: every jurisdiction), e.g. from
 * cron on the first day of a month. Exit 0 on success, else the code of the error's kind
 * (README): 2 invalid input, 4 not found, 5 a conflict such as a correction without --reason,
 * 1 the store failed; verify exits 2 when it finds differences.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "core/banned.h"

static const char USAGE[] =
    "usage: egov billing run PERIOD [--user ID] [--reason TEXT] [--from-records] [--db URL]\n"
    "       egov billing issue PERIOD [--db URL]\n"
    "       egov billing settle PERIOD [--reason TEXT] [--issue] [--db URL]\n"
    "       egov billing verify PERIOD [--db URL]\n"
    "       egov billing export bill|settlement ID [--format csv|xlsx] [--output FILE] [--db URL]\n"
    "PERIOD is a month, YYYY-MM (China Standard Time).";

static int64_t parse_id(const char *s)
{
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return s && *end == 0 && v > 0 ? (int64_t)v : -1;
}

static int cmd_export(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct cli_opt opts[] = {
        {"format", true, NULL, "csv (default) or xlsx"},
        {"output", true, NULL,
         "write to FILE (- for standard output; default: the document's name)"}};
    if (argc < 2 || (strcmp(argv[0], "bill") != 0 && strcmp(argv[0], "settlement") != 0)) {
        fprintf(stderr, "%s\n", USAGE);
        return 2;
    }
    int64_t id = parse_id(argv[1]);
    int rc = cli_parse(argc - 2, argv + 2, USAGE, &cfg, opts, 2);
    if (rc)
        return rc > 0 ? 0 : 2;
    const char *format = opts[0].value ? opts[0].value : "csv";
    if (id < 0 || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0)) {
        fprintf(stderr, "egov: ID is a number and --format csv or xlsx\n");
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    struct strbuf sb;
    const char *name = NULL;
    struct bill b;
    struct settlement s;
    if (!strcmp(argv[0], "bill")
            ? bill_get(ctx, id, &b) < 0 || billing_export_bill(ctx, &b, format, &sb, &name) < 0
            : settlement_get(ctx, id, &s) < 0 ||
                  billing_export_settlement(ctx, &s, format, &sb, &name) < 0) {
        rc = cli_fail(&ctx->err);
    } else {
        const char *path = opts[1].value ? opts[1].value : name;
        FILE *f = strcmp(path, "-") ? fopen(path, "wb") : stdout;
        if (!f || fwrite(sb.buf, 1, sb.len, f) != sb.len || (f != stdout && fclose(f) != 0)) {
            fprintf(stderr, "egov: cannot write %s\n", path);
            rc = 1;
        } else {
            if (f != stdout)
                printf("%s: %zu bytes\n", path, sb.len);
        }
        sb_release(&sb);
    }
    cli_close(&app, arena);
    return rc;
}

int cmd_billing(int argc, char **argv)
{
    if (argc >= 1 && !strcmp(argv[0], "export"))
        return cmd_export(argc - 1, argv + 1);
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct cli_opt opts[] = {
        {"user", true, NULL, "rate one user agency only"},
        {"reason", true, NULL, "why: required to correct an issued month"},
        {"from-records", false, NULL, "rate from usage_records instead of the per-day sums"},
        {"issue", false, NULL, "settle: issue the statements at once"},
    };
    if (argc < 2 || argv[1][0] == '-') {
        fprintf(stderr, "%s\n", USAGE);
        return argc >= 1 && !strcmp(argv[0], "--help") ? 0 : 2;
    }
    const char *what = argv[0], *period = argv[1];
    if (strcmp(what, "run") != 0 && strcmp(what, "issue") != 0 && strcmp(what, "settle") != 0 &&
        strcmp(what, "verify") != 0) {
        fprintf(stderr, "%s\n", USAGE);
        return 2;
    }
    int rc = cli_parse(argc - 2, argv + 2, USAGE, &cfg, opts, 4);
    if (rc)
        return rc > 0 ? 0 : 2;
    int64_t user = 0;
    if (opts[0].value && (user = parse_id(opts[0].value)) < 0) {
        fprintf(stderr, "egov: --user is an institution id\n");
        return 2;
    }
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    rc = 0;
    if (!strcmp(what, "run")) {
        struct billing_run run = {.period = period,
                                  .user_id = user,
                                  .reason = opts[1].value,
                                  .from_records = opts[2].value != NULL};
        if (billing_run(ctx, &run) < 0) {
            rc = cli_fail(&ctx->err);
        } else {
            printf("%s: %lld records rated into %lld draft bills (%lld lines, %lld fen); %lld "
                   "corrections, %lld unchanged; %lld ms\n",
                   period, (long long)run.records, (long long)run.bills, (long long)run.lines,
                   (long long)run.total_fen, (long long)run.corrections, (long long)run.unchanged,
                   (long long)run.elapsed_ms);
        }
    } else if (!strcmp(what, "issue")) {
        int64_t n;
        if (bill_issue_period(ctx, period, &n) < 0)
            rc = cli_fail(&ctx->err);
        else
            printf("%s: %lld bills issued\n", period, (long long)n);
    } else if (!strcmp(what, "settle")) {
        struct settlement_run run = {.period = period, .reason = opts[1].value};
        if (settlement_run(ctx, &run) < 0) {
            rc = cli_fail(&ctx->err);
        } else {
            printf("%s: %lld draft statements, gross %lld fen, net %lld fen; %lld corrections, "
                   "%lld unchanged\n",
                   period, (long long)run.statements, (long long)run.total_gross_fen,
                   (long long)run.total_net_fen, (long long)run.corrections,
                   (long long)run.unchanged);
            if (opts[3].value) {
                struct settlement_filter f = {.period = period, .state = "draft"};
                struct page_req p = {.limit = 500};
                struct page_info info;
                struct settlement *items;
                int n, issued = 0;
                do {
                    if (settlement_list(ctx, &f, &p, &items, &n, &info) < 0) {
                        rc = cli_fail(&ctx->err);
                        break;
                    }
                    for (int i = 0; i < n && rc == 0; i++) {
                        struct settlement s;
                        if (settlement_issue(ctx, items[i].id, &s) < 0)
                            rc = cli_fail(&ctx->err);
                        else
                            issued++;
                    }
                    p.after_id = info.next_cursor;
                } while (rc == 0 && info.next_cursor);
                if (rc == 0)
                    printf("%s: %d statements issued\n", period, issued);
            }
        }
    } else {
        struct billing_verify v;
        if (billing_verify(ctx, period, &v) < 0) {
            rc = cli_fail(&ctx->err);
        } else {
            printf("%s: %lld records in %lld series-days; %lld differences between usage_daily "
                   "and usage_records\n",
                   period, (long long)v.records, (long long)v.series_days,
                   (long long)v.differences);
            rc = v.differences ? 2 : 0;
        }
    }
    cli_close(&app, arena);
    return rc;
}
