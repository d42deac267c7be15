/*
 * audit_cli.c - `egov audit verify`: exit 0 when the chain is intact; otherwise exit 1 and
 * name the first bad record.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "cli/cli.h"
#include "core/banned.h"

int cmd_audit(int argc, char **argv)
{
    struct config cfg;
    struct app app;
    struct arena *arena;
    struct ctx *ctx;
    struct audit_verdict v;
    static const char usage[] = "usage: egov audit verify [--db URL]";
    if (argc < 1 || strcmp(argv[0], "verify") != 0) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    int rc = cli_parse(argc - 1, argv + 1, usage, &cfg, NULL, 0);
    if (rc)
        return rc > 0 ? 0 : 2;
    if (cli_open(&app, &cfg, &ctx, &arena))
        return 1;
    if (audit_verify(ctx, &v) < 0) {
        rc = cli_fail(&ctx->err);
    } else if (v.ok) {
        printf("audit chain intact: %lld records\n", (long long)v.n_records);
        rc = 0;
    } else {
        printf("audit chain BROKEN at record %lld: %s\n", (long long)v.first_bad_seq, v.reason);
        rc = 1;
    }
    cli_close(&app, arena);
    return rc;
}
